"""Configurações › Certificados: the certificates this computer trusts to verify signatures.

ICP-Brasil roots ship with the app; here the user adds other authorities and the local certificates of
colleagues (PEM, DER or .p7b), removes one (confirmed, naming it: removing trust is not undoable from
here), exports their own local certificate so others can trust it, and issues one.
"""

from __future__ import annotations

import re
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from suas_desktop import APP_NAME
from suas_desktop.errors import KnownError, SuasError
from suas_desktop.services.signature_service import SignatureService
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.dialogs.package_dialogs import date_time_br, fingerprint_text
from suas_desktop.ui.dialogs.sign_dialog import LocalCertificateDialog, signature_service
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.pages.dashboard_page import CardEmpty, fill_table, make_table
from suas_desktop.ui.widgets import MessageBar, secondary_button

CERT_FILTER = "Certificados (*.pem *.crt *.cer *.der *.p7b *.p7c);;Todos os arquivos (*)"
#: Part of documents.signing.LOCAL_CERT_MARKER, the organizational unit of every certificate issued here.
LOCAL_MARK = "certificado local"
KINDS = {
    "root": "Autoridade certificadora raiz",
    "intermediate": "Autoridade certificadora intermediária",
}
_ICP_NAME_CPF = re.compile(r"^(?P<name>.*?):\d{11}$")


def holder_name(pem: str, subject: str) -> str:
    """The certificate's common name (without the ":CPF" of ICP-Brasil e-CPF), else the subject."""
    try:
        cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
        values = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    except ValueError:
        values = []
    if not values:
        return subject
    name = str(values[0].value)
    match = _ICP_NAME_CPF.match(name)
    return match["name"] if match else name


def is_local(subject: str) -> bool:
    return LOCAL_MARK in subject


def kind_text(kind: str, subject: str) -> str:
    if is_local(subject):
        return "Certificado local, sem validade ICP-Brasil"
    return KINDS.get(kind, "Certificado de pessoa ou de assinatura")


class TrustStorePanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service: SignatureService = signature_service(ctx)
        self.certificates: list = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(16)
        intro = QLabel(
            "Os certificados da ICP-Brasil (Infraestrutura de Chaves Públicas Brasileira) já vêm "
            "reconhecidos. "
            "Aqui ficam os outros certificados em que este computador confia para verificar assinaturas: "
            "autoridades certificadoras e certificados locais de colegas (sem validade ICP-Brasil)."
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.message = MessageBar()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.import_button = secondary_button("Importar Certificados…")
        self.remove_button = secondary_button("Remover Certificado")
        self.export_button = secondary_button("Exportar Meu Certificado Local…")
        self.issue_button = secondary_button("Emitir Certificado Local…")
        self.import_button.clicked.connect(lambda: self.import_certificates())  # noqa: PLW0108 - drop clicked(bool)
        self.remove_button.clicked.connect(lambda: self.remove_selected())  # noqa: PLW0108 - drop clicked(bool)
        self.export_button.clicked.connect(lambda: self.export_local())  # noqa: PLW0108 - drop clicked(bool)
        self.issue_button.clicked.connect(self.issue_local)
        for button in (self.import_button, self.remove_button, self.export_button, self.issue_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table = make_table(
            ["Titular", "Tipo", "Impressão digital (SHA-256)", "Incluído em"], "Certificados confiáveis"
        )
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table)
        self.empty = CardEmpty(
            "Só os certificados ICP-Brasil são reconhecidos por enquanto",
            "Para verificar documentos assinados com certificado local de outro município ou por outra "
            "autoridade, importe o certificado recebido (.pem, .cer, .der ou .p7b).",
            "Importar Certificados",
        )
        self.empty.button.clicked.connect(lambda: self.import_certificates())  # noqa: PLW0108 - drop clicked(bool)
        layout.addWidget(self.empty)
        layout.addStretch(1)
        ctx.data_changed.connect(self._data_changed)
        self.refresh()

    # ------------------------------------------------------------------ state
    def _data_changed(self, entity: str) -> None:
        if entity in ("*", "trusted_certificate"):
            self.refresh()

    def refresh(self) -> None:
        try:
            self.certificates = self.service.list_trusted()
        except SuasError as exc:
            self.certificates = []
            self.message.show_message(exc.message, "error")
        rows = [
            [
                holder_name(c.pem, c.subject),
                kind_text(c.kind, c.subject),
                " ".join(fingerprint_text(c.sha256).split()[:8]) + " …",
                date_time_br(c.added_at),
            ]
            for c in self.certificates
        ]
        fill_table(self.table, rows, list(range(len(rows))))
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self._selection_changed()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.certificates):
            return None
        return self.certificates[rows[0].row()]

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(self.selected() is not None)

    # ------------------------------------------------------------------ choosers (replaceable in tests)
    @staticmethod
    def ask_import_path(parent: QWidget) -> str:
        path, _ = QFileDialog.getOpenFileName(parent, "Importar certificados", str(Path.home()), CERT_FILTER)
        return path

    @staticmethod
    def ask_export_path(parent: QWidget, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            parent, "Exportar certificado", str(Path.home() / suggested), "Certificado PEM (*.pem)"
        )
        if path and not path.lower().endswith((".pem", ".crt", ".cer")):
            path += ".pem"
        return path

    @staticmethod
    def confirm_remove(parent: QWidget, name: str) -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(APP_NAME)
        box.setText(f"Remover “{name}” da lista de confiança deste computador?")
        box.setInformativeText(
            "Documentos assinados com este certificado passarão a aparecer como não confiáveis aqui. "
            "Para voltar a confiar, será preciso importar o certificado de novo."
        )
        remove = box.addButton("Remover Certificado", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("Cancelar", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is remove

    # ------------------------------------------------------------------ actions
    def import_certificates(self, path: str | Path | None = None) -> bool:
        path = path or self.ask_import_path(self)
        if not path:
            return False
        try:
            result = self.service.import_certificates(self.ctx.actor, Path(path))
        except SuasError as exc:
            show_error(self, exc)
            return False
        added = len(result.added)
        text = (
            f"{added} certificado(s) incluído(s) na lista de confiança."
            if added
            else "Nenhum certificado novo."
        )
        if result.already_present:
            text += f" {result.already_present} já estava(m) na lista."
        self.message.show_message(text, "success" if added else "info")
        self.ctx.notify("trusted_certificate")
        self.refresh()
        return True

    def remove_selected(self) -> bool:
        cert = self.selected()
        if cert is None:
            return False
        name = holder_name(cert.pem, cert.subject)
        if not self.confirm_remove(self, name):
            return False
        try:
            self.service.remove_trusted(self.ctx.actor, cert.id)
        except SuasError as exc:
            show_error(self, exc)
            return False
        self.message.show_message(f"“{name}” foi removido da lista de confiança.", "success")
        self.ctx.notify("trusted_certificate")
        self.refresh()
        return True

    def local_certificate(self):
        """The selected certificate when it is local, else the newest local one."""
        chosen = self.selected()
        if chosen is not None and is_local(chosen.subject):
            return chosen
        local = [c for c in self.certificates if is_local(c.subject)]
        return max(local, key=lambda c: c.added_at) if local else None

    def export_local(self, path: str | Path | None = None) -> Path | None:
        cert = self.local_certificate()
        if cert is None:
            self.message.show_message(
                "Nenhum certificado local neste computador. Clique em Emitir Certificado Local para "
                "criar um.",
                "info",
            )
            return None
        name = holder_name(cert.pem, cert.subject)
        safe = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "certificado"
        path = path or self.ask_export_path(self, f"certificado-local-{safe}.pem")
        if not path:
            return None
        try:
            written = self.service.export_certificate(Path(path), trusted_id=cert.id)
        except (SuasError, OSError) as exc:
            if not isinstance(exc, SuasError):
                exc = KnownError(
                    "Não foi possível gravar o arquivo.", hint="Escolha outra pasta e tente de novo."
                )
            show_error(self, exc)
            return None
        self.message.show_message(
            f"Certificado de {name} exportado para {written}. Envie este arquivo a quem vai verificar os "
            "documentos que você assinar; ele não contém a chave nem a senha.",
            "success",
        )
        return written

    def issue_local(self) -> None:
        issued = LocalCertificateDialog.ask(self, self.ctx)
        if issued is not None:
            self.refresh()
            self.message.show_message(
                f"Certificado local emitido e salvo em {issued.p12_path}. Ele já está na lista de confiança.",
                "success",
            )
