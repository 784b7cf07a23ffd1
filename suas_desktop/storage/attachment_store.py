"""Evidence files stored once each under ``anexos/``, named by their SHA-256.

Layout: ``anexos/ab/abcdef…`` (first two hex digits as a sub-folder keep folders small on FAT32).
Files are copied in chunks (memory stays flat for any size), written to a temporary name, fsynced
and renamed, so a stored file is always complete.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from suas_desktop.atomic_files import fsync_dir

CHUNK = 1024 * 1024
_HASH_NAME = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


def sha256_of(path: Path) -> StoredFile:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return StoredFile(digest.hexdigest(), size)


class AttachmentStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if not _HASH_NAME.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256

    def contains(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put(self, source: Path) -> StoredFile:
        """Copy ``source`` into the store (no-op when the same content is already there).

        Raises OSError when the source cannot be read; the caller turns that into a message.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming.", suffix=".partial", dir=self.root)
        tmp = Path(tmp_name)
        try:
            with open(source, "rb") as src, os.fdopen(fd, "wb") as dst:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            stored = StoredFile(digest.hexdigest(), size)
            final = self.path_for(stored.sha256)
            if final.is_file() and final.stat().st_size == size:
                tmp.unlink()
                return stored
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
            fsync_dir(final.parent)
            return stored
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise

    def remove(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_for(sha256).unlink()

    def iter_stored(self) -> Iterator[Path]:
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir():
                yield from sorted(p for p in sub.iterdir() if p.is_file())

    def verify(self, expected: set[str] | None = None) -> list[str]:
        """Check every stored file against its name; with ``expected``, also report missing ones."""
        problems = []
        seen = set()
        for path in self.iter_stored():
            name = path.name
            if not _HASH_NAME.match(name) or path.parent.name != name[:2]:
                problems.append(f"Arquivo estranho na pasta de anexos: {path.relative_to(self.root)}")
                continue
            seen.add(name)
            try:
                actual = sha256_of(path).sha256
            except OSError:
                problems.append(f"Anexo {name[:12]}… não pôde ser lido.")
                continue
            if actual != name:
                problems.append(
                    f"Anexo {name[:12]}… está danificado (o conteúdo não confere com o registro)."
                )
        for missing in sorted((expected or set()) - seen):
            problems.append(f"Anexo {missing[:12]}… está faltando na pasta de anexos.")
        return problems
