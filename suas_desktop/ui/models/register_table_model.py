"""Table model for one register: a column per field (long texts left out), plain tuples, fast at 10,000 rows.

Everything the view asks for is computed once in :meth:`RegisterTableModel.set_records`: the pt-BR text of
each cell (``format_value``; reference ids replaced by the referenced record's title), a sort key per cell
(money, numbers and dates sort by value, text accent- and case-insensitively) and one folded search text per
row. ``data()`` only indexes tuples, so painting, sorting and filtering never call a service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from suas_desktop.domain.register_fields import (
    FieldKind,
    FieldSpec,
    RegisterRecord,
    RegisterSpec,
    format_value,
    mask_cpf,
)
from suas_desktop.domain.text import fold

#: Sort key of a cell: floats for money and numbers (a QVariant double compares by value and holds any
#: centavos amount exactly up to 2**53), ISO text for dates, folded text for the rest; None sorts last.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The id of the record shown in the row (same for every column).
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 2

#: Shown in a cell with no value: the gov.br table pattern asks for no empty cells.
BLANK = "—"

_NUMERIC = (FieldKind.INT, FieldKind.MONEY)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

Index = QModelIndex | QPersistentModelIndex


def table_fields(spec: RegisterSpec) -> tuple[FieldSpec, ...]:
    """The fields shown as columns: all but long texts (they belong in the form, not in a grid)."""
    return tuple(f for f in spec.fields if f.kind is not FieldKind.LONG_TEXT)


def _sort_key(f: FieldSpec, value: Any, text: str) -> Any:
    if value is None or value == "":
        return None
    if f.kind in _NUMERIC:
        return float(value)
    if f.kind is FieldKind.BOOL:
        return 1 if value else 0
    if f.kind is FieldKind.DATE:
        return str(value)  # ISO yyyy-mm-dd sorts in date order
    return fold(text)


class RegisterTableModel(QAbstractTableModel):
    """Read-only rows of one register.

    Columns follow :func:`table_fields`; :meth:`field_at` and :meth:`column_of` map between a column and
    its field (columns depend on the register, so there are no fixed ``COL_*`` numbers).
    """

    def __init__(self, spec: RegisterSpec, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._spec = spec
        self._fields = table_fields(spec)
        self._ids: list[str] = []
        self._texts: list[tuple[str, ...]] = []
        self._keys: list[tuple[Any, ...]] = []
        self._search: list[str] = []
        #: Row -> position in the service's list (the order shown when no column is sorted).
        self._positions: list[int] = []
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # ------------------------------------------------------------------ loading
    @property
    def spec(self) -> RegisterSpec:
        return self._spec

    def set_spec(self, spec: RegisterSpec) -> None:
        """Show another register (clears the rows; call :meth:`set_records` next)."""
        self.beginResetModel()
        self._spec = spec
        self._fields = table_fields(spec)
        self._ids, self._texts, self._keys, self._search, self._positions = [], [], [], [], []
        self._sort_column = -1
        self.endResetModel()

    def set_records(
        self, records: Iterable[RegisterRecord], ref_labels: Mapping[str, Mapping[str, str]] | None = None
    ) -> None:
        """Replace every row. ``ref_labels`` is ``RegisterService.ref_labels(spec)``: field -> id -> title."""
        refs = ref_labels or {}
        fields = self._fields
        ids: list[str] = []
        texts: list[tuple[str, ...]] = []
        keys: list[tuple[Any, ...]] = []
        search: list[str] = []
        for record in records:
            values = record.values
            row_texts = []
            row_keys = []
            for f in fields:
                value = values.get(f.name)
                if f.kind is FieldKind.REF:
                    text = refs.get(f.name, {}).get(value, "") if value else ""
                    if value and not text:
                        text = "(registro excluído)"
                elif f.kind is FieldKind.CPF:
                    text = mask_cpf(value)  # LGPD: the list shows only the middle digits; the form has all
                else:
                    text = format_value(f, value)
                row_texts.append(text)
                row_keys.append(_sort_key(f, value, text))
            ids.append(record.id)
            texts.append(tuple(row_texts))
            keys.append(tuple(row_keys))
            search.append(fold(" ".join(row_texts)))
        self.beginResetModel()
        self._ids, self._texts, self._keys, self._search = ids, texts, keys, search
        self._positions = list(range(len(ids)))
        if self._sort_column >= 0:
            self._apply_order(self._sorted_rows(self._sort_column, self._sort_order))
        self.endResetModel()

    # ------------------------------------------------------------------ sorting
    def _sorted_rows(self, column: int, order: Qt.SortOrder) -> list[int]:
        """Current rows in the new order: by the column's sort key, blanks always last, ties stable."""
        rows = range(len(self._ids))
        if column < 0 or column >= len(self._fields):
            return sorted(rows, key=self._positions.__getitem__)
        keys = self._keys
        filled = [row for row in rows if keys[row][column] is not None]
        blank = [row for row in rows if keys[row][column] is None]
        filled.sort(key=lambda row: keys[row][column], reverse=order == Qt.SortOrder.DescendingOrder)
        return filled + blank

    def _apply_order(self, new_rows: list[int]) -> None:
        self._ids = [self._ids[row] for row in new_rows]
        self._texts = [self._texts[row] for row in new_rows]
        self._keys = [self._keys[row] for row in new_rows]
        self._search = [self._search[row] for row in new_rows]
        self._positions = [self._positions[row] for row in new_rows]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by :data:`SORT_ROLE` of ``column`` (-1: the service's order).

        Done here in Python on the precomputed keys: letting QSortFilterProxyModel compare 10,000 rows calls
        ``data()`` across the C++/Python boundary some 300,000 times (about 0.7 s); this takes milliseconds.
        """
        self._sort_column, self._sort_order = column, order
        new_rows = self._sorted_rows(column, order)
        if new_rows == list(range(len(new_rows))):
            return
        self.layoutAboutToBeChanged.emit()
        old_to_new = {old: new for new, old in enumerate(new_rows)}
        persistent = self.persistentIndexList()
        moved = [self.index(old_to_new[index.row()], index.column()) for index in persistent]
        self._apply_order(new_rows)
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # ------------------------------------------------------------------ lookups (no Qt roles)
    def field_at(self, column: int) -> FieldSpec:
        return self._fields[column]

    def column_of(self, field_name: str) -> int:
        for column, f in enumerate(self._fields):
            if f.name == field_name:
                return column
        return -1

    def record_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, record_id: str) -> int:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def text(self, row: int, column: int) -> str:
        return self._texts[row][column]

    def search_text(self, row: int) -> str:
        """Every visible cell of the row, accent- and case-folded (for the search box)."""
        return self._search[row]

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._fields)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[row][column] or BLANK
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._texts[row][column] or "não informado"
        if role == SORT_ROLE:
            return self._keys[row][column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if self._fields[column].kind in _NUMERIC else _LEFT
        if role == RECORD_ID_ROLE:
            return self._ids[row]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._fields):
            return None
        f = self._fields[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return f.label
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if f.kind in _NUMERIC else _LEFT
        if role == Qt.ItemDataRole.ToolTipRole and f.help:
            return f.help
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class RegisterFilterProxy(QSortFilterProxyModel):
    """Keeps the rows whose visible text holds every searched word; sorting is handed to the source model.

    Clicking a header calls ``sort()`` here; it asks :class:`RegisterTableModel` to order its rows by
    :data:`SORT_ROLE` (fast, in Python) and leaves the proxy itself unsorted, so the proxy keeps the source
    order and only filters. ``sortRole`` is still :data:`SORT_ROLE` for code that sorts the proxy directly.

    The search ignores accents and case ("jose" finds "José") and reads the source model's precomputed
    row text directly, so filtering 10,000 rows costs one substring test per row.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, RegisterTableModel):
            source.sort(column, order)
        else:
            super().sort(column, order)

    @property
    def search(self) -> str:
        return " ".join(self._words)

    def set_search(self, text: str) -> None:
        words = tuple(fold(text).split())
        if words == self._words:
            return
        self.beginFilterChange()
        self._words = words
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        source = self.sourceModel()
        if not isinstance(source, RegisterTableModel):
            return True
        haystack = source.search_text(source_row)
        return all(word in haystack for word in self._words)


def column_widths(model: RegisterTableModel, measure: Callable[[str], int], rows: int = 200) -> list[int]:
    """Column widths in pixels from the header and the first ``rows`` rows.

    Cheaper than ``resizeColumnsToContents`` on 10,000 rows. ``measure``: ``QFontMetrics.horizontalAdvance``.
    """
    sample = range(min(model.rowCount(), rows))
    widths = []
    for column in range(model.columnCount()):
        texts = {model.field_at(column).label, *(model.text(row, column) for row in sample)}
        widest = max(measure(text) for text in texts)
        widths.append(min(max(widest + 32, 64), 280))
    return widths
