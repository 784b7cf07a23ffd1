"""One writer per data folder.

The lock is an operating-system lock on a file in the data folder (``flock`` on POSIX,
``msvcrt.locking`` on Windows). The OS drops it when the holder exits *or is killed*, so a lock
left by a crashed process is recovered automatically, with no stale-PID guessing. A small
side file tells the refused process who holds the folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from suas_desktop.errors import DataFolderInUse, ReadOnlyStorage

if os.name == "nt":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        with contextlib.suppress(OSError):
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class FolderLock:
    """Exclusive lock on a data folder. Use as a context manager or call acquire/release."""

    def __init__(self, lock_file: Path) -> None:
        self.lock_file = Path(lock_file)
        self.info_file = self.lock_file.with_name(self.lock_file.name + ".info")
        self._handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> None:
        if self._handle is not None:
            return
        try:
            handle = open(self.lock_file, "a+b")  # noqa: SIM115 - kept open while the lock is held
        except PermissionError as exc:
            raise ReadOnlyStorage(
                "Sem permissão para gravar na pasta de dados.",
                hint=f"Verifique as permissões da pasta {self.lock_file.parent}.",
            ) from exc
        if not _try_lock(handle):
            handle.close()
            raise DataFolderInUse(
                f"Esta pasta de dados já está aberta em outra janela do SUAS Desktop{self._holder_text()}.",
                hint="Feche a outra janela (ou aguarde ela terminar) e tente de novo.",
            )
        self._handle = handle
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with contextlib.suppress(OSError):
            self.info_file.write_text(json.dumps(info), encoding="utf-8")

    def _holder_text(self) -> str:
        try:
            info = json.loads(self.info_file.read_text(encoding="utf-8"))
            return f" (processo {int(info['pid'])} no computador {info['host']})"
        except (OSError, ValueError, KeyError, TypeError):
            return ""

    def release(self) -> None:
        if self._handle is None:
            return
        with contextlib.suppress(OSError):
            self.info_file.unlink()
        _unlock(self._handle)
        self._handle.close()
        self._handle = None

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
