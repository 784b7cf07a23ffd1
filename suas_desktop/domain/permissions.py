"""Who may do what: roles, permissions and the table between them, as data (pure).

The services check a permission at the start of every method that writes or exports
(``services/authorization.py``); the screens may hide what a role cannot do, but the check that counts
is the service's. Without a logged-in person (the command line, the app's own jobs, a data folder
that has no accounts yet) everything is allowed: that is the "system" context.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from suas_desktop.errors import UserError


class Role(Enum):
    ADMIN = "admin"
    MANAGER = "gestor"
    TECHNICIAN = "tecnico"
    COUNCILLOR = "conselheiro"
    READ_ONLY = "consulta"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def description(self) -> str:
        return ROLE_DESCRIPTIONS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Administrador(a)",
    Role.MANAGER: "Gestor(a)",
    Role.TECHNICIAN: "Técnico(a)",
    Role.COUNCILLOR: "Conselheiro(a) do CMAS",
    Role.READ_ONLY: "Consulta",
}

ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.ADMIN: "Faz tudo, inclusive gerenciar usuários e restaurar cópias de segurança.",
    Role.MANAGER: "Conduz os ciclos (iniciar, concluir, reabrir), assina, exporta e importa pacotes.",
    Role.TECHNICIAN: "Preenche os cadastros e os itens do checklist, anexa comprovantes e assina.",
    Role.COUNCILLOR: "Consulta tudo e registra as deliberações e os itens do CMAS; assina como conselheiro.",
    Role.READ_ONLY: "Só consulta e gera relatórios; não altera nada.",
}


class Permission(Enum):
    """One kind of action. ``phrase`` completes "Seu perfil (…) não permite …"."""

    REGISTERS_EDIT = "registers.edit"
    COUNCIL_RECORD = "council.record"
    CHECKLIST_EDIT = "checklist.edit"
    CYCLE_MANAGE = "cycles.manage"
    MUNICIPALITY_EDIT = "municipality.edit"
    SIGN = "documents.sign"
    CERTIFICATES_MANAGE = "certificates.manage"
    REPORTS = "reports.generate"
    EXPORT = "data.export"
    IMPORT = "data.import"
    BACKUP = "backup.create"
    RESTORE = "backup.restore"
    USERS_MANAGE = "users.manage"
    AUDIT_VIEW = "audit.view"
    RETENTION = "lgpd.retention"
    INCIDENTS = "lgpd.incidents"
    SETTINGS = "settings.manage"

    @property
    def phrase(self) -> str:
        return PERMISSION_PHRASES[self]


PERMISSION_PHRASES: dict[Permission, str] = {
    Permission.REGISTERS_EDIT: "alterar os cadastros",
    Permission.COUNCIL_RECORD: "registrar as deliberações do CMAS",
    Permission.CHECKLIST_EDIT: "alterar os itens do checklist",
    Permission.CYCLE_MANAGE: "iniciar, concluir ou reabrir ciclos",
    Permission.MUNICIPALITY_EDIT: "alterar o cadastro do município",
    Permission.SIGN: "assinar documentos",
    Permission.CERTIFICATES_MANAGE: "gerenciar certificados digitais",
    Permission.REPORTS: "gerar relatórios",
    Permission.EXPORT: "exportar dados",
    Permission.IMPORT: "importar pacotes",
    Permission.BACKUP: "fazer cópias de segurança",
    Permission.RESTORE: "restaurar cópias de segurança",
    Permission.USERS_MANAGE: "gerenciar usuários",
    Permission.AUDIT_VIEW: "consultar a trilha de auditoria",
    Permission.RETENTION: "anonimizar registros antigos",
    Permission.INCIDENTS: "registrar incidentes de segurança",
    Permission.SETTINGS: "alterar as configurações da pasta de dados",
}

_P = Permission

#: The table. Least privilege: Consulta only reads and makes reports (which carry no personal data).
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MANAGER: frozenset(
        {
            _P.REGISTERS_EDIT,
            _P.COUNCIL_RECORD,
            _P.CHECKLIST_EDIT,
            _P.CYCLE_MANAGE,
            _P.MUNICIPALITY_EDIT,
            _P.SIGN,
            _P.CERTIFICATES_MANAGE,
            _P.REPORTS,
            _P.EXPORT,
            _P.IMPORT,
            _P.BACKUP,
            _P.AUDIT_VIEW,
            _P.RETENTION,
            _P.INCIDENTS,
        }
    ),
    Role.TECHNICIAN: frozenset(
        {_P.REGISTERS_EDIT, _P.COUNCIL_RECORD, _P.CHECKLIST_EDIT, _P.SIGN, _P.REPORTS, _P.BACKUP}
    ),
    Role.COUNCILLOR: frozenset({_P.COUNCIL_RECORD, _P.SIGN, _P.REPORTS}),
    Role.READ_ONLY: frozenset({_P.REPORTS}),
}

#: Registers the council keeps itself (a Conselheiro(a) may edit these and nothing else).
COUNCIL_REGISTERS = frozenset({"council_resolutions"})
#: The checklist responsibility code of the council (template.ROLE_LABELS "CM").
COUNCIL_ITEM_ROLE = "CM"


def check(role: Role, permission: Permission) -> bool:
    """True when ``role`` may do ``permission``."""
    return permission in ROLE_PERMISSIONS[role]


def register_permission(register: str) -> Permission:
    """What editing the register ``register`` (a ``registers.REGISTERS`` key) needs."""
    return Permission.COUNCIL_RECORD if register in COUNCIL_REGISTERS else Permission.REGISTERS_EDIT


def item_permissions(item_roles: Iterable[str]) -> tuple[Permission, ...]:
    """What editing a checklist item needs (any one suffices): the council may work its own items."""
    if COUNCIL_ITEM_ROLE in tuple(item_roles):
        return (Permission.CHECKLIST_EDIT, Permission.COUNCIL_RECORD)
    return (Permission.CHECKLIST_EDIT,)


@dataclass(frozen=True)
class Session:
    """The person logged in on this data folder."""

    user_id: str
    name: str
    role: Role
    #: Job title printed next to the name on reports ("Técnica do FMAS"); may be empty.
    job_title: str = ""
    #: An administrator reset the password: the person must choose a new one now.
    must_change_password: bool = False

    def may(self, permission: Permission) -> bool:
        return check(self.role, permission)


class PermissionDenied(UserError):
    """The logged-in person's role does not allow the action; nothing was changed."""

    def __init__(self, role: Role, permission: Permission, doing: str | None = None) -> None:
        self.role = role
        self.permission = permission
        super().__init__(
            refusal_message(role, permission, doing),
            hint="Peça a um(a) administrador(a) ou ao(à) gestor(a) para fazer isto ou mudar o seu perfil.",
        )


def refusal_message(role: Role, permission: Permission, doing: str | None = None) -> str:
    """``Seu perfil (Consulta) não permite concluir ciclos.``"""
    return f"Seu perfil ({role.label}) não permite {doing or permission.phrase}."
