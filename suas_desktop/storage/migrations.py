"""Schema versions: numbered SQL files applied in order, in one transaction, behind a backup.

``PRAGMA user_version`` holds the schema number. Every pending step runs statement by statement
(never ``executescript()``, which commits an open transaction first) inside ONE transaction that
also sets ``user_version``, so a failed or interrupted upgrade leaves the database entirely old.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from suas_desktop import log
from suas_desktop.errors import DatabaseTooNew
from suas_desktop.storage.database import Database

_STEP_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class MigrationStep:
    number: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        return split_statements(self.sql)


@dataclass(frozen=True)
class MigrationResult:
    from_version: int
    to_version: int
    backup: Path | None

    @property
    def migrated(self) -> bool:
        return self.from_version != self.to_version


def load_steps() -> list[MigrationStep]:
    """The packaged ``sql/NNNN_name.sql`` files, checked to be numbered 1, 2, 3… without gaps."""
    folder = resources.files("suas_desktop.storage") / "sql"
    steps = []
    for entry in folder.iterdir():
        match = _STEP_NAME.match(entry.name)
        if match:
            steps.append(MigrationStep(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    steps.sort(key=lambda s: s.number)
    numbers = [s.number for s in steps]
    if numbers != list(range(1, len(steps) + 1)):
        raise RuntimeError(f"migration files must be numbered 1..N without gaps, found {numbers}")
    return steps


#: The schema this version of the app writes.
SCHEMA_VERSION = len(load_steps())


def schema_signature(db: Database) -> set[tuple[str, str, str]]:
    """(type, name, SQL with whitespace folded) of every schema object: two databases made by the same
    migrations have the same signature."""
    rows = db.all("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'")
    return {(r[0], r[1], " ".join(str(r[2] or "").split())) for r in rows}


def split_statements(sql: str) -> list[str]:
    """Split a script into complete statements (triggers with ``BEGIN … END;`` stay whole)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        stripped = line.strip()
        if not buffer and (not stripped or stripped.startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer.strip()[:60]!r}")
    return statements


def migrate(
    db: Database,
    backups_dir: Path | None,
    *,
    steps: list[MigrationStep] | None = None,
    now: datetime | None = None,
) -> MigrationResult:
    """Bring ``db`` to the newest schema; refuses a database written by a newer version.

    A database with data (``user_version`` > 0) is first copied to ``backups_dir`` as
    ``antes-da-migracao-vN-<timestamp>.db``.
    """
    steps = load_steps() if steps is None else steps
    target = len(steps)
    current = db.user_version
    if current > target:
        raise DatabaseTooNew(
            f"Estes dados foram gravados por uma versão mais nova do SUAS Desktop (esquema {current}); "
            f"esta versão só conhece até o esquema {target}.",
            hint="Instale a versão mais recente do SUAS Desktop para abrir estes dados. Nada foi alterado.",
        )
    if current == target:
        return MigrationResult(current, current, None)
    backup = None
    if current > 0 and backups_dir is not None:
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        backups_dir.mkdir(parents=True, exist_ok=True)
        backup = db.snapshot(backups_dir / f"antes-da-migracao-v{current}-{stamp}.db")
        log.storage.info("backup before migrating from schema %d: %s", current, backup.name)
    with db.transaction():
        for step in steps[current:]:
            for statement in step.statements():
                db.execute(statement)
        # PRAGMA takes no parameters; ``target`` is an int computed here, never input.
        db.execute(f"PRAGMA user_version = {int(target)}")
    log.storage.info("migrated schema %d -> %d", current, target)
    return MigrationResult(current, target, backup)
