"""The ``incident`` table (security incidents; rows are never deleted)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from suas_desktop.domain.incidents import Incident
from suas_desktop.storage.database import Database

_UPDATABLE = ("measures", "anpd_notified_on", "subjects_notified_on", "changed_at", "changed_by")


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _incident(row: sqlite3.Row) -> Incident:
    encrypted = row["encrypted"]
    return Incident(
        id=row["id"],
        recorded_at=row["recorded_at"],
        recorded_by=row["recorded_by"],
        occurred_on=date.fromisoformat(row["occurred_on"]),
        discovered_on=date.fromisoformat(row["discovered_on"]),
        medium=row["medium"],
        categories=tuple(json.loads(row["categories"])),
        description=row["description"],
        high_risk=bool(row["high_risk"]),
        notify_by=date.fromisoformat(row["notify_by"]),
        package_id=row["package_id"],
        file_name=row["file_name"],
        encrypted=None if encrypted is None else bool(encrypted),
        subjects_estimate=row["subjects_estimate"],
        measures=row["measures"],
        anpd_notified_on=_day(row["anpd_notified_on"]),
        subjects_notified_on=_day(row["subjects_notified_on"]),
        changed_at=row["changed_at"],
        changed_by=row["changed_by"],
    )


class IncidentRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def all(self) -> list[Incident]:
        rows = self._db.all("SELECT * FROM incident ORDER BY discovered_on DESC, recorded_at DESC")
        return [_incident(r) for r in rows]

    def get(self, incident_id: str) -> Incident | None:
        row = self._db.first("SELECT * FROM incident WHERE id = ?", (incident_id,))
        return None if row is None else _incident(row)

    def insert(self, incident: Incident) -> None:
        self._db.execute(
            "INSERT INTO incident (id, recorded_at, recorded_by, occurred_on, discovered_on, medium,"
            " package_id, file_name, encrypted, categories, subjects_estimate, description, measures,"
            " high_risk, notify_by, anpd_notified_on, subjects_notified_on, changed_at, changed_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                incident.id,
                incident.recorded_at,
                incident.recorded_by,
                incident.occurred_on.isoformat(),
                incident.discovered_on.isoformat(),
                incident.medium,
                incident.package_id,
                incident.file_name,
                None if incident.encrypted is None else int(incident.encrypted),
                json.dumps(list(incident.categories)),
                incident.subjects_estimate,
                incident.description,
                incident.measures,
                int(incident.high_risk),
                incident.notify_by.isoformat(),
                incident.anpd_notified_on.isoformat() if incident.anpd_notified_on else None,
                incident.subjects_notified_on.isoformat() if incident.subjects_notified_on else None,
                incident.changed_at,
                incident.changed_by,
            ),
        )

    def update(self, incident_id: str, **changes: Any) -> None:
        unknown = set(changes) - set(_UPDATABLE)
        if unknown:
            raise ValueError(f"incident columns that cannot change: {sorted(unknown)}")
        values = [v.isoformat() if isinstance(v, date) else v for v in changes.values()]
        assignments = ", ".join(f"{name} = ?" for name in changes)
        self._db.execute(f"UPDATE incident SET {assignments} WHERE id = ?", [*values, incident_id])

    def export_entry(self, package_id: str) -> dict[str, Any] | None:
        """The export_log row of a package written here (what left, when, by whom)."""
        row = self._db.first("SELECT * FROM export_log WHERE package_id = ?", (package_id,))
        return None if row is None else dict(row)

    def recent_exports(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self._db.all("SELECT * FROM export_log ORDER BY sequence DESC LIMIT ?", (int(limit),))
        return [dict(r) for r in rows]
