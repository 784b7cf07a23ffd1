"""Trilha de Auditoria: who did what, when, to which record; filters, export and the integrity check.

Reads through :class:`~suas_desktop.services.audit_service.AuditService` (which checks the
permission and records every export). The trail never holds the values that changed, only the names
of the fields, so nothing personal is shown here beyond the names of the staff who acted.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from suas_desktop import APP_NAME
from suas_desktop.errors import SuasError
from suas_desktop.services.audit_service import VIEW_LIMIT, AuditQuery, AuditRow
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.dialogs.municipality_form import DATE_EXAMPLE, DateField, field_label, help_label
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.models.rows_table_model import RowsTableModel
from suas_desktop.ui.widgets import FieldError, MessageBar, primary_button, secondary_button

COLUMNS = ("Nº", "Data e hora", "Usuário", "Ação", "Tabela", "Registro", "Campos alterados", "Detalhe")
_Index = QModelIndex | QPersistentModelIndex


class AuditTableModel(RowsTableModel[AuditRow]):
    columns = COLUMNS

    def row_at(self, row: int) -> AuditRow:
        return self._rows[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (
                str(row.seq),
                row.when.strftime("%d/%m/%Y %H:%M:%S"),
                row.actor,
                row.action_label,
                row.entity_label,
                row.record_id[:8],
                ", ".join(row.fields),
                row.detail,
            )
            text = values[index.column()]
            if role == Qt.ItemDataRole.ToolTipRole:
                return {3: row.action, 5: row.record_id}.get(index.column(), text)
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AuditViewer(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"{APP_NAME}: trilha de auditoria")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(
            help_label(
                "Cada entrada, alteração, exportação, importação, assinatura e cópia de segurança fica "
                "registrada aqui, com quem fez e quando. Os valores alterados não são guardados, só os nomes "
                "dos campos."
            )
        )
        self.message = MessageBar()
        layout.addWidget(self.message)

        filters = QGridLayout()
        filters.setHorizontalSpacing(12)
        self.since = DateField()
        self.until = DateField()
        self.actor = QComboBox()
        self.action = QComboBox()
        self.entity = QComboBox()
        self.record = QLineEdit()
        self.record.setPlaceholderText("identificador do registro")
        for column, (text, widget) in enumerate(
            (("&De", self.since), ("A&té", self.until), ("&Usuário", self.actor), ("&Ação", self.action))
        ):
            filters.addWidget(field_label(text, widget), 0, column)
            filters.addWidget(widget, 1, column)
        for column, (text, widget) in enumerate((("&Tabela", self.entity), ("&Registro", self.record))):
            filters.addWidget(field_label(text, widget), 2, column)
            filters.addWidget(widget, 3, column)
        layout.addLayout(filters)
        self.filter_error = FieldError()
        layout.addWidget(self.filter_error)

        actions = QHBoxLayout()
        self.apply_button = primary_button("&Filtrar")
        self.apply_button.clicked.connect(self.refresh)
        self.clear_button = secondary_button("&Limpar Filtros")
        self.clear_button.clicked.connect(self.clear_filters)
        self.export_button = secondary_button("E&xportar…")
        self.export_button.clicked.connect(self.export)
        self.check_button = secondary_button("&Verificar Integridade")
        self.check_button.clicked.connect(self.check)
        for button in (self.apply_button, self.clear_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.check_button)
        actions.addWidget(self.export_button)
        layout.addLayout(actions)

        self.model = AuditTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Registros da trilha de auditoria")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")
        layout.addWidget(self.count_label)
        self.resize(1100, 680)
        self._fill_choices()
        self.refresh()

    @classmethod
    def open(cls, ctx: AppContext, parent: QWidget | None = None) -> None:
        """Show the trail (modal); a role without the permission gets the service's message."""
        try:
            dialog = cls(ctx, parent)
        except SuasError as exc:
            show_error(parent, exc)
            return
        dialog.exec()

    # ------------------------------------------------------------------ filters
    def _fill_choices(self) -> None:
        audit = self.ctx.services.audit
        self.actor.clear()
        self.actor.addItem("Todos", "")
        for name in audit.actors():
            self.actor.addItem(name, name)
        self.action.clear()
        self.action.addItem("Todas", "")
        for prefix, label in (
            ("auth.", "Entradas e saídas"),
            ("permission.", "Ações recusadas"),
            ("backup.", "Cópias de segurança"),
            ("package.", "Pacotes"),
        ):
            self.action.addItem(f"{label} (todas)", prefix)
        for code, label in audit.actions():
            self.action.addItem(label, code)
        self.entity.clear()
        self.entity.addItem("Todas", "")
        for code, label in audit.entities():
            self.entity.addItem(label, code)

    def query(self) -> AuditQuery | None:
        """The filters as a query; None (and a message) when a date is not a date."""
        try:
            since, until = self.since.date_value(), self.until.date_value()
        except ValueError:
            self.filter_error.show_error(f"Datas: {DATE_EXAMPLE}")
            return None
        if since and until and until < since:
            self.filter_error.show_error("A data final não pode ser antes da inicial.")
            return None
        self.filter_error.show_error("")
        return AuditQuery(
            since=since,
            until=until,
            actor=self.actor.currentData() or None,
            action=self.action.currentData() or None,
            entity=self.entity.currentData() or None,
            record_id=self.record.text().strip() or None,
        )

    def refresh(self) -> None:
        query = self.query()
        if query is None:
            return
        try:
            rows = self.ctx.services.audit.entries(AuditQuery(**{**query.__dict__, "limit": None}))
        except SuasError as exc:
            show_error(self, exc)
            return
        shown = rows[-VIEW_LIMIT:][::-1]  # newest first
        self.model.set_rows(shown)
        self.table.resizeColumnsToContents()
        if len(rows) > VIEW_LIMIT:
            self.count_label.setText(
                f"{len(rows)} registros; mostrando os {VIEW_LIMIT} mais recentes. Use os filtros ou exporte "
                "para ver todos."
            )
        else:
            self.count_label.setText(f"{len(rows)} registro(s), do mais recente ao mais antigo.")

    def clear_filters(self) -> None:
        for field in (self.since, self.until, self.record):
            field.clear()
        for combo in (self.actor, self.action, self.entity):
            combo.setCurrentIndex(0)
        self.refresh()

    # ------------------------------------------------------------------ actions
    @staticmethod
    def ask_export_path(parent: QWidget) -> str:
        path, _ = QFileDialog.getSaveFileName(
            parent,
            "Exportar a trilha de auditoria",
            "trilha-de-auditoria.xlsx",
            "Planilha do Excel (*.xlsx);;Texto separado por ponto e vírgula (*.csv)",
        )
        return path

    def export(self, path: str | Path | None = None) -> None:
        query = self.query()
        if query is None:
            return
        chosen = str(path) if path else self.ask_export_path(self)
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() not in (".csv", ".xlsx"):
            target = target.with_suffix(".xlsx")
        try:
            count = self.ctx.services.audit.export(target, query, actor=self.ctx.actor)
        except SuasError as exc:
            show_error(self, exc)
            return
        self.message.show_message(f"{count} registro(s) exportados para {target.name}.", "success")
        self._fill_choices_keeping_selection()
        self.refresh()

    def check(self) -> None:
        try:
            report = self.ctx.services.audit.check()
        except SuasError as exc:
            show_error(self, exc)
            return
        if report.ok:
            self.message.show_message(
                f"Trilha íntegra: {report.checked} registros conferidos, nenhum alterado ou apagado.",
                "success",
            )
        else:
            more = f" (e mais {len(report.problems) - 3})" if len(report.problems) > 3 else ""
            self.message.show_message(
                "A trilha de auditoria foi adulterada: " + " ".join(report.problems[:3]) + more,
                "error",
                timeout_ms=0,
            )

    def _fill_choices_keeping_selection(self) -> None:
        kept = [(combo, combo.currentData()) for combo in (self.actor, self.action, self.entity)]
        self._fill_choices()
        for combo, data in kept:
            index = combo.findData(data)
            combo.setCurrentIndex(max(index, 0))
