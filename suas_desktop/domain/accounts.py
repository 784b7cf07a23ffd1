"""A local account as stored (pure data; the password hash never leaves the services layer's hands)."""

from __future__ import annotations

from dataclasses import dataclass

from suas_desktop.domain.permissions import Role


@dataclass(frozen=True)
class UserAccount:
    id: str
    login: str
    name: str
    job_title: str
    role: Role
    password_hash: str
    password_params: str
    must_change_password: bool
    recovery_hash: str | None
    recovery_params: str | None
    failed_attempts: int
    locked_until: str | None
    last_login_at: str | None
    active: bool
    created_at: str
    created_by: str
    changed_at: str
    changed_by: str


@dataclass(frozen=True)
class UserInfo:
    """What screens show about an account (no hashes)."""

    id: str
    name: str
    job_title: str
    role: Role
    active: bool
    locked: bool
    failed_attempts: int
    must_change_password: bool
    has_recovery_code: bool
    last_login_at: str | None

    @property
    def role_label(self) -> str:
        return self.role.label
