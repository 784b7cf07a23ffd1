"""Screenshots of every main screen with the demo data, for docs/ and the README.

Usage: ``.venv/bin/python scripts/take_screenshots.py [OUT_DIR]`` — under Xvfb (``xvfb-run -a``) the
window is a real X window; without a display it renders offscreen. The demo is built in a temporary
folder, so no real data is touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from suas_desktop.app import build_window
from suas_desktop.domain.clock import FixedClock
from suas_desktop.paths import DataDirSource, DataLayout
from suas_desktop.services.demo import build_demo
from suas_desktop.services.local_settings import LocalSettingsService
from suas_desktop.services.workspace import open_workspace
from suas_desktop.ui import theme

SCREENS = ("dashboard", "checklists", "registers", "reports", "transfer", "settings")


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    theme.apply(app, dark=False)
    with tempfile.TemporaryDirectory() as tmp:
        layout = DataLayout(Path(tmp) / "dados", DataDirSource.COMMAND_LINE)
        # The demo's statuses are as of 25/11/2026; freeze the clock there so the screens match.
        clock = FixedClock(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
        with open_workspace(layout, clock=clock, file_logging=False) as ws:
            build_demo(ws)
            LocalSettingsService(ws).set_current_user("Usuário da demonstração", "Técnico(a) do órgão gestor")
            _ctx, window = build_window(ws)
            window.resize(1366, 860)
            window.show()
            for key in SCREENS:
                page = window.show_page(key)
                if key == "reports":
                    page.generate()
                for _ in range(5):
                    app.processEvents()
                window.grab().save(str(out / f"{key}.png"))
                print(f"wrote {out / f'{key}.png'}")
            window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")))
