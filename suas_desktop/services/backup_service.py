"""Copies of the database kept in the data folder's backups/ (VACUUM INTO: consistent, compact)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from suas_desktop import log
from suas_desktop.domain.audit import AuditEntry
from suas_desktop.domain.permissions import Permission
from suas_desktop.services.authorization import require
from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.audit_repository import AuditRepository


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    modified: datetime


class BackupService:
    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def create(self, *, actor: str, label: str = "manual") -> BackupInfo:
        require(self._ws, Permission.BACKUP)
        stamp = self._ws.clock.now().strftime("%Y%m%dT%H%M%SZ")
        target = self._ws.layout.backups / f"{label}-{stamp}.db"
        self._ws.layout.backups.mkdir(parents=True, exist_ok=True)
        self._ws.db.snapshot(target)
        ctx = self._ws.write_context(actor)
        AuditRepository(self._ws.db).append(
            AuditEntry(at=ctx.at, actor=actor, action="backup.create", origin=ctx.origin, detail=target.name)
        )
        log.services.info("backup written: %s", target.name)
        return self._info(target)

    def list(self) -> list[BackupInfo]:
        folder = self._ws.layout.backups
        if not folder.is_dir():
            return []
        return sorted((self._info(p) for p in folder.glob("*.db")), key=lambda b: b.modified, reverse=True)

    @staticmethod
    def _info(path: Path) -> BackupInfo:
        stat = path.stat()
        return BackupInfo(path, stat.st_size, datetime.fromtimestamp(stat.st_mtime).astimezone())
