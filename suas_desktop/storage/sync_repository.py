"""Storage for package exchange: raw syncable rows, clocks, aliases, conflicts and the exchange logs.

Syncable tables are found in the schema itself (every table with the six sync columns of 0001), so a
table added by a later migration travels without changes here. Table and column names used in SQL
come from ``sqlite_schema`` of our own database, never from a package.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from suas_desktop.domain.sync import SYNC_COLUMNS, Tombstone, VersionVector
from suas_desktop.storage.database import Database

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class ForeignKey:
    column: str
    target: str
    on_delete: str


@dataclass(frozen=True)
class TableInfo:
    name: str
    columns: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    #: Column tuples with a UNIQUE constraint or unique index (besides the primary key).
    unique_keys: tuple[tuple[str, ...], ...]
    not_null: frozenset[str]
    #: Declared type per column, upper-case ("TEXT", "INTEGER", …).
    types: tuple[tuple[str, str], ...] = ()

    @property
    def hash_columns(self) -> tuple[str, ...]:
        """Columns naming a file of the attachment store by its SHA-256."""
        return tuple(c for c in self.columns if c == "sha256" or c.endswith("_sha256"))


def syncable_tables(db: Database) -> dict[str, TableInfo]:
    """Every table with the sync columns, in a parent-before-child order (by foreign keys)."""
    names = [
        r[0]
        for r in db.all(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    found: dict[str, TableInfo] = {}
    for name in names:
        if not _IDENTIFIER.match(name):
            continue
        info = db.all(f"PRAGMA table_info({name})")
        columns = tuple(r["name"] for r in info)
        if not set(SYNC_COLUMNS) <= set(columns):
            continue
        fks = tuple(
            ForeignKey(r["from"], r["table"], str(r["on_delete"]).upper())
            for r in db.all(f"PRAGMA foreign_key_list({name})")
        )
        uniques = []
        for index in db.all(f"PRAGMA index_list({name})"):
            if index["unique"] and index["origin"] in ("u", "c") and not index["partial"]:
                cols = tuple(r["name"] for r in db.all(f"PRAGMA index_info({index['name']})"))
                if cols and all(cols):
                    uniques.append(cols)
        not_null = frozenset(r["name"] for r in info if r["notnull"] and r["dflt_value"] is None)
        types = tuple((r["name"], str(r["type"]).upper()) for r in info)
        found[name] = TableInfo(name, columns, fks, tuple(sorted(uniques)), not_null, types)
    return {name: found[name] for name in _parents_first(found)}


def has_records(db: Database) -> bool:
    """True when any table whose records travel between machines holds a row (the folder has data)."""
    return any(db.scalar(f"SELECT EXISTS (SELECT 1 FROM {name})") for name in syncable_tables(db))


def _parents_first(tables: Mapping[str, TableInfo]) -> list[str]:
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order or name in visiting:
            return
        visiting.add(name)
        for fk in tables[name].foreign_keys:
            if fk.target in tables and fk.target != name:
                visit(fk.target)
        visiting.discard(name)
        order.append(name)

    for name in sorted(tables):
        visit(name)
    return order


class ConstraintViolation(Exception):
    """A row broke a constraint of its table (UNIQUE, CHECK, NOT NULL, FOREIGN KEY)."""

    def __init__(self, table: str, detail: str) -> None:
        super().__init__(f"{table}: {detail}")
        self.table = table
        self.detail = detail


class SyncRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ------------------------------------------------------------------ raw rows
    def rows(self, table: TableInfo) -> Iterator[dict[str, Any]]:
        cursor = self._db.execute(f"SELECT {', '.join(table.columns)} FROM {table.name} ORDER BY id")
        while batch := cursor.fetchmany(500):
            for row in batch:
                yield dict(zip(table.columns, tuple(row), strict=True))

    def row(self, table: TableInfo, record_id: str) -> dict[str, Any] | None:
        found = self._db.first(
            f"SELECT {', '.join(table.columns)} FROM {table.name} WHERE id = ?", (record_id,)
        )
        return None if found is None else dict(zip(table.columns, tuple(found), strict=True))

    def find_by_key(self, table: TableInfo, key: tuple[str, ...], values: Mapping[str, Any]) -> str | None:
        """Id of the local row with the same values in ``key`` (NULLs never match, as in SQL)."""
        if any(values.get(c) is None for c in key):
            return None
        where = " AND ".join(f"{c} = ?" for c in key)
        return self._db.scalar(f"SELECT id FROM {table.name} WHERE {where}", [values[c] for c in key])

    def _write(self, table: TableInfo, sql: str, params: list[Any]) -> None:
        try:
            self._db.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise ConstraintViolation(table.name, str(exc)) from exc

    def insert_row(self, table: TableInfo, row: Mapping[str, Any]) -> None:
        cols = [c for c in table.columns if c in row]
        self._write(
            table,
            f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols],
        )

    def update_row(self, table: TableInfo, row: Mapping[str, Any]) -> None:
        cols = [c for c in table.columns if c in row and c != "id"]
        self._write(
            table,
            f"UPDATE {table.name} SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
            [*(row[c] for c in cols), row["id"]],
        )

    def delete_row(self, table: TableInfo, record_id: str) -> None:
        self._write(table, f"DELETE FROM {table.name} WHERE id = ?", [record_id])

    def defer_foreign_keys(self) -> None:
        """Inside a transaction: check references at COMMIT, so parents and children may come in any order."""
        self._db.execute("PRAGMA defer_foreign_keys = ON")

    def referencing(self, tables: Iterable[TableInfo], target: str, record_id: str) -> list[tuple[str, str]]:
        """(table, id) of rows whose foreign keys point to ``target``/``record_id``."""
        out = []
        for table in tables:
            for fk in table.foreign_keys:
                if fk.target == target:
                    out += [
                        (table.name, r[0])
                        for r in self._db.all(
                            f"SELECT id FROM {table.name} WHERE {fk.column} = ?", (record_id,)
                        )
                    ]
        return out

    # ------------------------------------------------------------------ tombstones
    def tombstones(self) -> dict[tuple[str, str], Tombstone]:
        return {
            (r["entity"], r["record_id"]): Tombstone(
                r["deleted_at"], r["deleted_by"], r["origin"], r["revision"]
            )
            for r in self._db.all("SELECT * FROM tombstones")
        }

    def tombstone(self, entity: str, record_id: str) -> Tombstone | None:
        r = self._db.first("SELECT * FROM tombstones WHERE entity = ? AND record_id = ?", (entity, record_id))
        return None if r is None else Tombstone(r["deleted_at"], r["deleted_by"], r["origin"], r["revision"])

    def put_tombstone(self, entity: str, record_id: str, tomb: Tombstone) -> None:
        self._db.execute(
            "INSERT INTO tombstones (entity, record_id, deleted_at, deleted_by, origin, revision)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT (entity, record_id) DO UPDATE SET"
            " deleted_at = excluded.deleted_at, deleted_by = excluded.deleted_by,"
            " origin = excluded.origin, revision = excluded.revision",
            (entity, record_id, tomb.deleted_at, tomb.deleted_by, tomb.origin, tomb.revision),
        )

    def drop_tombstone(self, entity: str, record_id: str) -> None:
        self._db.execute("DELETE FROM tombstones WHERE entity = ? AND record_id = ?", (entity, record_id))

    # ------------------------------------------------------------------ clocks
    def sync_records(self) -> dict[tuple[str, str], tuple[VersionVector, str, bool]]:
        return {
            (r["entity"], r["record_id"]): (json.loads(r["clock"]), r["digest"], bool(r["deleted"]))
            for r in self._db.all("SELECT * FROM sync_record")
        }

    def sync_record(self, entity: str, record_id: str) -> tuple[VersionVector, str, bool] | None:
        r = self._db.first(
            "SELECT * FROM sync_record WHERE entity = ? AND record_id = ?", (entity, record_id)
        )
        return None if r is None else (json.loads(r["clock"]), r["digest"], bool(r["deleted"]))

    def put_sync_record(
        self, entity: str, record_id: str, clock: Mapping[str, int], digest: str, deleted: bool
    ) -> None:
        self._db.execute(
            "INSERT INTO sync_record (entity, record_id, clock, digest, deleted) VALUES (?,?,?,?,?)"
            " ON CONFLICT (entity, record_id) DO UPDATE SET clock = excluded.clock,"
            " digest = excluded.digest, deleted = excluded.deleted",
            (entity, record_id, json.dumps(dict(sorted(clock.items()))), digest, int(deleted)),
        )

    # ------------------------------------------------------------------ aliases
    def aliases(self) -> dict[tuple[str, str], str]:
        return {
            (r["entity"], r["foreign_id"]): r["local_id"] for r in self._db.all("SELECT * FROM record_alias")
        }

    def add_alias(self, entity: str, foreign_id: str, local_id: str, peer: str, at: str) -> None:
        self._db.execute(
            "INSERT INTO record_alias (entity, foreign_id, local_id, peer, created_at) VALUES (?,?,?,?,?)"
            " ON CONFLICT (entity, foreign_id) DO NOTHING",
            (entity, foreign_id, local_id, peer, at),
        )

    # ------------------------------------------------------------------ conflicts
    def add_conflict(self, values: Mapping[str, Any]) -> None:
        cols = list(values)
        self._db.execute(
            f"INSERT INTO conflict ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            " ON CONFLICT (entity, record_id, incoming_digest) DO NOTHING",
            [values[c] for c in cols],
        )

    def conflict_known(self, entity: str, record_id: str, incoming_digest: str) -> bool:
        return bool(
            self._db.scalar(
                "SELECT EXISTS (SELECT 1 FROM conflict"
                " WHERE entity = ? AND record_id = ? AND incoming_digest = ?)",
                (entity, record_id, incoming_digest),
            )
        )

    def conflicts(self, *, open_only: bool = True) -> list[dict[str, Any]]:
        sql = "SELECT * FROM conflict"
        if open_only:
            sql += " WHERE status = 'open'"
        return [dict(r) for r in self._db.all(sql + " ORDER BY detected_at, entity, record_id")]

    def conflict(self, conflict_id: str) -> dict[str, Any] | None:
        r = self._db.first("SELECT * FROM conflict WHERE id = ?", (conflict_id,))
        return None if r is None else dict(r)

    def close_conflict(self, conflict_id: str, resolution: str, at: str, by: str) -> None:
        self._db.execute(
            "UPDATE conflict SET status = 'resolved', resolution = ?, resolved_at = ?, resolved_by = ?"
            " WHERE id = ?",
            (resolution, at, by, conflict_id),
        )

    def open_conflicts_for(self, entity: str, record_id: str) -> list[str]:
        return [
            r[0]
            for r in self._db.all(
                "SELECT id FROM conflict WHERE status = 'open' AND entity = ? AND record_id = ?",
                (entity, record_id),
            )
        ]

    # ------------------------------------------------------------------ logs
    def imported(self, package_id: str) -> dict[str, Any] | None:
        r = self._db.first("SELECT * FROM import_log WHERE package_id = ?", (package_id,))
        return None if r is None else dict(r)

    def log_import(self, values: Mapping[str, Any]) -> None:
        cols = list(values)
        self._db.execute(
            f"INSERT INTO import_log ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [values[c] for c in cols],
        )

    def last_sequence_from(self, source: str) -> int | None:
        return self._db.scalar("SELECT max(sequence) FROM import_log WHERE source = ?", (source,))

    def next_export_sequence(self) -> int:
        return int(self._db.scalar("SELECT coalesce(max(sequence), 0) + 1 FROM export_log"))

    def log_export(self, values: Mapping[str, Any]) -> None:
        cols = list(values)
        self._db.execute(
            f"INSERT INTO export_log ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [values[c] for c in cols],
        )

    # ------------------------------------------------------------------ signers
    def signer(self, fingerprint: str) -> dict[str, Any] | None:
        r = self._db.first("SELECT * FROM known_signer WHERE fingerprint = ?", (fingerprint,))
        return None if r is None else dict(r)

    def signers_of(self, installation_id: str) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self._db.all("SELECT * FROM known_signer WHERE installation_id = ?", (installation_id,))
        ]

    def trust(self, values: Mapping[str, Any]) -> None:
        cols = list(values)
        self._db.execute(
            f"INSERT INTO known_signer ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            " ON CONFLICT (fingerprint) DO NOTHING",
            [values[c] for c in cols],
        )

    def known_signers(self) -> list[dict[str, Any]]:
        return [
            dict(r) for r in self._db.all("SELECT * FROM known_signer ORDER BY municipality_name, trusted_at")
        ]


class RegionalRepository:
    """The association's table of regional summaries (newest package per municipality)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, ibge_code: str) -> dict[str, Any] | None:
        r = self._db.first("SELECT * FROM regional_summary WHERE ibge_code = ?", (ibge_code,))
        return None if r is None else dict(r)

    def put(self, values: Mapping[str, Any]) -> None:
        cols = list(values)
        self._db.execute(
            f"INSERT INTO regional_summary ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            " ON CONFLICT (ibge_code) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in cols if c != "ibge_code"),
            [values[c] for c in cols],
        )

    def all(self) -> list[dict[str, Any]]:
        return [
            dict(r) for r in self._db.all("SELECT * FROM regional_summary ORDER BY uf, municipality_name")
        ]


def package_history(db: Database, *, limit: int = 200) -> list[dict[str, Any]]:
    """Packages this folder sent and received, newest first (for the Transferência page)."""
    sent = [
        {
            "at": r["created_at"],
            "direction": "sent",
            "scope": r["scope"],
            "peer_fingerprint": "",
            "size": r["size"],
            "file_name": r["file_name"],
            "result": "",
        }
        for r in db.all("SELECT * FROM export_log ORDER BY created_at DESC LIMIT ?", (limit,))
    ]
    received = [
        {
            "at": r["imported_at"],
            "direction": "received",
            "scope": r["scope"],
            "peer_fingerprint": r["source"],
            "created": r["created"],
            "updated": r["updated"],
            "deleted": r["deleted"],
            "result": f"Importado: {r['conflicts']} conflito(s)" if r["conflicts"] else "Importado",
        }
        for r in db.all("SELECT * FROM import_log ORDER BY imported_at DESC LIMIT ?", (limit,))
    ]
    return sorted(sent + received, key=lambda e: e["at"], reverse=True)[:limit]
