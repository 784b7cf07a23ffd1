"""1. Start-up: exec → main window shown, with the large demo, versus a bare PySide6 window.

Each sample is a new process (offscreen Qt). The app child goes through the real entry point
(``suas_desktop.cli.main(["--data-dir", …])``, the same code as the ``suas-desktop`` command) with a
QApplication created first only so an event filter can see the main window's first paint. The bare child
shows a QMainWindow holding a QTableView over a custom QAbstractTableModel of 10,000 rows.

Measured: from just before the parent's exec to the first Paint event of the QMainWindow (parent and
child read the same CLOCK_MONOTONIC), the child's own view from ``time.perf_counter()`` at the top of
this module, and peak RSS (``ru_maxrss``) at that moment. One unmeasured warm-up run of each comes first
(it takes the day's automatic backup and warms the disk cache), then app and bare runs alternate.
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()

import sys  # noqa: E402 - the clock above must start first
from typing import Any  # noqa: E402

from benchmarks.common import PYTHON, emit, run_child, self_peak_rss_mb  # noqa: E402

NAME = "startup"
SECTION = "1. Start-up"
BARE_ROWS = 10_000
BARE_COLUMNS = 9
#: Libraries the main window does not need to be shown: the child reports which were already imported.
HEAVY_MODULES = ("pyhanko", "aiohttp", "reportlab", "openpyxl", "pypdfium2", "holidays", "cryptography")


# ====================================================================== children
def _first_paint_probe(app: Any, *, content: str | None = None) -> Any:
    """Records the main window's first paint and, when ``content`` names a widget, the first paint of
    that widget (the app's Painel with its data); quits the event loop after the last of them."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QMainWindow

    def snapshot() -> dict[str, Any]:
        return {
            "shown_monotonic": time.monotonic(),
            "script_seconds": time.perf_counter() - _T0,
            "rss_mb": self_peak_rss_mb(),
            "heavy_modules": sorted(m for m in HEAVY_MODULES if m in sys.modules),
        }

    class Probe(QObject):
        seen: dict[str, Any] | None = None
        content_seen: dict[str, Any] | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() != QEvent.Type.Paint:
                return False
            if self.seen is None and isinstance(watched, QMainWindow):
                self.seen = snapshot()
            elif content is not None and self.content_seen is None and watched.objectName() == content:
                self.content_seen = snapshot()
            if self.seen is not None and (content is None or self.content_seen is not None):
                # quit() only works inside exec(): the app paints its frame before entering it.
                QTimer.singleShot(0, app.quit)
            return False

    probe = Probe()
    app.installEventFilter(probe)
    return probe


def child_app(data_dir: str) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    probe = _first_paint_probe(app, content="page_dashboard")
    from suas_desktop.cli import main

    rc = main(["--data-dir", data_dir])
    content = probe.content_seen or {}
    emit(
        {
            **(probe.seen or {}),
            "rc": rc,
            "content_monotonic": content.get("shown_monotonic"),
            "content_script_seconds": content.get("script_seconds"),
            "content_rss_mb": content.get("rss_mb"),
            "content_heavy_modules": content.get("heavy_modules", []),
        }
    )


def child_bare(rows: int, columns: int) -> None:
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    class Model(QAbstractTableModel):
        def __init__(self) -> None:
            super().__init__()
            self.rows = [tuple(f"Linha {r} coluna {c}" for c in range(columns)) for r in range(rows)]

        def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else len(self.rows)

        def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else columns

        def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.rows[index.row()][index.column()]
            return None

    app = QApplication(sys.argv[:1])
    probe = _first_paint_probe(app)
    window = QMainWindow()
    view = QTableView()
    view.setModel(Model())
    window.setCentralWidget(view)
    window.resize(1280, 800)
    window.show()
    app.exec()
    emit({**(probe.seen or {}), "rc": 0})


# ====================================================================== parent side
def _sample(argv: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    run = run_child(argv, env=env, timeout=300)
    result = run.check()
    if "shown_monotonic" not in result:
        raise RuntimeError(f"the window was never shown: {run.stderr[-1500:]}")
    sample = {
        "exec_to_shown": result["shown_monotonic"] - run.started,
        "script": result["script_seconds"],
        "rss": result["rss_mb"],
        "heavy_modules": result.get("heavy_modules", []),
    }
    if result.get("content_monotonic") is not None:
        sample["exec_to_content"] = result["content_monotonic"] - run.started
        sample["content_rss"] = result["content_rss_mb"]
        sample["content_heavy_modules"] = result.get("content_heavy_modules", [])
    elif "content_monotonic" in result:
        raise RuntimeError(f"the Painel was never painted: {run.stderr[-1500:]}")
    return sample


def app_sample(data_dir: str) -> dict[str, Any]:
    # AUTOCLOSE skips the first-run wizard (the demo has no current user) and is a safety net: the probe
    # quits long before it.
    return _sample(
        [PYTHON, "-m", "benchmarks.bench_startup", "app", data_dir], {"SUAS_DESKTOP_AUTOCLOSE_MS": "120000"}
    )


def bare_sample() -> dict[str, Any]:
    return _sample([PYTHON, "-m", "benchmarks.bench_startup", "bare", str(BARE_ROWS), str(BARE_COLUMNS)])


def run(b: Any) -> None:
    from benchmarks.common import Measure

    data_dir = str(b.data.copy("startup"))
    first = app_sample(data_dir)  # warm-up: the day's automatic backup, disk cache
    bare_sample()
    apps, bares = [], []
    for _ in range(b.config.reps_cheap):
        apps.append(app_sample(data_dir))
        bares.append(bare_sample())
    size = b.config.demo_size
    r = b.results
    r.add(
        Measure(
            "startup.app",
            SECTION,
            f"App: exec → main window shown ({size} demo)",
            [s["exec_to_shown"] for s in apps],
            rss_mb=[s["rss"] for s in apps],
        )
    )
    r.add(
        Measure(
            "startup.bare",
            SECTION,
            f"Bare PySide6 window, {BARE_ROWS:,}-row table: exec → shown",
            [s["exec_to_shown"] for s in bares],
            rss_mb=[s["rss"] for s in bares],
        )
    )
    r.add(
        Measure(
            "startup.app.content",
            SECTION,
            f"App: exec → Painel painted with its data ({size} demo)",
            [s["exec_to_content"] for s in apps],
            rss_mb=[s["content_rss"] for s in apps],
        )
    )
    r.add(
        Measure(
            "startup.app.first",
            SECTION,
            "App: first start of the day, exec → Painel painted (the warm-up; the daily backup follows)",
            [first["exec_to_content"]],
            rss_mb=[first["content_rss"]],
        )
    )
    r.add(
        Measure(
            "startup.app.script",
            SECTION,
            "App: from perf_counter at the top of the child script",
            [s["script"] for s in apps],
        )
    )
    r.add(
        Measure(
            "startup.bare.script",
            SECTION,
            "Bare: from perf_counter at the top of the child script",
            [s["script"] for s in bares],
        )
    )
    r.add(
        Measure(
            "startup.app.rss",
            SECTION,
            "App: peak RSS when the Painel is painted",
            [s["content_rss"] for s in apps],
            unit="MB",
        )
    )
    r.add(
        Measure(
            "startup.bare.rss",
            SECTION,
            "Bare window: peak RSS when shown",
            [s["rss"] for s in bares],
            unit="MB",
        )
    )
    loaded = ", ".join(apps[-1]["heavy_modules"]) or "none"
    r.note(SECTION, f"Libraries already imported when the app's window is first painted: {loaded}.")
    loaded = ", ".join(apps[-1]["content_heavy_modules"]) or "none"
    r.note(SECTION, f"Libraries already imported when the Painel is painted with its data: {loaded}.")
    r.note(
        SECTION,
        "The app paints its window (header, menu, status bar, “Abrindo os dados…”) before it imports the "
        "services and opens the database; the Painel with its figures follows. Both moments are measured; "
        "the goal uses the first, as the issue defines it, and the second is compared too.",
    )
    ratio = r.compare(SECTION, "Start-up time, app / bare window", "startup.app", "startup.bare")
    r.compare(
        SECTION, "Start-up to the Painel with data, app / bare window", "startup.app.content", "startup.bare"
    )
    r.compare(SECTION, "Peak RSS at start-up, app / bare window", "startup.app.rss", "startup.bare.rss")
    rss = r.measures["startup.app.rss"].stat.median
    r.goal("Start-up within 2× of the bare window", "≤ 2.0×", f"{ratio:.2f}×", ratio <= 2.0)
    r.goal("Start-up peak memory under 150 MB", "< 150 MB", f"{rss:.0f} MB", rss < 150)


if __name__ == "__main__":
    if sys.argv[1] == "app":
        child_app(sys.argv[2])
    else:
        child_bare(int(sys.argv[2]), int(sys.argv[3]))
