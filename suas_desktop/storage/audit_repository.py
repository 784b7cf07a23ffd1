"""The audit log table: append inside the caller's transaction, read with filters, verify the chain."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from suas_desktop.domain.audit import (
    GENESIS_HASH,
    AuditEntry,
    ChainedEntry,
    ChainHead,
    ChainReport,
    chain,
    verify_chain,
)
from suas_desktop.storage.database import Database


@dataclass(frozen=True)
class AuditFilter:
    entity: str | None = None
    record_id: str | None = None
    actor: str | None = None
    action_prefix: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int | None = None


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def append(self, entry: AuditEntry) -> ChainedEntry:
        """Add ``entry`` as the next link; joins the caller's transaction (or makes its own)."""
        with self._db.transaction():
            head = self.head()
            seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS_HASH)
            linked = chain(seq, prev, entry)
            self._db.execute(
                "INSERT INTO audit_log (seq, at, actor, action, entity, record_id, fields, detail, origin,"
                " prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    seq,
                    entry.at,
                    entry.actor,
                    entry.action,
                    entry.entity,
                    entry.record_id,
                    json.dumps(list(entry.fields), ensure_ascii=False),
                    entry.detail,
                    entry.origin,
                    prev,
                    linked.hash,
                ),
            )
            self._db.execute(
                "INSERT INTO audit_head (singleton, seq, hash) VALUES (1, ?, ?)"
                " ON CONFLICT (singleton) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                (seq, linked.hash),
            )
        return linked

    def head(self) -> ChainHead | None:
        row = self._db.first("SELECT seq, hash FROM audit_head WHERE singleton = 1")
        return None if row is None else ChainHead(row["seq"], row["hash"])

    def distinct(self, column: str) -> list[str]:
        """The different non-empty values of ``actor``, ``action`` or ``entity`` (filter choices)."""
        if column not in ("actor", "action", "entity"):
            raise ValueError(column)
        rows = self._db.all(
            f"SELECT DISTINCT {column} FROM audit_log WHERE {column} != '' ORDER BY {column} COLLATE NOCASE"
        )
        return [r[0] for r in rows]

    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM audit_log"))

    def entries(self, flt: AuditFilter | None = None) -> list[ChainedEntry]:
        flt = flt or AuditFilter()
        where, params = [], []
        for column, value in (("entity", flt.entity), ("record_id", flt.record_id), ("actor", flt.actor)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if flt.action_prefix:
            where.append("action LIKE ? ESCAPE '\\'")
            params.append(flt.action_prefix.replace("%", "\\%").replace("_", "\\_") + "%")
        if flt.since:
            where.append("at >= ?")
            params.append(flt.since)
        if flt.until:
            where.append("at <= ?")
            params.append(flt.until)
        sql = f"SELECT {_COLUMNS} FROM audit_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq"
        if flt.limit:
            sql += f" LIMIT {int(flt.limit)}"
        return [_to_entry(row) for row in self._db.all(sql, params)]

    def _iter_all(self) -> Iterator[ChainedEntry]:
        cursor = self._db.execute(f"SELECT {_COLUMNS} FROM audit_log ORDER BY seq")
        while rows := cursor.fetchmany(1000):
            for row in rows:
                yield _to_entry(row)

    def verify(self) -> ChainReport:
        return verify_chain(self._iter_all(), self.head())


@functools.lru_cache(maxsize=4096)
def _fields(raw: object) -> tuple[str, ...]:
    """The ``fields`` column as a tuple. Remembered by its text: a log repeats the same few lists
    (every staff edit names the same fields), and reading the whole log (verify, the dossier's
    summary) would parse each again."""
    try:
        return tuple(json.loads(raw))  # type: ignore[arg-type]
    except (ValueError, TypeError):
        # A damaged list must still be reported by verify(), not crash it: hash the raw text.
        return (str(raw),)


#: The columns _to_entry reads, in its order (by position: the whole log is read to verify it).
_COLUMNS = "seq, at, actor, action, origin, entity, record_id, fields, detail, prev_hash, hash"


def _to_entry(row: sqlite3.Row) -> ChainedEntry:
    seq, at, actor, action, origin, entity, record_id, fields, detail, prev_hash, hash_ = row
    entry = AuditEntry(
        at=at,
        actor=actor,
        action=action,
        origin=origin,
        entity=entity,
        record_id=record_id,
        fields=_fields(fields),
        detail=detail,
    )
    return ChainedEntry(seq, entry, prev_hash, hash_)
