"""Who may do what, and what is kept: server-side sessions, the vault and its keys, API tokens,
accounts, rate limits, the audit journal, retention (purge), CSRF and the HTTP headers."""
