"""Local accounts (SEC-1, SEC-2): hashes with their parameters, upgrade at login, lockout across a
restart, administrator reset, recovery code, automatic login, audit of every access."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from suas_desktop.domain import passwords
from suas_desktop.domain.passwords import ScryptParams
from suas_desktop.domain.permissions import Role
from suas_desktop.errors import UserError, ValidationError
from suas_desktop.services.session import LoginLocked, UserService, end_session
from suas_desktop.services.workspace import open_workspace
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository
from suas_desktop.storage.user_repository import UserRepository

#: Cheap parameters so that the many logins of these tests stay fast; the policy itself is tested apart.
FAST = ScryptParams(n=2**10, r=8, p=1)
ADMIN_PW = "caju pedra violão"
ANA_PW = "janela azul 2026"


@pytest.fixture(autouse=True)
def fast_policy(monkeypatch):
    monkeypatch.setattr(passwords, "POLICY", FAST)


@pytest.fixture
def users(workspace):
    return UserService(workspace)


@pytest.fixture
def admin(users):
    first = users.create_first_admin(name="Bruna Gestora", password=ADMIN_PW, job_title="Gestora do SUAS")
    return first


def _actions(ws, **flt):
    return [e.entry.action for e in AuditRepository(ws.db).entries(AuditFilter(**flt))]


# ---------------------------------------------------------------------- hashes (SEC-1)


def test_policy_meets_the_owasp_floor_and_hashes_carry_their_parameters(monkeypatch):
    monkeypatch.undo()  # the real policy
    assert passwords.POLICY.n >= 2**17
    assert (passwords.POLICY.r, passwords.POLICY.p) == (8, 1)
    assert passwords.POLICY.memory_bytes >= 128 * 1024 * 1024
    made = passwords.hash_password("uma senha boa de verdade")
    assert made.params_text == "scrypt$n=131072$r=8$p=1"
    salt_b64, key_b64 = made.hash_text.split("$")
    assert len(base64.b64decode(salt_b64)) == 16
    assert len(base64.b64decode(key_b64)) == 32
    again = passwords.parse_hash(made.params_text, made.hash_text)
    assert again == made
    assert passwords.verify_password("uma senha boa de verdade", again)
    assert not passwords.verify_password("uma senha boa de verdadE", again)
    assert not passwords.needs_upgrade(again)
    # Same password, new salt, different hash.
    assert passwords.hash_password("uma senha boa de verdade", FAST).hash_text != made.hash_text


@pytest.mark.parametrize(
    "params",
    [
        "bcrypt$n=16$r=8$p=1",
        "scrypt$n=1000$r=8$p=1",
        "scrypt$n=8$r=8$p=1",
        "scrypt$n=16$r=8",
        "scrypt$n=x$r=8$p=1",
    ],
)
def test_malformed_or_absurd_parameters_are_refused(params):
    good = passwords.hash_password("qualquer senha boa", FAST)
    with pytest.raises(ValueError):
        passwords.parse_hash(params, good.hash_text)


def test_password_rules():
    assert passwords.password_problems("curta") is not None
    assert passwords.password_problems("12345678") == "Esta senha é muito comum; escolha outra."
    assert passwords.password_problems("aaaaaaaaaa") is not None
    assert passwords.password_problems("Bruna Gestora", name="Bruna Gestora") is not None
    assert passwords.password_problems("caju pedra violão") is None


def test_a_weaker_hash_is_upgraded_at_login(workspace, monkeypatch):
    weak = ScryptParams(n=2**4, r=1, p=1)
    UserService(workspace, policy=weak).create_first_admin(name="Bruna Gestora", password=ADMIN_PW)
    stored = UserRepository(workspace.db).by_login("bruna gestora")
    assert stored.password_params == "scrypt$n=16$r=1$p=1"
    UserService(workspace).logout()

    session = UserService(workspace).login("bruna gestora", ADMIN_PW)  # now at the (test) policy
    assert session.role is Role.ADMIN
    upgraded = UserRepository(workspace.db).by_login("bruna gestora")
    assert upgraded.password_params == f"scrypt$n={FAST.n}$r={FAST.r}$p={FAST.p}"
    assert upgraded.password_hash != stored.password_hash
    login = AuditRepository(workspace.db).entries(AuditFilter(action_prefix="auth.login"))[-1]
    assert "parâmetros mais fortes" in login.entry.detail
    UserService(workspace).logout()
    assert UserService(workspace).login("Bruna Gestora", ADMIN_PW).name == "Bruna Gestora"
    # A login at the current policy does not rewrite the hash again.
    assert UserRepository(workspace.db).by_login("bruna gestora").password_hash == upgraded.password_hash


def test_passwords_and_recovery_codes_never_reach_the_database_file(workspace, users):
    first = users.create_first_admin(name="Bruna Gestora", password=ADMIN_PW)
    users.create_user(actor="Bruna Gestora", name="Ana Técnica", role=Role.TECHNICIAN, password=ANA_PW)
    workspace.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = workspace.layout.database.read_bytes()
    for secret in (
        ADMIN_PW,
        ANA_PW,
        first.recovery_code,
        passwords.normalise_recovery_code(first.recovery_code),
    ):
        assert secret.encode() not in data


# ---------------------------------------------------------------------- login and lockout (SEC-2)


def test_login_logout_and_wrong_password_are_audited_without_secrets(workspace, users, admin):
    users.logout()
    assert workspace.session is None
    with pytest.raises(UserError, match="Nome ou senha incorretos"):
        users.login("Bruna Gestora", "senha errada aqui")
    with pytest.raises(UserError, match="Nome ou senha incorretos"):
        users.login("Ninguém Conhecido", ADMIN_PW)
    session = users.login("  bruna   GESTORA ", ADMIN_PW)
    assert workspace.session == session
    end_session(workspace)
    actions = _actions(workspace, action_prefix="auth.")
    assert actions == [
        "auth.login",  # creation of the first account
        "auth.logout",
        "auth.login_failed",
        "auth.login_failed",
        "auth.login",
        "auth.logout",
    ]
    unknown = AuditRepository(workspace.db).entries(AuditFilter(action_prefix="auth.login_failed"))[-1]
    assert unknown.entry.actor == "desconhecido"  # the typed name is never recorded
    text = " ".join(f"{e.entry.actor} {e.entry.detail}" for e in AuditRepository(workspace.db).entries())
    assert ADMIN_PW not in text and "senha errada" not in text and "Ninguém" not in text


def test_lockout_grows_from_the_fifth_failure_and_survives_a_restart(layout, clock, workspace):
    users = UserService(workspace)
    users.create_first_admin(name="Bruna Gestora", password=ADMIN_PW)
    users.create_user(actor="Bruna Gestora", name="Ana Técnica", role=Role.TECHNICIAN, password=ANA_PW)
    users.logout()
    for attempt in range(1, 5):
        with pytest.raises(UserError) as refused:
            users.login("Ana Técnica", "errada errada")
        assert not isinstance(refused.value, LoginLocked), attempt
    with pytest.raises(LoginLocked) as locked:
        users.login("Ana Técnica", "errada errada")  # the 5th failure
    assert locked.value.remaining_seconds == 30
    assert "Aguarde 30 s" in locked.value.message
    # While waiting, even the right password is not checked.
    clock.moment += timedelta(seconds=10)
    with pytest.raises(LoginLocked) as still:
        users.login("Ana Técnica", ANA_PW)
    assert still.value.remaining_seconds == 20

    # Restart: close and reopen the data folder; the wait and the counter are still there.
    workspace.close()
    with open_workspace(layout, clock=clock, file_logging=False) as reopened:
        again = UserService(reopened)
        assert reopened.session is None
        with pytest.raises(LoginLocked) as after_restart:
            again.login("Ana Técnica", ANA_PW)
        assert after_restart.value.remaining_seconds == 20
        clock.moment += timedelta(seconds=21)
        with pytest.raises(LoginLocked) as sixth:
            again.login("Ana Técnica", "errada errada")  # 6th failure: the wait doubles
        assert sixth.value.remaining_seconds == 60
        assert "1 min" in sixth.value.message
        clock.moment += timedelta(seconds=61)
        session = again.login("Ana Técnica", ANA_PW)
        assert session.role is Role.TECHNICIAN
        account = UserRepository(reopened.db).by_login("ana tecnica")
        assert (account.failed_attempts, account.locked_until) == (0, None)


def test_lockout_delays_grow_and_have_a_ceiling():
    delays = [passwords.lockout_delay(n).total_seconds() for n in range(1, 20)]
    assert delays[:4] == [0, 0, 0, 0]
    assert delays[4:9] == [30, 60, 120, 240, 480]
    assert max(delays) == 3600
    assert passwords.wait_text(timedelta(seconds=90)) == "1 min 30 s"


def test_administrator_reset_clears_the_wait_and_asks_for_a_new_password(workspace, clock, users, admin):
    ana = users.create_user(actor="Bruna Gestora", name="Ana Técnica", role=Role.TECHNICIAN, password=ANA_PW)
    users.logout()
    for _ in range(5):
        with pytest.raises(UserError):
            users.login("Ana Técnica", "errada errada")
    assert next(u for u in users.list_users() if u.id == ana.id).locked

    users.login("Bruna Gestora", ADMIN_PW)
    info = users.reset_password(actor="Bruna Gestora", user_id=ana.id, new_password="provisoria 2026")
    assert not info.locked and info.must_change_password
    users.logout()

    session = users.login("Ana Técnica", "provisoria 2026")
    assert session.must_change_password
    with pytest.raises(ValidationError):
        users.change_password(current_password="provisoria 2026", new_password="provisoria 2026")
    changed = users.change_password(current_password="provisoria 2026", new_password="minha senha nova")
    assert not changed.must_change_password
    users.logout()
    assert not users.login("Ana Técnica", "minha senha nova").must_change_password
    assert "user.reset_password" in _actions(workspace, record_id=ana.id)


def test_only_an_administrator_resets_and_a_reset_is_refused_to_others(workspace, users, admin):
    ana = users.create_user(actor="Bruna Gestora", name="Ana Técnica", role=Role.MANAGER, password=ANA_PW)
    users.logout()
    users.login("Ana Técnica", ANA_PW)
    with pytest.raises(UserError, match=r"Seu perfil \(Gestor\(a\)\) não permite redefinir senhas"):
        users.reset_password(
            actor="Ana Técnica", user_id=admin.session.user_id, new_password="outra senha boa"
        )
    assert "permission.denied" in _actions(workspace)
    assert ana.role is Role.MANAGER


def test_recovery_code_replaces_a_forgotten_password_once(workspace, users, admin):
    users.logout()
    with pytest.raises(UserError, match="Código de recuperação incorreto"):
        users.recover("Bruna Gestora", "AAAA-BBBB-CCCC-DDDD-EEEE", "nova senha segura")
    typed = admin.recovery_code.lower().replace("-", " ")  # typed by hand: case and separators vary
    recovered = users.recover("Bruna Gestora", typed, "nova senha segura")
    assert recovered.session.role is Role.ADMIN
    assert recovered.recovery_code != admin.recovery_code
    users.logout()
    assert users.login("Bruna Gestora", "nova senha segura").name == "Bruna Gestora"
    users.logout()
    with pytest.raises(UserError):
        users.recover("Bruna Gestora", admin.recovery_code, "outra senha segura")  # used once
    assert "auth.recovery" in _actions(workspace)


def test_accounts_without_recovery_code_cannot_recover(users, admin):
    users.create_user(actor="Bruna Gestora", name="Ana Técnica", role=Role.TECHNICIAN, password=ANA_PW)
    users.logout()
    with pytest.raises(UserError, match="não tem código de recuperação"):
        users.recover("Ana Técnica", admin.recovery_code, "nova senha segura")


# ---------------------------------------------------------------------- accounts


def test_the_first_admin_is_created_once_and_logged_in(workspace, users):
    assert not users.has_accounts()
    first = users.create_first_admin(name="Bruna Gestora", password=ADMIN_PW)
    assert workspace.session == first.session
    assert first.session.role is Role.ADMIN
    assert len(passwords.normalise_recovery_code(first.recovery_code)) == 20
    assert users.has_accounts()
    with pytest.raises(UserError, match="já tem usuários"):
        users.create_first_admin(name="Outra Pessoa", password=ANA_PW)


def test_names_are_unique_and_passwords_checked(users, admin):
    with pytest.raises(ValidationError) as dup:
        users.create_user(actor="x", name="BRUNA gestora", role=Role.READ_ONLY, password=ANA_PW)
    assert "name" in dup.value.field_errors
    with pytest.raises(ValidationError) as weak:
        users.create_user(actor="x", name="Carla Consulta", role=Role.READ_ONLY, password="12345678")
    assert "password" in weak.value.field_errors


def test_there_is_always_an_active_administrator(users, admin):
    ana = users.create_user(actor="x", name="Ana Técnica", role=Role.TECHNICIAN, password=ANA_PW)
    with pytest.raises(UserError, match="pelo menos um"):
        users.set_role(actor="x", user_id=admin.session.user_id, role=Role.MANAGER)
    with pytest.raises(UserError, match="sua própria conta"):
        users.deactivate(actor="x", user_id=admin.session.user_id)
    users.set_role(actor="x", user_id=ana.id, role=Role.ADMIN)
    users.set_role(actor="x", user_id=admin.session.user_id, role=Role.MANAGER)
    assert {u.name: u.role for u in users.list_users()} == {
        "Ana Técnica": Role.ADMIN,
        "Bruna Gestora": Role.MANAGER,
    }


def test_deactivated_accounts_cannot_log_in(users, admin):
    ana = users.create_user(actor="x", name="Ana Técnica", role=Role.TECHNICIAN, password=ANA_PW)
    users.deactivate(actor="x", user_id=ana.id)
    assert users.login_names() == ["Bruna Gestora"]
    users.logout()
    with pytest.raises(UserError, match="Nome ou senha incorretos"):
        users.login("Ana Técnica", ANA_PW)


def test_automatic_login_is_off_by_default_and_needs_a_single_account(workspace, users, admin):
    assert not users.auto_login_enabled()
    users.logout()
    assert users.auto_login() is None
    users.login("Bruna Gestora", ADMIN_PW)
    users.set_auto_login(actor="Bruna Gestora", enabled=True)
    users.logout()
    session = users.auto_login()
    assert session is not None and session.name == "Bruna Gestora"
    assert AuditRepository(workspace.db).entries(AuditFilter(action_prefix="auth.login"))[
        -1
    ].entry.detail == ("entrada automática")
    ana = users.create_user(actor="x", name="Ana Técnica", role=Role.TECHNICIAN, password=ANA_PW)
    users.logout()
    assert users.auto_login() is None  # two people: everyone logs in with a password
    users.login("Bruna Gestora", ADMIN_PW)
    with pytest.raises(UserError, match="única conta ativa"):
        users.set_auto_login(actor="Bruna Gestora", enabled=True)
    users.deactivate(actor="x", user_id=ana.id)
    users.set_auto_login(actor="Bruna Gestora", enabled=True)
    users.reactivate(actor="x", user_id=ana.id)
    assert not users.auto_login_enabled()  # turned off by itself when a second account came back
