"""Entrar: who works now. The login screen, the password change, the recovery code.

:class:`LoginDialog` lists the active accounts (the name can also be typed), asks the password and
shows the service's answer as is: wrong name or password, or how long to wait after too many
failures (the Entrar button counts down). "Esqueci a senha" leads to the recovery code of the
administrator (:class:`RecoveryDialog`); a password reset by an administrator must be replaced at
once (:class:`ChangePasswordDialog`). :func:`log_in_at_start` is what ``app.py`` calls after opening
the data folder.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from suas_desktop import APP_NAME
from suas_desktop.domain.passwords import password_problems
from suas_desktop.domain.permissions import Session
from suas_desktop.errors import SuasError, ValidationError
from suas_desktop.services.session import LoginLocked
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.forms import field_label, help_label, ok_cancel_buttons
from suas_desktop.ui.widgets import FieldError, primary_button, secondary_button


def _password_field() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(256)
    return edit


def _message_text(exc: SuasError) -> str:
    return f"{exc.message} {exc.hint}" if exc.hint else exc.message


def new_password_problem(password: str, repeated: str, name: str = "") -> str:
    """What is wrong with a new password typed twice ("" when fine)."""
    problem = password_problems(password, name=name)
    if problem:
        return problem
    if password != repeated:
        return "As duas senhas digitadas não são iguais."
    return ""


# ------------------------------------------------------------------ login


class LoginDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session: Session | None = None
        self._locked_until = 0.0  # time.monotonic() until which Entrar stays disabled
        self.setWindowTitle(f"{APP_NAME}: entrar")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        title = QLabel("Entrar no SUAS Desktop")
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        layout.addWidget(help_label(f"Pasta de dados: {ctx.summary.data_dir}"))
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(ctx.services.users.login_names())
        self.name.lineEdit().setPlaceholderText("Escolha ou digite o seu nome")
        if self.name.count() != 1:
            self.name.setCurrentIndex(-1)
        self.password = _password_field()
        layout.addWidget(field_label("&Nome", self.name))
        layout.addWidget(self.name)
        layout.addWidget(field_label("&Senha", self.password))
        layout.addWidget(self.password)
        self.message = FieldError()
        self.message.setAccessibleName("Mensagem da entrada")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.forgot_button = secondary_button("Esqueci a Senha")
        self.forgot_button.setAutoDefault(False)
        self.forgot_button.clicked.connect(self.forgot)
        buttons.addWidget(self.forgot_button)
        buttons.addStretch(1)
        self.quit_button = QPushButton("Sair")
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)
        self.enter_button = primary_button("&Entrar")
        self.enter_button.setDefault(True)
        self.enter_button.clicked.connect(self.accept)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.enter_button)
        layout.addLayout(buttons)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.setMinimumWidth(420)
        (self.password if self.name.count() == 1 else self.name).setFocus()

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> Session | None:
        """Show the login; the session (already the current one) or None when the person gave up."""
        dialog = cls(ctx, parent)
        return dialog.session if dialog.exec() == QDialog.DialogCode.Accepted else None

    def accept(self) -> None:
        if time.monotonic() < self._locked_until:
            return
        users = self.ctx.services.users
        try:
            session = users.login(self.name.currentText(), self.password.text())
        except LoginLocked as exc:
            self.password.clear()
            self._lock(exc.remaining_seconds)
            return
        except SuasError as exc:
            self.password.clear()
            self.password.setFocus()
            self.message.show_error(_message_text(exc))
            return
        if session.must_change_password:
            session = ChangePasswordDialog.ask(
                self.ctx,
                self,
                forced=True,
                current=self.password.text(),
            )
            if session is None:
                users.logout()
                self.password.clear()
                self.message.show_error("Escolha uma senha nova para continuar.")
                return
        self.session = session
        super().accept()

    def forgot(self) -> None:
        recovered = RecoveryDialog.ask(self.ctx, self, self.name.currentText())
        if recovered is None:
            return
        session, code = recovered
        RecoveryCodeDialog.show_code(self, code, first=False)
        self.session = session
        super().accept()

    # -- the wait after too many failures
    def _lock(self, seconds: float) -> None:
        self._locked_until = time.monotonic() + seconds
        self.enter_button.setEnabled(False)
        self._tick()
        self._countdown.start()

    def _tick(self) -> None:
        remaining = self._locked_until - time.monotonic()
        if remaining <= 0:
            self._countdown.stop()
            self.enter_button.setEnabled(True)
            self.message.show_error("Você já pode tentar de novo.")
            return
        minutes, seconds = divmod(int(remaining + 0.999), 60)
        wait = f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
        self.message.show_error(f"Muitas tentativas sem sucesso. Aguarde {wait} para tentar de novo.")


def log_in_at_start(ctx: AppContext, parent: QWidget | None = None) -> bool:
    """After the data folder opens: nobody to ask (no accounts yet), automatic login, or the login
    screen. False when the person closed the login screen (the app then quits)."""
    users = ctx.services.users
    if not users.has_accounts():
        return True
    session = users.auto_login() or LoginDialog.ask(ctx, parent)
    if session is None:
        return False
    ctx.session_started()
    return True


# ------------------------------------------------------------------ password change


class ChangePasswordDialog(QDialog):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, forced: bool = False, current: str = ""
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session: Session | None = None
        self.setWindowTitle(f"{APP_NAME}: trocar a senha")
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        if forced:
            layout.addWidget(
                help_label(
                    "Sua senha foi redefinida por um(a) administrador(a). Escolha agora uma senha só sua."
                )
            )
        self.current = _password_field()
        self.current.setText(current)
        self.new = _password_field()
        self.repeat = _password_field()
        for text, widget in (
            ("Senha &atual", self.current),
            ("&Nova senha", self.new),
            ("&Repita a nova senha", self.repeat),
        ):
            layout.addWidget(field_label(text, widget))
            layout.addWidget(widget)
        layout.addWidget(
            help_label("Pelo menos 8 caracteres. Uma frase curta é fácil de lembrar e difícil de adivinhar.")
        )
        self.error = FieldError()
        layout.addWidget(self.error)
        buttons = ok_cancel_buttons(self, "Trocar Senha")
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        (self.new if current else self.current).setFocus()

    @classmethod
    def ask(
        cls, ctx: AppContext, parent: QWidget | None = None, *, forced: bool = False, current: str = ""
    ) -> Session | None:
        dialog = cls(ctx, parent, forced=forced, current=current)
        return dialog.session if dialog.exec() == QDialog.DialogCode.Accepted else None

    def accept(self) -> None:
        session = self.ctx.services.users.current
        problem = new_password_problem(self.new.text(), self.repeat.text(), session.name if session else "")
        if problem:
            self.error.show_error(problem)
            return
        try:
            self.session = self.ctx.services.users.change_password(
                current_password=self.current.text(), new_password=self.new.text()
            )
        except ValidationError as exc:
            self.error.show_error(next(iter(exc.field_errors.values()), exc.message))
            return
        except SuasError as exc:
            self.error.show_error(_message_text(exc))
            return
        super().accept()


# ------------------------------------------------------------------ recovery


class RecoveryDialog(QDialog):
    """A forgotten administrator password: the recovery code written down at set-up replaces it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_value: tuple[Session, str] | None = None
        self.setWindowTitle(f"{APP_NAME}: esqueci a senha")
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addWidget(
            help_label(
                "Quem é administrador(a) recebeu um código de recuperação ao configurar o programa. Com "
                "ele, escolha uma senha nova. Para as outras contas, peça a um(a) administrador(a) para "
                "redefinir a senha em Configurações › Usuários."
            )
        )
        self.name = QLineEdit(name)
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX")
        self.new = _password_field()
        self.repeat = _password_field()
        for text, widget in (
            ("&Nome", self.name),
            ("&Código de recuperação", self.code),
            ("&Nova senha", self.new),
            ("&Repita a nova senha", self.repeat),
        ):
            layout.addWidget(field_label(text, widget))
            layout.addWidget(widget)
        self.error = FieldError()
        layout.addWidget(self.error)
        buttons = ok_cancel_buttons(self, "Trocar Senha e Entrar")
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    @classmethod
    def ask(
        cls, ctx: AppContext, parent: QWidget | None = None, name: str = ""
    ) -> tuple[Session, str] | None:
        """(the new session, the NEW recovery code) or None."""
        dialog = cls(ctx, parent, name)
        return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else None

    def accept(self) -> None:
        problem = new_password_problem(self.new.text(), self.repeat.text(), self.name.text())
        if problem:
            self.error.show_error(problem)
            return
        try:
            recovered = self.ctx.services.users.recover(self.name.text(), self.code.text(), self.new.text())
        except ValidationError as exc:
            self.error.show_error(next(iter(exc.field_errors.values()), exc.message))
            return
        except SuasError as exc:
            self.error.show_error(_message_text(exc))
            return
        self.result_value = (recovered.session, recovered.recovery_code)
        super().accept()


FIRST_CODE_TEXT = "Este é o código de recuperação da conta de administrador(a). "
NEW_CODE_TEXT = "Seu NOVO código de recuperação (o anterior não vale mais). "


class RecoveryCodeDialog(QDialog):
    """Shows a recovery code once; it closes only after the person says it was written down."""

    def __init__(self, code: str, parent: QWidget | None = None, *, first: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: código de recuperação")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(
            help_label(
                (FIRST_CODE_TEXT if first else NEW_CODE_TEXT)
                + "Anote-o e guarde em lugar seguro, longe do computador: com ele, e só com ele, uma senha "
                "esquecida pode ser trocada. Ele não será mostrado de novo."
            )
        )
        self.code = QLineEdit(code)
        self.code.setReadOnly(True)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.code.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setFamily("monospace")
        self.code.setFont(font)
        self.code.setAccessibleName("Código de recuperação")
        layout.addWidget(self.code)
        copy = secondary_button("Copiar Código")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(code))
        layout.addWidget(copy, 0, Qt.AlignmentFlag.AlignLeft)
        self.written = QCheckBox("Anotei o código em lugar seguro")
        layout.addWidget(self.written)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Continuar")
        self.ok.setEnabled(False)
        self.written.toggled.connect(self.ok.setEnabled)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def reject(self) -> None:
        if self.written.isChecked():
            super().reject()

    @classmethod
    def show_code(cls, parent: QWidget | None, code: str, *, first: bool = True) -> None:
        cls(code, parent, first=first).exec()
