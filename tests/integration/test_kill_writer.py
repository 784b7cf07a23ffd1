"""DB-1: a writer killed with SIGKILL at random moments never loses an acknowledged commit and
never leaves a half-applied transaction. ``--kill-runs=1000`` (``make kill-test``) for the long run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from suas_desktop.paths import DataDirSource, DataLayout
from suas_desktop.services.workspace import open_workspace
from suas_desktop.storage.audit_repository import AuditRepository
from suas_desktop.storage.database import Database

CHILD = Path(__file__).with_name("kill_writer_child.py")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL semantics; Windows uses TerminateProcess")


def _prepare(tmp_path: Path) -> Path:
    layout = DataLayout(tmp_path / "dados", DataDirSource.COMMAND_LINE)
    with open_workspace(layout, file_logging=False) as ws:
        ws.db.execute("CREATE TABLE kill_batch (txn INTEGER PRIMARY KEY, rows INTEGER NOT NULL)")
        ws.db.execute(
            "CREATE TABLE kill_row (txn INTEGER NOT NULL REFERENCES kill_batch (txn), part INTEGER NOT NULL,"
            " payload TEXT NOT NULL, PRIMARY KEY (txn, part))"
        )
    return layout.database


def _one_run(db_path: Path, rng: random.Random, seed: int) -> list[int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(db_path), str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    # Start-up takes ~0.1-0.2 s; kill anywhere from before the first commit to well into the loop.
    time.sleep(rng.uniform(0.05, 0.4))
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, err.decode(errors="replace")
    return [int(line) for line in out.decode().split()]


def test_sigkill_never_loses_or_splits_a_commit(tmp_path, request):
    runs = request.config.getoption("--kill-runs")
    rng = random.Random(20261125)
    db_path = _prepare(tmp_path)
    acknowledged: set[int] = set()
    for run in range(runs):
        acked = _one_run(db_path, rng, seed=run)
        acknowledged.update(acked)
        with Database.open(db_path, quick_check=False) as db:
            assert db.integrity_check() == [], f"run {run}"
            assert db.foreign_key_check() == [], f"run {run}"
            batches = {r["txn"]: r["rows"] for r in db.all("SELECT txn, rows FROM kill_batch")}
            missing = acknowledged - set(batches)
            assert not missing, f"run {run}: acknowledged commits lost: {sorted(missing)[:5]}"
            counts = dict(db.all("SELECT txn, count(*) FROM kill_row GROUP BY txn"))
            half = {t for t, n in batches.items() if counts.get(t, 0) != n}
            assert not half, f"run {run}: half-applied transactions {sorted(half)[:5]}"
            assert set(counts) <= set(batches)
            chain = AuditRepository(db).verify()
            assert chain.ok, chain.problems
            assert chain.checked == len(batches) + 1  # + the migration entry
    assert acknowledged, "the child never committed: the kill window is too short"
