"""Settings that belong to a data folder (not to the Windows user): who works here, demo mark."""

from __future__ import annotations

from dataclasses import dataclass

from suas_desktop.domain.permissions import Permission
from suas_desktop.errors import ValidationError
from suas_desktop.services.authorization import require
from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.settings_repository import SettingsRepository

#: Settings only an administrator may change (accounts, retention, association profile, demo mark).
PROTECTED_PREFIXES = ("auth.", "retention.", "profile", "demo")


@dataclass(frozen=True)
class LocalUser:
    name: str
    role: str


class LocalSettingsService:
    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._repo = SettingsRepository(ws.db)

    @property
    def is_demo(self) -> bool:
        return self._repo.get("demo") == "1"

    def current_user(self) -> LocalUser | None:
        name = self._repo.get("user.name")
        return None if not name else LocalUser(name, self._repo.get("user.role", "") or "")

    def set_current_user(self, name: str, role: str) -> LocalUser:
        name = " ".join((name or "").split())
        role = " ".join((role or "").split())
        errors = {}
        if len(name) < 3:
            errors["name"] = "Informe o seu nome (pelo menos 3 letras)."
        if len(name) > 120:
            errors["name"] = "O nome deve ter no máximo 120 letras."
        if not role:
            errors["role"] = "Informe a sua função (ex.: Técnica do FMAS)."
        if errors:
            raise ValidationError(errors)
        self._repo.set("user.name", name)
        self._repo.set("user.role", role)
        return LocalUser(name, role)

    def get(self, key: str, default: str | None = None) -> str | None:
        return self._repo.get(key, default)

    def set(self, key: str, value: str) -> None:
        # Screen preferences ("ui.*") are anyone's; what changes how the folder works is not.
        if key.startswith(PROTECTED_PREFIXES):
            require(self._ws, Permission.SETTINGS)
        self._repo.set(key, value)
