"""Putting a damaged database aside and restoring the newest backup in its place."""

from __future__ import annotations

import contextlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from suas_desktop import log
from suas_desktop.atomic_files import fsync_dir, fsync_file
from suas_desktop.errors import UserError
from suas_desktop.paths import DataLayout
from suas_desktop.storage.database import Database
from suas_desktop.storage.folder_lock import FolderLock


def restore_database_backup(layout: DataLayout, backup: Path) -> Path:
    """Replace the live database by ``backup``; the replaced file is kept in ``backups/``.

    The backup is verified before anything moves. Returns where the replaced file was kept.
    Raises DataFolderInUse when another process has the folder open.
    """
    backup = Path(backup)
    with FolderLock(layout.lock_file):
        try:
            with Database.open(backup, allow_wal=False) as candidate:
                if candidate.integrity_check():
                    raise UserError("A cópia de segurança escolhida também está danificada.")
        except UserError:
            raise
        except Exception as exc:
            raise UserError(
                "A cópia de segurança escolhida não pôde ser aberta.",
                hint="Escolha outra cópia na pasta de cópias de segurança.",
            ) from exc
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        layout.backups.mkdir(parents=True, exist_ok=True)
        kept = layout.backups / f"substituido-{stamp}.db.danificado"
        staging = layout.database.with_name(layout.database.name + ".restaurando")
        shutil.copyfile(backup, staging)
        fsync_file(staging)
        if layout.database.exists():
            os.replace(layout.database, kept)
        for suffix in ("-wal", "-shm", "-journal"):
            # A journal beside the new file would be replayed into it: move it away with the old file.
            side = layout.database.with_name(layout.database.name + suffix)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + suffix))
        os.replace(staging, layout.database)
        fsync_dir(layout.database.parent)
        with contextlib.suppress(OSError):
            fsync_dir(layout.backups)
    log.storage.warning("database restored from backup %s; replaced file kept as %s", backup.name, kept.name)
    return kept
