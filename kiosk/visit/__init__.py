"""A person's visit at the kiosk: the screen frame every journey renders in (screens, pages),
its lifecycle (start, extend, end, language, text size, volume), the welcome screen, the visit's
typed state, assisted mode and reading the Vitale card."""
