"""The main window: navy sidebar, header with municipality, active cycle and search, pages, status bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from suas_desktop import APP_NAME

if TYPE_CHECKING:
    # Only for annotations: the frame is painted before the services are imported (app.py).
    from suas_desktop.services.search_service import SearchHit
    from suas_desktop.ui.app_context import AppContext


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    factory: Callable[[AppContext], QWidget]


class MainWindow(QMainWindow):
    """Built in two steps so the window can be on screen before the data is:

    ``MainWindow(None, pages)`` is the frame (header, sidebar, status bar, "Abrindo os dados…"), cheap
    enough to paint while the services are still being imported and the database opened;
    :meth:`attach` then fills it. ``MainWindow(ctx, pages)`` does both at once.
    """

    def __init__(
        self, ctx: AppContext | None, pages: list[PageSpec], settings: QSettings | None = None
    ) -> None:
        super().__init__()
        self.ctx: AppContext = None  # type: ignore[assignment]  # set by attach()
        self._settings = settings
        self._painted = False
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 800)
        self.setMinimumSize(900, 600)

        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._build_header())
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(220)
        self.sidebar.setAccessibleName("Menu lateral")
        self.stack = QStackedWidget()
        #: Screens are built the first time they are shown: the window opens without importing what
        #: only later screens need (PDF and signature libraries take about a second to load).
        self.pages: dict[str, QWidget] = {}
        self._specs = {spec.key: spec for spec in pages}
        self._keys = [spec.key for spec in pages]
        for index, spec in enumerate(pages):
            self.stack.addWidget(self._placeholder())  # until first shown
            item = QListWidgetItem(spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(f"{spec.title} (Ctrl+{index + 1})")
            self.sidebar.addItem(item)
        body.addWidget(self.sidebar)
        body.addWidget(self.stack, 1)
        root.addLayout(body, 1)
        self.setCentralWidget(central)
        self.data_label = QLabel("Abrindo os dados…")
        self.data_label.setObjectName("muted")
        self.statusBar().addWidget(self.data_label, 1)
        # Nothing to click until the data is there.
        self.sidebar.setEnabled(False)
        self.cycle_combo.setEnabled(False)
        self.search.setEnabled(False)
        self._restore_geometry()
        if ctx is not None:
            self.attach(ctx)

    @staticmethod
    def _placeholder() -> QWidget:
        placeholder = QLabel("Abrindo os dados…")
        placeholder.setObjectName("muted")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return placeholder

    @property
    def painted(self) -> bool:
        """True once the window has been painted (app.py waits for it before the slow part of the start)."""
        return self._painted

    def paintEvent(self, event: QPaintEvent) -> None:
        self._painted = True
        super().paintEvent(event)

    def attach(self, ctx: AppContext) -> None:
        """Fill the frame with the data of ``ctx`` and open the first screen."""
        self.ctx = ctx
        for index, key in enumerate(self._keys):
            action = QAction(self._specs[key].title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, key=key: self.show_page(key))
            self.addAction(action)
        self.sidebar.currentRowChanged.connect(self._page_shown)
        self._build_status_bar()
        self._build_actions()
        ctx.data_changed.connect(self._data_changed)
        ctx.active_cycle_changed.connect(lambda _: self._refresh_cycles())
        self._refresh_header()
        self._refresh_cycles()
        for widget in (self.sidebar, self.cycle_combo, self.search):
            widget.setEnabled(True)
        self.sidebar.setCurrentRow(0)

    # ------------------------------------------------------------------ building
    def _build_header(self) -> QWidget:
        header = QWidget()
        header.setObjectName("header")
        layout = QHBoxLayout(header)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(16)
        title = QLabel(APP_NAME)
        title.setObjectName("appTitle")
        self.municipality_label = QLabel()
        self.municipality_label.setObjectName("appSubtitle")
        self.municipality_label.setAccessibleName("Município")
        cycle_label = QLabel("Ciclo:")
        cycle_label.setObjectName("appSubtitle")
        self.cycle_combo = QComboBox()
        self.cycle_combo.setMinimumWidth(230)
        self.cycle_combo.setAccessibleName("Ciclo ativo")
        self.cycle_combo.setToolTip("O ciclo mostrado no Painel e nos Checklists")
        cycle_label.setBuddy(self.cycle_combo)
        self.cycle_combo.activated.connect(self._cycle_chosen)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Pesquisar itens, cadastros e anexos")
        self.search.setAccessibleName("Pesquisar")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textEdited.connect(lambda _: self._search_timer.start())
        self._completer = QCompleter([], self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.activated[str].connect(self._hit_chosen)
        self.search.setCompleter(self._completer)
        self._hits: dict[str, SearchHit] = {}
        layout.addWidget(title)
        layout.addWidget(self.municipality_label, 1)
        layout.addWidget(cycle_label)
        layout.addWidget(self.cycle_combo)
        layout.addWidget(self.search)
        return header

    def _build_status_bar(self) -> None:
        summary = self.ctx.summary
        mode = "modo portátil · " if summary.portable else ""
        demo = "DEMONSTRAÇÃO · " if self.ctx.services.local.is_demo else ""
        self.data_label.setText(f"{demo}{mode}Dados em {summary.data_dir}")
        self.saved_label = QLabel("Tudo salvo")
        self.saved_label.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.saved_label)
        about = QPushButton("Sobre")
        about.setFlat(True)
        about.setAccessibleName("Sobre o SUAS Desktop")
        about.setToolTip("Versão, licenças e pasta de dados")
        about.clicked.connect(self.show_about)
        self.statusBar().addPermanentWidget(about)

    def _build_actions(self) -> None:
        undo = self.ctx.undo_stack.createUndoAction(self, "Desfazer")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.ctx.undo_stack.createRedoAction(self, "Refazer")
        redo.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Y")])
        find = QAction("Pesquisar", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        jump_menu = QAction("Ir para o menu lateral", self)
        jump_menu.setShortcut(QKeySequence("Alt+2"))
        jump_menu.triggered.connect(self.sidebar.setFocus)
        jump_content = QAction("Ir para o conteúdo", self)
        jump_content.setShortcut(QKeySequence("Alt+1"))
        jump_content.triggered.connect(lambda: self.stack.currentWidget().setFocus())
        jump_search = QAction("Ir para a busca", self)
        jump_search.setShortcut(QKeySequence("Alt+3"))
        jump_search.triggered.connect(self.search.setFocus)
        next_pane = QAction("Próxima área", self)
        next_pane.setShortcut(QKeySequence("F6"))
        next_pane.triggered.connect(lambda: self._cycle_pane(1))
        previous_pane = QAction("Área anterior", self)
        previous_pane.setShortcut(QKeySequence("Shift+F6"))
        previous_pane.triggered.connect(lambda: self._cycle_pane(-1))
        refresh = QAction("Atualizar", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(lambda: self.ctx.notify("*"))
        quit_action = QAction("Sair", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (
            undo,
            redo,
            find,
            jump_menu,
            jump_content,
            jump_search,
            next_pane,
            previous_pane,
            refresh,
            quit_action,
        ):
            self.addAction(action)
        self.undo_action, self.redo_action = undo, redo

    # ------------------------------------------------------------------ behaviour
    def show_about(self) -> None:
        from suas_desktop.ui.dialogs.about_dialog import AboutDialog

        AboutDialog.ask(self, self.ctx.summary.data_dir)

    def _cycle_pane(self, step: int) -> None:
        """F6 / Shift+F6 (ux.md §B6): sidebar → content → search, and around."""
        panes = [self.sidebar, self.stack.currentWidget(), self.search]
        focused = self.focusWidget()
        current = next(
            (
                i
                for i, pane in enumerate(panes)
                if focused is pane or (focused and pane.isAncestorOf(focused))
            ),
            -1,
        )
        target = panes[(current + step) % len(panes)]
        target.setFocus(Qt.FocusReason.TabFocusReason)
        if target is self.stack.currentWidget():
            target.focusNextChild()

    def page(self, key: str) -> QWidget:
        """The screen for ``key``, built on first use."""
        if key not in self.pages:
            index = self._keys.index(key)
            page = self._specs[key].factory(self.ctx)
            page.setObjectName(f"page_{key}")
            placeholder = self.stack.widget(index)
            self.pages[key] = page
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        return self.pages[key]

    def show_page(self, key: str) -> QWidget:
        row = self._keys.index(key)
        if self.sidebar.currentRow() != row:
            self.sidebar.setCurrentRow(row)
        else:
            self._page_shown(row)
        return self.pages[key]

    def _page_shown(self, row: int) -> None:
        if row < 0:
            return
        built_now = self._keys[row] not in self.pages
        page = self.page(self._keys[row])
        self.stack.setCurrentWidget(page)
        # A screen that loads its data while being built would otherwise read everything twice.
        if hasattr(page, "refresh") and not (built_now and getattr(page, "loads_on_init", False)):
            page.refresh()

    def _data_changed(self, entity: str) -> None:
        self.saved_label.setText(f"Salvo às {datetime.now():%H:%M}")
        if entity in ("municipality", "*"):
            self._refresh_header()
        if entity in ("cycle", "*"):
            self._refresh_cycles()
        page = self.stack.currentWidget()
        if hasattr(page, "refresh"):
            page.refresh()

    def _refresh_header(self) -> None:
        profile = self.ctx.services.municipalities.profile()
        if profile is None:
            self.municipality_label.setText("Nenhum município configurado")
        else:
            self.municipality_label.setText(f"{profile.name} – {profile.uf} · {profile.size_class.value}")

    def _refresh_cycles(self) -> None:
        cycles = self.ctx.services.checklists.cycles()
        self.cycle_combo.blockSignals(True)
        self.cycle_combo.clear()
        for cycle in cycles:
            label = cycle.title + (" (concluído)" if cycle.is_concluded else "")
            self.cycle_combo.addItem(label, cycle.id)
        if not cycles:
            self.cycle_combo.addItem("Nenhum ciclo iniciado", "")
        index = self.cycle_combo.findData(self.ctx.active_cycle_id)
        self.cycle_combo.setCurrentIndex(max(index, 0))
        self.cycle_combo.blockSignals(False)

    def _cycle_chosen(self, index: int) -> None:
        self.ctx.set_active_cycle(self.cycle_combo.itemData(index) or "")

    def _run_search(self) -> None:
        hits = self.ctx.services.search.search(self.search.text())
        self._hits = {f"{h.title} — {h.context}": h for h in hits}
        self._completer.model().setStringList(list(self._hits))  # type: ignore[attr-defined]
        self._completer.complete()

    def _hit_chosen(self, text: str) -> None:
        hit = self._hits.get(text)
        if hit is None:
            return
        key = "checklists" if hit.kind in ("item", "attachment") else "registers"
        page = self.show_page(key)
        if hasattr(page, "focus_record"):
            page.focus_record(hit.kind, hit.record_id)

    # ------------------------------------------------------------------ geometry
    def _restore_geometry(self) -> None:
        if self._settings is None:
            return
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._settings is not None:
            self._settings.setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)
