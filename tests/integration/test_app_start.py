"""The real entry point opens the window offscreen and closes cleanly (what `make run` does)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_gui_starts_and_closes(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "suas_desktop", "--data-dir", str(tmp_path / "d")],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "QT_QPA_PLATFORM": "offscreen",
            "SUAS_DESKTOP_AUTOCLOSE_MS": "300",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    log = (tmp_path / "d" / "logs" / "suas-desktop.log").read_text(encoding="utf-8")
    assert "started" in log and "closed" in log
