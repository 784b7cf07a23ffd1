"""Freeze a golden database of the CURRENT schema into tests/data/golden/schema-NNNN.db.

Run once per released schema (``.venv/bin/python tests/data/make_golden.py``) and commit the file;
never regenerate an existing one: upgrade tests rely on it being what that release wrote.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from suas_desktop.domain.clock import FixedClock
from suas_desktop.paths import DataDirSource, DataLayout
from suas_desktop.services.workspace import open_workspace
from suas_desktop.storage.migrations import SCHEMA_VERSION

HERE = Path(__file__).resolve().parent / "golden"


def fill(ws) -> None:
    """Representative content of the current schema (extend when a schema adds tables).

    Since schema 3 the small demo fills every register and two cycles; the audit entries show the
    chain across versions.
    """
    from suas_desktop.domain.audit import AuditEntry
    from suas_desktop.storage.audit_repository import AuditRepository

    audit = AuditRepository(ws.db)
    for action in ("session.login", "report.export", "session.logout"):
        ctx = ws.write_context("golden")
        audit.append(AuditEntry(at=ctx.at, actor=ctx.actor, action=action, origin=ctx.origin))
    from suas_desktop.services.demo import build_demo

    build_demo(ws)


def main() -> int:
    target = HERE / f"schema-{SCHEMA_VERSION:04d}.db"
    if target.exists():
        print(f"{target.name} already exists; golden files are never regenerated", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        layout = DataLayout(Path(tmp) / "dados", DataDirSource.COMMAND_LINE)
        clock = FixedClock(datetime(2026, 1, 15, 12, 0, tzinfo=UTC))
        with open_workspace(layout, clock=clock, file_logging=False) as ws:
            fill(ws)
        shutil.copyfile(layout.database, target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
