"""Generic storage for the registers: one table per RegisterSpec, written through SyncedTable."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from suas_desktop.domain.register_fields import FieldKind, RegisterRecord, RegisterSpec
from suas_desktop.domain.registers import ALL_REGISTERS
from suas_desktop.storage.database import Database
from suas_desktop.storage.synced_table import SyncedTable, WriteContext

_TABLES = {spec.name: SyncedTable(spec.name, spec.field_names) for spec in ALL_REGISTERS}


def _record(spec: RegisterSpec, row: sqlite3.Row, names: tuple[str, ...] | None = None) -> RegisterRecord:
    return RegisterRecord(
        id=row["id"],
        values={name: row[name] for name in names or spec.field_names},
        revision=row["revision"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by"],
    )


class RegisterRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def _table(spec: RegisterSpec) -> SyncedTable:
        return _TABLES[spec.name]

    def list(self, spec: RegisterSpec) -> list[RegisterRecord]:
        order = spec.title_field or "created_at"
        names = spec.field_names  # a property that builds the tuple: once per list, not per row
        # The columns by position, as plain tuples: a sqlite3.Row looks each name up by scanning.
        cursor = self._db.execute(
            f"SELECT id, revision, updated_at, updated_by, {', '.join(names)} FROM {spec.name}"
            f" ORDER BY {order} COLLATE NOCASE, created_at"
        )
        cursor.row_factory = None
        return [
            RegisterRecord(
                id=r[0],
                values=dict(zip(names, r[4:], strict=True)),
                revision=r[1],
                updated_at=r[2],
                updated_by=r[3],
            )
            for r in cursor.fetchall()
        ]

    def get(self, spec: RegisterSpec, record_id: str) -> RegisterRecord | None:
        row = self._table(spec).get(self._db, record_id)
        return None if row is None else _record(spec, row)

    def count(self, spec: RegisterSpec) -> int:
        return int(self._db.scalar(f"SELECT count(*) FROM {spec.name}"))

    def insert(self, ctx: WriteContext, spec: RegisterSpec, values: Mapping[str, Any]) -> str:
        return self._table(spec).insert(self._db, ctx, values)

    def update(
        self,
        ctx: WriteContext,
        spec: RegisterSpec,
        record_id: str,
        values: Mapping[str, Any],
        *,
        expected_revision: int | None = None,
    ) -> tuple[str, ...]:
        return self._table(spec).update(self._db, ctx, record_id, values, expected_revision=expected_revision)

    def delete(self, ctx: WriteContext, spec: RegisterSpec, record_id: str) -> None:
        self._table(spec).delete(self._db, ctx, record_id)

    def references_to(self, spec: RegisterSpec, record_id: str) -> list[tuple[RegisterSpec, int]]:
        """Registers with records pointing at ``record_id`` (a delete must not orphan them)."""
        found = []
        for other in ALL_REGISTERS:
            for f in other.fields:
                if f.kind is FieldKind.REF and f.ref == spec.name:
                    n = self._db.scalar(f"SELECT count(*) FROM {other.name} WHERE {f.name} = ?", (record_id,))
                    if n:
                        found.append((other, int(n)))
        return found
