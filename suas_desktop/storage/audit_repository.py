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
    canonical_fields,
    chain,
    row_links,
    verify_links,
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
        sql, params = _where(flt)
        sql = f"SELECT {_COLUMNS} FROM audit_log{sql} ORDER BY seq"
        if flt.limit:
            sql += f" LIMIT {int(flt.limit)}"
        return [_to_entry(row) for row in self._db.all(sql, params)]

    def action_counts(self, flt: AuditFilter | None = None) -> list[tuple[str, str, int]]:
        """``(actor, action, number of entries)`` of the entries ``flt`` selects (its limit aside),
        by actor and action: what :meth:`entries` would count, without reading them."""
        where, params = _where(flt or AuditFilter())
        rows = self._db.all(
            f"SELECT actor, action, count(*) FROM audit_log{where}"
            " GROUP BY actor, action ORDER BY actor, action",
            params,
        )
        return [(r[0], r[1], int(r[2])) for r in rows]

    def verify(self) -> ChainReport:
        """Check the whole chain (every row rehashed) and the head.

        Reads plain tuples of the hashed columns and hashes them as stored (see
        :func:`~suas_desktop.domain.audit.row_links`); the same report as ``verify_chain`` over
        :meth:`entries`.
        """
        return verify_links(self._links(), self.head())

    def _links(self) -> Iterator[tuple[int, str, str, str]]:
        cursor = self._db.execute(
            "SELECT seq, prev_hash, hash, fields, detail, at, actor, action, origin, entity, record_id"
            " FROM audit_log ORDER BY seq"
        )
        cursor.row_factory = None  # tuples: nothing is looked up by name
        while rows := cursor.fetchmany(1000):
            yield from row_links(rows, _fields_json)


def _where(flt: AuditFilter) -> tuple[str, list[object]]:
    """`` WHERE …`` (or nothing) and its parameters for ``flt`` (its limit aside)."""
    where: list[str] = []
    params: list[object] = []
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
    return (" WHERE " + " AND ".join(where) if where else ""), params


@functools.lru_cache(maxsize=4096, typed=True)
def _fields_json(raw: object) -> str:
    """The hashed form of the ``fields`` column (by its text: a log repeats the same few lists)."""
    return canonical_fields(_fields(raw))


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
