"""PKG-5: an import killed at a random moment leaves the database untouched or fully imported.

A child process opens the data folder, says "pronto", and imports; the parent kills it (SIGKILL) after
a random delay inside the import's duration, then reopens the folder and compares. The normal suite
does 20 runs; ``SUAS_DESKTOP_PACKAGE_KILL_RUNS=N`` does more.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from suas_desktop.services import age_stream
from suas_desktop.services.demo import build_demo
from tests.unit.services.packages_support import (
    PASSPHRASE,
    cached_kdf,
    data_snapshot,
    export,
    import_,
    open_folder,
)

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("SUAS_DESKTOP_PACKAGE_KILL_RUNS", "20"))

CHILD = """
import sys
from pathlib import Path
from suas_desktop.paths import DataLayout
from suas_desktop.services.package_service import PackageService
from suas_desktop.services.workspace import open_workspace

ws = open_workspace(DataLayout(Path(sys.argv[1])), file_logging=False)
service = PackageService(ws)
print("pronto", flush=True)
service.import_package(Path(sys.argv[2]), passphrase=sys.argv[3], actor="filho", trust_signer=True)
print("fim", flush=True)
ws.close()
"""


def _state(folder: Path):
    ws = open_folder(folder)
    try:
        assert ws.db.integrity_check() == []
        assert ws.db.foreign_key_check() == []
        imports = ws.db.scalar("SELECT count(*) FROM import_log")
        return data_snapshot(ws), imports
    finally:
        ws.close()


@pytest.mark.slow
def test_kill_during_import(tmp_path, monkeypatch):
    monkeypatch.setattr(age_stream, "derive_wrap_key", cached_kdf)
    source = open_folder(tmp_path / "origem")
    try:
        build_demo(source)
        package = export(source, tmp_path / "pacote.suas")
    finally:
        source.close()
    base = tmp_path / "base"
    open_folder(base).close()
    before, _ = _state(base)
    full_copy = tmp_path / "completo"
    shutil.copytree(base, full_copy)
    ws = open_folder(full_copy)
    started = time.perf_counter()
    import_(ws, package)
    duration = time.perf_counter() - started
    ws.close()
    after, _ = _state(full_copy)
    assert before != after
    rng = random.Random(2026)
    outcomes = {"untouched": 0, "imported": 0}
    for run in range(RUNS):
        folder = tmp_path / f"run{run}"
        shutil.copytree(base, folder)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(folder), str(package), PASSPHRASE],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"pronto"
        # scrypt (2^15) runs in the child too: the import takes a little longer there
        time.sleep(rng.uniform(0, duration * 1.6 + 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        state, imports = _state(folder)
        if state == before:
            assert imports == 0
            outcomes["untouched"] += 1
        else:
            assert state == after, f"run {run}: a partial import"
            assert imports == 1
            outcomes["imported"] += 1
        # a leftover private temporary folder is cleaned by the next import
        ws = open_folder(folder)
        try:
            import_(ws, package)
            assert not any((folder / ".temporario").iterdir())
        finally:
            ws.close()
    assert sum(outcomes.values()) == RUNS
