"""Assinar Documento: sign a PDF with an A1 file or an A3 token, and issue local certificates.

Signing is one of the few actions that confirm (ux.md §B4 Dialogs, check 15): the dialog itself is the
confirmation, with the verb button "Assinar Documento" and Cancelar as the default button. The signed
copy always goes to ANOTHER file chosen by the user; the input is never touched (the service refuses
the same path too). Passwords and PINs live only in their fields and in the running task's closure.

``SignDialog.ask(parent, ctx, pdf_path, document_kind, cycle_id)`` returns the ``SignResult`` or None.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from suas_desktop import APP_NAME
from suas_desktop.domain.register_fields import cpf_is_valid
from suas_desktop.errors import Cancelled, SuasError
from suas_desktop.services.signature_service import (
    FIELD_ROLES,
    IssuedCertificate,
    Pkcs11Options,
    SignatureService,
    SignResult,
)
from suas_desktop.ui import forms
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.forms import scrolling_body
from suas_desktop.ui.pages.dashboard_page import Notice
from suas_desktop.ui.widgets import FieldError, MessageBar, secondary_button

PFX_FILTER = "Certificado A1 (*.pfx *.p12);;Todos os arquivos (*)"
LIBRARY_FILTER = "Biblioteca PKCS#11 (*.dll *.so *.dylib);;Todos os arquivos (*)"
PDF_FILTER = "Documento PDF (*.pdf)"
LOCAL_WARNING = "sem validade ICP-Brasil"

#: Signature fields the reports create, per report kind (interfaces.md), for when the PDF cannot be read.
KNOWN_FIELDS = {
    "transition": ("gestor_saida", "gestor_entrada", "presidente_cmas"),
    "closing": ("gestor", "contador", "controle_interno"),
}
#: PKCS#11 libraries of the tokens and cards most used with ICP-Brasil certificates.
TOKEN_LIBRARIES_WINDOWS = (
    r"C:\Windows\System32\eTPKCS11.dll",  # SafeNet eToken (SafeNet Authentication Client)
    r"C:\Windows\System32\aetpkss1.dll",  # SafeSign Identity Client (G&D StarSign, many A3 cards)
    r"C:\Windows\System32\asepkcs.dll",  # Athena / IDProtect
    r"C:\Windows\System32\WDPKCS.dll",  # Watchdata
    r"C:\Program Files\OpenSC Project\OpenSC\pkcs11\opensc-pkcs11.dll",
)
TOKEN_LIBRARIES_LINUX = (
    "/usr/lib/libeToken.so",
    "/usr/lib/libaetpkss.so",
    "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
    "/usr/lib/opensc-pkcs11.so",
)
LOCAL_ROLES = (
    "Gestor(a) da Assistência Social",
    "Gestor(a) que transmite o cargo",
    "Gestor(a) que assume o cargo",
    "Presidente do CMAS",
    "Contador(a)",
    "Controle Interno",
)


def signature_service(ctx: AppContext) -> SignatureService:
    """The context's signature service when it has one, else one over the open workspace."""
    service = getattr(ctx.services, "signatures", None)
    if service is not None:
        return service
    assert ctx.workspace is not None, "Assinaturas precisam da pasta de dados aberta"
    return SignatureService(ctx.workspace)


def token_library_suggestions() -> list[str]:
    """Common PKCS#11 libraries for this system, the ones installed here first."""
    candidates = TOKEN_LIBRARIES_WINDOWS if sys.platform == "win32" else TOKEN_LIBRARIES_LINUX
    return sorted(candidates, key=lambda p: not Path(p).is_file())


def field_title(name: str) -> str:
    role = FIELD_ROLES.get(name)
    return f"{role} ({name})" if role else name


def unsigned_fields(pdf: Path) -> tuple[list[str], bool]:
    """(empty signature fields of ``pdf`` in form order, whether the PDF could be read)."""
    try:
        from suas_desktop.documents import signing  # lazy: pyHanko is heavy

        fields = signing.signature_fields(pdf.read_bytes())
    except (OSError, SuasError):
        return [], False
    return [f.name for f in fields if not f.signed], True


def free_name(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem.suffix``, or ``stem-2.suffix``… when taken."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40] or "certificado"


def _secret_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setInputMethodHints(Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhSensitiveData)
    return edit


def confirm_overwrite(parent: QWidget | None, path: Path) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(APP_NAME)
    box.setText(f"Já existe um arquivo “{path.name}” nesta pasta. Substituir esse arquivo?")
    box.setInformativeText("O arquivo antigo será apagado e não poderá ser recuperado.")
    replace = box.addButton("Substituir Arquivo", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Cancelar", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is replace


class _PathRow(QWidget):
    """A path line edit with an "Escolher…" button (the chooser is a replaceable callable)."""

    def __init__(self, button_text: str, chooser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.edit = QLineEdit()
        self.button = secondary_button(button_text)
        self.button.clicked.connect(lambda: self._choose(chooser))
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)

    def _choose(self, chooser) -> None:
        path = chooser(self)
        if path:
            self.edit.setText(str(path))

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text) if text else None


# ================================================================== sign
class SignDialog(QDialog):
    """Choose the field, the certificate and the output file; "Assinar Documento" signs."""

    def __init__(
        self,
        ctx: AppContext,
        pdf_path: Path,
        document_kind: str | None = None,
        cycle_id: str | None = None,
        parent: QWidget | None = None,
        *,
        output_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = signature_service(ctx)
        self.pdf_path = Path(pdf_path)
        self.document_kind = document_kind
        self.cycle_id = cycle_id
        self.result_value: SignResult | None = None
        self._busy = False
        self._token_label: str | None = None
        self._key_label: str | None = None
        self._choice_kind = ""
        self.setWindowTitle(f"{APP_NAME}: Assinar Documento")
        self.setMinimumSize(680, 640)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 16)
        outer.setSpacing(8)
        outer.addWidget(forms.label("Assinar Documento", "screenTitle"))
        self.message = MessageBar()
        outer.addWidget(self.message)
        scroll, layout = scrolling_body((0, 0, 8, 0), 8)
        outer.addWidget(scroll, 1)

        self.document_label = forms.label(f"Documento: {self.pdf_path.name}")
        layout.addWidget(self.document_label)
        now = ctx.workspace.clock.now() if ctx.workspace is not None else None
        when = f"{now.astimezone():%d/%m/%Y %H:%M}" if now is not None else ""
        self.clock_label = forms.label(
            f"Data e hora deste computador: {when}. A assinatura leva esta data e hora.", "muted"
        )
        layout.addWidget(self.clock_label)
        warning = None
        try:
            warning = self.service.clock_warning()
        except SuasError:
            warning = None
        self.clock_warning = Notice(warning or "", "warning")
        self.clock_warning.setVisible(bool(warning))
        layout.addWidget(self.clock_warning)

        # ---------------------------------------------------------------- field
        self.field_combo = QComboBox()
        layout.addWidget(forms.field_label("&Campo de assinatura", self.field_combo))
        layout.addWidget(self.field_combo)
        self._fill_fields()

        # ---------------------------------------------------------------- certificate
        layout.addWidget(forms.label("Certificado digital", "sectionTitle"))
        self.kind_group = QButtonGroup(self)
        self.a1_radio = QRadioButton("Arquivo A&1 (.pfx ou .p12)")
        self.a3_radio = QRadioButton("Token ou cartão A&3")
        self.a1_radio.setChecked(True)
        self.kind_group.addButton(self.a1_radio)
        self.kind_group.addButton(self.a3_radio)
        radios = QHBoxLayout()
        radios.addWidget(self.a1_radio)
        radios.addWidget(self.a3_radio)
        radios.addStretch(1)
        layout.addLayout(radios)

        self.a1_box = QWidget()
        a1 = QVBoxLayout(self.a1_box)
        a1.setContentsMargins(0, 0, 0, 0)
        a1.setSpacing(4)
        self.pfx = _PathRow("Escolher Arquivo…", self.ask_pfx_path)
        a1.addWidget(forms.field_label("Arquivo do ce&rtificado", self.pfx.edit))
        a1.addWidget(self.pfx)
        self.pfx_error = FieldError()
        a1.addWidget(self.pfx_error)
        self.password = _secret_edit()
        a1.addWidget(forms.field_label("&Senha do certificado", self.password))
        a1.addWidget(self.password)
        self.password_error = FieldError()
        a1.addWidget(self.password_error)
        layout.addWidget(self.a1_box)

        self.a3_box = QWidget()
        a3 = QVBoxLayout(self.a3_box)
        a3.setContentsMargins(0, 0, 0, 0)
        a3.setSpacing(4)
        self.library = QComboBox()
        self.library.setEditable(True)
        self.library.addItems(token_library_suggestions())
        library_row = QHBoxLayout()
        library_row.addWidget(self.library, 1)
        self.library_button = secondary_button("Escolher Biblioteca…")
        self.library_button.clicked.connect(self._choose_library)
        library_row.addWidget(self.library_button)
        a3.addWidget(forms.field_label("&Biblioteca do token (PKCS#11)", self.library))
        a3.addLayout(library_row)
        a3.addWidget(
            forms.label(
                "É o arquivo do driver do fabricante do token ou do cartão (.dll no Windows). "
                "Se não souber, pergunte a quem instalou o certificado.",
                "muted",
            )
        )
        self.library_error = FieldError()
        a3.addWidget(self.library_error)
        self.pin = _secret_edit()
        a3.addWidget(forms.field_label("&PIN do token", self.pin))
        a3.addWidget(self.pin)
        a3.addWidget(forms.label("Atenção: depois de algumas tentativas erradas o token bloqueia.", "muted"))
        self.pin_error = FieldError()
        a3.addWidget(self.pin_error)
        self.choice_combo = QComboBox()
        self.choice_label = forms.field_label("&Qual certificado usar", self.choice_combo)
        a3.addWidget(self.choice_label)
        a3.addWidget(self.choice_combo)
        self.choice_label.hide()
        self.choice_combo.hide()
        layout.addWidget(self.a3_box)
        self.a3_box.hide()
        self.a1_radio.toggled.connect(self._kind_changed)

        local_row = QHBoxLayout()
        self.local_button = secondary_button("Emitir Certificado Local…")
        self.local_button.clicked.connect(self.issue_local)
        local_row.addWidget(self.local_button)
        local_row.addWidget(
            forms.label(
                f"Para quem não tem certificado ICP-Brasil: um certificado local, {LOCAL_WARNING}.", "muted"
            ),
            1,
        )
        layout.addLayout(local_row)

        # ---------------------------------------------------------------- output
        layout.addWidget(forms.label("Arquivo assinado", "sectionTitle"))
        folder = Path(output_dir) if output_dir else self.pdf_path.parent
        self.output = _PathRow("Escolher…", self.ask_output_path)
        self.output.edit.setText(str(free_name(folder, f"{self.pdf_path.stem}-assinado", ".pdf")))
        layout.addWidget(forms.field_label("Salvar o documento assinado &em", self.output.edit))
        layout.addWidget(self.output)
        self.output_error = FieldError()
        layout.addWidget(self.output_error)
        layout.addWidget(
            forms.label(
                "Ao assinar, você declara que leu e concorda com o documento. A assinatura não pode ser "
                "desfeita; o arquivo original não é alterado.",
            )
        )
        layout.addStretch(1)

        self.buttons = QDialogButtonBox()
        self.sign_button: QPushButton = self.buttons.addButton(
            "Assinar Documento", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_button.setProperty("primary", True)
        self.sign_button.setAutoDefault(False)
        self.cancel_button = self.buttons.addButton("Cancelar", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setDefault(True)
        self.sign_button.clicked.connect(self.sign)
        self.cancel_button.clicked.connect(self.reject)
        outer.addWidget(self.buttons)

    # ------------------------------------------------------------------ fields
    def _fill_fields(self) -> None:
        empty, readable = unsigned_fields(self.pdf_path)
        self.field_combo.clear()
        if not readable:
            names = KNOWN_FIELDS.get(self.document_kind or "", tuple(FIELD_ROLES))
            for name in names:
                self.field_combo.addItem(field_title(name), name)
        for name in empty:
            self.field_combo.addItem(field_title(name), name)
        if readable and not empty:
            self.field_combo.addItem("Nova assinatura, no fim do documento", None)

    def _kind_changed(self, a1: bool) -> None:
        self.a1_box.setVisible(a1)
        self.a3_box.setVisible(not a1)

    # ------------------------------------------------------------------ choosers (replaceable in tests)
    @staticmethod
    def ask_pfx_path(parent: QWidget) -> str:
        path, _ = QFileDialog.getOpenFileName(parent, "Escolher certificado A1", str(Path.home()), PFX_FILTER)
        return path

    @staticmethod
    def ask_library_path(parent: QWidget) -> str:
        path, _ = QFileDialog.getOpenFileName(parent, "Escolher biblioteca do token", "", LIBRARY_FILTER)
        return path

    @staticmethod
    def ask_output_path(parent: QWidget) -> str:
        path, _ = QFileDialog.getSaveFileName(
            parent, "Salvar documento assinado", str(Path.home()), PDF_FILTER
        )
        if path and not path.lower().endswith(".pdf"):
            path += ".pdf"
        return path

    @staticmethod
    def confirm_overwrite(parent: QWidget, path: Path) -> bool:
        return confirm_overwrite(parent, path)

    def _choose_library(self) -> None:
        path = self.ask_library_path(self)
        if path:
            self.library.setEditText(path)

    # ------------------------------------------------------------------ local certificate
    def issue_local(self) -> None:
        issued = LocalCertificateDialog.ask(self, self.ctx)
        if issued is not None:
            self.a1_radio.setChecked(True)
            self.pfx.edit.setText(str(issued.p12_path))
            self.password.clear()
            self.password.setFocus()
            self.message.show_message(
                f"Certificado local emitido e salvo em {issued.p12_path}. Digite a senha dele para assinar.",
                "success",
            )

    # ------------------------------------------------------------------ signing
    def _validate(self) -> bool:
        errors: list[tuple[FieldError, QWidget, str]] = []
        if self.a1_radio.isChecked():
            pfx = self.pfx.path()
            if pfx is None:
                errors.append(
                    (self.pfx_error, self.pfx.edit, "Arquivo do certificado: escolha o arquivo .pfx ou .p12.")
                )
            elif not pfx.is_file():
                errors.append(
                    (
                        self.pfx_error,
                        self.pfx.edit,
                        f"Arquivo do certificado: “{pfx.name}” não foi encontrado.",
                    )
                )
            if not self.password.text():
                errors.append(
                    (
                        self.password_error,
                        self.password,
                        "Senha do certificado: digite a senha do arquivo A1.",
                    )
                )
        else:
            if not self.library.currentText().strip():
                errors.append(
                    (
                        self.library_error,
                        self.library,
                        "Biblioteca do token: indique o arquivo do driver (.dll).",
                    )
                )
            if not self.pin.text():
                errors.append((self.pin_error, self.pin, "PIN do token: digite o PIN."))
        output = self.output.path()
        if output is None:
            errors.append(
                (
                    self.output_error,
                    self.output.edit,
                    "Arquivo assinado: escolha onde salvar. Exemplo: relatorio-assinado.pdf.",
                )
            )
        else:
            try:
                same = output.resolve() == self.pdf_path.resolve()
            except OSError:
                same = False
            if same:
                errors.append(
                    (
                        self.output_error,
                        self.output.edit,
                        "Arquivo assinado: escolha outro nome; o original nunca é alterado.",
                    )
                )
            elif not output.parent.is_dir():
                errors.append(
                    (
                        self.output_error,
                        self.output.edit,
                        f"Arquivo assinado: a pasta {output.parent} não existe.",
                    )
                )
        shown = {e[0] for e in errors}
        for error in (
            self.pfx_error,
            self.password_error,
            self.library_error,
            self.pin_error,
            self.output_error,
        ):
            if error not in shown:
                error.show_error("")
        for error, _widget, text in errors:
            error.show_error(text)
        if errors:
            errors[0][1].setFocus()
        return not errors

    def sign(self) -> None:
        if self._busy or not self._validate():
            return
        output = self.output.path()
        assert output is not None
        if output.suffix.lower() != ".pdf":
            output = output.with_name(output.name + ".pdf")
        if output.exists() and not self.confirm_overwrite(self, output):
            return
        if self.choice_combo.isVisible() and self.choice_combo.currentText():
            if self._choice_kind == "token":
                self._token_label = self.choice_combo.currentText()
            else:
                self._key_label = self.choice_combo.currentText()
        service, actor = self.service, self.ctx.actor
        kwargs: dict = {
            "field": self.field_combo.currentData(),
            "document_kind": self.document_kind,
            "cycle_id": self.cycle_id,
        }
        if self.a1_radio.isChecked():
            kwargs["pfx_path"] = self.pfx.path()
            kwargs["password"] = self.password.text()
        else:
            kwargs["pkcs11"] = Pkcs11Options(
                self.library.currentText().strip(),
                self.pin.text(),
                token_label=self._token_label,
                key_label=self._key_label,
            )
        source = self.pdf_path
        label = f"Assinando {source.name}…"

        def work(progress, cancel) -> SignResult:
            progress(0, 0, label)
            return service.sign_file(actor, source, output, **kwargs)

        self._set_busy(True)
        self.ctx.runner.start(
            work, on_success=self._signed, on_failure=self._failed, parent=self, title=label
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.sign_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)

    def _signed(self, result: SignResult) -> None:
        self._set_busy(False)
        self._forget_secrets()
        self.result_value = result
        self.ctx.notify("signed_document")
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, Cancelled):
            self.message.show_message("Assinatura cancelada. Nenhum arquivo foi gravado.", "warning")
            return
        options = getattr(exc, "options", None)
        if options:
            self._choice_kind = getattr(exc, "kind", "certificate")
            self.choice_label.setText(
                "&Qual token usar" if self._choice_kind == "token" else "&Qual certificado usar"
            )
            self.choice_combo.clear()
            self.choice_combo.addItems(options)
            self.choice_label.show()
            self.choice_combo.show()
            self.choice_combo.setFocus()
            self.message.show_message(
                f"{getattr(exc, 'message', str(exc))} Escolha na lista e clique em Assinar Documento.",
                "warning",
                timeout_ms=0,
            )
            return
        show_error(self, exc)

    def _forget_secrets(self) -> None:
        self.password.clear()
        self.pin.clear()

    def reject(self) -> None:
        if self._busy:
            return
        self._forget_secrets()
        super().reject()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        ctx: AppContext,
        pdf_path: Path,
        document_kind: str | None = None,
        cycle_id: str | None = None,
        *,
        output_dir: Path | None = None,
    ) -> SignResult | None:
        dialog = cls(ctx, Path(pdf_path), document_kind, cycle_id, parent, output_dir=output_dir)
        dialog.exec()
        return dialog.result_value


# ================================================================== local certificate
class LocalCertificateDialog(QDialog):
    """Emitir Certificado Local (sem validade ICP-Brasil): name, CPF, função, password twice, where."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = signature_service(ctx)
        self.result_value: IssuedCertificate | None = None
        self._busy = False
        self.setWindowTitle(f"{APP_NAME}: Emitir Certificado Local")
        self.setMinimumSize(620, 680)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 16)
        outer.setSpacing(8)
        outer.addWidget(forms.label("Emitir Certificado Local", "screenTitle"))
        scroll, layout = scrolling_body((0, 0, 8, 0), 6)
        outer.addWidget(scroll, 1)
        layout.addWidget(
            Notice(
                f"Certificado local, {LOCAL_WARNING}. Serve para assinar documentos internos quando o "
                "município não tem certificado digital ICP-Brasil. Quem verificar o documento verá que a "
                "assinatura foi feita com certificado local.",
                "warning",
            )
        )
        user = ctx.services.local.current_user()
        self.name = QLineEdit(user.name if user else "")
        self.cpf = QLineEdit()
        self.cpf.setPlaceholderText("Ex.: 123.456.789-09")
        self.role = QComboBox()
        self.role.setEditable(True)
        self.role.addItems(LOCAL_ROLES)
        self.password = _secret_edit()
        self.confirmation = _secret_edit()
        default = free_name(Path.home(), f"certificado-local-{_slug(self.name.text())}", ".p12")
        self.target = _PathRow("Escolher…", self.ask_target_path)
        self.target.edit.setText(str(default))
        self.errors: dict[str, FieldError] = {}
        for key, text, widget, focus in (
            ("name", "&Nome completo do titular", self.name, self.name),
            ("cpf", "&CPF (opcional; só aparece mascarado)", self.cpf, self.cpf),
            ("role", "&Função", self.role, self.role),
            ("password", "&Senha do certificado (pelo menos 6 caracteres)", self.password, self.password),
            ("confirmation", "&Repita a senha", self.confirmation, self.confirmation),
            ("target", "Salvar o arquivo do certificado (.p12) &em", self.target, self.target.edit),
        ):
            layout.addWidget(forms.field_label(text, focus))
            layout.addWidget(widget)
            self.errors[key] = FieldError()
            layout.addWidget(self.errors[key])
        layout.addWidget(
            forms.label(
                "A senha não fica guardada: sem ela o certificado não pode ser usado. Guarde o arquivo .p12 "
                "em lugar seguro; ele fica também na lista de confiança deste computador.",
                "muted",
            )
        )
        self.buttons = QDialogButtonBox()
        self.issue_button = self.buttons.addButton(
            "Emitir Certificado", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.issue_button.setProperty("primary", True)
        cancel = self.buttons.addButton("Cancelar", QDialogButtonBox.ButtonRole.RejectRole)
        self.issue_button.clicked.connect(self.issue)
        cancel.clicked.connect(self.reject)
        layout.addStretch(1)
        outer.addWidget(self.buttons)

    @staticmethod
    def ask_target_path(parent: QWidget) -> str:
        path, _ = QFileDialog.getSaveFileName(
            parent, "Salvar certificado local", str(Path.home()), "Certificado A1 (*.p12)"
        )
        if path and not path.lower().endswith((".p12", ".pfx")):
            path += ".p12"
        return path

    def _validate(self) -> bool:
        problems: dict[str, str] = {}
        if not self.name.text().strip():
            problems["name"] = "Nome completo do titular: informe o nome. Exemplo: Maria da Silva."
        cpf = re.sub(r"\D", "", self.cpf.text())
        if self.cpf.text().strip() and not cpf_is_valid(cpf):
            problems["cpf"] = "CPF: confira os 11 dígitos. Exemplo: 123.456.789-09."
        if not self.role.currentText().strip():
            problems["role"] = "Função: informe a função. Exemplo: Gestor(a) da Assistência Social."
        if len(self.password.text()) < 6:
            problems["password"] = "Senha do certificado: use pelo menos 6 caracteres."  # noqa: S105 - a message
        elif self.confirmation.text() != self.password.text():
            problems["confirmation"] = "Repita a senha: as duas senhas não são iguais."
        target = self.target.path()
        if target is None:
            problems["target"] = "Informe onde salvar. Exemplo: certificado-local-maria.p12."
        elif not target.parent.is_dir():
            problems["target"] = f"A pasta {target.parent} não existe."
        elif target.exists():
            problems["target"] = f"O arquivo “{target.name}” já existe. Escolha outro nome."
        for key, error in self.errors.items():
            error.show_error(problems.get(key, ""))
        return not problems

    def issue(self) -> None:
        if self._busy or not self._validate():
            return
        service, actor = self.service, self.ctx.actor
        name, role = self.name.text().strip(), self.role.currentText().strip()
        cpf = re.sub(r"\D", "", self.cpf.text()) or None
        password, target = self.password.text(), self.target.path()

        def work(progress, cancel) -> IssuedCertificate:
            progress(0, 0, "Emitindo o certificado local…")
            return service.issue_local_certificate(
                actor, name=name, cpf=cpf, role=role, password=password, p12_path=target
            )

        self._busy = True
        self.issue_button.setEnabled(False)
        self.ctx.runner.start(
            work,
            on_success=self._issued,
            on_failure=self._failed,
            parent=self,
            title="Emitindo o certificado local…",
        )

    def _issued(self, issued: IssuedCertificate) -> None:
        self._busy = False
        self.issue_button.setEnabled(True)
        self.password.clear()
        self.confirmation.clear()
        self.result_value = issued
        self.ctx.notify("trusted_certificate")
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.issue_button.setEnabled(True)
        show_error(self, exc)

    def reject(self) -> None:
        if self._busy:
            return
        self.password.clear()
        self.confirmation.clear()
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: AppContext) -> IssuedCertificate | None:
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.result_value
