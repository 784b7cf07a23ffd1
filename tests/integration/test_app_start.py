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


# A child that watches the real start-up: what is imported when the frame is first painted, when the
# Painel is painted with its data, and whether the day's backup exists by then.
_PROBE = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
data = Path(sys.argv[1])
seen = {}

def loaded():
    return sorted(m for m in ("suas_desktop.services.checklist_service", "suas_desktop.storage.database",
                              "suas_desktop.services.backup_archive") if m in sys.modules)

class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            if "frame" not in seen and isinstance(watched, QMainWindow):
                seen["frame"] = {"modules": loaded(), "sidebar_enabled": watched.sidebar.isEnabled(),
                                 "status": watched.data_label.text()}
            if "painel" not in seen and watched.objectName() == "page_dashboard":
                seen["painel"] = {"modules": loaded(), "backups": sorted(p.name for p in (data / "backups").glob("*.db"))}
        return False

probe = Probe()
app.installEventFilter(probe)
from suas_desktop.cli import main
rc = main(["--data-dir", str(data)])
seen["rc"] = rc
seen["backups_at_exit"] = sorted(p.name for p in (data / "backups").glob("*.db"))
print(json.dumps(seen))
"""


def test_frame_is_painted_before_the_data_and_the_backup_follows_the_painel(tmp_path):
    import json

    data = tmp_path / "d"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    # A folder with data (the demo), so there is something for the daily backup to protect.
    subprocess.run(
        [sys.executable, "-m", "suas_desktop", "--data-dir", str(data), "demo", "--size", "small"],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )
    for old in (data / "backups").glob("*.db"):
        old.unlink()  # the day's copy must be taken by this start
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "SUAS_DESKTOP_AUTOCLOSE_MS": "1500"},
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["rc"] == 0
    # The frame: painted before the services and the database code are even imported, nothing clickable.
    assert seen["frame"] == {"modules": [], "sidebar_enabled": False, "status": "Abrindo os dados…"}
    # The Painel: services loaded; the backup code still not (it waits for this paint).
    assert seen["painel"]["modules"] == [
        "suas_desktop.services.checklist_service",
        "suas_desktop.storage.database",
    ]
    assert seen["painel"]["backups"] == []
    assert any(name.startswith("diario-") for name in seen["backups_at_exit"])
