"""The storage engine: pragmas, transactions, error mapping."""

from __future__ import annotations

import sqlite3

import pytest

from suas_desktop.errors import DatabaseCorrupt, DiskFull, NotOurDatabase, ReadOnlyStorage
from suas_desktop.storage import sqlite_errors
from suas_desktop.storage.database import APPLICATION_ID, BUSY_TIMEOUT_MS, Database


def test_pragmas_are_read_back(tmp_path):
    with Database.open(tmp_path / "a.db") as db:
        p = db.pragmas()
    assert p["journal_mode"] == "wal"
    assert p["synchronous"] == 2
    assert p["foreign_keys"] == 1
    assert p["busy_timeout"] == BUSY_TIMEOUT_MS
    assert p["application_id"] == APPLICATION_ID


def test_rollback_journal_fallback_still_full_sync(tmp_path):
    with Database.open(tmp_path / "a.db", allow_wal=False) as db:
        assert db.journal_mode == "delete"
        assert db.pragmas()["synchronous"] == 2


def test_wal_unusable_falls_back_to_delete(tmp_path, monkeypatch):
    """A filesystem that reports WAL but fails the first write (reliability.md §1.2) gets DELETE."""
    calls = {"n": 0}
    original = Database._write_probe

    def flaky_probe(self):
        calls["n"] += 1
        if calls["n"] == 1:
            return False
        return original(self)

    monkeypatch.setattr(Database, "_write_probe", flaky_probe)
    with Database.open(tmp_path / "a.db") as db:
        assert db.journal_mode == "delete"


def test_failed_transaction_leaves_nothing(tmp_path):
    with Database.open(tmp_path / "a.db") as db:
        db.execute("CREATE TABLE t (x INTEGER NOT NULL)")
        with pytest.raises(RuntimeError), db.transaction():
            db.execute("INSERT INTO t VALUES (1)")
            db.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError("boom")
        assert db.scalar("SELECT count(*) FROM t") == 0
        assert not db.in_transaction


def test_constraint_error_rolls_back_whole_transaction(tmp_path):
    with Database.open(tmp_path / "a.db") as db:
        db.execute("CREATE TABLE t (x INTEGER NOT NULL)")
        with pytest.raises(sqlite3.IntegrityError), db.transaction():
            db.execute("INSERT INTO t VALUES (1)")
            db.execute("INSERT INTO t VALUES (NULL)")
        assert db.scalar("SELECT count(*) FROM t") == 0


def test_nested_transaction_uses_savepoint(tmp_path):
    with Database.open(tmp_path / "a.db") as db:
        db.execute("CREATE TABLE t (x INTEGER)")
        with db.transaction():
            db.execute("INSERT INTO t VALUES (1)")
            with pytest.raises(ValueError), db.transaction():
                db.execute("INSERT INTO t VALUES (2)")
                raise ValueError
            db.execute("INSERT INTO t VALUES (3)")
        assert [r[0] for r in db.all("SELECT x FROM t ORDER BY x")] == [1, 3]


def test_commit_is_visible_to_another_connection(tmp_path):
    path = tmp_path / "a.db"
    with Database.open(path) as db:
        db.execute("CREATE TABLE t (x INTEGER)")
        with db.transaction():
            db.execute("INSERT INTO t VALUES (7)")
        other = sqlite3.connect(path)
        assert other.execute("SELECT x FROM t").fetchall() == [(7,)]
        other.close()


def test_not_a_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "a.db"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 10)
    with pytest.raises(DatabaseCorrupt):
        Database.open(path)
    assert path.read_bytes().startswith(b"PK")  # untouched


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE firefox_history (url TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(NotOurDatabase):
        Database.open(path)


def test_snapshot_is_consistent_copy(tmp_path):
    with Database.open(tmp_path / "a.db") as db:
        db.execute("CREATE TABLE t (x INTEGER)")
        with db.transaction():
            db.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(100)])
        copy = db.snapshot(tmp_path / "copy.db")
    with Database.open(copy) as snap:
        assert snap.scalar("SELECT sum(x) FROM t") == sum(range(100))
        assert snap.integrity_check() == []
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (sqlite_errors.SQLITE_FULL, DiskFull),
        (sqlite_errors.SQLITE_READONLY, ReadOnlyStorage),
        (sqlite_errors.SQLITE_CORRUPT, DatabaseCorrupt),
        (sqlite_errors.SQLITE_NOTADB, DatabaseCorrupt),
    ],
)
def test_environment_errors_are_translated(code, expected):
    exc = sqlite3.OperationalError("x")
    exc.sqlite_errorcode = code
    known = sqlite_errors.translate(exc)
    assert isinstance(known, expected)
    assert known.message  # Portuguese text for the user


def test_bugs_are_not_translated():
    exc = sqlite3.OperationalError("no such table: x")
    exc.sqlite_errorcode = 1
    assert sqlite_errors.translate(exc) is None


def test_disk_full_during_write_is_known_error_and_keeps_data(tmp_path):
    """DB-3 in small: a tiny page limit makes SQLite report SQLITE_FULL; committed data survives."""
    with Database.open(tmp_path / "a.db") as db:
        db.execute("CREATE TABLE t (x TEXT)")
        with db.transaction():
            db.execute("INSERT INTO t VALUES ('kept')")
        pages = db.scalar("PRAGMA page_count")
        db.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(DiskFull), db.transaction():
            for _ in range(200):
                db.execute("INSERT INTO t VALUES (?)", ("x" * 4000,))
        assert [r[0] for r in db.all("SELECT x FROM t")] == ["kept"]
        assert db.integrity_check() == []
