"""Opening a data folder: lock, logs, database, migrations, installation id.

The :class:`Workspace` is what every service works on; ``app.py`` and ``cli.py`` open one at start.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from suas_desktop import log
from suas_desktop.domain.audit import AuditEntry
from suas_desktop.domain.clock import Clock, SystemClock, iso_utc
from suas_desktop.domain.ids import InstallationId
from suas_desktop.domain.permissions import Session
from suas_desktop.errors import DatabaseCorrupt, KnownError, ReadOnlyStorage
from suas_desktop.paths import DataLayout
from suas_desktop.storage.attachment_store import AttachmentStore
from suas_desktop.storage.audit_repository import AuditRepository
from suas_desktop.storage.database import Database
from suas_desktop.storage.folder_lock import FolderLock
from suas_desktop.storage.installation_repository import ensure_installation
from suas_desktop.storage.migrations import MigrationResult, migrate
from suas_desktop.storage.synced_table import WriteContext

#: Actor recorded for changes the app makes by itself (migrations, automatic backups).
SYSTEM_ACTOR = "sistema"


@dataclass
class Workspace:
    layout: DataLayout
    db: Database
    installation_id: InstallationId
    clock: Clock
    lock: FolderLock
    migration: MigrationResult
    #: Who is logged in (services/session.py); None is the system context (command line, the app's own
    #: jobs, a folder without accounts), where services/authorization.py allows everything.
    session: Session | None = None
    attachments: AttachmentStore = field(init=False)

    def __post_init__(self) -> None:
        self.attachments = AttachmentStore(self.layout.attachments)

    def write_context(self, actor: str = SYSTEM_ACTOR) -> WriteContext:
        return WriteContext(actor=actor, origin=self.installation_id, at=iso_utc(self.clock.now()))

    def close(self) -> None:
        self.db.close()
        self.lock.release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _clear_private_temp(layout: DataLayout) -> None:
    """Remove scratch files a crashed session left behind (they may hold personal data)."""
    if layout.temp.is_dir():
        shutil.rmtree(layout.temp, ignore_errors=True)


def newest_backup(layout: DataLayout) -> Path | None:
    if not layout.backups.is_dir():
        return None
    candidates = [p for p in layout.backups.glob("*.db") if p.is_file()]
    return max(candidates, key=lambda p: p.stat().st_mtime, default=None)


def open_workspace(layout: DataLayout, *, clock: Clock | None = None, file_logging: bool = True) -> Workspace:
    """Lock the folder and open (create or upgrade) its database.

    Raises:
        DataFolderInUse: another process holds the folder.
        DatabaseCorrupt: with ``backup`` set to the newest backup when there is one.
        DatabaseTooNew / NotOurDatabase / other KnownError: nothing was changed.
    """
    clock = clock or SystemClock()
    try:
        layout.ensure()
    except PermissionError as exc:
        raise ReadOnlyStorage(
            "Sem permissão para criar a pasta de dados.",
            hint=f"Escolha outra pasta ou peça acesso a {layout.root}.",
        ) from exc
    except OSError as exc:
        raise KnownError(
            "Não foi possível preparar a pasta de dados.",
            hint=f"Verifique se o disco está conectado e com espaço: {layout.root}.",
        ) from exc
    lock = FolderLock(layout.lock_file)
    lock.acquire()
    try:
        if file_logging:
            log.setup_file_logging(layout.logs)
        _clear_private_temp(layout)
        log.init.info("opening data folder (%s)", layout.source.name.lower())
        try:
            db = Database.open(layout.database)
        except DatabaseCorrupt as exc:
            backup = newest_backup(layout)
            hint = (
                f"Restaure a cópia de segurança mais recente ({backup.name})."
                if backup
                else "Não há cópia de segurança nesta pasta; peça ajuda ao suporte."
            )
            log.storage.error("database failed its integrity checks")
            raise DatabaseCorrupt(exc.message, hint=hint, backup=backup) from exc
        try:
            result = migrate(db, layout.backups)
            installation = ensure_installation(db, clock)
            if result.migrated:
                _audit_migration(db, installation, clock, result)
        except BaseException:
            db.close()
            raise
        if db.journal_mode != "wal":
            log.storage.warning("running with the rollback journal (WAL unavailable here)")
    except BaseException:
        lock.release()
        raise
    return Workspace(layout, db, installation, clock, lock, result)


def _audit_migration(db: Database, origin: str, clock: Clock, result: MigrationResult) -> None:
    detail = f"esquema {result.from_version} -> {result.to_version}"
    if result.backup is not None:
        detail += f"; cópia prévia {result.backup.name}"
    AuditRepository(db).append(
        AuditEntry(
            at=iso_utc(clock.now()),
            actor=SYSTEM_ACTOR,
            action="database.migrate",
            origin=origin,
            detail=detail,
        )
    )


logging.getLogger("suas_desktop").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class WorkspaceSummary:
    """What the window shows about the open data folder (plain values, no storage objects)."""

    data_dir: str
    portable: bool
    durable_journal: str


def summarize(ws: Workspace) -> WorkspaceSummary:
    return WorkspaceSummary(str(ws.layout.root), ws.layout.portable, ws.db.journal_mode)
