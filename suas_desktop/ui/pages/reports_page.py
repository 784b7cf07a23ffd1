"""Relatórios: choose a report and a cycle, generate it in the background, preview, save, print, open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from suas_desktop.atomic_files import atomic_write_bytes
from suas_desktop.domain.template import CycleKind
from suas_desktop.errors import KnownError
from suas_desktop.ui import error_dialogs
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.dialogs.sign_dialog import SignDialog
from suas_desktop.ui.dialogs.verify_dialog import VerifyDialog
from suas_desktop.ui.pdf_preview import render_pages
from suas_desktop.ui.widgets import EmptyState, MessageBar, ScreenHeader, primary_button, secondary_button

#: (kind, title, description, which cycles it takes)
REPORTS = (
    (
        "transition",
        "Dossiê de Transição",
        "Tudo o que a equipe que sai entrega à que entra, com o Termo de Transmissão e Recebimento "
        "para as assinaturas digitais de quem sai, de quem entra e da presidência do CMAS.",
        CycleKind.TRANSITION,
    ),
    (
        "closing",
        "Relatório de Encerramento do Exercício",
        "Situação do checklist do ano, itens que não se aplicam com as justificativas, resumo financeiro, "
        "prestações de contas e resoluções do CMAS, com campos para gestor, contador e controle interno.",
        CycleKind.CLOSING,
    ),
    (
        "pending",
        "Pendências",
        "Itens em aberto e atrasados, por responsável e por prazo, para imprimir e deixar à vista.",
        None,
    ),
    (
        "regional",
        "Relatório Regional",
        "Demanda reprimida de média e alta complexidade, andamento dos checklists e prestações de contas, "
        "no formato que a associação regional consolida.",
        None,
    ),
)
PREVIEW_DPI = 80


class ReportsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pdf: bytes | None = None
        self.file_name = "relatorio.pdf"
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 24, 24, 16)
        root.addWidget(
            ScreenHeader("Relatórios", "Gere, confira, salve e imprima os documentos do órgão gestor.")
        )
        self.message = MessageBar()
        root.addWidget(self.message)
        body = QHBoxLayout()
        body.setSpacing(24)
        root.addLayout(body, 1)

        left = QVBoxLayout()
        label = QLabel("&Relatório")
        label.setObjectName("fieldLabel")
        self.report_list = QListWidget()
        self.report_list.setAccessibleName("Tipo de relatório")
        self.report_list.setMaximumWidth(340)
        self.report_list.setWordWrap(True)
        label.setBuddy(self.report_list)
        for kind, title, description, _ in REPORTS:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, kind)
            item.setToolTip(description)
            item.setSizeHint(QSize(300, 36))
            self.report_list.addItem(item)
        self.report_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.report_list.setFixedHeight(36 * len(REPORTS) + 6)
        # The description of the chosen report, in full, under the list (list items would cut it).
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setObjectName("muted")
        self.description.setMaximumWidth(340)
        self.report_list.currentRowChanged.connect(self._report_chosen)
        cycle_label = QLabel("&Ciclo")
        cycle_label.setObjectName("fieldLabel")
        self.cycle_combo = QComboBox()
        self.cycle_combo.setAccessibleName("Ciclo do relatório")
        cycle_label.setBuddy(self.cycle_combo)
        self.generate_button = primary_button("Gerar Relatório")
        self.generate_button.clicked.connect(self.generate)
        left.addWidget(label)
        left.addWidget(self.report_list)
        left.addWidget(self.description)
        left.addWidget(cycle_label)
        left.addWidget(self.cycle_combo)
        left.addSpacing(8)
        left.addWidget(self.generate_button)
        self.verify_button = secondary_button("Verificar Assinaturas de um PDF")
        self.verify_button.clicked.connect(self.verify_pdf)
        left.addWidget(self.verify_button)
        left.addStretch(1)
        body.addLayout(left)

        right = QVBoxLayout()
        actions = QHBoxLayout()
        self.info = QLabel("Escolha um relatório e clique em Gerar Relatório.")
        self.info.setObjectName("muted")
        self.save_button = secondary_button("Salvar PDF")
        self.print_button = secondary_button("Imprimir")
        self.open_button = secondary_button("Abrir no Visualizador")
        self.save_button.clicked.connect(self.save)
        self.sign_button = secondary_button("Assinar e Salvar PDF")
        self.sign_button.clicked.connect(self.sign)
        self.print_button.clicked.connect(self.print_pdf)
        self.open_button.clicked.connect(self.open_external)
        self.save_button.setShortcut("Ctrl+S")
        self.print_button.setShortcut("Ctrl+P")
        right.addWidget(self.info)
        for button in (self.save_button, self.sign_button, self.print_button, self.open_button):
            button.setEnabled(False)
            actions.addWidget(button)
        actions.addStretch(1)
        right.addLayout(actions)
        self.preview_area = QScrollArea()
        self.preview_area.setWidgetResizable(True)
        self.preview_area.setAccessibleName("Prévia do relatório")
        self.preview_host = QWidget()
        self.preview_layout = QVBoxLayout(self.preview_host)
        self.preview_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.preview_layout.setSpacing(16)
        self.empty = EmptyState(
            "A prévia aparece aqui",
            "Escolha o relatório e o ciclo à esquerda e clique em Gerar Relatório. Depois você pode salvar, "
            "imprimir ou abrir o PDF.",
        )
        self.preview_layout.addWidget(self.empty)
        self.preview_area.setWidget(self.preview_host)
        right.addWidget(self.preview_area, 1)
        body.addLayout(right, 1)
        self.report_list.setCurrentRow(0)

    # ------------------------------------------------------------------ state
    @property
    def kind(self) -> str:
        item = self.report_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else "transition"

    def refresh(self) -> None:
        self._report_chosen(self.report_list.currentRow())

    def _report_chosen(self, row: int) -> None:
        if row < 0:
            return
        self.description.setText(REPORTS[row][2])
        cycle_kind = REPORTS[row][3]
        self.cycle_combo.clear()
        if REPORTS[row][0] == "regional":
            self.cycle_combo.addItem("Todos os ciclos do município", "")
            self.cycle_combo.setEnabled(False)
            self.generate_button.setEnabled(True)
            return
        cycles = self.ctx.services.checklists.cycles(cycle_kind)
        for cycle in cycles:
            self.cycle_combo.addItem(cycle.title + (" (concluído)" if cycle.is_concluded else ""), cycle.id)
        self.cycle_combo.setEnabled(bool(cycles))
        index = self.cycle_combo.findData(self.ctx.active_cycle_id)
        if index >= 0:
            self.cycle_combo.setCurrentIndex(index)
        if not cycles:
            what = (
                "de transição"
                if cycle_kind is CycleKind.TRANSITION
                else "de encerramento"
                if cycle_kind
                else ""
            )
            self.cycle_combo.addItem(f"Nenhum ciclo {what} iniciado".replace("  ", " "), "")
        self.generate_button.setEnabled(bool(cycles))

    # ------------------------------------------------------------------ actions
    def generate(self) -> None:
        kind = self.kind
        cycle_id = self.cycle_combo.currentData() or None
        self.generated_for = (kind, cycle_id)
        service = self.ctx.services.reports
        self.generate_button.setEnabled(False)
        self.info.setText("Gerando o relatório…")

        def work(progress, cancel):
            return service.generate(kind, cycle_id, progress=progress)

        self.ctx.runner.start(
            work,
            on_success=self._generated,
            on_failure=self._failed,
            parent=self,
            title="Gerando o relatório…",
        )

    def _generated(self, report) -> None:
        self.generate_button.setEnabled(True)
        self.pdf = report.pdf
        self.file_name = report.suggested_file_name
        self.info.setText(f"{report.title} — {report.page_count} página(s)")
        for button in (self.save_button, self.sign_button, self.print_button, self.open_button):
            button.setEnabled(True)
        self._show_preview()
        self.message.show_message("Relatório gerado. Confira a prévia antes de salvar ou assinar.", "success")

    def _failed(self, exc: BaseException) -> None:
        self.generate_button.setEnabled(True)
        self.info.setText("O relatório não foi gerado.")
        error_dialogs.show_error(self, exc)

    def _show_preview(self) -> None:
        while self.preview_layout.count():
            widget = self.preview_layout.takeAt(0).widget()
            if widget is not None and widget is not self.empty:
                widget.deleteLater()
        self.empty.hide()
        for number, image in enumerate(render_pages(self.pdf, dpi=PREVIEW_DPI), start=1):
            page = QLabel()
            page.setPixmap(QPixmap.fromImage(image))
            page.setAccessibleName(f"Página {number}")
            page.setObjectName("card")
            self.preview_layout.addWidget(page)

    def save(self) -> None:
        if not self.pdf:
            return
        start = str(Path.home() / self.file_name)
        target, _ = QFileDialog.getSaveFileName(
            self, "Salvar relatório em PDF", start, "Documento PDF (*.pdf)"
        )
        if not target:
            return
        path = Path(target if target.lower().endswith(".pdf") else f"{target}.pdf")
        try:
            atomic_write_bytes(path, self.pdf)
        except OSError as exc:
            error_dialogs.show_error(
                self,
                KnownError(
                    "Não foi possível salvar o PDF.",
                    hint=f"Verifique a pasta e o espaço em disco ({path.parent}).",
                ),
            )
            del exc
            return
        self.message.show_message(f"PDF salvo em {path}.", "success")

    def sign(self) -> None:
        """Sign the report shown: the dialog saves the signed copy where the user chooses; preview it."""
        if not self.pdf:
            return
        kind, cycle_id = getattr(self, "generated_for", (self.kind, None))
        # The unsigned copy stays inside the data folder (reports may hold personal data, LGPD).
        folder = Path(self.ctx.summary.data_dir) / "relatorios"
        source = folder / self.file_name
        try:
            folder.mkdir(exist_ok=True)
            atomic_write_bytes(source, self.pdf)
        except OSError:
            error_dialogs.show_error(
                self, KnownError("Não foi possível preparar o PDF para assinar.", hint=f"Verifique {folder}.")
            )
            return
        result = SignDialog.ask(self, self.ctx, source, kind, cycle_id, output_dir=Path.home())
        if result is None:
            return
        self.pdf = result.output_path.read_bytes()
        self.file_name = result.output_path.name
        self._show_preview()
        self.message.show_message(
            f"Documento assinado e salvo em {result.output_path}. A prévia mostra o arquivo assinado.",
            "success",
        )

    def verify_pdf(self) -> None:
        VerifyDialog.ask(self, self.ctx)

    def print_pdf(self) -> None:
        if not self.pdf:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)
            )
        )
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Imprimir relatório")
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        painter = QPainter(printer)
        try:
            for index, image in enumerate(render_pages(self.pdf, dpi=200)):
                if index:
                    printer.newPage()
                target = painter.viewport()
                scaled = image.scaled(
                    target.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
                painter.drawImage(0, 0, scaled)
        finally:
            painter.end()

    def open_external(self) -> None:
        if not self.pdf:
            return
        # Inside the data folder, not the system temp: reports may hold personal data (LGPD).
        folder = Path(self.ctx.summary.data_dir) / "relatorios"
        folder.mkdir(exist_ok=True)
        path = folder / self.file_name
        atomic_write_bytes(path, self.pdf)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
