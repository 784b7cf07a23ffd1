"""Models of the Checklists screen: the section → item tree, the evidence list and the item history.

Everything a view shows is worked out once when rows are set (``set_states``, ``set_rows``): ``data()`` only
looks values up, so painting and keyboard navigation never call a service. Status, deadline and overdue marks
are always an icon *and* words (ux.md §B1: colour is never the only cue).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication

from suas_desktop.domain.clock import parse_iso_utc
from suas_desktop.domain.cycle import ItemState, Progress, Status
from suas_desktop.domain.text import fold
from suas_desktop.services.checklist_service import HistoryEntry
from suas_desktop.ui import theme

Index = QModelIndex | QPersistentModelIndex

#: "Section" or "item": what a tree row is.
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
#: The cycle item id of an item row (None on section rows).
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 2
#: The :class:`Status` value of an item row (None on section rows).
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3
#: True when the item is open and past its due date.
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 4
#: The section code of the row (sections and items).
SECTION_ROLE = Qt.ItemDataRole.UserRole + 5
#: The attachment id of an evidence row.
ATTACHMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 6

KIND_SECTION = "section"
KIND_ITEM = "item"

#: Days before the due date when an open item gets the "vence em breve" mark (ux.md: "Vencem em 7 dias").
DUE_SOON_MARK_DAYS = 7

#: Shown instead of an empty cell (gov.br table pattern: no empty cells).
BLANK = "—"
NO_RESPONSIBLE = "Não definido"

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


# ---------------------------------------------------------------------- words


def br_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def local_datetime(iso_utc: str) -> str:
    """``dd/mm/aaaa HH:MM`` in the computer's time zone, from a stored UTC timestamp."""
    return parse_iso_utc(iso_utc).astimezone().strftime("%d/%m/%Y %H:%M")


def local_date(iso_utc: str) -> str:
    return parse_iso_utc(iso_utc).astimezone().strftime("%d/%m/%Y")


def _days(n: int) -> str:
    return "1 dia" if n == 1 else f"{n} dias"


def due_text(state: ItemState) -> str:
    """The deadline in words: "Vence em 3 dias — 20/12/2026", "Atrasado há 5 dias — 20/11/2026"…"""
    due = state.due
    if due.date is None:
        return due.describe() if state.item.status.is_open else "Prazo: sem data"
    day = br_date(due.date)
    if not state.item.status.is_open:
        return f"Prazo: {day}"
    left = state.days_left or 0
    if left < 0:
        return f"Atrasado há {_days(-left)} — {day}"
    if left == 0:
        return f"Vence hoje — {day}"
    if left == 1:
        return f"Vence amanhã — {day}"
    return f"Vence em {_days(left)} — {day}"


def short_due_text(state: ItemState) -> str:
    """``due_text`` for the tree: long hints of dates to be entered shrink to "Informe a data"."""
    if state.due.date is None and state.due.needs_entry:
        return "Informe a data do prazo"
    return due_text(state)


def due_soon(state: ItemState) -> bool:
    return state.due_within(DUE_SOON_MARK_DAYS)


def finished_text(p: Progress) -> str:
    return f"{p.finished} de {p.total} concluídos"


def size_text(size: int) -> str:
    """File size in KB/MB with a decimal comma (ux.md: numbers from the pt-BR conventions)."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB".replace(".", ",")
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


# ---------------------------------------------------------------------- icons

#: Icon name → theme token of its strong colour.
_ICON_TOKENS = {
    "done": "success.strong",
    "in_progress": "info.text",
    "pending": "text.muted",
    "not_applicable": "text.muted",
    "blocked": "warning.text",
    "overdue": "danger.strong",
    "due_soon": "warning.text",
    "info": "info.text",
}
STATUS_ICON = {
    Status.PENDING: "pending",
    Status.IN_PROGRESS: "in_progress",
    Status.DONE: "done",
    Status.NOT_APPLICABLE: "not_applicable",
    Status.BLOCKED: "blocked",
}
_icon_cache: dict[tuple[str, bool], QIcon] = {}


def _dark_palette() -> bool:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return False
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def status_icon(name: str) -> QIcon:
    """A small icon whose *shape* tells the status (check, empty circle, half circle, minus, triangle, cross).

    Colours come from the theme tokens (light or dark after the application palette), never from hex
    literals here; the shape alone still reads in greyscale.
    """
    dark = _dark_palette()
    key = (name, dark)
    if key in _icon_cache:
        return _icon_cache[key]
    tokens = theme.DARK if dark else theme.LIGHT
    colour = QColor(tokens[_ICON_TOKENS[name]])
    icon = QIcon()
    for size in (16, 32):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(size / 16, size / 16)
        _draw_icon(painter, name, colour, QColor(tokens["bg.window"]))
        painter.end()
        icon.addPixmap(pixmap)
    _icon_cache[key] = icon
    return icon


def _draw_icon(p: QPainter, name: str, colour: QColor, cutout: QColor) -> None:
    """Draw on a 16×16 grid; ``cutout`` (the window background) draws the marks inside filled shapes."""
    circle = QRectF(1.5, 1.5, 13, 13)
    if name in ("blocked", "due_soon"):
        path = QPainterPath()
        path.moveTo(8, 1.5)
        path.lineTo(15, 14.5)
        path.lineTo(1, 14.5)
        path.closeSubpath()
        p.setPen(QPen(colour, 1.4))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.setPen(_round_pen(colour, 1.8))
        p.drawLine(QPointF(8, 6), QPointF(8, 10))
        p.drawPoint(QPointF(8, 12.5))
        return
    if name == "done":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(circle)
        p.setPen(_round_pen(cutout, 1.8))
        p.drawPolyline([QPointF(4.8, 8.2), QPointF(7.1, 10.5), QPointF(11.4, 5.6)])
        return
    if name == "overdue":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(circle)
        p.setPen(_round_pen(cutout, 1.8))
        p.drawLine(QPointF(5.5, 5.5), QPointF(10.5, 10.5))
        p.drawLine(QPointF(10.5, 5.5), QPointF(5.5, 10.5))
        return
    p.setPen(_round_pen(colour, 1.6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(circle)
    if name == "in_progress":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawPie(circle, 90 * 16, -180 * 16)
    elif name == "not_applicable":
        p.setPen(_round_pen(colour, 1.8))
        p.drawLine(QPointF(5, 8), QPointF(11, 8))
    elif name == "info":
        p.setPen(_round_pen(colour, 1.8))
        p.drawLine(QPointF(8, 7), QPointF(8, 11.5))
        p.drawPoint(QPointF(8, 4.5))


def _round_pen(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def token_colour(name: str) -> QColor:
    """The colour of a theme token for the current (light or dark) palette."""
    tokens = theme.DARK if _dark_palette() else theme.LIGHT
    return QColor(tokens[name])


# ---------------------------------------------------------------------- filters


@dataclass(frozen=True)
class ItemFilter:
    """What the filter row asks for; empty values mean "any". Filters combine (AND)."""

    #: A :class:`Status`, "open" (pendente, em andamento, bloqueado) or None for all.
    status: Status | str | None = None
    #: An exact responsible name, ``NO_RESPONSIBLE_FILTER`` for items without one, or "" for any.
    responsible: str = ""
    overdue_only: bool = False
    section: str = ""
    text: str = ""

    @property
    def active(self) -> bool:
        return self != ItemFilter()


STATUS_FILTER_OPEN = "open"
NO_RESPONSIBLE_FILTER = "\x00none"


def matches(state: ItemState, f: ItemFilter) -> bool:
    item = state.item
    if f.status == STATUS_FILTER_OPEN:
        if not item.status.is_open:
            return False
    elif f.status is not None and item.status is not f.status:
        return False
    if f.responsible == NO_RESPONSIBLE_FILTER:
        if item.responsible:
            return False
    elif f.responsible and item.responsible != f.responsible:
        return False
    if f.overdue_only and not state.overdue:
        return False
    if f.section and item.section_code != f.section:
        return False
    if f.text:
        haystack = fold(
            " ".join(
                (item.item_key, item.title, item.responsible, item.notes, item.legal_basis, item.guidance)
            )
        )
        if not all(word in haystack for word in fold(f.text).split()):
            return False
    return True


def filter_states(states: Iterable[ItemState], f: ItemFilter) -> list[ItemState]:
    return [s for s in states if matches(s, f)]


# ---------------------------------------------------------------------- tree


@dataclass
class _Section:
    progress: Progress
    items: list[ItemState] = field(default_factory=list)


#: internalId of section rows; item rows carry their section row + 1.
_TOP = 0


class ChecklistTreeModel(QAbstractItemModel):
    """Sections (top level) and their items, read-only.

    Section rows show "3 de 12 concluídos" for the *whole* section, even when a filter hides some items.
    :meth:`set_states` updates cells in place (keeping selection, expansion and scroll) when the rows are the
    same as before, and resets the model otherwise.
    """

    COL_ITEM = 0
    COL_STATUS = 1
    COL_DUE = 2
    COL_RESPONSIBLE = 3
    COLUMN_COUNT = 4
    HEADERS = ("Item", "Situação", "Prazo", "Responsável")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sections: list[_Section] = []

    # ------------------------------------------------------------------ loading
    def set_states(self, states: Sequence[ItemState], sections: Sequence[Progress]) -> bool:
        """Show ``states`` (already filtered) grouped under ``sections`` (whole-cycle progress, in order).

        Sections without a shown item are left out. Returns True when the model was reset (rows changed).
        """
        by_code: dict[str, _Section] = {p.code: _Section(p) for p in sections}
        for st in states:
            section = by_code.get(st.item.section_code)
            if section is None:  # progress given for fewer sections than items: still show the item
                section = by_code[st.item.section_code] = _Section(
                    Progress(st.item.section_code, st.item.section_title)
                )
            section.items.append(st)
        new = [s for s in by_code.values() if s.items]
        if self._shape(new) == self._shape(self._sections):
            self._sections = new
            self._emit_all_changed()
            return False
        self.beginResetModel()
        self._sections = new
        self.endResetModel()
        return True

    def clear(self) -> None:
        self.set_states([], [])

    @staticmethod
    def _shape(sections: Sequence[_Section]) -> list[tuple[str, tuple[str, ...]]]:
        return [(s.progress.code, tuple(st.item.id for st in s.items)) for s in sections]

    def _emit_all_changed(self) -> None:
        if not self._sections:
            return
        last = self.COLUMN_COUNT - 1
        self.dataChanged.emit(self.index(0, 0), self.index(len(self._sections) - 1, last))
        for row, section in enumerate(self._sections):
            parent = self.index(row, 0)
            self.dataChanged.emit(self.index(0, 0, parent), self.index(len(section.items) - 1, last, parent))

    # ------------------------------------------------------------------ lookups
    def item_count(self) -> int:
        return sum(len(s.items) for s in self._sections)

    def state_at(self, index: Index) -> ItemState | None:
        if not index.isValid() or index.internalId() == _TOP:
            return None
        return self._sections[index.internalId() - 1].items[index.row()]

    def index_of_item(self, item_id: str, column: int = 0) -> QModelIndex:
        for srow, section in enumerate(self._sections):
            for row, st in enumerate(section.items):
                if st.item.id == item_id:
                    return self.createIndex(row, column, srow + 1)
        return QModelIndex()

    def index_of_section(self, code: str) -> QModelIndex:
        for row, section in enumerate(self._sections):
            if section.progress.code == code:
                return self.createIndex(row, 0, _TOP)
        return QModelIndex()

    def item_ids(self) -> list[str]:
        return [st.item.id for s in self._sections for st in s.items]

    # ------------------------------------------------------------------ structure
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        if parent.internalId() == _TOP:
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        if not parent.isValid():
            return len(self._sections)
        if parent.column() != 0:
            return 0
        if parent.internalId() == _TOP:
            return len(self._sections[parent.row()].items)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return self.COLUMN_COUNT

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt API
        return self.rowCount(parent) > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < self.COLUMN_COUNT
        if horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    # ------------------------------------------------------------------ data
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._section_data(self._sections[index.row()], index.column(), role)
        state = self._sections[index.internalId() - 1].items[index.row()]
        return self._item_data(state, index.column(), role)

    def _section_data(self, section: _Section, column: int, role: int) -> Any:
        p = section.progress
        if role == KIND_ROLE:
            return KIND_SECTION
        if role == SECTION_ROLE:
            return p.code
        if role == OVERDUE_ROLE:
            return p.overdue > 0
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.COL_ITEM:
                return p.title
            if column == self.COL_STATUS:
                return finished_text(p)
            if column == self.COL_DUE:
                return f"{p.overdue} atrasado(s)" if p.overdue else ""
            return ""
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_DUE and p.overdue:
            return status_icon("overdue")
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.COL_ITEM:
            overdue = f", {p.overdue} atrasado(s)" if p.overdue else ""
            return f"Seção {p.title}: {finished_text(p)}{overdue}"
        return None

    def _item_data(self, st: ItemState, column: int, role: int) -> Any:
        item = st.item
        if role == KIND_ROLE:
            return KIND_ITEM
        if role == ITEM_ID_ROLE:
            return item.id
        if role == STATUS_ROLE:
            return item.status.value
        if role == OVERDUE_ROLE:
            return st.overdue
        if role == SECTION_ROLE:
            return item.section_code
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_ITEM:
                return f"{item.item_key}  {item.title}"
            if column == self.COL_STATUS:
                return item.status.label
            if column == self.COL_DUE:
                return short_due_text(st)
            return item.responsible or NO_RESPONSIBLE
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_ITEM:
                return f"{item.item_key} — {item.title}"
            if column == self.COL_DUE:
                return due_text(st)
            if column == self.COL_STATUS and item.status_reason:
                return f"{item.status.label}: {item.status_reason}"
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            if column == self.COL_STATUS:
                return status_icon(STATUS_ICON[item.status])
            if column == self.COL_DUE:
                if st.overdue:
                    return status_icon("overdue")
                if due_soon(st):
                    return status_icon("due_soon")
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.COL_DUE and st.overdue:
                return QBrush(token_colour("danger.strong"))
            if column == self.COL_RESPONSIBLE and not item.responsible:
                return QBrush(token_colour("text.muted"))
            return None
        if role == Qt.ItemDataRole.FontRole and column == self.COL_DUE and st.overdue:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.COL_ITEM:
            return (
                f"{item.item_key}, {item.title}. Situação: {item.status.label}. {due_text(st)}. "
                f"Responsável: {item.responsible or NO_RESPONSIBLE}."
            )
        return None


# ---------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class AttachmentInfo:
    """What the evidence list shows of an attachment (the service's row, without storage details)."""

    id: str
    file_name: str
    size: int
    created_at: str
    created_by: str


class AttachmentTableModel(QAbstractTableModel):
    COL_NAME = 0
    COL_SIZE = 1
    COL_DATE = 2
    COL_BY = 3
    COLUMN_COUNT = 4
    HEADERS = ("Arquivo", "Tamanho", "Data", "Por")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AttachmentInfo] = []

    def set_rows(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self._rows = [AttachmentInfo(r.id, r.file_name, r.size, r.created_at, r.created_by) for r in rows]
        self.endResetModel()

    def row_at(self, row: int) -> AttachmentInfo | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, attachment_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == attachment_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.COLUMN_COUNT:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.HEADERS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section == self.COL_SIZE:
                return int(_RIGHT)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == ATTACHMENT_ID_ROLE:
            return row.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.COL_NAME:
                return row.file_name
            if column == self.COL_SIZE:
                return size_text(row.size)
            if column == self.COL_DATE:
                return local_date(row.created_at)
            return row.created_by
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if column == self.COL_SIZE else _LEFT)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.COL_NAME:
            return (
                f"{row.file_name}, {size_text(row.size)}, incluído em {local_date(row.created_at)} "
                f"por {row.created_by}"
            )
        return None


# ---------------------------------------------------------------------- history

_FIELD_WORDS = {
    "responsible": "Responsável alterado",
    "notes": "Observações alteradas",
    "status_reason": "Justificativa da situação alterada",
    "title": "Título alterado",
    "guidance": "Orientação alterada",
    "legal_basis": "Fundamento legal alterado",
    "evidence": "Evidência esperada alterada",
    "roles": "Responsáveis previstos alterados",
}


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe_history(entry: HistoryEntry) -> str:
    """An audit entry of an item in plain Portuguese ("Situação: Pendente → Concluído", "Anexo incluído")."""
    action, fields, detail = entry.action, set(entry.fields), entry.detail
    if action == "attachments.create":
        return "Anexo incluído"
    if action == "attachments.delete":
        return "Anexo removido"
    if action == "cycle_item.create":
        if detail == "item local":
            return "Item local criado pelo município"
        if detail:
            return f"Item {detail}"  # "trazido de “Encerramento 2025”"
        return "Item criado a partir do modelo de checklist"
    if action == "cycle_item.carry_over":
        return (
            f"Pendência {detail.replace('levado', 'levada')}"
            if detail
            else "Pendência levada para outro ciclo"
        )
    if action == "cycle_item.delete":
        return "Item excluído"
    if action == "cycle_item.update":
        parts = []
        if "status" in fields:
            parts.append(_capitalize(detail) if detail.startswith("situação") else "Situação alterada")
            fields.discard("status_reason")
        if any(f.startswith("due_override") for f in fields):
            parts.append(_capitalize(detail) if detail.startswith("prazo") else "Prazo alterado")
            if detail == "prazo volta a seguir a regra":
                parts[-1] = "Prazo voltou a seguir a regra do modelo"
        for name in sorted(fields):
            if name in _FIELD_WORDS:
                parts.append(_FIELD_WORDS[name])
        if parts:
            return "; ".join(dict.fromkeys(parts))
        return "Dados do item alterados"
    return _capitalize(detail) if detail else "Alteração registrada"


class HistoryTableModel(QAbstractTableModel):
    COL_WHEN = 0
    COL_WHO = 1
    COL_WHAT = 2
    COLUMN_COUNT = 3
    HEADERS = ("Data e hora", "Quem", "O que mudou")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str]] = []

    def set_rows(self, entries: Iterable[HistoryEntry]) -> None:
        """Newest first: what changed last is what people look for."""
        self.beginResetModel()
        self._rows = [(local_datetime(e.at), e.actor, describe_history(e)) for e in reversed(list(entries))]
        self.endResetModel()

    def texts(self) -> list[str]:
        return [row[self.COL_WHAT] for row in self._rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < self.COLUMN_COUNT
        if horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == self.COL_WHAT:
            when, who, what = self._rows[index.row()]
            return f"{when}, {who}: {what}"
        return None
