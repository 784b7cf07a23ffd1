"""The one way services check a permission: ``require(ws, Permission.X)`` first thing in a method.

With a person logged in (``ws.session``), a role that lacks the permission gets
:class:`~suas_desktop.domain.permissions.PermissionDenied` ("Seu perfil (Consulta) não permite concluir
ciclos.") and the refusal is written to the audit trail as ``permission.denied`` (ids and the
permission only, no personal values). Without a session (the command line, the app's own jobs, a data
folder that has no accounts yet) everything is allowed.

Call it BEFORE opening a transaction: a refusal raised inside a transaction that is then rolled back
would take its audit entry with it.
"""

from __future__ import annotations

from suas_desktop import log
from suas_desktop.domain.audit import AuditEntry
from suas_desktop.domain.permissions import Permission, PermissionDenied, Session
from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.audit_repository import AuditRepository

DENIED_ACTION = "permission.denied"


def allows(ws: Workspace, *permissions: Permission) -> bool:
    """True when the current person (or the system context) may do any of ``permissions``."""
    session = ws.session
    return session is None or any(session.may(p) for p in permissions)


def require(
    ws: Workspace,
    *permissions: Permission,
    doing: str | None = None,
    entity: str = "",
    record_id: str = "",
) -> Session | None:
    """Raise PermissionDenied (audited) unless any of ``permissions`` is allowed; returns the session.

    ``doing`` overrides the permission's phrase in the message ("concluir ciclos"); ``entity`` and
    ``record_id`` name what the refused action was about (ids only).
    """
    if not permissions:
        raise ValueError("require() needs at least one permission")
    session = ws.session
    if session is None or any(session.may(p) for p in permissions):
        return session
    wanted = permissions[0]
    ctx = ws.write_context(session.name)
    AuditRepository(ws.db).append(
        AuditEntry(
            at=ctx.at,
            actor=session.name,
            action=DENIED_ACTION,
            origin=ctx.origin,
            entity=entity,
            record_id=record_id,
            detail=f"{wanted.value}; perfil {session.role.value}",
        )
    )
    log.services.info("permission denied: %s for role %s", wanted.value, session.role.value)
    raise PermissionDenied(session.role, wanted, doing)
