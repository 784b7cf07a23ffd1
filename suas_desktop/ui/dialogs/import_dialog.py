"""Import a filled spreadsheet into a register: check every row first, write only when the user confirms.

The check is ``import_file(dry_run=True)`` run through the TaskRunner (progress after 500 ms). A file with
any bad row imports nothing: the dialog lists the problems as Linha | Coluna | Problema, which can be
copied to fix the sheet. "Importar Registros" is enabled only after a check without problems.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from suas_desktop.domain.register_fields import RowError
from suas_desktop.errors import Cancelled, SuasError
from suas_desktop.services.register_service import ImportResult
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.tasks import Task
from suas_desktop.ui.widgets import MessageBar, secondary_button

#: File chooser filter: what ``read_rows`` accepts.
SPREADSHEET_FILTER = (
    "Planilhas (*.xlsx *.xlsm *.csv);;Excel (*.xlsx *.xlsm);;CSV (*.csv);;Todos os arquivos (*)"
)

NOTHING_IMPORTED = "Nenhum registro foi importado. Corrija as linhas abaixo e tente de novo."


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}".replace(",", ".")


def choose_spreadsheet(parent: QWidget | None) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Escolher planilha para importar", "", SPREADSHEET_FILTER)
    return Path(path) if path else None


class ImportDialog(QDialog):
    """Checks a spreadsheet (dry run), shows the summary or the problems, imports on request.

    Attributes:
        imported: the ImportResult of the real import, once it ran.
    """

    def __init__(self, parent: QWidget | None, ctx: AppContext, register_name: str) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spec = ctx.services.registers.spec(register_name)
        self.path: Path | None = None
        self.checked: ImportResult | None = None
        self.imported: ImportResult | None = None
        #: The check or import running in the background, if any.
        self._task: Task | None = None
        self._busy = False
        self.setWindowTitle(f"Importar planilha: {self.spec.label}")
        self.setMinimumSize(640, 420)

        root = QVBoxLayout(self)
        root.setContentsMargins(24, 24, 24, 16)
        root.setSpacing(16)
        heading = QLabel(self.windowTitle())
        heading.setObjectName("sectionTitle")
        root.addWidget(heading)
        intro = QLabel(
            "Primeiro o SUAS Desktop confere todas as linhas da planilha. Nada é gravado antes de você "
            "clicar em Importar Registros. Uma linha igual a um registro já cadastrado atualiza esse "
            "registro."
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        root.addWidget(intro)

        file_row = QHBoxLayout()
        file_caption = QLabel("Arquivo:")
        file_caption.setObjectName("fieldLabel")
        self.file_label = QLabel("Nenhum arquivo escolhido")
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = secondary_button("Escolher Outro Arquivo")
        self.choose_button.clicked.connect(self.choose_file)
        file_row.addWidget(file_caption)
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)
        root.addLayout(file_row)

        self.message = MessageBar()
        root.addWidget(self.message)

        self.errors = QTableWidget(0, 3)
        self.errors.setHorizontalHeaderLabels(["Linha", "Coluna", "Problema"])
        self.errors.setAccessibleName("Problemas encontrados na planilha")
        self.errors.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.errors.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.errors.setAlternatingRowColors(True)
        self.errors.verticalHeader().hide()
        header = self.errors.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        copy_action = QAction("Copiar", self.errors)
        copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy_action.triggered.connect(lambda: self.copy_errors(selected_only=True))
        self.errors.addAction(copy_action)
        self.errors.hide()
        root.addWidget(self.errors, 1)
        self.copy_button = secondary_button("Copiar Lista de Problemas")
        self.copy_button.clicked.connect(lambda: self.copy_errors(selected_only=False))
        self.copy_button.hide()
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addStretch(1)
        root.addLayout(copy_row)
        root.addStretch(0)

        self.buttons = QDialogButtonBox()
        self.import_button: QPushButton = self.buttons.addButton(
            "Importar Registros", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setProperty("primary", True)
        self.import_button.setEnabled(False)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Cancelar")
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        root.addWidget(self.buttons)
        self.resize(760, 520)

    def _start(self, work: Callable[..., ImportResult], **kwargs: Any) -> None:
        self._busy = True
        task = self.ctx.runner.start(work, **kwargs)
        # A synchronous runner (tests) has already called back and cleared _busy.
        self._task = task if self._busy else None

    def _say(self, text: str, kind: str) -> None:
        """A message that stays until replaced (the result of a check must not vanish)."""
        self.message.show_message(text, kind, timeout_ms=0)
        # WORKAROUND: MessageBar repolishes only itself, so its label keeps the colour of the previous kind.
        self.message.label.style().unpolish(self.message.label)
        self.message.label.style().polish(self.message.label)

    # ------------------------------------------------------------------ checking
    def choose_file(self) -> None:
        path = choose_spreadsheet(self)
        if path is not None:
            self.check(path)

    def check(self, path: Path) -> None:
        """Read and validate every row without writing anything (through the task runner)."""
        self.path = Path(path)
        self.checked = None
        self.file_label.setText(str(self.path))
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self._show_errors([])
        self._say("Conferindo a planilha…", "info")
        service, actor, name = self.ctx.services.registers, self.ctx.actor, self.spec.name

        def work(progress, cancel) -> ImportResult:
            progress(0, 0, "Conferindo as linhas da planilha…")
            return service.import_file(actor=actor, name=name, path=self.path, dry_run=True)

        self._start(
            work,
            on_success=self._checked,
            on_failure=self._check_failed,
            parent=self,
            title="Conferindo a planilha…",
        )

    def _checked(self, result: ImportResult) -> None:
        self._busy = False
        self.choose_button.setEnabled(True)
        self.checked = result
        report = result.report
        read = _plural(report.rows, "linha lida", "linhas lidas")
        if not report.ok:
            bad_lines = len({e.line for e in report.errors if e.line})
            self._say(
                f"{NOTHING_IMPORTED} {read}; {_plural(bad_lines, 'linha tem', 'linhas têm')} problemas.",
                "error",
            )
            self._show_errors(report.errors)
            self.errors.setFocus()
            return
        if report.rows == 0:
            self._say(
                "A planilha não tem linhas preenchidas. Preencha a partir da linha 2 e tente de novo.",
                "warning",
            )
            return
        if result.created + result.updated == report.rows:
            detail = (
                f"{_plural(result.created, 'nova', 'novas')}, "
                f"{_plural(result.updated, 'atualizada', 'atualizadas')}"
            )
        else:  # the service's dry run does not say which rows match an existing record
            detail = "nenhum problema encontrado"
        self._say(f"{read}: {detail}. Clique em Importar Registros para gravar.", "success")
        self.import_button.setEnabled(True)
        self.import_button.setDefault(True)
        self.import_button.setFocus()

    def _check_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.choose_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            self._say("Conferência cancelada. Nenhum registro foi importado.", "info")
        elif isinstance(exc, SuasError):
            self._say(f"Nenhum registro foi importado. {exc.user_text()}".replace("\n", " "), "error")
        else:
            self.message.hide()
            show_error(self, exc)

    def _show_errors(self, errors: list[RowError]) -> None:
        self.errors.setRowCount(len(errors))
        for row, error in enumerate(errors):
            line = QTableWidgetItem(str(error.line) if error.line else "")
            line.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.errors.setItem(row, 0, line)
            self.errors.setItem(row, 1, QTableWidgetItem(error.column))
            self.errors.setItem(row, 2, QTableWidgetItem(error.message))
        self.errors.setVisible(bool(errors))
        self.copy_button.setVisible(bool(errors))

    def error_rows(self) -> list[tuple[str, str, str]]:
        """The problems as shown: (Linha, Coluna, Problema)."""
        return [
            tuple(self.errors.item(row, column).text() for column in range(3))  # type: ignore[misc]
            for row in range(self.errors.rowCount())
        ]

    def copy_errors(self, *, selected_only: bool) -> str:
        rows = range(self.errors.rowCount())
        if selected_only:
            chosen = sorted({index.row() for index in self.errors.selectionModel().selectedIndexes()})
            rows = chosen or rows  # type: ignore[assignment]
        lines = ["Linha\tColuna\tProblema"]
        lines += ["\t".join(self.error_rows()[row]) for row in rows]
        text = "\n".join(lines)
        QGuiApplication.clipboard().setText(text)
        return text

    # ------------------------------------------------------------------ importing
    def run_import(self) -> None:
        if self.path is None or self.checked is None or not self.checked.report.ok:
            return
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self._say("Importando os registros…", "info")
        service, actor, name, path = self.ctx.services.registers, self.ctx.actor, self.spec.name, self.path

        def work(progress, cancel) -> ImportResult:
            progress(0, 0, "Gravando os registros…")
            return service.import_file(actor=actor, name=name, path=path)

        # The write is all or nothing and cannot stop halfway: no Cancelar while it runs.
        self.cancel_button.setEnabled(False)
        self._start(
            work, on_success=self._imported, on_failure=self._import_failed, parent=self, title="Importando…"
        )

    def _imported(self, result: ImportResult) -> None:
        self._busy = False
        self.cancel_button.setEnabled(True)
        self.imported = result
        if not result.report.ok:  # the file changed between the check and the import
            self._checked(result)
            return
        self.accept()

    def _import_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.cancel_button.setEnabled(True)
        self.choose_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            self._say("Importação cancelada. Nenhum registro foi importado.", "info")
            self.import_button.setEnabled(True)
            return
        self._say("Nenhum registro foi importado.", "error")
        show_error(self, exc)

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: AppContext, register_name: str) -> ImportResult | None:
        """Choose a file, check it, and import it if the user confirms. None when nothing was imported."""
        path = choose_spreadsheet(parent)
        if path is None:
            return None
        dialog = cls(parent, ctx, register_name)
        try:
            dialog.check(path)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.imported
            return None
        finally:
            dialog.delete_when_idle()

    def delete_when_idle(self) -> None:
        """Delete the dialog now, or when its background task ends (Cancelar during a check)."""
        task = self._task
        if task is None or not self._busy:
            self.deleteLater()
        else:  # connected after the runner's own slots, so the dialog's callbacks run first
            task.signals.finished.connect(self.deleteLater)
            task.signals.failed.connect(self.deleteLater)
