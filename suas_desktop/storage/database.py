"""The one owner of ``sqlite3``: opening, pragmas, transactions and small query helpers.

Durability choices (reliability.md §1.2, DB-7): WAL with ``synchronous=FULL`` so that a save the user
saw succeed survives a power cut; where WAL cannot work (no shared memory on some FUSE/CIFS/ntfs3
mounts, which report ``wal`` and then fail on the first write) we fall back to the rollback journal,
still with FULL. Every setting is read back after opening and the open fails if one did not stick.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from suas_desktop import log
from suas_desktop.atomic_files import fsync_dir, fsync_file
from suas_desktop.errors import DatabaseCorrupt, NotOurDatabase
from suas_desktop.storage import sqlite_errors

#: File-type marker in the database header ("SUAS" in ASCII), checked before anything else is read.
APPLICATION_ID = 0x53554153
SQLITE_MAGIC = b"SQLite format 3\x00"
#: How long a statement waits for another connection's lock before failing with "ocupado".
BUSY_TIMEOUT_MS = 5_000
SYNCHRONOUS_FULL = 2
#: Up to this size the open runs the full ``integrity_check``; above it, ``quick_check``.
FULL_CHECK_MAX_BYTES = 256 * 1024 * 1024

Params = Sequence[Any] | dict[str, Any]


class Database:
    """A SQLite connection with explicit transactions.

    Attributes:
        path: the database file.
        journal_mode: ``"wal"`` or ``"delete"`` (the fallback), as read back from SQLite.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, journal_mode: str) -> None:
        self._conn = conn
        self.path = path
        self.journal_mode = journal_mode
        self._depth = 0
        # The GUI runs all database work on one serial worker; the lock makes misuse safe, not fast.
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: Path, *, allow_wal: bool = True, quick_check: bool = True) -> Database:
        """Open (creating if missing) and verify a SUAS Desktop database.

        Raises:
            DatabaseCorrupt: not a SQLite file, or it fails ``quick_check``.
            NotOurDatabase: a SQLite file written by another program.
            KnownError: other environment failures, already translated.
        """
        path = Path(path)
        _check_header(path)
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            sqlite_errors.reraise(exc)
            raise  # unreachable; keeps type checkers calm
        try:
            db = cls._configure(conn, path, allow_wal=allow_wal)
            if quick_check:
                # quick_check skips indexes; a damaged index must not pass as healthy either. Full checks
                # are cheap at the sizes these offices have (a few MB), so use them up to a bound.
                full = path.stat().st_size <= FULL_CHECK_MAX_BYTES
                problems = db.integrity_check() if full else db.quick_check()
                if problems:
                    raise DatabaseCorrupt(
                        "O banco de dados está danificado e não pode ser usado.",
                        hint="Restaure a cópia de segurança mais recente ou peça ajuda ao suporte.",
                    )
        except BaseException:
            conn.close()
            raise
        return db

    @classmethod
    def _configure(cls, conn: sqlite3.Connection, path: Path, *, allow_wal: bool) -> Database:
        conn.row_factory = sqlite3.Row
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # A hostile or damaged file must not run functions from its schema (sqlite.org/security.html).
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("PRAGMA cell_size_check = ON")
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            has_schema = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] > 0
            if app_id != APPLICATION_ID and (app_id != 0 or has_schema):
                raise NotOurDatabase(
                    "Este arquivo não é um banco de dados do SUAS Desktop.",
                    hint="Escolha outra pasta de dados.",
                )
            mode = "delete"
            if allow_wal:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower()
            conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS_FULL}")
            db = cls(conn, path, mode)
            if mode == "wal" and not db._write_probe():
                log.storage.warning("WAL reported but unusable here; falling back to the rollback journal")
                mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0].lower()
                db.journal_mode = mode
            if mode != "wal":
                mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0].lower()
                db.journal_mode = mode
                if not db._write_probe():
                    raise sqlite3.OperationalError("write probe failed")  # translated below
        except sqlite3.Error as exc:
            sqlite_errors.reraise(exc)
        db._assert_settings()
        return db

    def _write_probe(self) -> bool:
        """Write the application id in a real transaction: proves the journal mode works here."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self._conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if sqlite_errors.primary_code(exc) in (sqlite_errors.SQLITE_READONLY, sqlite_errors.SQLITE_FULL):
                sqlite_errors.reraise(exc)
            return False
        return True

    def _assert_settings(self) -> None:
        """DB-7: read every setting back; a setting that did not stick is a broken environment."""
        settings = self.pragmas()
        expected = {
            "foreign_keys": 1,
            "synchronous": SYNCHRONOUS_FULL,
            "application_id": APPLICATION_ID,
            "busy_timeout": BUSY_TIMEOUT_MS,
        }
        wrong = {k: settings[k] for k, v in expected.items() if settings[k] != v}
        if settings["journal_mode"] not in ("wal", "delete"):
            wrong["journal_mode"] = settings["journal_mode"]
        if wrong:
            raise sqlite3.OperationalError(f"database settings did not stick: {wrong}")

    def pragmas(self) -> dict[str, Any]:
        names = (
            "journal_mode",
            "synchronous",
            "foreign_keys",
            "busy_timeout",
            "application_id",
            "user_version",
        )
        values = {name: self._conn.execute(f"PRAGMA {name}").fetchone()[0] for name in names}
        values["journal_mode"] = str(values["journal_mode"]).lower()
        return values

    def close(self) -> None:
        with self._lock:
            if self._conn is None:
                return
            if self._depth:
                self._conn.execute("ROLLBACK")
                self._depth = 0
            with contextlib.suppress(sqlite3.Error):
                # Fold the WAL back into the main file so a copied folder holds one self-contained file.
                if self.journal_mode == "wal":
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
            self._conn = None  # type: ignore[assignment]

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ transactions
    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; a nested call opens a ``SAVEPOINT``.

        On any exception the work of this block is rolled back and the original exception re-raised.
        IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read lock.
        """
        with self._lock:
            if self._depth == 0:
                self._run("BEGIN IMMEDIATE")
                self._depth = 1
                try:
                    yield self
                except BaseException:
                    self._rollback_quietly()
                    raise
                else:
                    try:
                        self._run("COMMIT")
                    except BaseException:
                        self._rollback_quietly()
                        raise
                finally:
                    self._depth = 0
            else:
                name = f"sp_{self._depth}"
                self._run(f"SAVEPOINT {name}")
                self._depth += 1
                try:
                    yield self
                except BaseException:
                    self._run(f"ROLLBACK TO {name}")
                    self._run(f"RELEASE {name}")
                    raise
                else:
                    self._run(f"RELEASE {name}")
                finally:
                    self._depth -= 1

    def _rollback_quietly(self) -> None:
        # SQLite may already have rolled back by itself (e.g. on SQLITE_FULL); then there is nothing to undo.
        if self._conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")

    def _run(self, sql: str) -> None:
        try:
            self._conn.execute(sql)
        except sqlite3.Error as exc:
            sqlite_errors.reraise(exc)

    # ------------------------------------------------------------------ queries
    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        with self._lock:
            try:
                return self._conn.execute(sql, params)
            except sqlite3.Error as exc:
                sqlite_errors.reraise(exc)
                raise

    def executemany(self, sql: str, rows: Iterable[Params]) -> sqlite3.Cursor:
        with self._lock:
            try:
                return self._conn.executemany(sql, rows)
            except sqlite3.Error as exc:
                sqlite_errors.reraise(exc)
                raise

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def first(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        return self.execute(sql, params).fetchone()

    def all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        return self.execute(sql, params).fetchall()

    @property
    def user_version(self) -> int:
        return int(self.scalar("PRAGMA user_version"))

    # ------------------------------------------------------------------ checks and copies
    def quick_check(self) -> list[str]:
        """Problems found by ``PRAGMA quick_check`` (empty when healthy)."""
        try:
            rows = [r[0] for r in self._conn.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        return [] if rows == ["ok"] else rows

    def integrity_check(self) -> list[str]:
        try:
            rows = [r[0] for r in self._conn.execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        return [] if rows == ["ok"] else rows

    def foreign_key_check(self) -> list[str]:
        rows = self._conn.execute("PRAGMA foreign_key_check").fetchall()
        return [f"{r[0]} (linha {r[1]}) aponta para {r[2]} inexistente" for r in rows]

    def snapshot(self, dest: Path) -> Path:
        """Write a transactionally consistent, compacted copy to ``dest`` (temp + fsync + rename)."""
        dest = Path(dest)
        tmp = dest.with_name(f".{dest.name}.partial")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        with self._lock:
            if self._depth:
                raise RuntimeError("snapshot() cannot run inside a transaction")
            try:
                self._conn.execute("VACUUM INTO ?", (str(tmp),))
            except sqlite3.Error as exc:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
                sqlite_errors.reraise(exc)
        fsync_file(tmp)
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
        return dest


def _check_header(path: Path) -> None:
    """Refuse a non-empty file that is not SQLite before handing it to the library."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        from suas_desktop.errors import StorageUnavailable

        raise StorageUnavailable(
            "Não foi possível ler o banco de dados.",
            hint="Verifique se a pasta de dados existe e se há permissão de acesso.",
        ) from exc
    if head and head != SQLITE_MAGIC:
        raise DatabaseCorrupt(
            "O arquivo do banco de dados está danificado ou não é um banco do SUAS Desktop.",
            hint="Restaure a cópia de segurança mais recente ou peça ajuda ao suporte.",
        )
