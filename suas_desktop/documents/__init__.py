"""Documents: turns domain objects into PDF bytes and signs or verifies them. Never opens the database."""
