"""Login screen, users panel and audit viewer; two people with different roles on one data folder."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from suas_desktop.domain import passwords
from suas_desktop.domain.cycle import Status
from suas_desktop.domain.permissions import Role
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository
from suas_desktop.ui.dialogs import login_dialog
from suas_desktop.ui.dialogs.audit_viewer import AuditViewer
from suas_desktop.ui.dialogs.login_dialog import ChangePasswordDialog, LoginDialog, log_in_at_start
from suas_desktop.ui.pages import users_panel as users_panel_module
from suas_desktop.ui.pages.checklists_page import ChecklistsPage
from suas_desktop.ui.pages.settings_page import SettingsPage
from suas_desktop.ui.pages.users_panel import ResetPasswordDialog, RoleDialog, UserFormDialog, UsersPanel

ADMIN, ADMIN_PW = "Bruna Gestora", "caju pedra violão"
TECH, TECH_PW = "Ana Técnica", "janela azul 2026"
READER, READER_PW = "Carla Consulta", "serra verde 77"


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch):
    monkeypatch.setattr(passwords, "POLICY", passwords.ScryptParams(n=2**10, r=8, p=1))


@pytest.fixture
def boxes(monkeypatch):
    """Message boxes shown (error_dialogs.show_error) instead of blocking the test."""
    shown: list[QMessageBox] = []

    def fake_exec(box):
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


@pytest.fixture
def office(mg_ctx):
    """The MG municipality with three accounts; nobody logged in."""
    users = mg_ctx.services.users
    users.create_first_admin(name=ADMIN, password=ADMIN_PW, job_title="Gestora do SUAS")
    users.create_user(actor=ADMIN, name=TECH, role=Role.TECHNICIAN, password="provisoria 2026")
    users.create_user(actor=ADMIN, name=READER, role=Role.READ_ONLY, password="provisoria 2027")
    users.logout()
    # Each one chooses their own password at the first login.
    for name, temporary, own in ((TECH, "provisoria 2026", TECH_PW), (READER, "provisoria 2027", READER_PW)):
        users.login(name, temporary)
        users.change_password(current_password=temporary, new_password=own)
        users.logout()
    mg_ctx.session_started()
    return mg_ctx


def login_dialog_for(qtbot, ctx) -> LoginDialog:
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def try_login(dialog: LoginDialog, name: str, password: str) -> None:
    dialog.name.setCurrentText(name)
    dialog.password.setText(password)
    dialog.enter_button.click()


# ---------------------------------------------------------------------- login dialog


def test_login_dialog_lists_accounts_and_accepts_the_right_password(qtbot, office):
    dialog = login_dialog_for(qtbot, office)
    assert [dialog.name.itemText(i) for i in range(dialog.name.count())] == [TECH, ADMIN, READER]
    try_login(dialog, TECH, TECH_PW)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.session.name == TECH
    assert office.session.role is Role.TECHNICIAN
    assert office.actor == TECH


def test_login_dialog_refuses_and_then_makes_the_person_wait(qtbot, office):
    dialog = login_dialog_for(qtbot, office)
    try_login(dialog, TECH, "senha errada aqui")
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "Nome ou senha incorretos" in dialog.message.text()
    assert dialog.password.text() == ""
    assert office.session is None
    for _ in range(4):
        try_login(dialog, TECH, "senha errada aqui")
    assert "Aguarde 30 s" in dialog.message.text()
    assert not dialog.enter_button.isEnabled()
    try_login(dialog, TECH, TECH_PW)  # the button is disabled: nothing happens
    assert office.session is None
    dialog.reject()


def test_a_password_reset_by_the_admin_must_be_replaced_at_login(qtbot, office, monkeypatch):
    users = office.services.users
    users.login(ADMIN, ADMIN_PW)
    tech = next(u for u in users.list_users() if u.name == TECH)
    users.reset_password(actor=ADMIN, user_id=tech.id, new_password="temporaria 99")
    users.logout()
    asked = []

    def fake_change(ctx, parent=None, *, forced=False, current=""):
        asked.append((forced, current))
        return ctx.services.users.change_password(current_password=current, new_password="minha nova senha")

    monkeypatch.setattr(ChangePasswordDialog, "ask", staticmethod(fake_change))
    dialog = login_dialog_for(qtbot, office)
    try_login(dialog, TECH, "temporaria 99")
    assert asked == [(True, "temporaria 99")]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not office.session.must_change_password


def test_change_password_dialog_checks_the_new_password(qtbot, office):
    office.services.users.login(TECH, TECH_PW)
    dialog = ChangePasswordDialog(office)
    qtbot.addWidget(dialog)
    dialog.current.setText(TECH_PW)
    dialog.new.setText("outra senha boa")
    dialog.repeat.setText("outra senha BOA")
    dialog.accept()
    assert "não são iguais" in dialog.error.text()
    dialog.repeat.setText("outra senha boa")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_log_in_at_start(office, monkeypatch):
    monkeypatch.setattr(LoginDialog, "ask", classmethod(lambda cls, ctx, parent=None: None))
    assert log_in_at_start(office) is False  # closed the login screen: the app quits
    signals = []
    office.session_changed.connect(lambda: signals.append(1))
    monkeypatch.setattr(
        LoginDialog,
        "ask",
        classmethod(lambda cls, ctx, parent=None: ctx.services.users.login(READER, READER_PW)),
    )
    assert log_in_at_start(office) is True
    assert signals == [1] and office.session.name == READER


def test_no_accounts_means_no_login_screen(ctx, monkeypatch):
    monkeypatch.setattr(LoginDialog, "ask", classmethod(lambda cls, ctx, parent=None: pytest.fail("asked")))
    assert log_in_at_start(ctx) is True
    assert ctx.session is None
    assert ctx.actor == "Ana Técnica"  # the name kept in the local settings, as before


# ---------------------------------------------------------------------- two people, one folder


def test_two_users_with_different_roles_on_the_same_folder(qtbot, office, boxes):
    page = ChecklistsPage(office)
    qtbot.addWidget(page)
    page.show()
    users = office.services.users
    item = office.services.checklists.item_states(office.active_cycle_id)[0].item

    users.login(TECH, TECH_PW)
    office.session_started()
    assert page.set_status(item.id, Status.IN_PROGRESS)
    assert office.services.checklists.item_state(item.id).item.status is Status.IN_PROGRESS
    row = office.workspace.db.first("SELECT updated_by FROM cycle_item WHERE id = ?", (item.id,))
    assert row["updated_by"] == TECH  # the logged-in person is updated_by
    users.logout()

    users.login(READER, READER_PW)
    office.session_started()
    assert not page.set_status(item.id, Status.DONE)
    assert boxes, "the refusal must be shown"
    assert boxes[-1].text() == "Seu perfil (Consulta) não permite alterar os itens do checklist."
    assert office.services.checklists.item_state(item.id).item.status is Status.IN_PROGRESS
    denied = AuditRepository(office.workspace.db).entries(AuditFilter(action_prefix="permission.denied"))
    assert [(e.entry.actor, e.entry.record_id) for e in denied] == [(READER, item.id)]


# ---------------------------------------------------------------------- users panel


def test_settings_has_the_users_tab(qtbot, office):
    page = SettingsPage(office)
    qtbot.addWidget(page)
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert "Usuários e Auditoria" in titles


def test_admin_manages_accounts_in_the_panel(qtbot, office, monkeypatch, boxes):
    office.services.users.login(ADMIN, ADMIN_PW)
    panel = UsersPanel(office)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.accounts.isVisible()
    assert panel.model.rowCount() == 3

    monkeypatch.setattr(
        UserFormDialog,
        "ask",
        classmethod(
            lambda cls, parent, first_admin=False: (
                "Davi Conselheiro",
                "CMAS",
                Role.COUNCILLOR,
                "mar azul 1234",
            )
        ),
    )
    panel.add_user()
    assert panel.model.rowCount() == 4
    davi = next(u for u in office.services.users.list_users() if u.name == "Davi Conselheiro")
    assert (davi.role, davi.must_change_password) == (Role.COUNCILLOR, True)

    panel.select_user("Davi Conselheiro")
    monkeypatch.setattr(RoleDialog, "ask", classmethod(lambda cls, parent, user: Role.MANAGER))
    panel.change_role()
    monkeypatch.setattr(
        ResetPasswordDialog, "ask", classmethod(lambda cls, parent, user: "outra temporaria 1")
    )
    panel.reset_password()
    monkeypatch.setattr(users_panel_module.UsersPanel, "confirm", staticmethod(lambda parent, text: True))
    panel.active_button.click()
    davi = next(u for u in office.services.users.list_users() if u.name == "Davi Conselheiro")
    assert (davi.role, davi.active) == (Role.MANAGER, False)
    assert "desativada" in panel.message.label.text()
    assert not boxes
    actions = [
        e.entry.action for e in AuditRepository(office.workspace.db).entries(AuditFilter(record_id=davi.id))
    ]
    assert actions == ["user.create", "user.role", "user.reset_password", "user.deactivate"]


def test_the_panel_hides_account_management_from_other_roles(qtbot, office):
    office.services.users.login(READER, READER_PW)
    panel = UsersPanel(office)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.my_account.isVisible()
    assert READER in panel.me_label.text() and "Consulta" in panel.me_label.text()
    assert not panel.accounts.isVisible()
    assert not panel.audit_button.isEnabled()


def test_a_folder_without_accounts_offers_the_administrator_account(qtbot, ctx, monkeypatch):
    panel = UsersPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.no_accounts.isVisible()
    monkeypatch.setattr(
        UserFormDialog,
        "ask",
        classmethod(lambda cls, parent, first_admin=False: (ADMIN, "", Role.ADMIN, ADMIN_PW)),
    )
    shown = []
    monkeypatch.setattr(
        login_dialog.RecoveryCodeDialog,
        "show_code",
        classmethod(lambda cls, parent, code, first=True: shown.append(code)),
    )
    panel.create_first_admin()
    assert len(shown) == 1 and ctx.session.role is Role.ADMIN
    assert not panel.no_accounts.isVisible() and panel.accounts.isVisible()


# ---------------------------------------------------------------------- audit viewer


def test_audit_viewer_filters_exports_and_checks(qtbot, office, tmp_path, boxes):
    office.services.users.login(ADMIN, ADMIN_PW)
    viewer = AuditViewer(office)
    qtbot.addWidget(viewer)
    total = viewer.model.rowCount()
    assert total > 5
    assert viewer.model.row_at(0).seq > viewer.model.row_at(total - 1).seq  # newest first
    viewer.actor.setCurrentIndex(viewer.actor.findData(READER))
    viewer.apply_button.click()
    assert {viewer.model.row_at(r).actor for r in range(viewer.model.rowCount())} == {READER}
    viewer.since.setText("32/13/2026")
    viewer.apply_button.click()
    assert "dd/mm/aaaa" in viewer.filter_error.text()
    viewer.clear_filters()
    assert viewer.model.rowCount() == total
    viewer.export(tmp_path / "trilha.xlsx")
    assert openpyxl.load_workbook(tmp_path / "trilha.xlsx").active.max_row == total + 1
    assert "exportados" in viewer.message.label.text()
    viewer.check()
    assert viewer.message.label.text().startswith("Trilha íntegra")
    assert not boxes


def test_audit_viewer_is_refused_to_a_read_only_role(qtbot, office, boxes):
    office.services.users.login(READER, READER_PW)
    AuditViewer.open(office)
    assert boxes and boxes[-1].text() == "Seu perfil (Consulta) não permite consultar a trilha de auditoria."
