"""What every area stands on: settings, the database and its records, migrations, languages,
the health check, the site's clock, typography and the worker's runtime.

The core imports no area (tests/unit/test_import_graph.py): what it needs of one (the visit's
language, the speech state, what runs in the worker) the app factory hands it."""
