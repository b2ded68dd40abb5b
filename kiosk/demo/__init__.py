"""The demo: its data (a site, doctors, free slots, accounts), used by ``kiosk demo`` and
``kiosk seed``."""
