"""Writing a file to a USB stick (or any folder) so that a truncated or bad copy never looks complete.

reliability.md §1.8. Before writing: a name valid on FAT32, exFAT and NTFS; the destination's file
system (FAT32 caps files at 4 GiB − 1); enough free space (:func:`preflight`). Then the file is
written as ``NAME.partial`` in the destination folder, flushed and fsynced, dropped from the page
cache, and READ BACK from the device (:func:`write_verified`: the caller's check, e.g. SHA-256 and, for
packages, the full decryption); only a verified file is renamed to ``NAME`` (atomically: an existing
``NAME`` stays untouched until then), and the folder is fsynced. Any failure removes the partial
file, so under the final name there is either the old file or a verified new one (USB-1, USB-4).
Packages are written this way directly (package_format.write_package); :func:`safe_write` copies an
existing file through the same steps.

File system detection: on Linux, the mount whose device number (``st_dev``) is the destination's,
from ``/proc/self/mountinfo`` (longest mount point wins). On Windows, ``GetVolumePathNameW`` +
``GetVolumeInformationW`` give the volume's file system name ("FAT32", "exFAT", "NTFS"). Elsewhere the
type is unknown and only the free space and name rules apply.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from suas_desktop.atomic_files import fsync_dir
from suas_desktop.errors import DiskFull, KnownError, ReadOnlyStorage, SuasError, UserError

CHUNK = 1 << 20
FAT32_MAX_FILE = (4 << 30) - 1
#: Kept free beyond the file itself (directory entries, the .partial name, file system overhead).
SPACE_MARGIN = 1 << 20
MAX_NAME = 255
PARTIAL_SUFFIX = ".partial"
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_FORBIDDEN = set('<>:"/\\|?*')
_FAT_TYPES = {"vfat", "msdos", "fat", "fat12", "fat16", "fat32", "umsdos"}

#: Test hook: called with a step name ("write", "fsync", "rename", "fsync_dir", "readback") and the
#: number of bytes written so far; raising from it simulates a failure at that point.
FaultHook = Callable[[str, int], None]


@dataclass(frozen=True)
class FileSystemInfo:
    type: str  # lower-case: "vfat", "exfat", "ntfs", "ext4", … or "" when unknown
    mount_point: str

    @property
    def is_fat32(self) -> bool:
        return self.type.lower() in _FAT_TYPES

    @property
    def max_file_size(self) -> int | None:
        return FAT32_MAX_FILE if self.is_fat32 else None


@dataclass(frozen=True)
class WriteResult:
    path: Path
    size: int
    sha256: str
    filesystem: FileSystemInfo


def name_problems(name: str) -> list[str]:
    """Why ``name`` is not a portable file name (FAT32/exFAT/NTFS); empty when it is fine."""
    problems = []
    if not name or name in (".", ".."):
        return ["O nome do arquivo está vazio."]
    if len(name) > MAX_NAME:
        problems.append(f"O nome do arquivo tem {len(name)} caracteres; o máximo é {MAX_NAME}.")
    bad = sorted({c for c in name if c in _FORBIDDEN or ord(c) < 32})
    if bad:
        shown = " ".join("(controle)" if ord(c) < 32 else c for c in bad)
        problems.append(f"O nome do arquivo tem caracteres não permitidos em pen drives: {shown}")
    if name[-1] in ". ":
        problems.append("O nome do arquivo não pode terminar com ponto ou espaço.")
    stem = name.split(".", maxsplit=1)[0].rstrip(" ").upper()
    if stem in _RESERVED:
        problems.append(f"“{stem}” é um nome reservado do Windows; escolha outro nome.")
    return problems


def check_name(name: str) -> None:
    problems = name_problems(name)
    if problems:
        raise UserError(
            problems[0], hint="Use letras, números, espaços, hífen e ponto (ex.: pacote-2026.suas)."
        )


def suggested_name(text: str, suffix: str = ".suas") -> str:
    """A portable file name made from ``text`` (e.g. the municipality and the date)."""
    clean = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "-", text).strip(" .-") or "pacote"
    if clean.split(".")[0].upper() in _RESERVED:
        clean = f"{clean}-arquivo"
    return clean[: MAX_NAME - len(suffix)] + suffix


# ---------------------------------------------------------------- file system detection
def _unescape_mount(text: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)


def filesystem_of(folder: Path) -> FileSystemInfo:
    folder = Path(folder)
    if sys.platform.startswith("linux"):
        return _linux_filesystem(folder)
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        return _windows_filesystem(folder)
    return FileSystemInfo("", "")


def _linux_filesystem(folder: Path, mountinfo: str = "/proc/self/mountinfo") -> FileSystemInfo:
    try:
        dev = os.stat(folder).st_dev
        lines = Path(mountinfo).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return FileSystemInfo("", "")
    resolved = str(Path(folder).resolve())
    best: FileSystemInfo | None = None
    for line in lines:
        # id parent major:minor root mount-point options [optional fields] - fstype source super-options
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) < 5 or not tail:
            continue
        major, _, minor = fields[2].partition(":")
        try:
            mount_dev = os.makedev(int(major), int(minor))
        except ValueError:
            continue
        mount_point = _unescape_mount(fields[4])
        inside = resolved == mount_point or resolved.startswith(mount_point.rstrip("/") + "/")
        if mount_dev == dev and inside and (best is None or len(mount_point) > len(best.mount_point)):
            best = FileSystemInfo(tail[0].lower(), mount_point)
    return best or FileSystemInfo("", "")


def _windows_filesystem(folder: Path) -> FileSystemInfo:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    root = ctypes.create_unicode_buffer(261)
    if not kernel32.GetVolumePathNameW(str(Path(folder).resolve()), root, 261):
        return FileSystemInfo("", "")
    fs_name = ctypes.create_unicode_buffer(261)
    ok = kernel32.GetVolumeInformationW(root.value, None, 0, None, None, None, fs_name, 261)
    return FileSystemInfo(fs_name.value.lower() if ok else "", root.value)


# ---------------------------------------------------------------- checks and the write itself
def preflight(dest: Path, size: int) -> FileSystemInfo:
    """Refuse before writing a byte: bad name, missing folder, FAT32 limit, not enough space."""
    dest = Path(dest)
    check_name(dest.name)
    folder = dest.parent
    if not folder.is_dir():
        raise UserError(
            f"A pasta de destino não existe: {folder}", hint="Verifique se o pen drive está conectado."
        )
    fs = filesystem_of(folder)
    if fs.max_file_size is not None and size > fs.max_file_size:
        raise UserError(
            f"O arquivo tem {_human(size)} e o pen drive está formatado em FAT32, que só aceita arquivos "
            "de até 4 GB.",
            hint="Use um pen drive formatado em exFAT ou NTFS, ou remova anexos muito grandes.",
        )
    try:
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        raise KnownError("Não foi possível consultar o espaço livre do destino.") from exc
    if free < size + SPACE_MARGIN:
        raise DiskFull(
            f"Não há espaço suficiente no destino: o arquivo tem {_human(size)} e há {_human(free)} livres.",
            hint="Libere espaço no pen drive ou use outro.",
        )
    return fs


def _human(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}".replace(".", ",")
        value /= 1024
    return f"{size} bytes"  # pragma: no cover


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class ReadBackMismatch(Exception):
    """Raised by a read-back check: what the destination gives back is not what was written."""


#: ``produce(partial, hook)`` writes the whole file at ``partial``, flushes and fsyncs it, and
#: returns the number of bytes it wrote.
Produce = Callable[[Path, FaultHook], int]
#: ``check(partial)`` reads the file back, raises ReadBackMismatch when it is not what was written,
#: and returns the SHA-256 (hex) of what it read.
Check = Callable[[Path], str]


def partial_path(dest: Path) -> Path:
    return Path(dest).with_name(Path(dest).name + PARTIAL_SUFFIX)


def drop_cache(path: Path) -> None:
    """Evict the (fsynced, hence clean) pages of ``path``, so that reading it back reads the device.

    Without this, the read-back of a file just written is served from RAM and proves nothing about
    the stick. POSIX only (``posix_fadvise``); elsewhere a no-op.
    """
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:  # pragma: no cover - Windows, macOS
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            advise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def _no_fault(step: str, written: int) -> None:
    return None


def write_verified(
    dest: Path, size: int, produce: Produce, check: Check, *, fault: FaultHook | None = None
) -> WriteResult:
    """Write a file in place on the destination so that a truncated or bad copy never looks complete.

    1. :func:`preflight` with ``size`` (an upper bound is fine): name, folder, FAT32 limit, free space,
       before a byte is written;
    2. ``produce`` writes ``NAME.partial`` in the destination folder (and fsyncs it);
    3. its pages are dropped from the cache (:func:`drop_cache`) and ``check`` reads it back from the
       device (and gives the SHA-256 of what it read, reported in the result);
    4. only then it is renamed to ``NAME`` (atomic; an existing ``NAME`` stays untouched until this
       moment) and the folder is fsynced.

    Any failure before the rename removes the partial file and leaves ``dest`` as it was. Raises
    UserError/KnownError (pt-BR); an exception of ``produce`` that is not an OSError (e.g. "a source
    file is damaged") goes through unchanged, after the partial file was removed.
    """
    dest = Path(dest)
    fs = preflight(dest, size)
    hook = fault or _no_fault
    partial = partial_path(dest)
    written = 0
    renamed = False
    try:
        partial.unlink(missing_ok=True)  # left by a write that was killed
        written = produce(partial, hook)
        hook("readback", written)
        drop_cache(partial)
        try:
            sha256 = check(partial)
        except ReadBackMismatch as exc:
            raise KnownError(
                "A cópia gravada no destino não confere com o original (o pen drive pode estar com defeito "
                "ou ser falsificado).",
                hint="Tente de novo ou use outro pen drive.",
            ) from exc
        hook("rename", written)
        os.replace(partial, dest)
        renamed = True
        hook("fsync_dir", written)
        with contextlib.suppress(OSError):
            fsync_dir(dest.parent)
    except BaseException as exc:
        if not renamed:
            with contextlib.suppress(OSError):
                partial.unlink()
        # After the rename ``dest`` holds a file that was already read back and verified.
        if isinstance(exc, OSError):
            raise _translate(exc, dest, fs) from exc
        raise
    return WriteResult(dest, written, sha256, fs)


def safe_write(
    source: Path,
    dest: Path,
    *,
    source_sha256: str | None = None,
    fault: FaultHook | None = None,
) -> WriteResult:
    """Copy ``source`` to ``dest`` through :func:`write_verified` (.partial, fsync, read-back, rename).

    Raises UserError/KnownError (pt-BR) and leaves no ``.partial`` behind; ``dest`` is either
    untouched (any failure), or a verified copy.
    """
    source, dest = Path(source), Path(dest)
    size = source.stat().st_size
    digest = hashlib.sha256()

    def produce(partial: Path, hook: FaultHook) -> int:
        written = 0
        with open(source, "rb") as src, open(partial, "xb") as out:
            while chunk := src.read(CHUNK):
                hook("write", written)
                out.write(chunk)
                digest.update(chunk)
                written += len(chunk)
            hook("write", written)
            out.flush()
            hook("fsync", written)
            os.fsync(out.fileno())
        if written != size or (source_sha256 and digest.hexdigest() != source_sha256):
            raise KnownError("O arquivo de origem mudou durante a cópia.", hint="Gere o arquivo de novo.")
        return written

    def check(partial: Path) -> str:
        read_back = _sha256_of(partial)
        if read_back != digest.hexdigest():
            raise ReadBackMismatch(partial.name)
        return read_back

    return write_verified(dest, size, produce, check, fault=fault)


def _translate(exc: OSError, dest: Path, fs: FileSystemInfo | None = None) -> SuasError:
    import errno

    if exc.errno == errno.EFBIG and fs is not None and fs.is_fat32:
        return UserError(
            "O arquivo passou de 4 GB e o pen drive está formatado em FAT32, que só aceita arquivos de até "
            "4 GB.",
            hint="Use um pen drive formatado em exFAT ou NTFS, ou remova anexos muito grandes.",
        )
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DiskFull("O destino ficou sem espaço durante a cópia.", hint="Libere espaço e tente de novo.")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyStorage(
            f"Sem permissão para gravar em {dest.parent}.",
            hint="Verifique se o pen drive está travado contra gravação.",
        )
    return KnownError(
        f"Não foi possível gravar o arquivo em {dest.parent}.",
        hint="Verifique se o pen drive continua conectado e tente de novo.",
    )
