"""Local accounts and the login session: create, log in and out, reset, roles, recovery code.

``UserService.login`` returns a :class:`Session` and makes it the workspace's current session, which
every service then checks (services/authorization.py). Logins, refusals, logouts and every change to an
account are written to the audit trail (names of the staff who act, never passwords or typed text).

The first administrator is created by the first-run wizard with a recovery code shown once (only its
hash is kept): with it, and only with it, a forgotten administrator password can be replaced.
A single-person office may turn on automatic login (setting ``auth.auto_login``, default off); it only
works while there is exactly one active account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from suas_desktop import log
from suas_desktop.domain import passwords
from suas_desktop.domain.accounts import UserAccount, UserInfo
from suas_desktop.domain.audit import AuditEntry
from suas_desktop.domain.clock import iso_utc, parse_iso_utc
from suas_desktop.domain.ids import new_record_id
from suas_desktop.domain.permissions import Permission, Role, Session
from suas_desktop.domain.text import fold
from suas_desktop.errors import UserError, ValidationError
from suas_desktop.services.authorization import allows, require
from suas_desktop.services.workspace import SYSTEM_ACTOR, Workspace
from suas_desktop.storage.audit_repository import AuditRepository
from suas_desktop.storage.settings_repository import SettingsRepository
from suas_desktop.storage.user_repository import UserRepository

__all__ = ["LoginLocked", "Session", "UserService", "end_session"]

AUTO_LOGIN_SETTING = "auth.auto_login"
#: Actor recorded for attempts that name no known account (the typed text is never recorded).
UNKNOWN_ACTOR = "desconhecido"
WRONG_CREDENTIALS = "Nome ou senha incorretos."


class LoginLocked(UserError):
    """Too many failures: the account waits ``remaining_seconds`` before the next attempt."""

    def __init__(self, remaining_seconds: float) -> None:
        self.remaining_seconds = remaining_seconds
        super().__init__(
            "Muitas tentativas sem sucesso. Aguarde "
            f"{passwords.wait_text(timedelta(seconds=remaining_seconds))} para tentar de novo.",
            hint="Se esqueceu a senha, peça a um(a) administrador(a) para redefini-la.",
        )


@dataclass(frozen=True)
class FirstAdmin:
    session: Session
    recovery_code: str


def end_session(ws: Workspace) -> None:
    """Log out whoever is logged in (the app calls this when it closes)."""
    if ws.session is not None:
        UserService(ws).logout()


class UserService:
    def __init__(self, ws: Workspace, *, policy: passwords.ScryptParams | None = None) -> None:
        self._ws = ws
        self._repo = UserRepository(ws.db)
        self._settings = SettingsRepository(ws.db)
        #: Parameters for new hashes; None follows passwords.POLICY (tests may lower it for speed).
        self._policy = policy

    @property
    def policy(self) -> passwords.ScryptParams:
        return self._policy or passwords.POLICY

    # ================================================================== the session
    @property
    def current(self) -> Session | None:
        return self._ws.session

    def allows(self, permission: Permission) -> bool:
        return allows(self._ws, permission)

    def has_accounts(self) -> bool:
        """True when this data folder has at least one active account (then the app asks for a login)."""
        return self._repo.count_active() > 0

    def login_names(self) -> list[str]:
        """Names of the active accounts, for the login screen's list."""
        return [u.name for u in self._repo.all() if u.active]

    def login(self, name: str, password: str) -> Session:
        """Check the password; on success the session becomes the workspace's current one.

        Raises:
            LoginLocked: the account is waiting after too many failures (nothing is checked).
            UserError: wrong name or password (the same message for both).
        """
        now = self._ws.clock.now()
        user = self._repo.by_login(fold(name))
        if user is None or not user.active:
            passwords.hash_password(password or "", self.policy)  # the same work as a real check
            self._audit(UNKNOWN_ACTOR, "auth.login_failed", "", "conta inexistente ou desativada")
            raise UserError(WRONG_CREDENTIALS)
        self._check_not_locked(user, now)
        if not self._password_matches(user, password):
            self._failed(user, now, "auth.login_failed")
        upgraded = self._succeeded(user, now, password)
        session = self._session(self._repo.get(user.id) or user)
        self._ws.session = session
        self._audit(
            user.name,
            "auth.login",
            user.id,
            "senha guardada com parâmetros mais fortes" if upgraded else "",
        )
        log.services.info("login: account %s (%s)", user.id, user.role.value)
        return session

    def auto_login(self) -> Session | None:
        """The session of the only account when automatic login is on; None otherwise."""
        user_id = self._settings.get(AUTO_LOGIN_SETTING) or ""
        if not user_id:
            return None
        active = [u for u in self._repo.all() if u.active]
        if len(active) != 1 or active[0].id != user_id or active[0].must_change_password:
            return None
        user = active[0]
        session = self._session(user)
        self._ws.session = session
        self._audit(user.name, "auth.login", user.id, "entrada automática")
        return session

    def logout(self) -> None:
        session = self._ws.session
        if session is None:
            return
        self._audit(session.name, "auth.logout", session.user_id, "")
        self._ws.session = None

    def recover(self, name: str, code: str, new_password: str) -> FirstAdmin:
        """Replace a forgotten password with the recovery code; returns the session and a NEW code.

        The code works once: a new one is made (and must be written down again).
        """
        now = self._ws.clock.now()
        user = self._repo.by_login(fold(name))
        if user is None or not user.active or not user.recovery_hash or not user.recovery_params:
            self._audit(UNKNOWN_ACTOR if user is None else user.name, "auth.recovery_failed", "", "")
            raise UserError(
                "Esta conta não tem código de recuperação.",
                hint="Peça a um(a) administrador(a) para redefinir a sua senha.",
            )
        self._check_not_locked(user, now)
        stored = passwords.parse_hash(user.recovery_params, user.recovery_hash)
        if not passwords.verify_password(passwords.normalise_recovery_code(code), stored):
            self._failed(user, now, "auth.recovery_failed", message="Código de recuperação incorreto.")
        self._check_new_password(new_password, user.name)
        new_code = passwords.new_recovery_code()
        pw = passwords.hash_password(new_password, self.policy)
        rc = passwords.hash_password(passwords.normalise_recovery_code(new_code), self.policy)
        at = iso_utc(now)
        with self._ws.db.transaction():
            self._repo.update(
                user.id,
                password_hash=pw.hash_text,
                password_params=pw.params_text,
                recovery_hash=rc.hash_text,
                recovery_params=rc.params_text,
                must_change_password=False,
                failed_attempts=0,
                locked_until=None,
                last_login_at=at,
                changed_at=at,
                changed_by=user.name,
            )
            self._audit(user.name, "auth.recovery", user.id, "senha trocada com o código de recuperação")
        session = self._session(self._repo.get(user.id) or user)
        self._ws.session = session
        self._audit(user.name, "auth.login", user.id, "após recuperação")
        return FirstAdmin(session, new_code)

    # ================================================================== accounts
    def list_users(self) -> list[UserInfo]:
        now = iso_utc(self._ws.clock.now())
        return [
            UserInfo(
                id=u.id,
                name=u.name,
                job_title=u.job_title,
                role=u.role,
                active=u.active,
                locked=bool(u.locked_until and u.locked_until > now),
                failed_attempts=u.failed_attempts,
                must_change_password=u.must_change_password,
                has_recovery_code=bool(u.recovery_hash),
                last_login_at=u.last_login_at,
            )
            for u in self._repo.all()
        ]

    def create_first_admin(
        self, *, name: str, password: str, job_title: str = "", recovery_code: str | None = None
    ) -> FirstAdmin:
        """The first account of a data folder: an administrator, logged in at once, with a recovery code.

        ``recovery_code`` lets the wizard show the code before saving; a new one is made when None.
        """
        if self._repo.all():
            raise UserError("Esta pasta de dados já tem usuários.", hint="Entre com a sua conta.")
        code = recovery_code or passwords.new_recovery_code()
        if len(passwords.normalise_recovery_code(code)) < 16:
            raise ValueError("recovery code too short")
        user = self._new_account(
            name=name, role=Role.ADMIN, password=password, job_title=job_title, actor=SYSTEM_ACTOR
        )
        rc = passwords.hash_password(passwords.normalise_recovery_code(code), self.policy)
        with self._ws.db.transaction():
            self._repo.insert(user)
            self._repo.update(user.id, recovery_hash=rc.hash_text, recovery_params=rc.params_text)
            self._audit(user.name, "user.create", user.id, f"primeiro usuário; perfil {Role.ADMIN.value}")
        session = self._session(user)
        self._ws.session = session
        self._audit(user.name, "auth.login", user.id, "criação da conta")
        return FirstAdmin(session, code)

    def create_user(
        self, *, actor: str, name: str, role: Role, password: str, job_title: str = ""
    ) -> UserInfo:
        """A new account; the person must choose their own password at the first login."""
        require(self._ws, Permission.USERS_MANAGE, doing="criar usuários")
        user = self._new_account(
            name=name, role=Role(role), password=password, job_title=job_title, actor=actor, must_change=True
        )
        with self._ws.db.transaction():
            self._repo.insert(user)
            self._audit(actor, "user.create", user.id, f"perfil {user.role.value}")
        return self._info(user.id)

    def set_role(self, *, actor: str, user_id: str, role: Role) -> UserInfo:
        require(
            self._ws,
            Permission.USERS_MANAGE,
            doing="mudar o perfil de usuários",
            entity="app_user",
            record_id=user_id,
        )
        role = Role(role)
        with self._ws.db.transaction():
            user = self._user(user_id)
            if user.role is role:
                return self._info(user_id)
            if user.role is Role.ADMIN and user.active:
                self._keep_an_admin(excluding=user_id)
            self._repo.update(user_id, role=role, **self._changed(actor))
            self._audit(actor, "user.role", user_id, f"perfil {user.role.value} -> {role.value}")
        return self._info(user_id)

    def set_job_title(self, *, actor: str, user_id: str, job_title: str) -> UserInfo:
        session = self._ws.session
        if session is None or session.user_id != user_id:
            require(self._ws, Permission.USERS_MANAGE, doing="alterar outros usuários", entity="app_user")
        job_title = " ".join((job_title or "").split())
        if len(job_title) > 120:
            raise ValidationError({"job_title": "A função deve ter no máximo 120 letras."})
        with self._ws.db.transaction():
            self._user(user_id)
            self._repo.update(user_id, job_title=job_title, **self._changed(actor))
            self._audit(actor, "user.update", user_id, "função")
        if session is not None and session.user_id == user_id:
            self._ws.session = self._session(self._user(user_id))
        return self._info(user_id)

    def deactivate(self, *, actor: str, user_id: str) -> UserInfo:
        require(
            self._ws,
            Permission.USERS_MANAGE,
            doing="desativar usuários",
            entity="app_user",
            record_id=user_id,
        )
        session = self._ws.session
        if session is not None and session.user_id == user_id:
            raise UserError("Você não pode desativar a sua própria conta.")
        with self._ws.db.transaction():
            user = self._user(user_id)
            if not user.active:
                return self._info(user_id)
            if user.role is Role.ADMIN:
                self._keep_an_admin(excluding=user_id)
            self._repo.update(user_id, active=False, **self._changed(actor))
            self._audit(actor, "user.deactivate", user_id, "")
            self._check_auto_login()
        return self._info(user_id)

    def reactivate(self, *, actor: str, user_id: str) -> UserInfo:
        require(
            self._ws, Permission.USERS_MANAGE, doing="reativar usuários", entity="app_user", record_id=user_id
        )
        with self._ws.db.transaction():
            user = self._user(user_id)
            if user.active:
                return self._info(user_id)
            self._repo.update(user_id, active=True, **self._changed(actor))
            self._audit(actor, "user.reactivate", user_id, "")
            self._check_auto_login()
        return self._info(user_id)

    def reset_password(self, *, actor: str, user_id: str, new_password: str) -> UserInfo:
        """An administrator sets a temporary password; the wait is cleared; a new one is asked at login."""
        require(
            self._ws, Permission.USERS_MANAGE, doing="redefinir senhas", entity="app_user", record_id=user_id
        )
        user = self._user(user_id)
        self._check_new_password(new_password, user.name)
        pw = passwords.hash_password(new_password, self.policy)
        with self._ws.db.transaction():
            self._repo.update(
                user_id,
                password_hash=pw.hash_text,
                password_params=pw.params_text,
                must_change_password=True,
                failed_attempts=0,
                locked_until=None,
                **self._changed(actor),
            )
            self._audit(actor, "user.reset_password", user_id, "senha provisória; bloqueio zerado")
        return self._info(user_id)

    def change_password(self, *, current_password: str, new_password: str) -> Session:
        """The logged-in person replaces their own password (also after an administrator's reset)."""
        session = self._ws.session
        if session is None:
            raise UserError("Entre com a sua conta para trocar a senha.")
        user = self._user(session.user_id)
        now = self._ws.clock.now()
        self._check_not_locked(user, now)
        if not self._password_matches(user, current_password):
            self._failed(user, now, "auth.password_change_failed", message="A senha atual está incorreta.")
        if current_password == new_password:
            raise ValidationError({"new_password": "A nova senha deve ser diferente da atual."})
        self._check_new_password(new_password, user.name)
        pw = passwords.hash_password(new_password, self.policy)
        with self._ws.db.transaction():
            self._repo.update(
                user.id,
                password_hash=pw.hash_text,
                password_params=pw.params_text,
                must_change_password=False,
                failed_attempts=0,
                locked_until=None,
                **self._changed(user.name),
            )
            self._audit(user.name, "user.password_change", user.id, "")
        self._ws.session = self._session(self._user(user.id))
        return self._ws.session

    def new_recovery_code(self, *, actor: str) -> str:
        """A new recovery code for the logged-in administrator (the old one stops working)."""
        require(self._ws, Permission.USERS_MANAGE, doing="gerar códigos de recuperação", entity="app_user")
        session = self._ws.session
        if session is None:
            raise UserError("Entre com a sua conta de administrador(a) para gerar o código.")
        code = passwords.new_recovery_code()
        rc = passwords.hash_password(passwords.normalise_recovery_code(code), self.policy)
        with self._ws.db.transaction():
            self._repo.update(
                session.user_id,
                recovery_hash=rc.hash_text,
                recovery_params=rc.params_text,
                **self._changed(actor),
            )
            self._audit(actor, "user.recovery_code", session.user_id, "novo código de recuperação")
        return code

    # ------------------------------------------------------------------ automatic login
    def auto_login_enabled(self) -> bool:
        return bool(self._settings.get(AUTO_LOGIN_SETTING))

    def set_auto_login(self, *, actor: str, enabled: bool) -> None:
        """Turn automatic login on (only with exactly one active account) or off."""
        require(self._ws, Permission.USERS_MANAGE, doing="mudar a entrada automática")
        with self._ws.db.transaction():
            if not enabled:
                self._settings.set(AUTO_LOGIN_SETTING, "")
                self._audit(actor, "settings.auto_login", "", "desligada")
                return
            active = [u for u in self._repo.all() if u.active]
            if len(active) != 1:
                raise UserError(
                    "A entrada automática só pode ser usada quando há uma única conta ativa.",
                    hint="Desative as outras contas ou continue entrando com senha.",
                )
            self._settings.set(AUTO_LOGIN_SETTING, active[0].id)
            self._audit(actor, "settings.auto_login", active[0].id, "ligada")

    # ================================================================== helpers
    def _new_account(
        self, *, name: str, role: Role, password: str, job_title: str, actor: str, must_change: bool = False
    ) -> UserAccount:
        name = " ".join((name or "").split())
        job_title = " ".join((job_title or "").split())
        errors: dict[str, str] = {}
        if len(name) < 3:
            errors["name"] = "Informe o nome (pelo menos 3 letras)."
        elif len(name) > 120:
            errors["name"] = "O nome deve ter no máximo 120 letras."
        elif self._repo.by_login(fold(name)) is not None:
            errors["name"] = "Já existe um usuário com este nome."
        if len(job_title) > 120:
            errors["job_title"] = "A função deve ter no máximo 120 letras."
        problem = passwords.password_problems(password or "", name=name)
        if problem:
            errors["password"] = problem
        if errors:
            raise ValidationError(errors)
        pw = passwords.hash_password(password, self.policy)
        at = iso_utc(self._ws.clock.now())
        return UserAccount(
            id=new_record_id(),
            login=fold(name),
            name=name,
            job_title=job_title,
            role=role,
            password_hash=pw.hash_text,
            password_params=pw.params_text,
            must_change_password=must_change,
            recovery_hash=None,
            recovery_params=None,
            failed_attempts=0,
            locked_until=None,
            last_login_at=None,
            active=True,
            created_at=at,
            created_by=actor,
            changed_at=at,
            changed_by=actor,
        )

    @staticmethod
    def _check_new_password(password: str, name: str) -> None:
        problem = passwords.password_problems(password or "", name=name)
        if problem:
            raise ValidationError({"new_password": problem})

    def _password_matches(self, user: UserAccount, password: str) -> bool:
        try:
            stored = passwords.parse_hash(user.password_params, user.password_hash)
        except ValueError:
            log.services.error("unreadable password hash for account %s", user.id)
            return False
        return passwords.verify_password(password or "", stored)

    def _check_not_locked(self, user: UserAccount, now: datetime) -> None:
        if user.locked_until:
            until = parse_iso_utc(user.locked_until)
            if now < until:
                self._audit(user.name, "auth.login_refused", user.id, "conta aguardando após tentativas")
                raise LoginLocked((until - now).total_seconds())

    def _failed(
        self, user: UserAccount, now: datetime, action: str, *, message: str = WRONG_CREDENTIALS
    ) -> None:
        failed = user.failed_attempts + 1
        delay = passwords.lockout_delay(failed)
        locked_until = iso_utc(now + delay) if delay else None
        with self._ws.db.transaction():
            self._repo.update(user.id, failed_attempts=failed, locked_until=locked_until)
            self._audit(user.name, action, user.id, f"falha nº {failed}")
        if delay:
            raise LoginLocked(delay.total_seconds())
        remaining = passwords.LOCKOUT_THRESHOLD - failed
        hint = (
            f"Depois de mais {remaining} tentativa(s) erradas, será preciso aguardar antes de tentar de novo."
            if remaining <= 2
            else None
        )
        raise UserError(message, hint=hint)

    def _succeeded(self, user: UserAccount, now: datetime, password: str) -> bool:
        """Clear the counter, note the login and upgrade a weak hash; True when it was upgraded."""
        changes: dict[str, object] = {
            "failed_attempts": 0,
            "locked_until": None,
            "last_login_at": iso_utc(now),
        }
        upgraded = False
        try:
            stored = passwords.parse_hash(user.password_params, user.password_hash)
            upgraded = passwords.needs_upgrade(stored, self.policy)
        except ValueError:
            upgraded = True
        if upgraded:
            pw = passwords.hash_password(password, self.policy)
            changes.update(password_hash=pw.hash_text, password_params=pw.params_text)
        with self._ws.db.transaction():
            self._repo.update(user.id, **changes)
        return upgraded

    def _keep_an_admin(self, *, excluding: str) -> None:
        admins = [u for u in self._repo.all() if u.active and u.role is Role.ADMIN and u.id != excluding]
        if not admins:
            raise UserError(
                "É preciso manter pelo menos um(a) administrador(a) ativo(a).",
                hint="Dê o perfil de Administrador(a) a outra pessoa antes.",
            )

    def _check_auto_login(self) -> None:
        if self._settings.get(AUTO_LOGIN_SETTING) and self._repo.count_active() != 1:
            self._settings.set(AUTO_LOGIN_SETTING, "")

    def _user(self, user_id: str) -> UserAccount:
        user = self._repo.get(user_id)
        if user is None:
            raise UserError("Este usuário não existe.")
        return user

    def _info(self, user_id: str) -> UserInfo:
        return next(u for u in self.list_users() if u.id == user_id)

    def _changed(self, actor: str) -> dict[str, str]:
        return {"changed_at": iso_utc(self._ws.clock.now()), "changed_by": actor}

    @staticmethod
    def _session(user: UserAccount) -> Session:
        return Session(user.id, user.name, user.role, user.job_title, user.must_change_password)

    def _audit(self, actor: str, action: str, record_id: str, detail: str) -> None:
        ctx = self._ws.write_context(actor)
        AuditRepository(self._ws.db).append(
            AuditEntry(
                at=ctx.at,
                actor=actor,
                action=action,
                origin=ctx.origin,
                entity="app_user" if record_id else "",
                record_id=record_id,
                detail=detail,
            )
        )
