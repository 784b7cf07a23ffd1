"""6. The Cadastros page with 10,000 staff records: opening it, choosing Trabalhadores, filtering, sorting.

Data: the small demo plus staff imported from a sheet up to 10,000 staff records (data.py). One child
process with offscreen Qt and the app's theme; every sample builds a new ``RegistersPage`` over the
app's real services (as the main window does), so nothing is cached between samples. Each step is
timed until the event queue is empty (``processEvents``: layout and painting included):

* open: construct the page, resize to 1200×800, show (it lists the first register, Unidades);
* staff: choose Trabalhadores (10,000 rows loaded into ``RegisterTableModel``, columns measured);
* type a search, key by key (``QTest.keyClicks``: one filter per key, as a person types) that leaves
  one row; clear it; a broad one-word search that keeps most rows; sort by a numeric column.

Baseline: the same staff columns read with a plain ``sqlite3`` SELECT into a minimal
``QAbstractTableModel`` (values as ``str``), shown in a bare ``QTableView`` through a
``QSortFilterProxyModel`` (fixed-string filter, case-insensitive, every column).
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import self_peak_rss_mb

NAME = "registers"
SECTION = "6. Cadastros page"
NARROW = "pessoa 00420"
BROAD = "contratado"


# ====================================================================== child
class _Rounds:
    """One round = a new Cadastros page through every step, then the bare table through the same."""

    def __init__(self, data_dir: str) -> None:
        from PySide6.QtWidgets import QApplication

        from suas_desktop.paths import DataDirSource, DataLayout
        from suas_desktop.services.template_catalog import load_catalog
        from suas_desktop.services.workspace import open_workspace, summarize
        from suas_desktop.ui import theme
        from suas_desktop.ui.app_context import AppContext, build_services
        from suas_desktop.ui.tasks import TaskRunner

        self.app = QApplication(sys.argv[:1])
        theme.apply(self.app)
        layout = DataLayout(Path(data_dir), DataDirSource.COMMAND_LINE)
        self.ws = open_workspace(layout, file_logging=False)
        services = build_services(self.ws, load_catalog())
        self.ctx = AppContext(services, summarize(self.ws), TaskRunner(None), workspace=self.ws)
        self.counts: dict[str, int] = {}
        #: The staff columns the app's table shows (read by the bare baseline straight from SQLite).
        self.columns: list[str] = []

    def step(self, fn: Any) -> float:
        """Seconds for ``fn`` plus everything it queued (layout, painting)."""
        started = time.perf_counter()
        fn()
        self.app.processEvents()
        return time.perf_counter() - started

    def app_round(self) -> dict[str, float]:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        from suas_desktop.ui.pages.registers_page import RegistersPage

        holder: list[Any] = []

        def open_page() -> None:
            page = RegistersPage(self.ctx)
            page.resize(1200, 800)
            page.show()
            holder.append(page)

        sample = {"open": self.step(open_page)}
        page = holder[0]
        sample["staff"] = self.step(lambda: page.select_register("staff"))
        self.counts["rows"] = page.proxy.rowCount()
        sample["narrow"] = self.step(lambda: QTest.keyClicks(page.search, NARROW))
        self.counts["narrow"] = page.proxy.rowCount()
        sample["clear"] = self.step(page.search.clear)
        sample["broad"] = self.step(lambda: QTest.keyClicks(page.search, BROAD))
        self.counts["broad"] = page.proxy.rowCount()
        hours = page.model.column_of("weekly_hours")
        sample["sort"] = self.step(lambda: page.table.sortByColumn(hours, Qt.SortOrder.DescendingOrder))
        if not self.columns:
            self.columns = [page.model.field_at(c).name for c in range(page.model.columnCount())]
        page.close()
        page.deleteLater()
        self.app.processEvents()
        return sample

    def bare_round(self) -> dict[str, float]:
        from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
        from PySide6.QtWidgets import QTableView

        texts: list[tuple[str, ...]] = []
        database = self.ws.layout.database
        select = f"SELECT {', '.join(self.columns)} FROM staff ORDER BY rowid"

        class Bare(QAbstractTableModel):
            def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
                return 0 if parent.isValid() else len(texts)

            def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
                return 0 if parent.isValid() else len(texts[0])

            def data(self, index: Any, role: int = 0) -> Any:
                return texts[index.row()][index.column()] if role == Qt.ItemDataRole.DisplayRole else None

        proxy = QSortFilterProxyModel()
        view = QTableView()

        def open_bare() -> None:
            connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            try:
                rows = connection.execute(select).fetchall()
            finally:
                connection.close()
            texts[:] = [tuple("" if v is None else str(v) for v in row) for row in rows]
            proxy.setSourceModel(Bare())
            proxy.setFilterKeyColumn(-1)
            proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            view.setModel(proxy)
            view.resize(1200, 800)
            view.show()

        def type_filter(text: str) -> None:
            for end in range(1, len(text) + 1):
                proxy.setFilterFixedString(text[:end])

        sample = {"bare_open": self.step(open_bare)}
        sample["bare_narrow"] = self.step(lambda: type_filter(NARROW))
        self.counts["bare_narrow"] = proxy.rowCount()
        proxy.setFilterFixedString("")
        sample["bare_broad"] = self.step(lambda: type_filter(BROAD))
        view.close()
        view.deleteLater()
        self.app.processEvents()
        return sample


def child(data_dir: str, reps: int) -> dict[str, Any]:
    rounds = _Rounds(data_dir)
    times: dict[str, list[float]] = {}
    for rep in range(reps + 1):  # the first round is a warm-up
        sample = {**rounds.app_round(), **rounds.bare_round()}
        if rep:
            for key, value in sample.items():
                times.setdefault(key, []).append(value)
    rounds.ws.close()
    return {**times, "counts": rounds.counts, "rss_mb": self_peak_rss_mb()}


# ====================================================================== parent
def measure(data_dir: Path, reps: int) -> dict[str, Any]:
    from benchmarks.common import worker

    run = worker("bench_registers", "child", data_dir=str(data_dir), reps=reps)
    result = run.check()
    result["peak_rss_mb"] = run.peak_rss_mb
    return result


def run(b: Any) -> None:
    from benchmarks.common import Measure

    r = b.results
    rows = b.config.staff_rows
    m = measure(b.data.staff_folder(rows), b.config.reps_cheap)
    c = m["counts"]
    labels = {
        "open": "App: build and show the Cadastros page",
        "staff": f"App: choose Trabalhadores ({c['rows']:,} rows)",
        "narrow": f"App: type “{NARROW}” key by key ({c['narrow']} row left)",
        "clear": "App: clear the search",
        "broad": f"App: type “{BROAD}” key by key ({c['broad']:,} rows left)",
        "sort": "App: sort by Horas semanais",
        "bare_open": "Bare: sqlite3 SELECT of the same columns, QTableView + QSortFilterProxyModel, show",
        "bare_narrow": f"Bare: type “{NARROW}” as fixed-string filters ({c['bare_narrow']} row left)",
        "bare_broad": f"Bare: type “{BROAD}” as fixed-string filters",
    }
    for key, label in labels.items():
        r.add(Measure(f"registers.{key}", SECTION, label, m[key]))
    r.compare(
        SECTION,
        "Choosing Trabalhadores, app / bare SELECT + show",
        "registers.staff",
        "registers.bare_open",
    )
    r.compare(SECTION, "Narrow search, app / bare proxy filter", "registers.narrow", "registers.bare_narrow")
    r.compare(SECTION, "Broad search, app / bare proxy filter", "registers.broad", "registers.bare_broad")
    r.note(SECTION, f"Peak RSS of the Cadastros process: {m['peak_rss_mb']:.0f} MB.")


if __name__ == "__main__":
    from benchmarks.common import worker_main

    worker_main({"child": child})
    sys.exit(0)
