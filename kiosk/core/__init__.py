"""What every area stands on: settings, the database and its records, migrations, languages,
error pages, the health check, the site's clock, typography and the worker's runtime."""
