"""Persistence: the only layer that talks to SQLite. Hands out domain objects, owns the schema."""
