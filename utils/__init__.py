"""Cross-cutting utilities: settings, errors, the job protocol, breakers and the database layer."""
