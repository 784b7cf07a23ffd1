"""Schema migrations: from empty, from every golden database, refusal of newer, atomic failure."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from suas_desktop.errors import DatabaseTooNew
from suas_desktop.paths import DataDirSource, DataLayout
from suas_desktop.services.workspace import open_workspace
from suas_desktop.storage.audit_repository import AuditRepository
from suas_desktop.storage.database import Database
from suas_desktop.storage.migrations import (
    SCHEMA_VERSION,
    MigrationStep,
    load_steps,
    migrate,
    split_statements,
)

GOLDEN = sorted((Path(__file__).parents[2] / "data" / "golden").glob("schema-*.db"))


def schema_of(db: Database) -> list[tuple[str, str, str]]:
    rows = db.all(
        "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    )
    return [(r["type"], r["name"], " ".join((r["sql"] or "").split())) for r in rows]


def dump(path: Path) -> tuple[int, list[str]]:
    """Logical content (schema, rows, user_version); header counters may change on open."""
    with sqlite3.connect(path) as raw:
        return raw.execute("PRAGMA user_version").fetchone()[0], list(raw.iterdump())


def test_steps_are_numbered_without_gaps():
    steps = load_steps()
    assert [s.number for s in steps] == list(range(1, SCHEMA_VERSION + 1))
    for step in steps:
        assert step.statements(), step.name


def test_split_statements_keeps_triggers_whole():
    sql = """
    -- comment
    CREATE TABLE a (x);
    CREATE TRIGGER t BEFORE DELETE ON a BEGIN SELECT RAISE(ABORT, 'no; really'); END;
    INSERT INTO a VALUES ('semi;colon');
    """
    parts = split_statements(sql)
    assert len(parts) == 3
    assert parts[1].startswith("CREATE TRIGGER") and parts[1].endswith("END;")


def test_migrate_empty_file(tmp_path):
    with Database.open(tmp_path / "new.db") as db:
        result = migrate(db, tmp_path / "backups")
        assert (result.from_version, result.to_version) == (0, SCHEMA_VERSION)
        assert result.backup is None  # nothing to save in an empty file
        assert db.user_version == SCHEMA_VERSION
        assert db.integrity_check() == []
        # Second run is a no-op.
        assert not migrate(db, tmp_path / "backups").migrated


@pytest.mark.parametrize("golden", GOLDEN, ids=[g.stem for g in GOLDEN])
def test_golden_database_upgrades_to_fresh_schema(golden, tmp_path):
    fresh_layout = DataLayout(tmp_path / "fresh", DataDirSource.COMMAND_LINE)
    with open_workspace(fresh_layout, file_logging=False) as fresh:
        expected = schema_of(fresh.db)

    layout = DataLayout(tmp_path / "old", DataDirSource.COMMAND_LINE)
    layout.ensure()
    shutil.copyfile(golden, layout.database)
    old_version = int(golden.stem.split("-")[1])
    with sqlite3.connect(golden) as raw:
        old_audit = raw.execute("SELECT count(*) FROM audit_log").fetchone()[0]

    with open_workspace(layout, file_logging=False) as ws:
        assert ws.db.user_version == SCHEMA_VERSION
        assert schema_of(ws.db) == expected
        assert ws.db.integrity_check() == []
        assert ws.db.foreign_key_check() == []
        chain = AuditRepository(ws.db).verify()
        assert chain.ok, chain.problems
        if old_version < SCHEMA_VERSION:
            assert ws.migration.backup is not None and ws.migration.backup.is_file()
            assert chain.checked == old_audit + 1  # the migration itself is audited
        else:
            assert chain.checked == old_audit


def test_too_new_database_is_refused_and_untouched(tmp_path):
    layout = DataLayout(tmp_path / "d", DataDirSource.COMMAND_LINE)
    with open_workspace(layout, file_logging=False) as ws:
        ws.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = dump(layout.database)
    with pytest.raises(DatabaseTooNew) as info:
        open_workspace(layout, file_logging=False)
    assert "versão mais nova" in info.value.message
    assert dump(layout.database) == before
    # The refused open released the folder.
    with pytest.raises(DatabaseTooNew):
        open_workspace(layout, file_logging=False)


def test_failed_step_leaves_database_entirely_old(tmp_path):
    with Database.open(tmp_path / "a.db") as db:
        steps = load_steps()
        migrate(db, tmp_path / "b", steps=steps)
        schema_before = schema_of(db)
        broken = MigrationStep(
            SCHEMA_VERSION + 1,
            "broken",
            "CREATE TABLE new_table (x INTEGER);\nINSERT INTO new_table VALUES (1);\nTHIS IS NOT SQL;\n",
        )
        with pytest.raises(sqlite3.OperationalError):
            migrate(db, tmp_path / "b", steps=[*steps, broken])
        assert db.user_version == SCHEMA_VERSION
        assert schema_of(db) == schema_before
        assert not db.in_transaction


def test_backup_is_taken_before_migrating_existing_data(tmp_path):
    with Database.open(tmp_path / "a.db") as db:
        steps = load_steps()
        migrate(db, tmp_path / "b", steps=steps)
        extra = MigrationStep(SCHEMA_VERSION + 1, "extra", "CREATE TABLE extra (x INTEGER);")
        result = migrate(db, tmp_path / "b", steps=[*steps, extra])
        assert result.backup is not None
    with Database.open(result.backup) as copy:
        assert copy.user_version == SCHEMA_VERSION
        assert "extra" not in {r["name"] for r in copy.all("SELECT name FROM sqlite_schema")}
