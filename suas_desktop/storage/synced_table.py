"""Writes for tables whose records travel between machines.

Every insert, update and delete through :class:`SyncedTable` keeps the sync columns
(``created_at``, ``updated_at``, ``updated_by``, ``origin``, ``revision``), leaves a tombstone on
delete and appends one audit entry naming the fields that changed (never their values), all inside
the caller's transaction.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from suas_desktop.domain.audit import AuditEntry
from suas_desktop.domain.ids import RecordId, new_record_id
from suas_desktop.errors import UserError
from suas_desktop.storage.audit_repository import AuditRepository
from suas_desktop.storage.database import Database

SYNC_COLUMNS = ("id", "created_at", "updated_at", "updated_by", "origin", "revision")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class WriteContext:
    """Who writes, from which installation, at what moment (UTC ISO-8601)."""

    actor: str
    origin: str
    at: str


class SyncedTable:
    """One syncable table with a fixed list of data columns (identifiers checked once, here)."""

    def __init__(self, name: str, columns: Sequence[str], *, entity: str | None = None) -> None:
        for identifier in (name, *columns):
            if not _IDENTIFIER.match(identifier):
                raise ValueError(f"invalid SQL identifier {identifier!r}")
        clash = set(columns) & set(SYNC_COLUMNS)
        if clash:
            raise ValueError(f"data columns clash with sync columns: {sorted(clash)}")
        self.name = name
        self.columns = tuple(columns)
        #: Name used in the audit log and tombstones (defaults to the table name).
        self.entity = entity or name

    def _check_columns(self, values: Mapping[str, Any]) -> None:
        unknown = set(values) - set(self.columns)
        if unknown:
            raise ValueError(f"unknown columns for {self.name}: {sorted(unknown)}")

    def get(self, db: Database, record_id: str) -> sqlite3.Row | None:
        return db.first(f"SELECT * FROM {self.name} WHERE id = ?", (record_id,))

    def insert(
        self,
        db: Database,
        ctx: WriteContext,
        values: Mapping[str, Any],
        *,
        record_id: str | None = None,
        audit_detail: str = "",
    ) -> RecordId:
        self._check_columns(values)
        rid = RecordId(record_id or new_record_id())
        cols = [*SYNC_COLUMNS, *values.keys()]
        params = [rid, ctx.at, ctx.at, ctx.actor, ctx.origin, 1, *values.values()]
        with db.transaction():
            db.execute(
                f"INSERT INTO {self.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", params
            )
            # A record re-created with the same id (an import) is alive again.
            db.execute("DELETE FROM tombstones WHERE entity = ? AND record_id = ?", (self.entity, rid))
            AuditRepository(db).append(
                AuditEntry(
                    at=ctx.at,
                    actor=ctx.actor,
                    action=f"{self.entity}.create",
                    origin=ctx.origin,
                    entity=self.entity,
                    record_id=rid,
                    fields=tuple(sorted(values)),
                    detail=audit_detail,
                )
            )
        return rid

    def update(
        self,
        db: Database,
        ctx: WriteContext,
        record_id: str,
        changes: Mapping[str, Any],
        *,
        expected_revision: int | None = None,
        audit_detail: str = "",
    ) -> tuple[str, ...]:
        """Apply the fields that really differ; returns their names (empty: nothing written)."""
        self._check_columns(changes)
        with db.transaction():
            current = self.get(db, record_id)
            if current is None:
                raise UserError("O registro não existe mais (pode ter sido excluído).")
            if expected_revision is not None and current["revision"] != expected_revision:
                raise UserError(
                    "Este registro foi alterado em outro lugar desde que você o abriu.",
                    hint="Recarregue o registro e faça a alteração de novo.",
                )
            changed = {k: v for k, v in changes.items() if current[k] != v}
            if not changed:
                return ()
            assignments = ", ".join(f"{k} = ?" for k in changed)
            db.execute(
                f"UPDATE {self.name} SET {assignments}, updated_at = ?, updated_by = ?, origin = ?,"
                " revision = revision + 1 WHERE id = ?",
                [*changed.values(), ctx.at, ctx.actor, ctx.origin, record_id],
            )
            AuditRepository(db).append(
                AuditEntry(
                    at=ctx.at,
                    actor=ctx.actor,
                    action=f"{self.entity}.update",
                    origin=ctx.origin,
                    entity=self.entity,
                    record_id=record_id,
                    fields=tuple(sorted(changed)),
                    detail=audit_detail,
                )
            )
        return tuple(sorted(changed))

    def delete(self, db: Database, ctx: WriteContext, record_id: str, *, audit_detail: str = "") -> None:
        with db.transaction():
            current = self.get(db, record_id)
            if current is None:
                raise UserError("O registro não existe mais (pode ter sido excluído).")
            db.execute(f"DELETE FROM {self.name} WHERE id = ?", (record_id,))
            db.execute(
                "INSERT INTO tombstones (entity, record_id, deleted_at, deleted_by, origin, revision)"
                " VALUES (?,?,?,?,?,?) ON CONFLICT (entity, record_id) DO UPDATE SET"
                " deleted_at = excluded.deleted_at, deleted_by = excluded.deleted_by,"
                " origin = excluded.origin, revision = excluded.revision",
                (self.entity, record_id, ctx.at, ctx.actor, ctx.origin, current["revision"] + 1),
            )
            AuditRepository(db).append(
                AuditEntry(
                    at=ctx.at,
                    actor=ctx.actor,
                    action=f"{self.entity}.delete",
                    origin=ctx.origin,
                    entity=self.entity,
                    record_id=record_id,
                    detail=audit_detail,
                )
            )
