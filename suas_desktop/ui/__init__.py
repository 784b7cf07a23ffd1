"""The desktop interface (PySide6). Talks to services only; never to storage or sqlite3."""
