"""Configurações › Usuários: my account, the accounts of the office (administrators), automatic login and
the way to the audit trail.

Every action goes through :class:`~suas_desktop.services.session.UserService`, which checks the
permission again and records it; the panel only hides what the logged-in role cannot do. A data folder
made before accounts existed shows how to create the administrator account.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from suas_desktop import APP_NAME
from suas_desktop.domain.accounts import UserInfo
from suas_desktop.domain.permissions import ROLE_LABELS, Permission, Role
from suas_desktop.errors import SuasError, ValidationError
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.dialogs.audit_viewer import AuditViewer
from suas_desktop.ui.dialogs.login_dialog import (
    ChangePasswordDialog,
    LoginDialog,
    RecoveryCodeDialog,
    new_password_problem,
)
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.forms import field_label, help_label, ok_cancel_buttons
from suas_desktop.ui.models.rows_table_model import RowsTableModel
from suas_desktop.ui.widgets import FieldError, MessageBar, primary_button, secondary_button

COLUMNS = ("Nome", "Função", "Perfil", "Situação", "Último acesso")
_Index = QModelIndex | QPersistentModelIndex


def _situation(user: UserInfo) -> str:
    if not user.active:
        return "Desativado"
    if user.locked:
        return "Aguardando (muitas tentativas)"
    if user.must_change_password:
        return "Senha provisória"
    return "Ativo"


class UsersTableModel(RowsTableModel[UserInfo]):
    columns = COLUMNS

    def user_at(self, row: int) -> UserInfo:
        return self._rows[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        user = self._rows[index.row()]
        last = user.last_login_at
        return (
            user.name,
            user.job_title,
            user.role_label,
            _situation(user),
            f"{last[8:10]}/{last[5:7]}/{last[:4]}" if last else "nunca",
        )[index.column()]


# ------------------------------------------------------------------ dialogs


class UserFormDialog(QDialog):
    """A new account: name, job title, role and a first (temporary) password typed twice."""

    def __init__(self, parent: QWidget | None = None, *, first_admin: bool = False) -> None:
        super().__init__(parent)
        self.first_admin = first_admin
        self.result_value: tuple[str, str, Role, str] | None = None
        self.setWindowTitle(f"{APP_NAME}: {'conta de administrador(a)' if first_admin else 'novo usuário'}")
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        self.name = QLineEdit()
        self.job_title = QLineEdit()
        self.job_title.setPlaceholderText("Ex.: Técnica do FMAS (aparece nos relatórios)")
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.label, role)
            self.role.setItemData(self.role.count() - 1, role.description, Qt.ItemDataRole.ToolTipRole)
        self.role.setCurrentIndex(self.role.findData(Role.ADMIN if first_admin else Role.TECHNICIAN))
        self.role.setEnabled(not first_admin)
        self.role_help = help_label("")
        self.role.currentIndexChanged.connect(self._role_changed)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        password_label = "&Senha" if first_admin else "&Senha provisória"
        for text, widget in (
            ("&Nome", self.name),
            ("&Função (opcional)", self.job_title),
            ("&Perfil", self.role),
        ):
            layout.addWidget(field_label(text, widget))
            layout.addWidget(widget)
        layout.addWidget(self.role_help)
        for text, widget in ((password_label, self.password), ("&Repita a senha", self.repeat)):
            layout.addWidget(field_label(text, widget))
            layout.addWidget(widget)
        if not first_admin:
            layout.addWidget(help_label("A pessoa escolhe a própria senha na primeira vez que entrar."))
        self.error = FieldError()
        layout.addWidget(self.error)
        buttons = ok_cancel_buttons(self, "Criar Conta")
        layout.addWidget(buttons)
        self._role_changed()
        self.setMinimumWidth(460)

    def _role_changed(self) -> None:
        role = self.role.currentData()
        self.role_help.setText(role.description if role else "")

    def accept(self) -> None:
        name = " ".join(self.name.text().split())
        if len(name) < 3:
            self.error.show_error("Informe o nome (pelo menos 3 letras).")
            return
        problem = new_password_problem(self.password.text(), self.repeat.text(), name)
        if problem:
            self.error.show_error(problem)
            return
        self.result_value = (name, self.job_title.text(), self.role.currentData(), self.password.text())
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, *, first_admin: bool = False) -> tuple[str, str, Role, str] | None:
        dialog = cls(parent, first_admin=first_admin)
        return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else None


class ResetPasswordDialog(QDialog):
    def __init__(self, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.result_value: str | None = None
        self.setWindowTitle(f"{APP_NAME}: redefinir senha")
        layout = QVBoxLayout(self)
        layout.addWidget(
            help_label(
                f"Senha provisória para {user.name}. A espera após tentativas erradas é zerada e a pessoa "
                "escolhe uma senha nova ao entrar. Entregue a senha provisória pessoalmente."
            )
        )
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        for text, widget in (("&Senha provisória", self.password), ("&Repita a senha", self.repeat)):
            layout.addWidget(field_label(text, widget))
            layout.addWidget(widget)
        self.error = FieldError()
        layout.addWidget(self.error)
        buttons = ok_cancel_buttons(self, "Redefinir Senha")
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def accept(self) -> None:
        problem = new_password_problem(self.password.text(), self.repeat.text(), self.user.name)
        if problem:
            self.error.show_error(problem)
            return
        self.result_value = self.password.text()
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, user: UserInfo) -> str | None:
        dialog = cls(user, parent)
        return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else None


class RoleDialog(QDialog):
    def __init__(self, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result_value: Role | None = None
        self.setWindowTitle(f"{APP_NAME}: perfil de {user.name}")
        layout = QVBoxLayout(self)
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.label, role)
        self.role.setCurrentIndex(self.role.findData(user.role))
        layout.addWidget(field_label("&Perfil", self.role))
        layout.addWidget(self.role)
        self.description = help_label(user.role.description)
        self.role.currentIndexChanged.connect(
            lambda _: self.description.setText(self.role.currentData().description)
        )
        layout.addWidget(self.description)
        buttons = ok_cancel_buttons(self, "Mudar Perfil")
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def accept(self) -> None:
        self.result_value = self.role.currentData()
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, user: UserInfo) -> Role | None:
        dialog = cls(user, parent)
        return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else None


# ------------------------------------------------------------------ the panel


class UsersPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(16)
        self.message = MessageBar()
        layout.addWidget(self.message)

        # -- no accounts yet
        self.no_accounts = QGroupBox("Contas de acesso")
        box = QVBoxLayout(self.no_accounts)
        box.addWidget(
            help_label(
                "Esta pasta de dados ainda não tem contas: quem abre o programa pode fazer tudo. Crie a "
                "conta de administrador(a) para que cada pessoa entre com o seu nome e a sua senha, com o "
                "perfil que lhe cabe (Gestor(a), Técnico(a), Conselheiro(a) do CMAS ou Consulta)."
            )
        )
        self.create_admin_button = primary_button("Criar Conta de Administrador(a)")
        self.create_admin_button.clicked.connect(self.create_first_admin)
        box.addWidget(self.create_admin_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.no_accounts)

        # -- my account
        self.my_account = QGroupBox("Minha conta")
        mine = QVBoxLayout(self.my_account)
        self.me_label = QLabel()
        self.me_label.setWordWrap(True)
        mine.addWidget(self.me_label)
        row = QHBoxLayout()
        self.change_password_button = secondary_button("Trocar Minha Senha")
        self.change_password_button.clicked.connect(self.change_my_password)
        self.switch_user_button = secondary_button("Trocar de Usuário")
        self.switch_user_button.clicked.connect(self.switch_user)
        self.recovery_button = secondary_button("Novo Código de Recuperação")
        self.recovery_button.clicked.connect(self.new_recovery_code)
        for button in (self.change_password_button, self.switch_user_button, self.recovery_button):
            row.addWidget(button)
        row.addStretch(1)
        mine.addLayout(row)
        layout.addWidget(self.my_account)

        # -- everybody's accounts
        self.accounts = QGroupBox("Usuários deste computador")
        accounts = QVBoxLayout(self.accounts)
        self.model = UsersTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Usuários")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(180)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._sync_buttons())
        accounts.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = primary_button("Novo Usuário")
        self.add_button.clicked.connect(self.add_user)
        self.role_button = secondary_button("Mudar Perfil")
        self.role_button.clicked.connect(self.change_role)
        self.reset_button = secondary_button("Redefinir Senha")
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button = secondary_button("Desativar")
        self.active_button.clicked.connect(self.toggle_active)
        for button in (self.add_button, self.role_button, self.reset_button, self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        accounts.addLayout(buttons)
        self.auto_login = QCheckBox("Entrar automaticamente, sem senha (só uma pessoa usa este computador)")
        self.auto_login.clicked.connect(self.set_auto_login)
        accounts.addWidget(self.auto_login)
        self.auto_login_help = help_label(
            "Só é possível com uma única conta ativa. Qualquer pessoa que ligar o computador entra como ela."
        )
        accounts.addWidget(self.auto_login_help)
        legend = "<br>".join(f"<b>{role.label}</b>: {role.description}" for role in Role)
        legend_label = QLabel(legend)
        legend_label.setWordWrap(True)
        legend_label.setObjectName("muted")
        accounts.addWidget(legend_label)
        self.accounts_note = help_label("Só um(a) administrador(a) cria contas e muda perfis.")
        layout.addWidget(self.accounts)
        layout.addWidget(self.accounts_note)

        # -- audit trail
        audit = QGroupBox("Trilha de Auditoria")
        audit_box = QVBoxLayout(audit)
        audit_box.addWidget(
            help_label(
                "Quem entrou, o que foi alterado, exportado, importado, assinado ou restaurado, e quando."
            )
        )
        self.audit_button = secondary_button("Abrir Trilha de Auditoria")
        self.audit_button.clicked.connect(lambda: AuditViewer.open(self.ctx, self))
        audit_box.addWidget(self.audit_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(audit)
        layout.addStretch(1)

        ctx.session_changed.connect(self.refresh)
        ctx.data_changed.connect(lambda entity: self.refresh() if entity in ("user", "*") else None)
        self.refresh()

    # ------------------------------------------------------------------ state
    def refresh(self) -> None:
        users = self.ctx.services.users
        session = self.ctx.session
        has_accounts = users.has_accounts()
        self.no_accounts.setVisible(not has_accounts and session is None)
        self.my_account.setVisible(session is not None)
        if session is not None:
            title = f" — {session.job_title}" if session.job_title else ""
            self.me_label.setText(
                f"Você entrou como <b>{session.name}</b>{title}. Perfil: {session.role.label}."
            )
        manage = session is not None and self.ctx.can(Permission.USERS_MANAGE)
        self.recovery_button.setVisible(manage)
        self.accounts.setVisible(manage)
        self.accounts_note.setVisible(session is not None and not manage)
        self.audit_button.setEnabled(self.ctx.can(Permission.AUDIT_VIEW))
        if manage:
            selected = self._selected()
            self.model.set_rows(users.list_users())
            if selected is not None:
                for row in range(self.model.rowCount()):
                    if self.model.user_at(row).id == selected.id:
                        self.table.selectRow(row)
            active = sum(1 for u in users.list_users() if u.active)
            self.auto_login.setChecked(users.auto_login_enabled())
            self.auto_login.setEnabled(active == 1 or users.auto_login_enabled())
        self._sync_buttons()

    def _selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.user_at(rows[0].row()) if rows else None

    def select_user(self, name: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.user_at(row).name == name:
                self.table.selectRow(row)
                return

    def _sync_buttons(self) -> None:
        user = self._selected()
        session = self.ctx.session
        for button in (self.role_button, self.reset_button, self.active_button):
            button.setEnabled(user is not None)
        if user is not None:
            self.active_button.setText("Reativar" if not user.active else "Desativar")
            self.active_button.setEnabled(not (session and session.user_id == user.id))

    def _done(self, text: str) -> None:
        self.message.show_message(text, "success")
        self.refresh()
        self.ctx.notify("user")

    # ------------------------------------------------------------------ my account
    def create_first_admin(self) -> None:
        answer = UserFormDialog.ask(self, first_admin=True)
        if answer is None:
            return
        name, job_title, _role, password = answer
        try:
            first = self.ctx.services.users.create_first_admin(
                name=name, password=password, job_title=job_title
            )
        except SuasError as exc:
            show_error(self, exc)
            return
        RecoveryCodeDialog.show_code(self, first.recovery_code)
        self.ctx.session_started()
        self._done(f"Conta de administrador(a) criada. Você entrou como {first.session.name}.")

    def change_my_password(self) -> None:
        if ChangePasswordDialog.ask(self.ctx, self) is not None:
            self._done("Senha trocada.")

    def switch_user(self) -> None:
        users = self.ctx.services.users
        users.logout()
        self.ctx.session_started()
        if LoginDialog.ask(self.ctx, self) is None:
            window = self.window()
            if window is not self:
                window.close()
            return
        self.ctx.session_started()

    def new_recovery_code(self) -> None:
        try:
            code = self.ctx.services.users.new_recovery_code(actor=self.ctx.actor)
        except SuasError as exc:
            show_error(self, exc)
            return
        RecoveryCodeDialog.show_code(self, code, first=False)
        self._done("Novo código de recuperação gerado; o anterior não vale mais.")

    # ------------------------------------------------------------------ accounts
    def add_user(self) -> None:
        answer = UserFormDialog.ask(self)
        if answer is None:
            return
        name, job_title, role, password = answer
        try:
            self.ctx.services.users.create_user(
                actor=self.ctx.actor, name=name, role=role, password=password, job_title=job_title
            )
        except ValidationError as exc:
            show_error(self, exc)
            return
        except SuasError as exc:
            show_error(self, exc)
            return
        self._done(f"Conta de {name} criada ({ROLE_LABELS[role]}).")
        self.select_user(name)

    def change_role(self) -> None:
        user = self._selected()
        if user is None:
            return
        role = RoleDialog.ask(self, user)
        if role is None or role is user.role:
            return
        try:
            self.ctx.services.users.set_role(actor=self.ctx.actor, user_id=user.id, role=role)
        except SuasError as exc:
            show_error(self, exc)
            return
        self._done(f"Perfil de {user.name}: {role.label}.")

    def reset_password(self) -> None:
        user = self._selected()
        if user is None:
            return
        password = ResetPasswordDialog.ask(self, user)
        if password is None:
            return
        try:
            self.ctx.services.users.reset_password(
                actor=self.ctx.actor, user_id=user.id, new_password=password
            )
        except SuasError as exc:
            show_error(self, exc)
            return
        self._done(f"Senha de {user.name} redefinida; ela escolherá uma nova ao entrar.")

    @staticmethod
    def confirm(parent: QWidget, text: str) -> bool:
        """Ask before deactivating (tests replace this)."""
        answer = QMessageBox.question(parent, APP_NAME, text)
        return answer == QMessageBox.StandardButton.Yes

    def toggle_active(self) -> None:
        user = self._selected()
        if user is None:
            return
        users = self.ctx.services.users
        try:
            if user.active:
                if not self.confirm(self, f"Desativar a conta de {user.name}? Ela não poderá mais entrar."):
                    return
                users.deactivate(actor=self.ctx.actor, user_id=user.id)
                text = f"Conta de {user.name} desativada."
            else:
                users.reactivate(actor=self.ctx.actor, user_id=user.id)
                text = f"Conta de {user.name} reativada."
        except SuasError as exc:
            show_error(self, exc)
            return
        self._done(text)

    def set_auto_login(self, checked: bool) -> None:
        try:
            self.ctx.services.users.set_auto_login(actor=self.ctx.actor, enabled=checked)
        except SuasError as exc:
            self.auto_login.setChecked(not checked)
            show_error(self, exc)
            return
        self._done("Entrada automática ligada." if checked else "Entrada automática desligada.")
