"""Checklists: the active cycle as a tree of sections and items (left) and the selected item (right).

Every edit is saved at once through the ChecklistService and pushed on the shared undo stack (see
``checklist_commands``); the page then calls ``ctx.notify`` and every screen refreshes. A concluded cycle is
shown read-only with a notice. Keyboard: arrows move in the tree, Space moves the selected item to the next
situação (Pendente → Em andamento → Concluído), Enter goes to the detail panel, Ctrl+N creates a local item.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import stat
import tempfile
import weakref
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QRect,
    QSize,
    QStringListModel,
    Qt,
    QTimer,
    QUrl,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QHideEvent,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from suas_desktop.domain.cycle import STATUS_LABELS, Cycle, ItemState, Progress, Status, progress
from suas_desktop.domain.deadlines import Entered
from suas_desktop.domain.template import KIND_LABELS, ROLE_LABELS, SOURCE_LABELS, CycleKind
from suas_desktop.errors import Cancelled, SuasError, UserError, ValidationError
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.dialogs.cycle_dialogs import (
    CarryOverDialog,
    DueDateDialog,
    NewCycleDialog,
    NewItemDialog,
    NewItemRequest,
    ReasonDialog,
)
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.models.checklist_tree_model import (
    ITEM_ID_ROLE,
    KIND_ROLE,
    KIND_SECTION,
    NO_RESPONSIBLE,
    NO_RESPONSIBLE_FILTER,
    OVERDUE_ROLE,
    SECTION_ROLE,
    STATUS_FILTER_OPEN,
    STATUS_ICON,
    STATUS_ROLE,
    AttachmentTableModel,
    ChecklistTreeModel,
    HistoryTableModel,
    ItemFilter,
    due_soon,
    due_text,
    filter_states,
    finished_text,
    local_date,
    matches,
    status_icon,
    token_colour,
)
from suas_desktop.ui.pages.checklist_commands import (
    AssignItem,
    AttachEvidence,
    ConcludeCycle,
    FileStash,
    MovedIds,
    OverrideItemDue,
    RemoveEvidence,
    ReopenCycle,
    SetItemNotes,
    SetItemStatus,
)
from suas_desktop.ui.widgets import EmptyState, FieldError, MessageBar, ScreenHeader, secondary_button

#: Entities whose change can alter what this screen shows (holidays live with the municipality).
WATCHED = frozenset({"cycle", "cycle_item", "municipality", "*"})

#: Space in the tree: the next situação of an item.
NEXT_STATUS = {
    Status.PENDING: Status.IN_PROGRESS,
    Status.IN_PROGRESS: Status.DONE,
    Status.DONE: Status.PENDING,
    Status.NOT_APPLICABLE: Status.PENDING,
    Status.BLOCKED: Status.IN_PROGRESS,
}

#: The message after a status change (ux.md §B4: "Item marcado como concluído. [Desfazer]").
STATUS_MESSAGES = {
    Status.PENDING: "Item {key} voltou para pendente.",
    Status.IN_PROGRESS: "Item {key} marcado como em andamento.",
    Status.DONE: "Item {key} marcado como concluído.",
    Status.NOT_APPLICABLE: "Item {key} marcado como “Não se aplica”.",
    Status.BLOCKED: "Item {key} marcado como bloqueado.",
}

#: The message bar's action. No mnemonic: Ctrl+Z does the same, and Alt+D belongs to Evidências.
UNDO_TEXT = "Desfazer"

#: How sure the research is about an item → chip style (unverified items must stand out).
SOURCE_CHIPS = {"C": "success", "C3": "warning", "G": "warning", "?": "danger", "L": "info"}


def _selectable(label: QLabel, keyboard: bool = False) -> QLabel:
    flags = Qt.TextInteractionFlag.TextSelectableByMouse
    if keyboard:
        flags |= Qt.TextInteractionFlag.TextSelectableByKeyboard
    label.setTextInteractionFlags(flags)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _field_label(text: str, buddy: QWidget | None = None) -> QLabel:
    label = QLabel(text)
    label.setObjectName("fieldLabel")
    if buddy is not None:
        label.setBuddy(buddy)
    return label


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


# ---------------------------------------------------------------------- tree view


class ItemDelegate(QStyledItemDelegate):
    """Two lines per row: "FIN-04  Title" / status icon + label · deadline icon + words · responsible.

    The other model columns carry the same values for accessibility and tests; the view shows column 0 only,
    which fits a narrow master pane without horizontal scrolling.
    """

    PAD_X = 8
    PAD_Y = 6
    ICON = 16

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(200, 2 * metrics.height() + 2 * self.PAD_Y + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.icon = QIcon()  # this delegate draws its own icons
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_colour = opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        model = index.model()
        rect = opt.rect.adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, -self.PAD_Y)
        metrics = QFontMetrics(opt.font)
        line = metrics.height()
        painter.save()
        try:
            bold = QFont(opt.font)
            bold.setBold(True)
            first = QRect(rect.left(), rect.top(), rect.width(), line)
            second = QRect(rect.left(), rect.top() + line + 4, rect.width(), line)
            painter.setPen(text_colour)
            title = model.data(index, Qt.ItemDataRole.DisplayRole) or ""
            if model.data(index, KIND_ROLE) == KIND_SECTION:
                painter.setFont(bold)
                painter.drawText(
                    first,
                    Qt.AlignmentFlag.AlignVCenter,
                    QFontMetrics(bold).elidedText(title, Qt.TextElideMode.ElideRight, first.width()),
                )
                painter.setFont(opt.font)
                parts = [(None, model.data(index.siblingAtColumn(ChecklistTreeModel.COL_STATUS)) or "", None)]
                overdue = model.data(index.siblingAtColumn(ChecklistTreeModel.COL_DUE)) or ""
                if overdue:
                    parts.append(("overdue", overdue, "danger"))
                self._draw_parts(
                    painter, second, parts, metrics=metrics, text_colour=text_colour, selected=selected
                )
                return
            key, _, rest = title.partition("  ")
            painter.setFont(bold)
            key_width = QFontMetrics(bold).horizontalAdvance(key + " ")
            painter.drawText(first, Qt.AlignmentFlag.AlignVCenter, key)
            painter.setFont(opt.font)
            after = first.adjusted(key_width + 4, 0, 0, 0)
            painter.drawText(
                after,
                Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(rest, Qt.TextElideMode.ElideRight, max(after.width(), 0)),
            )
            status = model.data(index.siblingAtColumn(ChecklistTreeModel.COL_STATUS)) or ""
            status_value = model.data(index, STATUS_ROLE)
            due = model.data(index.siblingAtColumn(ChecklistTreeModel.COL_DUE)) or ""
            responsible = model.data(index.siblingAtColumn(ChecklistTreeModel.COL_RESPONSIBLE)) or ""
            overdue = bool(model.data(index, OVERDUE_ROLE))
            due_icon = model.data(
                index.siblingAtColumn(ChecklistTreeModel.COL_DUE), Qt.ItemDataRole.DecorationRole
            )
            parts = [
                (STATUS_ICON[Status(status_value)], status, None),
                (due_icon, due, "danger" if overdue else None),
                (
                    None,
                    f"Responsável: {responsible}" if responsible != NO_RESPONSIBLE else "Sem responsável",
                    "muted",
                ),
            ]
            self._draw_parts(
                painter, second, parts, metrics=metrics, text_colour=text_colour, selected=selected
            )
        finally:
            painter.restore()

    def _draw_parts(
        self,
        painter: QPainter,
        rect: QRect,
        parts: list[tuple[object, str, str | None]],
        *,
        metrics: QFontMetrics,
        text_colour: QColor,
        selected: bool,
    ) -> None:
        x = rect.left()
        right = rect.right()
        for icon, text, tone in parts:
            if not text or x >= right:
                continue
            if icon is not None:
                qicon = status_icon(icon) if isinstance(icon, str) else icon
                top = rect.top() + (rect.height() - self.ICON) // 2
                qicon.paint(painter, QRect(x, top, self.ICON, self.ICON))
                x += self.ICON + 4
            colour = text_colour
            if tone is not None and not selected:  # on the selection colour, the row's text colour reads best
                colour = self.tone_colour(tone, text_colour)
            painter.setPen(colour)
            available = right - x
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(available, 0))
            painter.drawText(
                QRect(x, rect.top(), available, rect.height()), Qt.AlignmentFlag.AlignVCenter, shown
            )
            x += metrics.horizontalAdvance(shown) + 16

    @staticmethod
    def tone_colour(tone: str, fallback: QColor) -> QColor:
        token = {"danger": "danger.strong", "muted": "text.muted"}.get(tone)
        return token_colour(token) if token else fallback


class ChecklistTree(QTreeView):
    """The item tree. Space asks for the next situação of the selected item; Enter, for the detail panel."""

    def __init__(self, on_space: Callable[[], None], on_enter: Callable[[], None]) -> None:
        super().__init__()
        self._on_space = on_space
        self._on_enter = on_enter

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if event.key() == Qt.Key.Key_Space and plain:
            self._on_space()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            index = self.currentIndex()
            if index.isValid() and index.data(KIND_ROLE) == KIND_SECTION:
                self.setExpanded(index, not self.isExpanded(index))
            else:
                self._on_enter()
            event.accept()
            return
        super().keyPressEvent(event)


# ---------------------------------------------------------------------- detail panel


class DetailPanel(QWidget):
    """The right-hand panel; accepts files dropped on it as evidence of the shown item."""

    def __init__(self, on_drop: Callable[[list[Path]], None]) -> None:
        super().__init__()
        self._on_drop = on_drop
        self.drops_enabled = False
        self.setAcceptDrops(True)

    @staticmethod
    def _files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.drops_enabled and self._files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = self._files(event)
        if not (self.drops_enabled and files):
            event.ignore()
            return
        event.acceptProposedAction()
        self._on_drop(files)


# ---------------------------------------------------------------------- page


class ChecklistsPage(QWidget):
    """Master-detail for the active cycle (``ctx.active_cycle_id``)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        FileStash.base_dir = Path(ctx.summary.data_dir) / "tmp"
        self.ctx = ctx
        self.setAccessibleName("Checklists")
        self._ids = MovedIds()
        self._cycle: Cycle | None = None
        self._states: list[ItemState] = []
        self._by_id: dict[str, ItemState] = {}
        self._sections: list[Progress] = []
        self._filter = ItemFilter()
        self._shown_item_id = ""  # the item whose values the editors hold
        self._dirty = False
        self._just_reloaded = False
        self._open_dir: Path | None = None

        root = QVBoxLayout(self)
        root.setContentsMargins(24, 24, 24, 16)
        root.setSpacing(8)
        header_box = QWidget()
        header_box.setLayout(self._build_header())
        self._header_grid.setContentsMargins(0, 0, 0, 0)
        # An explicit minimum (instead of the sum of the buttons) lets the page shrink; resizeEvent then moves
        # the buttons under the title before anything overlaps.
        header_box.setMinimumWidth(600)
        root.addWidget(header_box)
        self.notice = QFrame()
        self.notice.setObjectName("notice")
        notice_layout = QHBoxLayout(self.notice)
        notice_layout.setContentsMargins(16, 8, 16, 8)
        self.notice_label = _selectable(QLabel())
        notice_layout.addWidget(self.notice_label, 1)
        self.notice.hide()
        root.addWidget(self.notice)
        self.message = MessageBar()
        self.message.action.setAccessibleName("Desfazer")
        self.message.action_clicked.connect(self.ctx.undo_stack.undo)
        root.addWidget(self.message)

        self.stack = QStackedWidget()
        self.no_cycle = EmptyState(
            "Comece pelo checklist de encerramento do exercício",
            "O checklist lista o que o órgão gestor precisa fazer, com prazos e fundamento legal. "
            "Escolha o ano e comece.",
            "Iniciar Checklist",
        )
        self.no_cycle.action_clicked.connect(lambda: self.start_cycle(CycleKind.CLOSING))
        self.stack.addWidget(self._centered(self.no_cycle))
        self.stack.addWidget(self._build_cycle_view())
        root.addWidget(self.stack, 1)

        new_item = QAction("Novo Item", self)
        new_item.setShortcut(QKeySequence.StandardKey.New)
        new_item.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new_item.triggered.connect(self.add_item)
        self.addAction(new_item)

        self._set_tab_order()
        ctx.active_cycle_changed.connect(self._active_cycle_changed)
        ctx.data_changed.connect(self._data_changed)
        self._reload()

    # ================================================================== building
    def _set_tab_order(self) -> None:
        """Reading order (ux.md check 1): header buttons, message, filters, list, then the detail panel."""
        chain = [
            self.new_item_button,
            self.carry_button,
            self.conclude_button,
            self.reopen_button,
            self.start_button,
            self.message.action,
            self.no_cycle.button,
            self.text_filter,
            self.status_filter,
            self.responsible_filter,
            self.section_filter,
            self.overdue_filter,
            self.clear_filters_button,
            self.tree,
            self.no_match.button,
            self.detail_scroll,
            self.d_title,
            self.d_status,
            self.due_button,
            self.rule_button,
            self.d_responsible,
            self.d_guidance,
            self.d_notes,
            self.attach_button,
            self.attachment_view,
            self.open_button,
            self.remove_button,
            self.history_view,
        ]
        for first, second in itertools.pairwise(chain):
            if first is not None and second is not None:
                QWidget.setTabOrder(first, second)

    @staticmethod
    def _centered(widget: QWidget) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(widget, 3)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        return holder

    def _build_header(self) -> QGridLayout:
        """Title and state on the left, cycle buttons on the right (under the title on a narrow page)."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        self.header = ScreenHeader("Checklists")
        grid.addWidget(self.header, 0, 0)
        state_row = QHBoxLayout()
        state_row.setContentsMargins(0, 0, 0, 0)
        state_row.setSpacing(8)
        self.state_chip = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedWidth(160)
        self.progress_bar.setAccessibleName("Progresso do ciclo")
        self.progress_label = QLabel()
        self.progress_label.setToolTip("Conta os itens concluídos e os marcados como “Não se aplica”.")
        state_row.addWidget(self.state_chip)
        state_row.addWidget(self.progress_bar)
        state_row.addWidget(self.progress_label)
        state_row.addStretch(1)
        self.state_row = QWidget()
        self.state_row.setLayout(state_row)
        grid.addWidget(self.state_row, 1, 0, 1, 2)

        self.cycle_buttons = QWidget()
        buttons = QHBoxLayout(self.cycle_buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(8)
        self.start_button = secondary_button("&Iniciar Ciclo")
        self.start_button.setToolTip("Criar o checklist de um novo ano ou de uma transição de mandato")
        self.start_button.clicked.connect(lambda _checked=False: self.start_cycle(CycleKind.CLOSING))
        self.conclude_button = secondary_button("&Concluir Ciclo")
        self.conclude_button.setToolTip(
            "Fechar o ciclo para alterações quando todos os itens estiverem resolvidos"
        )
        self.conclude_button.clicked.connect(self.conclude_cycle)
        self.reopen_button = secondary_button("&Reabrir Ciclo")
        self.reopen_button.setToolTip("Voltar a permitir alterações, informando o motivo")
        self.reopen_button.clicked.connect(self.reopen_cycle)
        self.carry_button = secondary_button("&Levar Pendências")
        self.carry_button.setToolTip("Copiar os itens em aberto para um ciclo posterior")
        self.carry_button.clicked.connect(self.carry_over)
        self.new_item_button = secondary_button("&Novo Item")
        self.new_item_button.setToolTip("Criar um item local neste ciclo (Ctrl+N)")
        self.new_item_button.clicked.connect(self.add_item)
        for button in (
            self.new_item_button,
            self.carry_button,
            self.conclude_button,
            self.reopen_button,
            self.start_button,
        ):
            button.setAccessibleName(button.text().replace("&", ""))
            buttons.addWidget(button)
        self._header_grid = grid
        self._narrow = False
        grid.addWidget(self.cycle_buttons, 0, 1, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(0, 1)
        return grid

    def _wide_width(self) -> int:
        """The page width the one-row arrangement needs, from the widgets' sizes (fonts and scaling count).

        Narrower than that, the cycle buttons go under the title and two filters to a third row, so the page
        fits the smallest main window (900 px minus the sidebar).
        """
        filters = (
            sum(
                w.minimumSizeHint().width()
                for w in (self.text_filter, self.status_filter, self.responsible_filter, self.section_filter)
            )
            + self.filter_extras.sizeHint().width()
            + 4 * self._filter_grid.horizontalSpacing()
        )
        header = (
            self.header.title.sizeHint().width()
            + self._header_grid.horizontalSpacing()
            + self.cycle_buttons.sizeHint().width()
        )
        margins = self.layout().contentsMargins()
        return max(filters, header) + margins.left() + margins.right()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow()

    def _reflow(self) -> None:
        narrow = self.width() < self._wide_width()
        if narrow == self._narrow:
            return
        self._narrow = narrow
        self._header_grid.removeWidget(self.cycle_buttons)
        self._filter_grid.removeWidget(self.filter_extras)
        if narrow:
            self._header_grid.addWidget(self.cycle_buttons, 2, 0, Qt.AlignmentFlag.AlignLeft)
            self._filter_grid.addWidget(self.filter_extras, 2, 0, 1, 4, Qt.AlignmentFlag.AlignLeft)
        else:
            top_right = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight
            self._header_grid.addWidget(self.cycle_buttons, 0, 1, top_right)
            self._filter_grid.addWidget(self.filter_extras, 1, 4)

    def _build_cycle_view(self) -> QWidget:
        view = QWidget()
        layout = QVBoxLayout(view)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self._build_filters())

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(4)
        self.model = ChecklistTreeModel(self)
        self.tree = ChecklistTree(self.cycle_selected_status, self.focus_detail)
        self.tree.setModel(self.model)
        self.tree.setItemDelegate(ItemDelegate(self.tree))
        for column in range(1, ChecklistTreeModel.COLUMN_COUNT):
            self.tree.setColumnHidden(column, True)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setAccessibleName("Itens do checklist")
        self.tree.setAccessibleDescription(
            "Setas para navegar; barra de espaço muda a situação do item; Enter abre os detalhes."
        )
        self.tree.setMinimumWidth(240)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree_label = _field_label("Itens do chec&klist", self.tree)
        self.tree_hint = QLabel("Espaço muda a situação · Enter abre os detalhes")
        self.tree_hint.setObjectName("muted")
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.tree)
        self.no_match = EmptyState(
            "Nenhum item com esses filtros",
            "Mude os filtros acima ou limpe todos para ver a lista inteira.",
            "Limpar Filtros",
        )
        self.no_match.action_clicked.connect(self.clear_filters)
        for label in self.no_match.findChildren(QLabel):  # wrap the title too, so the list pane can be narrow
            label.setWordWrap(True)
        self.list_stack.addWidget(self.no_match)
        self.tree_hint.setWordWrap(True)
        left_layout.addWidget(self.tree_label)
        left_layout.addWidget(self.list_stack, 1)
        left_layout.addWidget(self.tree_hint)
        splitter.addWidget(left)

        self.detail_scroll = QScrollArea()
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail_scroll.setAccessibleName("Detalhes do item")
        self.detail = DetailPanel(self.attach_files)
        self._build_detail(self.detail)
        # The body is hidden until an item is chosen, so measure its layout; polish first so the style
        # sheet's paddings count in the buttons' width.
        self.detail.ensurePolished()
        needed = max(self.detail.minimumSizeHint().width(), self.detail_body.minimumSizeHint().width() + 24)
        self.detail_scroll.setMinimumWidth(needed + self.detail_scroll.verticalScrollBar().sizeHint().width())
        self.detail_scroll.setWidget(self.detail)
        splitter.addWidget(self.detail_scroll)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([560, 460])
        self.splitter = splitter
        layout.addWidget(splitter, 1)
        return view

    def _build_filters(self) -> QWidget:
        box = QWidget()
        box.setMinimumWidth(600)  # see header_box in __init__: resizeEvent reflows before widgets overlap
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        self.text_filter = QLineEdit()
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setPlaceholderText("Chave, título, responsável…")
        self.text_filter.setAccessibleName("Pesquisar nesta lista")
        self.text_filter.setMinimumWidth(140)
        self.text_filter.textChanged.connect(self._filters_changed)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filtrar por situação")
        self.status_filter.addItem("Todas", None)
        self.status_filter.addItem("Em aberto", STATUS_FILTER_OPEN)
        for status, label in STATUS_LABELS.items():
            self.status_filter.addItem(status_icon(STATUS_ICON[status]), label, status.value)
        self.status_filter.currentIndexChanged.connect(self._filters_changed)
        self.responsible_filter = QComboBox()
        self.responsible_filter.setAccessibleName("Filtrar por responsável")
        self.responsible_filter.setMinimumContentsLength(10)
        self.responsible_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.responsible_filter.currentIndexChanged.connect(self._filters_changed)
        self.section_filter = QComboBox()
        self.section_filter.setAccessibleName("Filtrar por seção")
        self.section_filter.setMinimumContentsLength(12)
        self.section_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.section_filter.currentIndexChanged.connect(self._filters_changed)
        self.overdue_filter = QCheckBox("Somente &atrasados")
        self.overdue_filter.setAccessibleName("Somente atrasados")
        self.overdue_filter.toggled.connect(self._filters_changed)
        self.clear_filters_button = secondary_button("Limpar &Filtros")
        self.clear_filters_button.setAccessibleName("Limpar Filtros")
        self.clear_filters_button.clicked.connect(self.clear_filters)
        fields = (
            ("Pes&quisar", self.text_filter),
            ("Si&tuação", self.status_filter),
            ("Res&ponsável", self.responsible_filter),
            ("S&eção", self.section_filter),
        )
        for column, (text, widget) in enumerate(fields):
            grid.addWidget(_field_label(text, widget), 0, column)
            grid.addWidget(widget, 1, column)
        self.filter_extras = QWidget()
        extras = QHBoxLayout(self.filter_extras)
        extras.setContentsMargins(0, 0, 0, 0)
        extras.setSpacing(16)
        extras.addWidget(self.overdue_filter)
        extras.addWidget(self.clear_filters_button)
        self._filter_grid = grid
        grid.addWidget(self.filter_extras, 1, len(fields))
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(3, 2)
        return box

    def _build_detail(self, panel: DetailPanel) -> None:
        outer = QVBoxLayout(panel)
        outer.setContentsMargins(16, 0, 8, 16)
        outer.setSpacing(0)
        self.detail_placeholder = QLabel(
            "Escolha um item na lista para ver o que fazer, o prazo e as evidências."
        )
        self.detail_placeholder.setObjectName("muted")
        self.detail_placeholder.setWordWrap(True)
        self.detail_placeholder.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(self.detail_placeholder)
        self.detail_body = QWidget()
        outer.addWidget(self.detail_body)
        outer.addStretch(1)
        body = QVBoxLayout(self.detail_body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(4)

        def gap(size: int = 16) -> None:
            body.addSpacing(size)

        self.d_title = _selectable(QLabel(), keyboard=True)
        self.d_title.setObjectName("sectionTitle")
        self.d_title.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        body.addWidget(self.d_title)
        self.d_meta = _selectable(QLabel())
        self.d_meta.setObjectName("muted")
        body.addWidget(self.d_meta)
        # Full width: a word-wrapped label would otherwise pick a narrow width and break a short text.
        self.d_source = QLabel()
        self.d_source.setWordWrap(True)
        body.addWidget(self.d_source)
        gap(8)
        self.d_warnings = QFrame()
        self.d_warnings.setObjectName("messageBar")
        self.d_warnings.setProperty("kind", "warning")
        warn_layout = QHBoxLayout(self.d_warnings)
        warn_layout.setContentsMargins(12, 8, 12, 8)
        warn_icon = QLabel()
        warn_icon.setPixmap(status_icon("due_soon").pixmap(16, 16))
        warn_icon.setAccessibleName("Atenção")
        warn_layout.addWidget(warn_icon, 0, Qt.AlignmentFlag.AlignTop)
        self.d_warnings_text = _selectable(QLabel())
        self.d_warnings_text.setAccessibleName("Aviso de ano eleitoral")
        warn_layout.addWidget(self.d_warnings_text, 1)
        body.addWidget(self.d_warnings)
        gap(8)

        # Situação
        self.d_status = QComboBox()
        for status, label in STATUS_LABELS.items():
            self.d_status.addItem(status_icon(STATUS_ICON[status]), label, status.value)
        self.d_status.setAccessibleName("Situação do item")
        self.d_status.activated.connect(self._status_chosen)
        body.addWidget(_field_label("&Situação", self.d_status))
        status_row = QHBoxLayout()
        status_row.addWidget(self.d_status)
        status_row.addStretch(1)
        body.addLayout(status_row)
        self.d_status_reason = _selectable(QLabel())
        body.addWidget(self.d_status_reason)
        self.status_error = FieldError()
        body.addWidget(self.status_error)
        gap(12)

        # Prazo
        body.addWidget(_field_label("Prazo"))
        due_row = QHBoxLayout()
        self.d_due_icon = QLabel()
        self.d_due_icon.setFixedWidth(18)
        due_row.addWidget(self.d_due_icon, 0, Qt.AlignmentFlag.AlignTop)
        self.d_due = _selectable(QLabel())
        font = self.d_due.font()
        font.setBold(True)
        self.d_due.setFont(font)
        due_row.addWidget(self.d_due, 1)
        body.addLayout(due_row)
        self.d_due_rule = _selectable(QLabel())
        body.addWidget(self.d_due_rule)
        self.d_due_origin = _selectable(QLabel())
        self.d_due_origin.setObjectName("muted")
        body.addWidget(self.d_due_origin)
        due_buttons = QHBoxLayout()
        self.due_button = secondary_button("Alterar Pra&zo")
        self.due_button.setAccessibleName("Alterar Prazo")
        self.due_button.clicked.connect(self.change_due)
        self.rule_button = secondary_button("Voltar à Re&gra")
        self.rule_button.setAccessibleName("Voltar à Regra")
        self.rule_button.setToolTip("Desfazer a data informada e voltar ao prazo calculado pela regra")
        self.rule_button.clicked.connect(self.back_to_rule)
        due_buttons.addWidget(self.due_button)
        due_buttons.addWidget(self.rule_button)
        due_buttons.addStretch(1)
        body.addLayout(due_buttons)
        self.due_error = FieldError()
        body.addWidget(self.due_error)
        gap(12)

        # Responsável
        self.d_responsible = QLineEdit()
        self.d_responsible.setAccessibleName("Responsável pelo item")
        self.d_responsible.setPlaceholderText("Nome da pessoa responsável")
        self.d_responsible.editingFinished.connect(self._save_responsible)
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.d_responsible.setCompleter(completer)
        body.addWidget(_field_label("Responsá&vel", self.d_responsible))
        body.addWidget(self.d_responsible)
        self.responsible_error = FieldError()
        body.addWidget(self.responsible_error)
        gap(12)

        # What the template says
        self.d_guidance = _selectable(QLabel(), keyboard=True)
        self.d_guidance.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.d_guidance.setAccessibleName("Orientação")
        self.d_legal = _selectable(QLabel())
        self.d_legal.setAccessibleName("Fundamento legal")
        self.d_evidence = _selectable(QLabel())
        self.d_evidence.setAccessibleName("Evidência esperada")
        self.d_roles = _selectable(QLabel())
        self.d_roles.setAccessibleName("Responsáveis previstos")
        self.d_template_notes = _selectable(QLabel())
        self.d_template_notes_label = _field_label("Nota do modelo")
        for title, label in (
            ("Orientação", self.d_guidance),
            ("Fundamento legal", self.d_legal),
            ("Evidência esperada", self.d_evidence),
            ("Responsáveis previstos", self.d_roles),
        ):
            body.addWidget(_field_label(title))
            body.addWidget(label)
            gap(12)
        body.addWidget(self.d_template_notes_label)
        body.addWidget(self.d_template_notes)
        gap(12)

        # Observações
        self.d_notes = QPlainTextEdit()
        self.d_notes.setAccessibleName("Observações")
        self.d_notes.setTabChangesFocus(True)
        self.d_notes.setFixedHeight(88)
        self.d_notes.installEventFilter(self)
        body.addWidget(_field_label("&Observações", self.d_notes))
        notes_hint = QLabel("Salvas ao sair do campo.")
        notes_hint.setObjectName("muted")
        body.addWidget(notes_hint)
        body.addWidget(self.d_notes)
        gap(16)

        # Evidências
        self.attachments = AttachmentTableModel(self)
        self.attachment_view = QTableView()
        self.attachment_view.setModel(self.attachments)
        self.attachment_view.setAccessibleName("Evidências anexadas")
        self._table_defaults(self.attachment_view, stretch=AttachmentTableModel.COL_NAME)
        self.attachment_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep the extension in view
        self.attachment_view.doubleClicked.connect(lambda _: self.open_attachment())
        self.attachment_view.selectionModel().currentChanged.connect(
            lambda *_: self._update_attachment_buttons()
        )
        self.attachment_view.setFixedHeight(132)
        body.addWidget(_field_label("Evi&dências", self.attachment_view))
        self.no_attachments = QLabel("Nenhum arquivo anexado ainda. Anexe o documento que comprova o item.")
        self.no_attachments.setObjectName("muted")
        self.no_attachments.setWordWrap(True)
        body.addWidget(self.no_attachments)
        self.attach_button = secondary_button("Ane&xar Arquivo")
        self.attach_button.setAccessibleName("Anexar Arquivo")
        self.attach_button.setToolTip("Escolher um ou mais arquivos que comprovam o item")
        self.attach_button.clicked.connect(self.choose_files)
        attach_row = QHBoxLayout()
        attach_row.addWidget(self.attach_button)
        attach_row.addStretch(1)
        body.addLayout(attach_row)
        self.drop_hint = QLabel("Você também pode arrastar arquivos para este painel.")
        self.drop_hint.setObjectName("muted")
        self.drop_hint.setWordWrap(True)
        body.addWidget(self.drop_hint)
        gap(8)
        body.addWidget(self.attachment_view)
        self.open_button = secondary_button("A&brir")
        self.open_button.setAccessibleName("Abrir anexo")
        self.open_button.setToolTip("Abrir uma cópia somente para leitura do anexo escolhido")
        self.open_button.clicked.connect(self.open_attachment)
        self.remove_button = secondary_button("Re&mover")
        self.remove_button.setAccessibleName("Remover anexo")
        self.remove_button.setToolTip("Tirar o anexo escolhido deste item (dá para desfazer)")
        self.remove_button.clicked.connect(self.remove_attachment)
        self.attachment_actions = QWidget()
        att_buttons = QHBoxLayout(self.attachment_actions)
        att_buttons.setContentsMargins(0, 0, 0, 0)
        att_buttons.addWidget(self.open_button)
        att_buttons.addWidget(self.remove_button)
        att_buttons.addStretch(1)
        body.addWidget(self.attachment_actions)
        gap(16)

        # Histórico
        self.history = HistoryTableModel(self)
        self.history_view = QTableView()
        self.history_view.setModel(self.history)
        self.history_view.setAccessibleName("Histórico do item")
        self._table_defaults(self.history_view, stretch=HistoryTableModel.COL_WHAT)
        self.history_view.setWordWrap(True)
        self.history_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history_view.setMinimumHeight(160)
        body.addWidget(_field_label("&Histórico", self.history_view))
        body.addWidget(self.history_view)

        self.detail_body.hide()

    @staticmethod
    def _table_defaults(view: QTableView, stretch: int) -> None:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        view.setTabKeyNavigation(False)

    # ================================================================== refreshing
    def refresh(self) -> None:
        """Reload from the services, keeping the selected item, the scroll position and collapsed sections."""
        if self._just_reloaded:  # already reloaded for the change the main window is announcing
            return
        self._reload()

    def _data_changed(self, entity: str) -> None:
        if entity not in WATCHED:
            return
        if not self.isVisible():
            self._dirty = True
            return
        self._reload_once()

    def _reload_once(self) -> None:
        """Reload now; a ``refresh()`` later in the same event-loop turn (the main window's) is skipped."""
        self._reload()
        self._just_reloaded = True
        QTimer.singleShot(0, self, self._clear_just_reloaded)

    def _clear_just_reloaded(self) -> None:
        self._just_reloaded = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._reload_once()

    def hideEvent(self, event: QHideEvent) -> None:
        self._flush_edits()
        super().hideEvent(event)

    def _active_cycle_changed(self, _cycle_id: str) -> None:
        self._flush_edits()
        self.message.hide()
        self._shown_item_id = ""
        self._reload(select_first=True)

    def _reload(self, *, select_first: bool = False) -> None:
        self._dirty = False
        service = self.ctx.services.checklists
        cycle: Cycle | None = None
        if self.ctx.active_cycle_id:
            try:
                cycle = service.cycle(self.ctx.active_cycle_id)
            except UserError:
                cycle = None
        self._cycle = cycle
        if cycle is None:
            self._states, self._by_id, self._sections = [], {}, []
            self.model.clear()
            self._show_no_cycle()
            return
        try:
            states = service.item_states(cycle.id)
        except SuasError as exc:
            show_error(self, exc)
            return
        self._states = states
        self._by_id = {s.item.id: s for s in states}
        overall, self._sections = progress(states)
        self._show_header(cycle, overall)
        self._update_filter_choices()
        self._apply_filters(select_first=select_first)

    def _show_no_cycle(self) -> None:
        self.header.title.setText("Checklists")
        self.header.set_subtitle("")
        self.state_row.hide()
        self.notice.hide()
        # The empty state's button starts the first cycle; the header keeps no duplicate of it.
        for button in (
            self.conclude_button,
            self.reopen_button,
            self.carry_button,
            self.new_item_button,
            self.start_button,
        ):
            button.hide()
        self.stack.setCurrentIndex(0)
        self._show_detail(None)

    def _show_header(self, cycle: Cycle, overall: Progress) -> None:
        concluded = cycle.is_concluded
        self.header.title.setText(cycle.title)
        self.header.title.setAccessibleName(cycle.title)
        self.header.set_subtitle(
            f"{KIND_LABELS[cycle.kind]} · Modelo de checklist versão {cycle.template_version}"
        )
        self.state_row.show()
        self.state_chip.setText("Ciclo concluído" if concluded else "Ciclo aberto")
        self.state_chip.setProperty("chip", "success" if concluded else "info")
        self.state_chip.setAccessibleName(self.state_chip.text())
        _repolish(self.state_chip)
        text = f"{finished_text(overall)} — {overall.percent}%"
        self.progress_label.setText(text)
        self.progress_bar.setValue(overall.percent)
        self.progress_bar.setAccessibleDescription(text)
        self.conclude_button.setVisible(not concluded)
        self.reopen_button.setVisible(concluded)
        for button in (self.carry_button, self.new_item_button, self.start_button):
            button.setVisible(True)
        self.carry_button.setEnabled(not concluded)
        self.new_item_button.setEnabled(not concluded)
        if concluded:
            when = local_date(cycle.concluded_at) if cycle.concluded_at else "data não registrada"
            who = cycle.concluded_by or "pessoa não registrada"
            self.notice_label.setText(f"Ciclo concluído em {when} por {who}. Para alterar, reabra o ciclo.")
            self.notice.show()
        else:
            self.notice.hide()
        self.stack.setCurrentIndex(1)
        self._reflow()  # the buttons shown changed, and so did the width they need

    def _update_filter_choices(self) -> None:
        names = sorted({s.item.responsible for s in self._states if s.item.responsible}, key=str.casefold)
        self._names.setStringList(names)
        self._refill(
            self.responsible_filter,
            [("Todos", ""), ("Sem responsável", NO_RESPONSIBLE_FILTER)] + [(n, n) for n in names],
        )
        self._refill(
            self.section_filter, [("Todas as seções", "")] + [(p.title, p.code) for p in self._sections]
        )

    @staticmethod
    def _refill(combo: QComboBox, entries: Sequence[tuple[str, str]]) -> None:
        current = combo.currentData() or ""
        if [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] == list(entries):
            return
        combo.blockSignals(True)
        combo.clear()
        for text, value in entries:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    # ================================================================== filters
    def current_filter(self) -> ItemFilter:
        status_data = self.status_filter.currentData()
        status: Status | str | None = None
        if status_data == STATUS_FILTER_OPEN:
            status = STATUS_FILTER_OPEN
        elif status_data:
            status = Status(status_data)
        return ItemFilter(
            status=status,
            responsible=self.responsible_filter.currentData() or "",
            overdue_only=self.overdue_filter.isChecked(),
            section=self.section_filter.currentData() or "",
            text=self.text_filter.text().strip(),
        )

    def clear_filters(self) -> None:
        for widget in (self.text_filter, self.status_filter, self.responsible_filter, self.section_filter):
            widget.blockSignals(True)
        self.overdue_filter.blockSignals(True)
        self.text_filter.clear()
        self.status_filter.setCurrentIndex(0)
        self.responsible_filter.setCurrentIndex(0)
        self.section_filter.setCurrentIndex(0)
        self.overdue_filter.setChecked(False)
        for widget in (self.text_filter, self.status_filter, self.responsible_filter, self.section_filter):
            widget.blockSignals(False)
        self.overdue_filter.blockSignals(False)
        self._filters_changed()
        if self.list_stack.currentWidget() is self.tree:
            self.tree.setFocus()

    def _filters_changed(self, *_: object) -> None:
        self._apply_filters()

    def _apply_filters(self, *, select_first: bool = False) -> None:
        self._filter = self.current_filter()
        self.clear_filters_button.setEnabled(self._filter.active)
        visible = filter_states(self._states, self._filter)
        keep_id = "" if select_first else self._selected_item_id()
        scroll = self.tree.verticalScrollBar().value()
        collapsed = self._collapsed_sections()
        reset = self.model.set_states(visible, self._sections)
        self.list_stack.setCurrentIndex(0 if visible else 1)
        if reset:
            for row in range(self.model.rowCount()):
                index = self.model.index(row, 0)
                self.tree.setExpanded(index, index.data(SECTION_ROLE) not in collapsed)
            if keep_id and self.model.index_of_item(keep_id).isValid():
                self._select(keep_id, scroll=False)
            elif visible and (select_first or not keep_id):
                self._select(visible[0].item.id, scroll=False)
            self.tree.verticalScrollBar().setValue(scroll if not select_first else 0)
        shown = self._selected_item_id()
        self._show_detail(shown or None)

    def _collapsed_sections(self) -> set[str]:
        out = set()
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            if not self.tree.isExpanded(index):
                out.add(index.data(SECTION_ROLE))
        return out

    # ================================================================== selection
    def _selected_item_id(self) -> str:
        index = self.tree.currentIndex()
        if not index.isValid():
            return ""
        return index.siblingAtColumn(0).data(ITEM_ID_ROLE) or ""

    def _select(self, item_id: str, *, scroll: bool = True) -> bool:
        index = self.model.index_of_item(item_id)
        if not index.isValid():
            return False
        self.tree.setExpanded(index.parent(), True)
        self.tree.setCurrentIndex(index)
        if scroll:
            self.tree.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def select_item(self, item_id: str) -> bool:
        """Select an item (clearing filters that hide it). False when the item is not in the active cycle."""
        state = self._by_id.get(item_id)
        if state is None:
            return False
        if not matches(state, self._filter):
            self.clear_filters()
        return self._select(item_id)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item_id = current.siblingAtColumn(0).data(ITEM_ID_ROLE) if current.isValid() else None
        self._show_detail(item_id or None)

    def focus_record(self, kind: str, record_id: str) -> None:
        """After a search hit: select the item (kinds "item" and "attachment" carry the item id)."""
        if kind not in ("item", "attachment"):
            return
        try:
            state = self.ctx.services.checklists.item_state(record_id)
        except SuasError as exc:
            show_error(self, exc)
            return
        if state.item.cycle_id != self.ctx.active_cycle_id:
            self.ctx.set_active_cycle(state.item.cycle_id)
        if record_id not in self._by_id:
            self._reload()
        if self.select_item(record_id):
            if kind == "attachment":
                self.detail_scroll.ensureWidgetVisible(self.attachment_view)
                self.attachment_view.setFocus()
            else:
                self.tree.setFocus()

    def focus_detail(self) -> None:
        if self._shown_item_id:
            self.detail_scroll.ensureWidgetVisible(self.d_status)
            self.d_title.setFocus()

    # ================================================================== detail
    def _show_detail(self, item_id: str | None) -> None:
        if item_id != self._shown_item_id:
            self._flush_edits()
            self.status_error.show_error("")
            self.responsible_error.show_error("")
            self.due_error.show_error("")
        state = self._by_id.get(item_id) if item_id else None
        same = state is not None and state.item.id == self._shown_item_id
        self._shown_item_id = state.item.id if state else ""
        editable = bool(self._cycle and not self._cycle.is_concluded)
        self.detail.drops_enabled = state is not None and editable
        if state is None:
            self.detail_placeholder.show()
            self.detail_body.hide()
            return
        self.detail_placeholder.hide()
        self.detail_body.show()
        item = state.item
        self.d_title.setText(item.title)
        self.d_title.setAccessibleName(f"{item.item_key}: {item.title}")
        self.d_meta.setText(f"{item.item_key} · Seção: {item.section_title}")
        source = SOURCE_LABELS.get(item.source, item.source)
        verified = item.source in ("C", "L")
        self.d_source.setText(("" if verified else "⚠ ") + f"Fonte: {source}")
        self.d_source.setProperty("chip", SOURCE_CHIPS.get(item.source, "warning"))
        self.d_source.setAccessibleName(f"Fonte do item: {source}")
        _repolish(self.d_source)
        self.d_warnings.setVisible(bool(state.warnings))
        self.d_warnings_text.setText("\n\n".join(state.warnings))

        self.d_status.setCurrentIndex(self.d_status.findData(item.status.value))
        self.d_status.setEnabled(editable)
        reason_label = {Status.NOT_APPLICABLE: "Justificativa", Status.BLOCKED: "Motivo do bloqueio"}.get(
            item.status
        )
        self.d_status_reason.setVisible(bool(reason_label and item.status_reason))
        self.d_status_reason.setText(f"{reason_label}: {item.status_reason}" if reason_label else "")

        self._show_due(state, editable)

        if not (same and self.d_responsible.hasFocus()):
            self.d_responsible.setText(item.responsible)
        self.d_responsible.setReadOnly(not editable)
        self.d_responsible.setPlaceholderText("Nome da pessoa responsável" if editable else NO_RESPONSIBLE)
        self.d_guidance.setText(item.guidance)
        self.d_legal.setText(item.legal_basis)
        self.d_evidence.setText(item.evidence)
        self.d_roles.setText("; ".join(ROLE_LABELS.get(r, r) for r in item.roles) or "—")
        self.d_template_notes.setText(item.template_notes)
        self.d_template_notes.setVisible(bool(item.template_notes))
        self.d_template_notes_label.setVisible(bool(item.template_notes))
        if not (same and self.d_notes.hasFocus()):
            self.d_notes.setPlainText(item.notes)
        self.d_notes.setReadOnly(not editable)

        service = self.ctx.services.checklists
        try:
            rows = service.attachments(item.id)
            history = service.history(item.id)
        except SuasError as exc:
            show_error(self, exc)
            rows, history = [], []
        selected = self._selected_attachment_id()
        self.attachments.set_rows(rows)
        row = self.attachments.row_of(selected) if selected else -1
        if rows:  # keep the chosen file, else the first, so Abrir and Remover work right away
            self.attachment_view.selectRow(max(row, 0))
        self.attachment_view.setVisible(bool(rows))
        self.attachment_actions.setVisible(bool(rows))
        self.no_attachments.setVisible(not rows)
        self.attach_button.setEnabled(editable)
        self.drop_hint.setVisible(editable)
        self._update_attachment_buttons()
        self.history.set_rows(history)

    def _show_due(self, state: ItemState, editable: bool) -> None:
        due = state.due
        self.d_due.setText(due_text(state))
        icon = "overdue" if state.overdue else "due_soon" if due_soon(state) else None
        self.d_due_icon.setPixmap(
            status_icon(icon).pixmap(16, 16) if icon else status_icon("info").pixmap(16, 16)
        )
        self.d_due_icon.setAccessibleName(
            "Atrasado" if state.overdue else "Vence em breve" if icon else "Prazo"
        )
        self.d_due.setProperty("chip", "danger" if state.overdue else None)
        _repolish(self.d_due)
        rule = f"Regra: {due.rule_text}"
        if due.date is not None and due.adjusted_from is not None:
            verb = "Adiado" if due.date > due.adjusted_from else "Antecipado"
            weekday = due.adjusted_from.weekday()
            why = "sábado" if weekday == 5 else "domingo" if weekday == 6 else "feriado"
            rule += f"\n{verb} de {due.adjusted_from:%d/%m/%Y} ({why}), dia sem expediente."
        self.d_due_rule.setText(rule)
        origin = due.provenance if due.date is not None or due.overridden else ""
        self.d_due_origin.setText(f"Origem do prazo: {origin}" if origin else "")
        self.d_due_origin.setVisible(bool(origin))
        self.due_button.setEnabled(editable)
        self.rule_button.setVisible(state.item.due_override_by_user)
        self.rule_button.setEnabled(editable)

    def _shown_state(self) -> ItemState | None:
        return self._by_id.get(self._shown_item_id) if self._shown_item_id else None

    def _editable(self) -> bool:
        return bool(self._cycle and not self._cycle.is_concluded)

    # ================================================================== status
    def _status_chosen(self, index: int) -> None:
        value = self.d_status.itemData(index)
        if value and self._shown_item_id:
            self.set_status(self._shown_item_id, Status(value))

    def cycle_selected_status(self) -> None:
        """Space in the tree: Pendente → Em andamento → Concluído → Pendente."""
        item_id = self._selected_item_id()
        state = self._by_id.get(item_id)
        if state is None:
            return
        if not self._editable():
            self.message.show_message(
                "Este ciclo está concluído e não pode ser alterado. Para alterar, reabra o ciclo.", "warning"
            )
            return
        self.set_status(item_id, NEXT_STATUS[state.item.status])

    def set_status(self, item_id: str, status: Status) -> bool:
        """Change the situação (asking the justification when needed). True when it changed."""
        state = self._by_id.get(item_id)
        if state is None or not self._editable():
            return False
        item = state.item
        if status is item.status:
            return False
        reason = ""
        if status in (Status.NOT_APPLICABLE, Status.BLOCKED):
            asked = self._ask_status_reason(
                item.item_key, status, item.status_reason if item.status is status else ""
            )
            if asked is None:
                self._reset_status_combo()
                return False
            reason = asked
        try:
            self.ctx.services.checklists.set_status(
                actor=self.ctx.actor, item_id=item_id, status=status, reason=reason
            )
        except ValidationError as exc:
            self._reset_status_combo()
            self.status_error.show_error(exc.field_errors.get("reason") or exc.message)
            return False
        except SuasError as exc:
            self._reset_status_combo()
            show_error(self, exc)
            return False
        self.status_error.show_error("")
        self.ctx.undo_stack.push(
            SetItemStatus(
                self.ctx,
                item_id,
                (item.status, item.status_reason),
                (status, reason),
                item_key=item.item_key,
                parent_widget=self,
            )
        )
        self.message.show_message(STATUS_MESSAGES[status].format(key=item.item_key), "success", UNDO_TEXT)
        return True

    def _ask_status_reason(self, key: str, status: Status, initial: str) -> str | None:
        if status is Status.NOT_APPLICABLE:
            return ReasonDialog.ask(
                self,
                title="Marcar como “Não se aplica”",
                message=f"Explique por que o item {key} não se aplica ao município. A justificativa aparece "
                "nos relatórios e no histórico.",
                label="&Justificativa",
                action="Salvar Justificativa",
                initial=initial,
            )
        return ReasonDialog.ask(
            self,
            title="Marcar como “Bloqueado”",
            message=f"Diga o que impede o item {key} de andar (por exemplo, um documento que depende de "
            "outro setor).",
            label="&Motivo do bloqueio",
            action="Salvar Motivo",
            initial=initial,
        )

    def _reset_status_combo(self) -> None:
        state = self._shown_state()
        if state is not None:
            self.d_status.setCurrentIndex(self.d_status.findData(state.item.status.value))

    # ================================================================== responsible and notes
    def _save_responsible(self) -> None:
        state = self._shown_state()
        if state is None or not self._editable():
            return
        new = " ".join(self.d_responsible.text().split())
        old = state.item.responsible
        if new == old:
            self.responsible_error.show_error("")
            return
        try:
            self.ctx.services.checklists.assign(actor=self.ctx.actor, item_id=state.item.id, responsible=new)
        except ValidationError as exc:
            self.responsible_error.show_error(exc.field_errors.get("responsible") or exc.message)
            return
        except SuasError as exc:
            show_error(self, exc)
            return
        self.responsible_error.show_error("")
        self.ctx.undo_stack.push(
            AssignItem(self.ctx, state.item.id, old, new, item_key=state.item.item_key, parent_widget=self)
        )

    def _save_notes(self) -> None:
        state = self._shown_state()
        if state is None or not self._editable():
            return
        new = self.d_notes.toPlainText().strip()
        old = state.item.notes
        if new == old:
            return
        try:
            self.ctx.services.checklists.set_notes(actor=self.ctx.actor, item_id=state.item.id, notes=new)
        except SuasError as exc:
            show_error(self, exc)
            return
        self.ctx.undo_stack.push(
            SetItemNotes(self.ctx, state.item.id, old, new, item_key=state.item.item_key, parent_widget=self)
        )

    def _flush_edits(self) -> None:
        """Save what is typed in Responsável and Observações before the panel shows something else."""
        if not self._shown_item_id:
            return
        state = self._shown_state()
        if state is None:
            return
        if " ".join(self.d_responsible.text().split()) != state.item.responsible:
            self._save_responsible()
        if self.d_notes.toPlainText().strip() != state.item.notes:
            self._save_notes()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.d_notes and event.type() == QEvent.Type.FocusOut:
            self._save_notes()
        return super().eventFilter(watched, event)

    # ================================================================== due date
    def change_due(self) -> None:
        state = self._shown_state()
        if state is None or self._cycle is None or not self._editable():
            return
        item = state.item
        year = self._cycle.reference_year
        asked = DueDateDialog.ask(
            self,
            item_key=item.item_key,
            rule_text=state.due.rule_text,
            current=state.due.date or state.today,
            minimum=date(year, 1, 1),
            maximum=date(year + 3, 12, 31),
            reason_required=not isinstance(item.deadline, Entered),
        )
        if asked is None:
            return
        self._override_due(state, asked)

    def back_to_rule(self) -> None:
        state = self._shown_state()
        if state is None or not self._editable():
            return
        self._override_due(state, (None, ""))

    def _override_due(self, state: ItemState, after: tuple[date | None, str]) -> None:
        item = state.item
        before: tuple[date | None, str] = (None, "")
        if item.due_override is not None:
            provenance = item.due_override.provenance
            before = (
                item.due_override.date,
                provenance.note or provenance.describe() or "Data informada anteriormente.",
            )
        day, reason = after
        try:
            self.ctx.services.checklists.override_due(
                actor=self.ctx.actor, item_id=item.id, day=day, reason=reason
            )
        except ValidationError as exc:
            self.due_error.show_error(next(iter(exc.field_errors.values()), exc.message))
            return
        except SuasError as exc:
            show_error(self, exc)
            return
        self.due_error.show_error("")
        self.ctx.undo_stack.push(
            OverrideItemDue(self.ctx, item.id, before, after, item_key=item.item_key, parent_widget=self)
        )
        text = (
            f"Prazo de {item.item_key} alterado."
            if day
            else f"Prazo de {item.item_key} voltou a seguir a regra."
        )
        self.message.show_message(text, "success", UNDO_TEXT)

    # ================================================================== evidence
    def choose_files(self) -> None:
        if self._shown_state() is None or not self._editable():
            return
        names, _ = QFileDialog.getOpenFileNames(
            self, "Anexar arquivos como evidência", "", "Todos os arquivos (*)"
        )
        if names:
            self.attach_files([Path(n) for n in names])

    def attach_files(self, paths: list[Path]) -> None:
        """Attach files to the shown item in the background; one undo step for all of them."""
        state = self._shown_state()
        if state is None or not self._editable():
            return
        files = [p for p in paths if p.is_file()]
        if len(files) < len(paths):
            skipped = len(paths) - len(files)
            self.message.show_message(
                f"{skipped} item(ns) arrastado(s) não é(são) arquivo(s) e ficou(aram) de fora. "
                "Para anexar o conteúdo de uma pasta, escolha os arquivos dela.",
                "warning",
            )
        if not files:
            return
        item = state.item
        actor = self.ctx.actor
        service = self.ctx.services.checklists

        def work(report: Callable[[int, int, str], None], _cancel: object) -> tuple[list, list]:
            done, failed = [], []
            for number, path in enumerate(files):
                try:
                    report(number, len(files), f"Anexando {path.name}…")
                except Cancelled:
                    break
                try:
                    done.append(service.attach(actor=actor, item_id=item.id, path=path))
                except SuasError as exc:
                    failed.append(exc)
            return done, failed

        self.ctx.runner.start(
            work,
            on_success=lambda result: self._attached(item.id, item.item_key, *result),
            on_failure=lambda exc: show_error(self, exc),
            parent=self,
            title="Anexando arquivos…",
        )

    def _attached(self, item_id: str, item_key: str, rows: list, failed: list) -> None:
        if rows:
            stack = self.ctx.undo_stack
            if len(rows) > 1:
                stack.beginMacro(f"Anexar {len(rows)} arquivos a {item_key}")
            for row in rows:
                stack.push(
                    AttachEvidence(
                        self.ctx, self._ids, item_id, row.id, file_name=row.file_name, parent_widget=self
                    )
                )
            if len(rows) > 1:
                stack.endMacro()
            text = (
                f"Arquivo “{rows[0].file_name}” anexado a {item_key}."
                if len(rows) == 1
                else f"{len(rows)} arquivos anexados a {item_key}."
            )
            self.message.show_message(text, "success", UNDO_TEXT)
        for exc in failed:
            show_error(self, exc)

    def _selected_attachment_id(self) -> str:
        index = self.attachment_view.currentIndex()
        row = self.attachments.row_at(index.row()) if index.isValid() else None
        return row.id if row else ""

    def _update_attachment_buttons(self) -> None:
        has = bool(self._selected_attachment_id())
        self.open_button.setEnabled(has)
        self.remove_button.setEnabled(has and self._editable())

    def open_attachment(self) -> None:
        """Open a read-only copy named like the original (stored files are named by their SHA-256 and have
        no extension, so the system would not know which program to use)."""
        attachment_id = self._selected_attachment_id()
        if not attachment_id:
            return
        row = self.attachments.row_at(self.attachments.row_of(attachment_id))
        assert row is not None
        try:
            stored = self.ctx.services.checklists.attachment_path(attachment_id)
            if self._open_dir is None:  # deleted with the page (or at exit); files still open may stay
                private = Path(self.ctx.summary.data_dir) / "tmp"  # not the system temp: LGPD
                private.mkdir(parents=True, exist_ok=True)
                self._open_dir = Path(tempfile.mkdtemp(prefix="suas-anexos-", dir=private))
                weakref.finalize(self, shutil.rmtree, self._open_dir, ignore_errors=True)
            folder = self._open_dir / attachment_id
            folder.mkdir(exist_ok=True)
            copy = folder / (Path(row.file_name).name or "anexo")
            if not copy.exists():
                shutil.copyfile(stored, copy)
                with contextlib.suppress(OSError):
                    os.chmod(copy, stat.S_IREAD)
        except SuasError as exc:
            show_error(self, exc)
            return
        except OSError:
            show_error(
                self,
                UserError(
                    f"Não foi possível preparar o arquivo “{row.file_name}” para abrir.",
                    hint="Verifique se há espaço livre no disco e tente de novo.",
                ),
            )
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy))):
            show_error(
                self,
                UserError(
                    f"Não foi possível abrir “{row.file_name}”.",
                    hint="Verifique se há um programa instalado para abrir este tipo de arquivo.",
                ),
            )

    def remove_attachment(self) -> None:
        attachment_id = self._selected_attachment_id()
        state = self._shown_state()
        if not attachment_id or state is None or not self._editable():
            return
        row = self.attachments.row_at(self.attachments.row_of(attachment_id))
        assert row is not None
        service = self.ctx.services.checklists
        try:
            stash, kept = RemoveEvidence.keep_file(service, attachment_id, row.file_name)
        except SuasError as exc:  # the stored file is missing: nothing to keep for undo
            show_error(self, exc)
            return
        try:
            service.remove_attachment(actor=self.ctx.actor, attachment_id=attachment_id)
        except SuasError as exc:
            stash.cleanup()
            show_error(self, exc)
            return
        self.ctx.undo_stack.push(
            RemoveEvidence(
                self.ctx,
                self._ids,
                state.item.id,
                attachment_id,
                file_name=row.file_name,
                stash=stash,
                kept=kept,
                parent_widget=self,
            )
        )
        self.message.show_message(f"Anexo “{row.file_name}” removido.", "success", UNDO_TEXT)

    # ================================================================== cycle actions
    def start_cycle(self, kind: CycleKind = CycleKind.CLOSING) -> None:
        default_year = self._states[0].today.year if self._states else date.today().year
        request = NewCycleDialog.ask(self, default_year=default_year, kind=kind)
        if request is None:
            return
        actor = self.ctx.actor
        service = self.ctx.services.checklists

        def work(_progress: object, _cancel: object) -> Cycle:
            return service.start_cycle(
                actor=actor,
                kind=request.kind,
                reference_year=request.reference_year,
                events=request.events or None,
            )

        self.ctx.runner.start(
            work,
            on_success=self._cycle_started,
            on_failure=lambda exc: show_error(self, exc),
            parent=self,
            title="Criando o checklist…",
        )

    def _cycle_started(self, cycle: Cycle) -> None:
        self.ctx.set_active_cycle(cycle.id)
        self.ctx.notify("cycle")
        self.message.show_message(
            f"Ciclo “{cycle.title}” criado com {len(self._states)} itens. Comece pelos que vencem primeiro.",
            "success",
        )
        self.tree.setFocus()

    def conclude_cycle(self) -> None:
        cycle = self._cycle
        if cycle is None or cycle.is_concluded:
            return
        self._flush_edits()
        try:
            self.ctx.services.checklists.conclude(actor=self.ctx.actor, cycle_id=cycle.id)
        except SuasError as exc:
            show_error(self, exc)
            return
        self.ctx.undo_stack.push(ConcludeCycle(self.ctx, cycle.id, title=cycle.title, parent_widget=self))
        self.message.show_message(
            f"Ciclo “{cycle.title}” concluído. Agora ele fica somente para leitura.", "success", UNDO_TEXT
        )

    def reopen_cycle(self) -> None:
        cycle = self._cycle
        if cycle is None or not cycle.is_concluded:
            return
        reason = ReasonDialog.ask(
            self,
            title="Reabrir ciclo",
            message=f"Diga por que o ciclo “{cycle.title}” está sendo reaberto. O motivo fica registrado na "
            "trilha de auditoria.",
            label="&Motivo",
            action="Reabrir Ciclo",
        )
        if reason is None:
            return
        try:
            self.ctx.services.checklists.reopen(actor=self.ctx.actor, cycle_id=cycle.id, reason=reason)
        except SuasError as exc:
            show_error(self, exc)
            return
        self.ctx.undo_stack.push(
            ReopenCycle(self.ctx, cycle.id, reason, title=cycle.title, parent_widget=self)
        )
        self.message.show_message(
            f"Ciclo “{cycle.title}” reaberto. Os itens podem ser alterados.", "success", UNDO_TEXT
        )

    def carry_over(self) -> None:
        cycle = self._cycle
        if cycle is None or cycle.is_concluded:
            return
        open_count = sum(1 for s in self._states if s.item.status.is_open)
        if not open_count:
            self.message.show_message(
                "Não há pendências para levar: todos os itens estão concluídos ou não se aplicam.", "info"
            )
            return
        service = self.ctx.services.checklists
        targets = [
            (c.id, c.title)
            for c in service.cycles()
            if c.id != cycle.id and not c.is_concluded and c.reference_year >= cycle.reference_year
        ]
        if not targets:
            show_error(
                self,
                UserError(
                    "Ainda não existe um ciclo posterior aberto para receber as pendências.",
                    hint="Inicie o ciclo seguinte com o botão Iniciar Ciclo e tente de novo.",
                ),
            )
            return
        target_id = CarryOverDialog.ask(
            self, source_title=cycle.title, open_count=open_count, targets=targets
        )
        if not target_id:
            return
        try:
            count = service.carry_over(actor=self.ctx.actor, from_cycle_id=cycle.id, to_cycle_id=target_id)
        except SuasError as exc:
            show_error(self, exc)
            return
        self.ctx.notify("cycle_item")
        title = dict(targets).get(target_id, "")
        text = (
            "Nenhuma pendência nova para levar: as que estão em aberto já tinham sido levadas."
            if not count
            else f"1 pendência levada para “{title}”."
            if count == 1
            else f"{count} pendências levadas para “{title}”."
        )
        self.message.show_message(text, "success")

    def add_item(self) -> None:
        cycle = self._cycle
        if cycle is None or cycle.is_concluded:
            return
        state = self._shown_state()
        default_section = (
            state.item.section_code if state else (self._sections[0].code if self._sections else "")
        )
        year = cycle.reference_year
        service = self.ctx.services.checklists
        actor = self.ctx.actor

        def submit(request: NewItemRequest):
            return service.add_custom_item(
                actor=actor,
                cycle_id=cycle.id,
                section_code=request.section_code,
                title=request.title,
                guidance=request.guidance,
                legal_basis=request.legal_basis,
                evidence=request.evidence,
                roles=request.roles,
                due=request.due,
            )

        created = NewItemDialog.ask(
            self,
            sections=[(p.code, p.title) for p in self._sections],
            default_section=default_section,
            minimum=date(year, 1, 1),
            maximum=date(year + 3, 12, 31),
            default_due=date(year, 12, 31),
            submit=submit,
        )
        if created is None:
            return
        self.ctx.notify("cycle_item")
        if created.id not in self._by_id:
            self._reload()
        self.select_item(created.id)
        self.message.show_message(
            f"Item {created.item_key} criado na seção “{created.section_title}”.", "success"
        )
