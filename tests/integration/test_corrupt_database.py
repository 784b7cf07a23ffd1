"""DB-8: damaged database files are refused cleanly (with the newest backup offered), never opened
as if healthy. Corruptions in the spirit of SQLite's corruptC.test: byte flips, zeroed pages, truncation."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from suas_desktop.domain.audit import AuditEntry
from suas_desktop.errors import DatabaseCorrupt, KnownError
from suas_desktop.paths import DataDirSource, DataLayout
from suas_desktop.services.recovery import restore_database_backup
from suas_desktop.services.workspace import open_workspace
from suas_desktop.storage.audit_repository import AuditRepository

PAGE = 4096


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> DataLayout:
    """A data folder with a few hundred audit rows (several pages) and one backup."""
    layout = DataLayout(tmp_path_factory.mktemp("healthy") / "dados", DataDirSource.COMMAND_LINE)
    with open_workspace(layout, file_logging=False) as ws:
        audit = AuditRepository(ws.db)
        with ws.db.transaction():
            for i in range(400):
                ctx = ws.write_context("tester")
                audit.append(
                    AuditEntry(
                        at=ctx.at,
                        actor="tester",
                        action="test.action",
                        origin=ctx.origin,
                        record_id=f"rec-{i}",
                        detail="d" * (i % 50),
                    )
                )
        ws.db.snapshot(layout.backups / "automatica-20261120.db")
    return layout


def _copy(healthy: DataLayout, tmp_path: Path) -> DataLayout:
    layout = DataLayout(tmp_path / "dados", DataDirSource.COMMAND_LINE)
    shutil.copytree(healthy.root, layout.root)
    return layout


def _variants(size: int, rng: random.Random) -> list[tuple[str, callable]]:
    out = []
    for i in range(150):
        offset = rng.randrange(size)
        bit = 1 << rng.randrange(8)

        def flip(data: bytearray, offset=offset, bit=bit) -> bytearray:
            data[offset] ^= bit
            return data

        out.append((f"flip-{i}-at-{offset}", flip))
    for page in range(size // PAGE):

        def zero(data: bytearray, page=page) -> bytearray:
            data[page * PAGE : (page + 1) * PAGE] = bytes(PAGE)
            return data

        out.append((f"zero-page-{page + 1}", zero))
    for length in (0, 50, 99, 100, PAGE - 1, PAGE, size // 2, size - PAGE, size - 1):

        def truncate(data: bytearray, length=length) -> bytearray:
            return data[:length]

        out.append((f"truncate-{length}", truncate))
    return out


def test_every_corruption_is_refused_or_really_healthy(healthy, tmp_path):
    size = healthy.database.stat().st_size
    assert size > 8 * PAGE
    rng = random.Random(8)
    original = healthy.database.read_bytes()
    refused = opened = 0
    for name, corrupt in _variants(size, rng):
        layout = _copy(healthy, tmp_path / name)
        layout.database.write_bytes(bytes(corrupt(bytearray(original))))
        try:
            ws = open_workspace(layout, file_logging=False)
        except DatabaseCorrupt as exc:
            refused += 1
            assert exc.backup is not None and exc.backup.name == "automatica-20261120.db", name
            assert exc.message and "cópia" in (exc.hint or ""), name
            continue
        except KnownError:
            # e.g. an emptied file is a new, empty database, never an error; other known errors are fine too
            refused += 1
            continue
        with ws:
            opened += 1
            assert ws.db.integrity_check() == [], f"{name} opened although damaged"
    assert refused > 10
    assert opened >= 1  # flips in unused space are harmless


def test_restore_offer_brings_back_the_backup(healthy, tmp_path):
    layout = _copy(healthy, tmp_path)
    data = bytearray(layout.database.read_bytes())
    data[PAGE * 2 : PAGE * 3] = bytes(PAGE)
    layout.database.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt) as info:
        open_workspace(layout, file_logging=False)
    kept = restore_database_backup(layout, info.value.backup)
    assert kept.is_file()  # the damaged file is kept, never deleted
    with open_workspace(layout, file_logging=False) as ws:
        assert ws.db.integrity_check() == []
        assert AuditRepository(ws.db).verify().ok


def test_cli_check_on_corrupt_database_says_why_without_traceback(healthy, tmp_path):
    layout = _copy(healthy, tmp_path)
    data = bytearray(layout.database.read_bytes())
    data[PAGE : PAGE * 3] = bytes(2 * PAGE)
    layout.database.write_bytes(bytes(data))
    result = subprocess.run(
        [sys.executable, "-m", "suas_desktop", "check", "--data-dir", str(layout.root)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        timeout=60,
    )
    assert result.returncode == 1
    assert "danificado" in result.stderr
    assert "automatica-20261120.db" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
