"""This copy of the database's identity (the ``origin`` of every change it makes)."""

from __future__ import annotations

from suas_desktop.domain.clock import Clock, iso_utc
from suas_desktop.domain.ids import InstallationId, new_record_id
from suas_desktop.storage.database import Database


def ensure_installation(db: Database, clock: Clock) -> InstallationId:
    """Return the installation id, creating it on first use."""
    existing = db.scalar("SELECT id FROM installation WHERE singleton = 1")
    if existing:
        return InstallationId(existing)
    new_id = InstallationId(new_record_id())
    with db.transaction():
        db.execute("INSERT INTO installation (id, created_at) VALUES (?, ?)", (new_id, iso_utc(clock.now())))
    return new_id
