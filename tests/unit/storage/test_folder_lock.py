"""One writer per data folder; a lock left by a killed process is recovered at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from suas_desktop.errors import DataFolderInUse
from suas_desktop.services.workspace import open_workspace
from suas_desktop.storage.folder_lock import FolderLock

ROOT = Path(__file__).resolve().parents[3]
HOLDER = """
import sys, time
from suas_desktop.paths import DataLayout
from suas_desktop.services.workspace import open_workspace
ws = open_workspace(DataLayout(__import__('pathlib').Path(sys.argv[1])), file_logging=False)
print('locked', flush=True)
time.sleep(60)
"""


def _start_holder(folder: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_lock_in_same_process_is_refused(tmp_path):
    with FolderLock(tmp_path / "lock"), pytest.raises(DataFolderInUse):
        FolderLock(tmp_path / "lock").acquire()
    with FolderLock(tmp_path / "lock") as again:  # released on exit
        assert again.held


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_second_process_refused_then_recovered_after_kill(layout):
    holder = _start_holder(layout.root)
    try:
        with pytest.raises(DataFolderInUse) as info:
            open_workspace(layout, file_logging=False)
        assert f"processo {holder.pid}" in info.value.message
        assert info.value.hint
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        holder.stdout.close()
    started = time.monotonic()
    with open_workspace(layout, file_logging=False) as ws:
        assert ws.db.integrity_check() == []
    assert time.monotonic() - started < 5  # APP-1: the stale lock costs nothing
