"""Verificar Assinaturas de um PDF: every signature in words, with the overall verdict first.

For each signature: who signed, the issuer chain, the claimed time (the signer's own clock, no
timestamp), Íntegra / Válida / Confiável as "Sim"/"Não" with an icon and a sentence (never colour
alone), what the signature covers, and whether the document was changed after it. Signatures of a type
we cannot check are counted and said; local certificates are labelled "certificado local, sem validade
ICP-Brasil".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from suas_desktop import APP_NAME
from suas_desktop.errors import Cancelled
from suas_desktop.services.signature_service import FIELD_ROLES, FileVerification
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.dialogs.sign_dialog import PDF_FILTER, signature_service
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.pages.dashboard_page import Notice
from suas_desktop.ui.widgets import Card, secondary_button

LOCAL_LABEL = "certificado local, sem validade ICP-Brasil"
COVERAGE = {
    "ENTIRE_FILE": "O documento inteiro.",
    "ENTIRE_REVISION": (
        "Toda a versão que foi assinada; o que veio depois foi acrescentado ao final do arquivo."
    ),
    "CONTIGUOUS_BLOCK_FROM_START": "Só uma parte do início do arquivo.",
    "UNCLEAR": "Não foi possível saber que parte do documento a assinatura cobre.",
    "": "Não foi possível saber que parte do documento a assinatura cobre.",
}


def yes_no(ok: bool, yes: str, no: str) -> tuple[str, str]:
    """(chip style, text with icon) — the word and the icon carry the meaning, not the colour."""
    return ("success", f"✓ Sim — {yes}") if ok else ("danger", f"✖ Não — {no}")


def modification_text(check: Any) -> tuple[str, str]:
    if check.modified_after_signing:
        return "danger", "✖ Sim — o documento foi alterado depois desta assinatura, de forma não permitida."
    if check.modification_level == "FORM_FILLING":
        return (
            "success",
            "✓ Não — depois dela só foram acrescentadas outras assinaturas ou campos permitidos.",
        )
    return "success", "✓ Não — nada foi alterado depois desta assinatura."


def verdict(verification: FileVerification) -> tuple[str, str]:
    """(kind for the Notice, sentence)."""
    report: Any = verification.report
    summary = report.summary_pt
    if report.unsupported_count:
        return "warning", f"Atenção: {summary}"
    if not report.signatures:
        return "info", f"{summary} Não há o que verificar neste arquivo."
    if report.ok:
        return "success", f"Documento válido: {summary}"
    return "error", f"Atenção: {summary} Veja abaixo o que foi encontrado em cada uma."


def _chip(style: str, text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("chip", style)
    label.setWordWrap(True)
    return label


class SignatureCard(Card):
    """One signature, in words."""

    def __init__(self, number: int, check: Any, parent: QWidget | None = None) -> None:
        field = check.field or ""
        role = FIELD_ROLES.get(field)
        if check.signer == "carimbo de tempo do documento":
            title = f"Carimbo de tempo {number}"
        else:
            title = f"Assinatura {number}" + (
                f" — {role}" if role else (f" — campo {field}" if field else "")
            )
        super().__init__(title, parent)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        self.values: dict[str, QLabel] = {}
        signer = check.signer
        if check.local_certificate:
            signer += f" ({LOCAL_LABEL})"
        elif check.icp_brasil:
            signer += " (certificado ICP-Brasil)"
        claimed = check.signing_time_claimed
        when = (
            f"{claimed.astimezone():%d/%m/%Y %H:%M}, informada pelo computador de quem assinou "
            "(sem carimbo de tempo)"
            if claimed is not None
            else "Não informada."
        )
        rows: list[tuple[str, tuple[str, str] | str]] = [
            ("Quem assinou", signer),
            ("Emitido por", " › ".join(check.issuer_chain) if check.issuer_chain else "Não identificado."),
            ("Data e hora declaradas", when),
            (
                "Íntegra",
                yes_no(
                    check.intact, "o conteúdo assinado não foi alterado.", "o conteúdo assinado foi alterado."
                ),
            ),
            (
                "Válida",
                yes_no(
                    check.valid,
                    "a assinatura confere com o certificado.",
                    "a assinatura não confere com o certificado.",
                ),
            ),
            (
                "Confiável",
                yes_no(
                    check.trusted,
                    "o certificado vem da ICP-Brasil ou da lista de confiança deste computador.",
                    "o certificado não é de uma autoridade da lista de confiança deste computador.",
                ),
            ),
            ("O que a assinatura cobre", COVERAGE.get(check.coverage, check.coverage)),
            ("Alterado depois da assinatura", modification_text(check)),
            (
                "Resultado",
                ("success" if check.ok else "danger", ("✓ " if check.ok else "✖ ") + check.message_pt),
            ),
        ]
        if check.certification:
            rows.append(
                (
                    "Tipo",
                    "Assinatura de certificação: depois dela só podem ser preenchidos os campos de "
                    "assinatura.",
                )
            )
        for row, (caption, value) in enumerate(rows):
            name = QLabel(caption)
            name.setObjectName("fieldLabel")
            grid.addWidget(name, row, 0)
            if isinstance(value, tuple):
                label = _chip(*value)
                holder = QHBoxLayout()
                holder.setContentsMargins(0, 0, 0, 0)
                holder.addWidget(label)
                holder.addStretch(1)
                grid.addLayout(holder, row, 1)
            else:
                label = QLabel(value)
                label.setWordWrap(True)
                grid.addWidget(label, row, 1)
            label.setAccessibleName(f"{caption}: {label.text()}")
            self.values[caption] = label
        self.body.addLayout(grid)


class VerifyDialog(QDialog):
    """``verification`` holds the last FileVerification shown."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = signature_service(ctx)
        self.path: Path | None = None
        self.verification: FileVerification | None = None
        self.cards: list[SignatureCard] = []
        self.setWindowTitle(f"{APP_NAME}: Verificar Assinaturas")
        self.setMinimumSize(720, 620)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(self._title("Verificar Assinaturas de um PDF"))
        file_row = QHBoxLayout()
        self.file_label = QLabel("Nenhum arquivo escolhido.")
        self.file_label.setWordWrap(True)
        self.choose_button = secondary_button("Escolher Outro PDF…")
        self.choose_button.clicked.connect(lambda: self.choose_file())  # noqa: PLW0108 - drop clicked(bool)
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)
        layout.addLayout(file_row)
        self.verdict = Notice("", "info")
        self.verdict.setAccessibleName("Resultado da verificação")
        self.verdict.hide()
        layout.addWidget(self.verdict)
        self.notes = QLabel("")
        self.notes.setObjectName("muted")
        self.notes.setWordWrap(True)
        self.notes.hide()
        layout.addWidget(self.notes)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        host = QWidget()
        host.setObjectName("content")
        self.cards_layout = QVBoxLayout(host)
        self.cards_layout.setContentsMargins(0, 0, 8, 0)
        self.cards_layout.setSpacing(16)
        self.cards_layout.addStretch(1)
        scroll.setWidget(host)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox()
        close = buttons.addButton("Fechar", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _title(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("screenTitle")
        return label

    @staticmethod
    def ask_pdf_path(parent: QWidget | None) -> str:
        path, _ = QFileDialog.getOpenFileName(
            parent, "Escolher PDF para verificar", str(Path.home()), PDF_FILTER
        )
        return path

    def choose_file(self, path: str | Path | None = None) -> bool:
        path = path or self.ask_pdf_path(self)
        if not path:
            return False
        self.verify(Path(path))
        return True

    def verify(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(f"Arquivo: {path}")
        service = self.service
        label = f"Verificando as assinaturas de {path.name}…"

        def work(progress, cancel) -> FileVerification:
            progress(0, 0, label)
            return service.verify_file(path)

        self.choose_button.setEnabled(False)
        self.ctx.runner.start(
            work, on_success=self._verified, on_failure=self._failed, parent=self, title=label
        )

    def _clear(self) -> None:
        for card in self.cards:
            self.cards_layout.removeWidget(card)
            card.deleteLater()
        self.cards = []

    def _verified(self, verification: FileVerification) -> None:
        self.choose_button.setEnabled(True)
        self.verification = verification
        self._clear()
        kind, text = verdict(verification)
        self._set_verdict(kind, text)
        report: Any = verification.report
        notes = []
        if report.unsupported_count:
            notes.append(
                f"{report.unsupported_count} assinatura(s) de tipo não suportado: o SUAS Desktop não "
                "consegue "
                "verificá-la(s). Use o verificador do ITI (validar.iti.gov.br) para conferir."
            )
        if verification.superseded:
            notes.append(
                "Este documento foi assinado neste computador, mas o ciclo foi reaberto depois: os dados "
                "podem ter mudado desde a assinatura."
            )
        if any(s.local_certificate for s in report.signatures):
            notes.append(
                f"Há assinatura com {LOCAL_LABEL}: vale como registro interno do município, não como "
                "assinatura digital com validade jurídica da ICP-Brasil."
            )
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        for number, check in enumerate(report.signatures, start=1):
            card = SignatureCard(number, check)
            self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
            self.cards.append(card)

    def _set_verdict(self, kind: str, text: str) -> None:
        self.verdict.setProperty("kind", kind)
        icon = self.verdict.findChild(QLabel)
        if icon is not None:
            icon.setText(Notice.ICONS.get(kind, ""))
        self.verdict.label.setText(text)
        self.verdict.setAccessibleName(text)
        for widget in (self.verdict, self.verdict.label):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.verdict.show()

    def _failed(self, exc: BaseException) -> None:
        self.choose_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            return
        self._clear()
        self._set_verdict("error", getattr(exc, "message", "Não foi possível verificar o arquivo."))
        show_error(self, exc)

    @classmethod
    def ask(
        cls, parent: QWidget | None, ctx: AppContext, pdf_path: str | Path | None = None
    ) -> FileVerification | None:
        dialog = cls(ctx, parent)
        if pdf_path is None:
            pdf_path = cls.ask_pdf_path(parent)
            if not pdf_path:
                return None
        dialog.verify(Path(pdf_path))
        dialog.exec()
        return dialog.verification
