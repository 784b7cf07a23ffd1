"""The municipality profile: validated saving, coat of arms, local holidays, warnings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from suas_desktop.domain.clock import today_local
from suas_desktop.domain.municipality import Municipality
from suas_desktop.domain.permissions import Permission
from suas_desktop.errors import UserError, ValidationError
from suas_desktop.services.authorization import require
from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.cycle_repository import CycleRepository
from suas_desktop.storage.municipality_repository import MunicipalityRepository

#: A coat of arms is printed small on report covers; a larger file is almost surely a mistake.
MAX_COAT_OF_ARMS_BYTES = 5 * 1024 * 1024
_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


class MunicipalityService:
    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._repo = MunicipalityRepository(ws.db)

    def profile(self) -> Municipality | None:
        found = self._repo.get()
        return None if found is None else found[1]

    def save_profile(self, *, actor: str, **fields: Any) -> Municipality:
        """Validate every field (all errors at once) and save; nothing is written when one is wrong."""
        require(self._ws, Permission.MUNICIPALITY_EDIT, entity="municipality")
        current = self.profile()
        if "coat_of_arms_sha256" not in fields and current is not None:
            fields["coat_of_arms_sha256"] = current.coat_of_arms_sha256
        municipality = Municipality.create(**fields)
        with self._ws.db.transaction():
            self._repo.save(self._ws.write_context(actor), municipality)
        return municipality

    def set_coat_of_arms(self, *, actor: str, path: Path) -> str:
        """Store a PNG or JPEG image as the coat of arms printed on reports; returns its SHA-256."""
        require(self._ws, Permission.MUNICIPALITY_EDIT, entity="municipality")
        current = self.profile()
        if current is None:
            raise UserError("Cadastre o município antes de escolher o brasão.")
        path = Path(path)
        try:
            with open(path, "rb") as handle:
                head = handle.read(8)
            size = path.stat().st_size
        except OSError as exc:
            raise UserError(f"Não foi possível ler o arquivo “{path.name}”.") from exc
        if not any(head.startswith(magic) for magic in _IMAGE_MAGIC):
            raise ValidationError({"coat_of_arms": "O brasão deve ser uma imagem PNG ou JPEG."})
        if size > MAX_COAT_OF_ARMS_BYTES:
            raise ValidationError({"coat_of_arms": "A imagem do brasão deve ter no máximo 5 MB."})
        try:
            stored = self._ws.attachments.put(path)
        except OSError as exc:
            raise UserError(f"Não foi possível ler o arquivo “{path.name}”.") from exc
        old = current.coat_of_arms_sha256
        with self._ws.db.transaction():
            self._repo.save(
                self._ws.write_context(actor),
                replace(current, coat_of_arms_sha256=stored.sha256),
            )
        if old and old != stored.sha256 and not CycleRepository(self._ws.db).sha256_in_use(old):
            self._ws.attachments.remove(old)
        return stored.sha256

    def coat_of_arms_path(self) -> Path | None:
        current = self.profile()
        if current is None or not current.coat_of_arms_sha256:
            return None
        path = self._ws.attachments.path_for(current.coat_of_arms_sha256)
        return path if path.is_file() else None

    def warnings(self, today: date | None = None) -> list[str]:
        current = self.profile()
        return [] if current is None else current.warnings(today or today_local(self._ws.clock))

    # -- local holidays
    def holidays(self) -> list[tuple[str, date, str, bool]]:
        return self._repo.holidays()

    def add_holiday(self, *, actor: str, day: date, name: str, recurring: bool = True) -> str:
        require(self._ws, Permission.MUNICIPALITY_EDIT, doing="alterar os feriados municipais")
        name = " ".join((name or "").split())
        if len(name) < 3:
            raise ValidationError({"name": "Dê um nome ao feriado (ex.: Aniversário da cidade)."})
        with self._ws.db.transaction():
            return self._repo.add_holiday(self._ws.write_context(actor), day, name, recurring)

    def remove_holiday(self, *, actor: str, holiday_id: str) -> None:
        require(self._ws, Permission.MUNICIPALITY_EDIT, doing="alterar os feriados municipais")
        with self._ws.db.transaction():
            self._repo.remove_holiday(self._ws.write_context(actor), holiday_id)
