"""The ``.suas`` container: writing it and reading it back with every check (docs/package-format.md).

Layers, outside in:

1. optional age encryption (``age_stream``; ALWAYS for packages with personal data);
2. a ZIP archive with a fixed set of member names (stdlib ``zipfile``: inspectable with any unzip tool
   once decrypted; we never extract it, we read allow-listed members by name);
3. ``manifest.json`` (format version, origin, counts, size and SHA-256 of every other member) and
   ``manifest.sig`` (Ed25519 over the exact manifest bytes, with the key named in the manifest).

Everything a reader can meet is turned into :class:`PackageRejected` with a ``reason`` from the fixed
catalogue :data:`MESSAGES`; no other exception escapes :func:`open_package` for a bad file.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import json
import os
import queue
import re
import shutil
import stat
import struct
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from suas_desktop import log
from suas_desktop.errors import UserError
from suas_desktop.paths import DataLayout
from suas_desktop.services import age_stream, usb_write
from suas_desktop.services.signing_keys import display_fingerprint, fingerprint_hex, verify_signature

FORMAT = "suas-desktop-package"
FORMAT_VERSION = 1
SCOPES = ("full", "regional", "backup")
FILE_SUFFIX = ".suas"

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
TOMBSTONES = "sync/tombstones.jsonl"
SUMMARY = "regional/summary.json"
DATABASE = "banco/suas-desktop.db"
_RECORDS = re.compile(r"^records/([a-z][a-z0-9_]{0,62})\.jsonl$")
_ATTACHMENT = re.compile(r"^anexos/([0-9a-f]{64})$")
_FIXED = {
    "full": {MANIFEST, SIGNATURE, TOMBSTONES},
    "regional": {MANIFEST, SIGNATURE, SUMMARY},
    "backup": {MANIFEST, SIGNATURE, DATABASE},
}

# ---------------------------------------------------------------- limits (reliability.md §3.1)
MAX_PACKAGE_BYTES = 32 << 30
MAX_MEMBERS = 200_000
MAX_MEMBER_BYTES = (4 << 30) - 1
MAX_TOTAL_BYTES = 64 << 30
MAX_MANIFEST_BYTES = 32 << 20
MAX_RECORDS_MEMBER_BYTES = 512 << 20
MAX_SUMMARY_BYTES = 8 << 20
MAX_LINE_BYTES = 4 << 20
#: Deflated members may shrink at most this much (JSON lines compress 5-20x; bombs 1000x and more).
MAX_RATIO = 200
_ZIP_MAGIC = b"PK\x03\x04"
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_CHUNK = 1 << 20

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
_IBGE = re.compile(r"^\d{7}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")

_AGAIN = "Peça a quem enviou para gerar e copiar o pacote de novo."
#: reason -> (message, hint). The fixed, translated error catalogue (PKG-1).
MESSAGES: dict[str, tuple[str, str | None]] = {
    "not_a_package": ("Este arquivo não é um pacote do SUAS Desktop.", "Escolha um arquivo .suas."),
    "unreadable": ("Não foi possível ler o pacote.", "Verifique se o pen drive continua conectado."),
    "needs_passphrase": (
        "Este pacote é protegido por senha.",
        "Informe a senha combinada com quem o enviou.",
    ),
    "wrong_passphrase": (
        "Senha incorreta: o pacote não foi aberto.",
        "Confira a senha com quem criou o pacote (maiúsculas, minúsculas e acentos contam).",
    ),
    "truncated": (
        "O pacote está incompleto: a cópia foi interrompida ou o pen drive foi removido antes da hora.",
        _AGAIN,
    ),
    "damaged_or_truncated": (
        "O pacote está danificado ou incompleto (o final do arquivo não confere).",
        _AGAIN,
    ),
    "damaged": ("O pacote está danificado ou foi alterado depois de criado.", _AGAIN),
    "weak_kdf": (
        "O pacote usa uma proteção de senha fraca demais e foi recusado.",
        "Gere o pacote de novo com o SUAS Desktop.",
    ),
    "kdf_too_costly": (
        "O pacote exige memória demais para ser aberto e foi recusado.",
        "Gere o pacote de novo com o SUAS Desktop.",
    ),
    "unsupported": ("O pacote usa uma forma de proteção que o SUAS Desktop não aceita.", None),
    "too_new": (
        "Este pacote foi criado por uma versão mais nova do SUAS Desktop. Atualize o aplicativo.",
        "Nada foi alterado.",
    ),
    "unsafe_member": (
        "O pacote contém um arquivo com nome ou tipo não permitido e foi recusado por segurança.",
        None,
    ),
    "too_big": ("O pacote excede os limites de tamanho aceitos e foi recusado por segurança.", None),
    "bad_manifest": ("O índice do pacote (manifest.json) é inválido.", _AGAIN),
    "missing_member": ("Falta um arquivo dentro do pacote.", _AGAIN),
    "extra_member": ("O pacote contém um arquivo que não consta do seu índice.", _AGAIN),
    "member_mismatch": (
        "Um arquivo dentro do pacote não confere com o índice: o pacote foi alterado.",
        _AGAIN,
    ),
    "bad_signature": (
        "A assinatura do pacote não confere: ele foi alterado ou não foi criado pelo SUAS Desktop.",
        _AGAIN,
    ),
    "unknown_signer": (
        "O pacote foi assinado por uma instalação que este computador ainda não conhece.",
        None,
    ),
    "signer_changed": (
        "A chave de assinatura desta instalação mudou desde o último pacote recebido dela.",
        None,
    ),
    "invalid_content": ("O conteúdo do pacote é inválido.", _AGAIN),
    "unencrypted_full": (
        "Pacote completo sem criptografia: recusado, pois conteria dados pessoais desprotegidos.",
        None,
    ),
    "other_municipality": (
        "Este pacote é de outro município.",
        "Pacotes completos só entram no mesmo município.",
    ),
    "wrong_scope": ("Este tipo de pacote não pode ser importado nesta pasta de dados.", None),
    "not_a_backup": ("Este arquivo não é uma cópia de segurança do SUAS Desktop.", None),
    "broken_references": (
        "O pacote não pôde ser aplicado: há registros que apontam para outros inexistentes.",
        _AGAIN,
    ),
    "no_space": ("Não há espaço livre suficiente na pasta de dados para abrir o pacote.", None),
}


class PackageRejected(UserError):
    """A package (or backup file) that was refused; nothing was changed. ``reason``: a MESSAGES key."""

    def __init__(self, reason: str, detail: str = "", *, message: str | None = None) -> None:
        text, hint = MESSAGES[reason]
        if message:
            text = message
        if detail:
            text = f"{text} ({detail})"
        super().__init__(text, hint=hint)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class SignerInfo:
    public_key: bytes
    installation_id: str
    municipality: str
    municipality_name: str

    @property
    def fingerprint(self) -> str:
        return fingerprint_hex(self.public_key)

    @property
    def display(self) -> str:
        return display_fingerprint(self.public_key)


class UnknownSigner(PackageRejected):
    """The package is intact and correctly signed, but by a key this installation has not confirmed.

    The UI/CLI shows :attr:`signer` ``.display`` and asks; on "sim" it calls ``trust_signer``.
    """

    def __init__(self, signer: SignerInfo, *, changed: bool = False) -> None:
        reason = "signer_changed" if changed else "unknown_signer"
        message = (
            f"{MESSAGES[reason][0]} Município: {signer.municipality_name} (IBGE {signer.municipality}). "
            f"Impressão digital da chave: {signer.display}."
        )
        super().__init__(reason, message=message)
        self.hint = (
            "Confirme a impressão digital com quem enviou o pacote (por telefone, por exemplo) e, se "
            "conferir, importe de novo confirmando a confiança (na linha de comando: --trust-signer)."
        )
        self.signer = signer
        self.changed = changed


# ================================================================== private temporary folder
TEMP_FOLDER = ".temporario"


def temp_root(layout: DataLayout) -> Path:
    return layout.root / TEMP_FOLDER


@contextlib.contextmanager
def private_temp(layout: DataLayout, prefix: str) -> Iterator[Path]:
    """A 0700 folder inside the data folder (same disk, same protection), removed on exit."""
    root = temp_root(layout)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(root, 0o700)
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        if path.exists():  # pragma: no cover - Windows with a file still open
            log.services.warning("temporary folder not removed: %s", path.name)


def clean_stale_temp(layout: DataLayout) -> None:
    """Remove what a crashed export/import left behind (call while holding the folder lock)."""
    root = temp_root(layout)
    if root.is_dir():
        for child in root.iterdir():
            shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)


# ================================================================== writing
class SourceUnreadable(Exception):
    """A file going into a package could not be read, or its content is not what its name says.

    Not an OSError on purpose: an OSError while building a package is a problem of the destination
    (disk full, stick removed) and is reported as such by usb_write.
    """


class _HashingSink:
    """Write-through that hashes and counts; no tell(): zipfile then writes a streamable archive."""

    def __init__(self, target: Any) -> None:
        self._target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        self._target.write(data)
        return len(data)

    def flush(self) -> None:
        self._target.flush()


class _CountingSink:
    """Write-through that counts (the archive's size, checked again when the package is read back)."""

    def __init__(self, target: Any) -> None:
        self._target = target
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        self._target.write(data)
        return len(data)

    def flush(self) -> None:
        self._target.flush()


@dataclass
class WrittenPackage:
    path: Path
    size: int
    #: SHA-256 of the file; for an encrypted package "" until verify_written() read it back.
    sha256: str
    inner_size: int
    encrypted: bool
    manifest: dict[str, Any]
    #: AgeWriter.derived: (salt, log_n, wrap key) for the read-back (never stored).
    derived: tuple[bytes, int, bytes] | None = field(default=None, repr=False)


class PackageWriter:
    """Streams a package to ``path``: members first, then the manifest and its signature.

    Memory stays at one chunk whatever the size of the attachments. On any error the partial file
    is removed (abort()). Each attachment is hashed once on the way in (it must match its name and
    its hash goes into the manifest); the archive is not hashed again, and an unencrypted package's
    bytes are hashed once on the way out (see :func:`verify_written` for why an encrypted one needs
    no hash to be checked).
    """

    def __init__(self, path: Path, *, passphrase: str | None, log_n: int = age_stream.DEFAULT_LOG_N) -> None:
        self.path = Path(path)
        self._file = open(self.path, "xb", buffering=_CHUNK)  # noqa: SIM115 - closed in finish()/abort()
        try:
            # An encrypted file is not hashed on the way out: its read-back is checked by decryption
            # (see verify_written), and its SHA-256 is taken from the bytes read back.
            self._outer = _CountingSink(self._file) if passphrase else _HashingSink(self._file)
            self._age = age_stream.AgeWriter(self._outer, passphrase, log_n=log_n) if passphrase else None  # type: ignore[arg-type]
            self._inner = _CountingSink(self._age or self._outer)
            self._zip = zipfile.ZipFile(self._inner, "w", allowZip64=True)  # type: ignore[arg-type]
        except BaseException:
            self.abort()
            raise
        self._members: list[dict[str, Any]] = []
        self._names: set[str] = set()
        self._stamp = datetime.now(UTC).timetuple()[:6]

    @property
    def bytes_written(self) -> int:
        return self._outer.size

    def _info(self, name: str, size: int, compress: bool) -> zipfile.ZipInfo:
        if name in self._names:
            raise ValueError(f"duplicate member {name}")
        self._names.add(name)
        info = zipfile.ZipInfo(name, date_time=self._stamp)  # type: ignore[arg-type]
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = (stat.S_IFREG | 0o600) << 16
        info.file_size = size
        return info

    def add_bytes(self, name: str, data: bytes, *, compress: bool = True) -> None:
        with self._zip.open(self._info(name, len(data), compress), "w") as out:
            out.write(data)
        self._members.append({"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})

    def add_file(
        self, name: str, source: Path, *, expected_sha256: str | None = None, compress: bool = False
    ) -> None:
        """Stream ``source`` in; raises SourceUnreadable when it cannot be read or is not ``expected_sha256``.

        OSErrors from writing (the destination) propagate unchanged.
        """
        self.add_files([(name, Path(source), expected_sha256)], compress=compress)

    def add_files(self, files: list[tuple[str, Path, str | None]], *, compress: bool = False) -> None:
        """add_file() for each (name, source, expected SHA-256), in order.

        The sources are read and hashed ahead by a background thread (_Prefetcher) while the
        previous blocks are compressed/encrypted/written here: each byte is still hashed once.
        """
        with _Prefetcher([source for _, source, _ in files]) as ahead:
            for name, source, expected in files:
                self._add_prefetched(ahead, name, source, expected, compress)

    def _add_prefetched(
        self, ahead: _Prefetcher, name: str, source: Path, expected: str | None, compress: bool
    ) -> None:
        def take() -> tuple[str, Any]:
            try:
                return ahead.get()
            except OSError as exc:
                raise SourceUnreadable(f"{source.name}: não pôde ser lido") from exc

        _, size = take()  # ("open", size)
        written = 0
        with self._zip.open(self._info(name, size, compress), "w", force_zip64=size > (2 << 30)) as out:
            while True:
                kind, value = take()
                if kind != "data":
                    break
                out.write(value)
                written += len(value)
        sha256, read = value
        if written != size or read != size:
            raise SourceUnreadable(f"{source.name}: o arquivo mudou durante a leitura")
        if expected and sha256 != expected:
            raise SourceUnreadable(f"{source.name}: o conteúdo não confere com o nome")
        self._members.append({"name": name, "size": written, "sha256": sha256})

    def finish(self, manifest: dict[str, Any], sign: Callable[[bytes], bytes]) -> WrittenPackage:
        manifest = {**manifest, "members": sorted(self._members, key=lambda m: m["name"])}
        data = (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
        self.add_bytes(MANIFEST, data)
        self.add_bytes(SIGNATURE, sign(data), compress=False)
        self._zip.close()
        if self._age:
            self._age.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return WrittenPackage(
            self.path,
            self._outer.size,
            self._outer.digest.hexdigest() if isinstance(self._outer, _HashingSink) else "",
            self._inner.size,
            self._age is not None,
            manifest,
            self._age.derived if self._age else None,
        )

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            # What ZipFile.close() does last: its __del__ then never writes into the closed file.
            self._zip.fp = None
        with contextlib.suppress(Exception):
            self._file.close()
        self.path.unlink(missing_ok=True)


#: Upper bounds of what a package adds to its members' bytes (see estimate_size).
_ZIP_PER_MEMBER = 512  # local header + name + ZIP64 extra + data descriptor + central directory entry
_MANIFEST_PER_MEMBER = 256  # {"name": …, "sha256": …, "size": …} indented
_FIXED_OVERHEAD = 64 << 10  # end of central directory records, signature, age header


def estimate_size(
    manifest: dict[str, Any], *, stored: list[int], deflated: list[int] | None = None, encrypted: bool
) -> int:
    """An upper bound of the size of a package with members of these sizes (for usb_write.preflight).

    ``stored``: sizes of members written as they are (attachments); ``deflated``: of members that
    are compressed (records), counted at their full size plus deflate's worst-case growth. The real
    package is normally a little smaller, never larger.
    """
    deflated = deflated or []
    count = len(stored) + len(deflated) + 2  # + manifest.json, manifest.sig
    payload = sum(stored) + sum(size + size // 1000 + 64 for size in deflated)
    manifest_bytes = len(json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    inner = payload + manifest_bytes + count * (_ZIP_PER_MEMBER + _MANIFEST_PER_MEMBER) + _FIXED_OVERHEAD
    if not encrypted:
        return inner
    return inner + (inner // age_stream.CHUNK + 1) * age_stream.TAG + _FIXED_OVERHEAD


def write_package(
    dest: Path,
    *,
    estimated_size: int,
    passphrase: str | None,
    log_n: int,
    build: Callable[[PackageWriter], dict[str, Any]],
    sign: Callable[[bytes], bytes],
    fault: usb_write.FaultHook | None = None,
) -> tuple[WrittenPackage, usb_write.WriteResult]:
    """Write a package straight to ``dest`` (a pen drive) and read it back before it gets its name.

    ``build(writer)`` adds the members and returns the manifest (without ``members``). The steps are
    usb_write.write_verified's: preflight with ``estimated_size`` before anything is written,
    ``DEST.partial`` written and fsynced, dropped from the page cache, read back from the device and
    fully decrypted (:func:`verify_written`), renamed to ``DEST``, folder fsynced. Any failure removes
    the partial file and leaves an existing ``DEST`` untouched. SourceUnreadable (an attachment
    could not be read or is damaged) goes through for the caller to explain; destination problems
    become usb_write's pt-BR errors.
    """
    done: list[WrittenPackage] = []

    def produce(partial: Path, hook: usb_write.FaultHook) -> int:
        writer = PackageWriter(partial, passphrase=passphrase, log_n=log_n)
        try:
            manifest = build(writer)
            hook("write", writer.bytes_written)
            written = writer.finish(manifest, sign)
        except BaseException:
            writer.abort()
            raise
        done.append(written)
        return written.size

    def check(partial: Path) -> str:
        return verify_written(done[0], passphrase)

    result = usb_write.write_verified(dest, estimated_size, produce, check, fault=fault)
    written = done[0]
    written.path = result.path
    return written, result


def verify_written(written: WrittenPackage, passphrase: str | None) -> str:
    """Read the finished file back and check it is what was written; returns its SHA-256.

    Encrypted: it must decrypt completely with the file key this writer chose (the header's MAC,
    the ChaCha20-Poly1305 tag of every 64 KiB chunk and the final-chunk flag) to exactly the
    archive's size, and have exactly the file's size. Without that key no other bytes authenticate,
    so this proves the bytes read back are the bytes written, with no hash of them taken while
    writing; their SHA-256 (reported, logged) is taken from the read-back. Unencrypted: the SHA-256
    and size of the bytes read back must be those written.

    Raises usb_write.ReadBackMismatch otherwise (OSError when it cannot be read at all). The file is
    read (and hashed) ahead in a background thread while the chunks already read are decrypted.
    """
    with _PrefetchReader(written.path) as reader:
        if written.encrypted:
            assert passphrase is not None
            try:
                size = age_stream.decrypt(
                    reader,  # type: ignore[arg-type]
                    _discard,
                    passphrase,
                    known_key=written.derived,
                )
            except age_stream.AgeError as exc:
                raise usb_write.ReadBackMismatch(str(exc)) from exc
            reader.drain()
        else:
            reader.drain()
            size = reader.size
    if (
        reader.size != written.size
        or size != written.inner_size
        or (not written.encrypted and reader.sha256 != written.sha256)
    ):
        raise usb_write.ReadBackMismatch("o pacote gravado não confere com o que foi gerado")
    written.sha256 = reader.sha256
    return reader.sha256


def _discard(data: bytes) -> None:
    return None


class _ReadAhead:
    """Ask the OS to read ``WINDOW`` bytes ahead of a sequential reader (POSIX; a no-op elsewhere).

    With the pages of a file just written dropped from the cache (usb_write.drop_cache), its
    read-back comes from the device; many requests in flight read it about twice as fast as the
    default read-ahead (measured on the benchmark machine: 1.7-1.9 s -> 0.9-1.0 s per GiB).
    """

    WINDOW = 32 << 20

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._advise = getattr(os, "posix_fadvise", None)
        self._advised = 0
        if self._advise is not None:
            with contextlib.suppress(OSError):
                self._advise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)
            self.advance(0)

    def advance(self, position: int) -> None:
        if self._advise is None or position + self.WINDOW <= self._advised:
            return
        with contextlib.suppress(OSError):
            self._advise(self._fd, self._advised, self.WINDOW, os.POSIX_FADV_WILLNEED)
        self._advised += self.WINDOW


class _Prefetcher:
    """Reads files in a background thread, block by block, hashing (SHA-256) each file on the way.

    The caller's work on one block (compressing, encrypting, decrypting, writing) overlaps reading and
    hashing the next ones: file reads and hashlib release the GIL, so the two run on two cores, and a
    slow device (a pen drive being read back) is read while the previous blocks are processed.
    At most ``depth`` blocks wait in memory. Items, in order, per file: ("open", size), ("data",
    bytes)…, ("end", (sha256 hex, bytes read)); or ("error", exception), after which nothing follows.
    With ``hashing=False`` the thread only reads (the sha256 in "end" is then meaningless): for a
    consumer light enough to hash by itself while the thread waits for the device.
    Always close() it (or use ``with``): that stops the thread.
    """

    def __init__(
        self, paths: list[Path], *, block: int = _CHUNK, depth: int = 8, hashing: bool = True
    ) -> None:
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue(depth)
        self._stop = threading.Event()
        self._hashing = hashing
        self._thread = threading.Thread(
            target=self._run, args=(list(paths), block), name="suas-leitura", daemon=True
        )
        self._thread.start()

    def _put(self, item: tuple[str, Any]) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _run(self, paths: list[Path], block: int) -> None:
        try:
            for path in paths:
                digest = hashlib.sha256()
                read = 0
                with open(path, "rb", buffering=0) as handle:
                    if not self._put(("open", os.fstat(handle.fileno()).st_size)):
                        return
                    ahead = _ReadAhead(handle.fileno())
                    while chunk := handle.read(block):
                        if self._hashing:
                            digest.update(chunk)
                        read += len(chunk)
                        ahead.advance(read)
                        if not self._put(("data", chunk)):
                            return
                if not self._put(("end", (digest.hexdigest(), read))):
                    return
        except BaseException as exc:  # handed to the consumer, raised there
            self._put(("error", exc))

    def get(self) -> tuple[str, Any]:
        kind, value = self._queue.get()
        if kind == "error":
            self._stop.set()
            raise value
        return kind, value

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                self._queue.get_nowait()
        self._thread.join()

    def __enter__(self) -> _Prefetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _PrefetchReader:
    """A read-only binary file (read, readline) over one file read ahead by a _Prefetcher.

    ``sha256`` and ``size`` describe the whole file once it was read to the end (drain()). The
    thread only reads (a pen drive is the slow part); blocks are hashed here as they arrive.
    """

    def __init__(self, path: Path, *, limit: int | None = None) -> None:
        self._pre = _Prefetcher([path], hashing=False)
        self._limit = limit
        self._buffer = b""
        self._pos = 0
        self._eof = False
        self._digest = hashlib.sha256()
        self.size = 0
        self.sha256 = ""
        try:
            self._pre.get()  # ("open", size)
        except BaseException:
            self._pre.close()
            raise

    def _fill(self) -> bool:
        while self._pos >= len(self._buffer):
            if self._eof:
                return False
            kind, value = self._pre.get()
            if kind == "data":
                self._buffer, self._pos = value, 0
                self._digest.update(value)
            else:  # "end"
                self.sha256 = self._digest.hexdigest()
                self._eof = True
        return True

    def _take(self, parts: list[bytes]) -> bytes:
        data = parts[0] if len(parts) == 1 else b"".join(parts)
        self.size += len(data)
        if self._limit is not None and self.size > self._limit:
            raise PackageRejected("too_big")
        return data

    def read(self, n: int = -1) -> bytes:
        left = n if n >= 0 else 1 << 62
        parts = [b""]
        while left and self._fill():
            piece = self._buffer[self._pos : self._pos + left]
            self._pos += len(piece)
            left -= len(piece)
            parts.append(piece)
        return self._take(parts[1:] or parts)

    def readline(self, limit: int = -1) -> bytes:
        left = limit if limit >= 0 else 1 << 62
        parts = [b""]
        while left and self._fill():
            end = self._buffer.find(b"\n", self._pos, self._pos + left)
            stop = self._pos + left if end < 0 else end + 1
            piece = self._buffer[self._pos : stop]
            self._pos += len(piece)
            left -= len(piece)
            parts.append(piece)
            if end >= 0:
                break
        return self._take(parts[1:] or parts)

    def drain(self) -> None:
        while self.read(_CHUNK):
            pass

    def close(self) -> None:
        self._pre.close()

    def __enter__(self) -> _PrefetchReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ================================================================== reading
@dataclass(frozen=True)
class Member:
    name: str
    size: int
    sha256: str


@dataclass
class OpenedPackage:
    """A package that passed every container-level check (not yet trusted, not yet merged)."""

    archive_path: Path
    source_sha256: str
    source_size: int
    encrypted: bool
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signer: SignerInfo
    members: dict[str, Member]
    _zip: zipfile.ZipFile | None = field(default=None, repr=False)
    #: name -> offset in the archive of the bytes of each stored (not deflated) member.
    _stored_at: dict[str, int] = field(default_factory=dict, repr=False)
    #: Members whose size and SHA-256 were checked against the manifest (by open_package).
    _verified: set[str] = field(default_factory=set, repr=False)

    @property
    def scope(self) -> str:
        return str(self.manifest["scope"])

    @property
    def package_id(self) -> str:
        return str(self.manifest["package_id"])

    def attachments(self) -> list[str]:
        return sorted(m.group(1) for name in self.members if (m := _ATTACHMENT.match(name)))

    def record_tables(self) -> list[str]:
        return sorted(m.group(1) for name in self.members if (m := _RECORDS.match(name)))

    def open_member(self, name: str) -> Iterator[bytes]:
        """Chunks of a member, checked against the manifest (raises PackageRejected at the end).

        A stored member is read straight from its byte range in the archive (the range
        _check_no_overlap found, the same one copy_member copies); a deflated one through zipfile.
        Either way its SHA-256 must be the manifest's, which is stronger than zipfile's CRC-32.
        """
        member = self.members[name]
        assert self._zip is not None
        digest = hashlib.sha256()
        size = 0
        offset = self._stored_at.get(name)
        try:
            with (
                self._zip.open(name)
                if offset is None
                else _RangeReader(self.archive_path, offset, member.size)
            ) as handle:
                while chunk := handle.read(_CHUNK):
                    size += len(chunk)
                    if size > member.size:
                        raise PackageRejected("member_mismatch", name)
                    digest.update(chunk)
                    yield chunk
        except PackageRejected:
            raise
        except _ZIP_ERRORS as exc:
            raise PackageRejected("damaged", name) from exc
        if size != member.size or digest.hexdigest() != member.sha256:
            raise PackageRejected("member_mismatch", name)
        self._verified.add(name)

    def read_member(self, name: str, limit: int) -> bytes:
        if self.members[name].size > limit:
            raise PackageRejected("too_big", name)
        return b"".join(self.open_member(name))

    def iter_jsonl(self, name: str) -> Iterator[Any]:
        """Objects of a JSON-lines member, parsed strictly, one line at a time."""
        pending = b""
        line_no = 0
        for chunk in self.open_member(name):
            pending += chunk
            *lines, pending = pending.split(b"\n")
            if len(pending) > MAX_LINE_BYTES:
                raise PackageRejected("invalid_content", f"{name}: linha longa demais")
            for line in lines:
                line_no += 1
                yield parse_json(line, f"{name}:{line_no}")
        if pending:
            raise PackageRejected("invalid_content", f"{name}: a última linha não termina")

    def copy_member(self, name: str, dest: Path) -> None:
        """Write member ``name`` to the new file ``dest`` and fsync it (not its folder: the caller's job).

        A stored member that open_package already checked against the manifest (size and SHA-256,
        moments ago, in the private folder) is copied as is, without hashing it again: in the kernel
        where the OS allows (``copy_file_range``). Any other member is checked while it is copied.
        """
        offset = self._stored_at.get(name) if name in self._verified else None
        with open(dest, "xb", buffering=0) as out:
            if offset is None:
                for chunk in self.open_member(name):
                    _write_all(out, chunk)
            else:
                _copy_range(self.archive_path, offset, self.members[name].size, out)
            os.fsync(out.fileno())

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None


class _RangeReader:
    """``size`` bytes of ``path`` from ``offset``, read like a file (EOFError when the file is shorter)."""

    def __init__(self, path: Path, offset: int, size: int) -> None:
        self._handle = open(path, "rb", buffering=0)  # noqa: SIM115 - closed in __exit__
        self._handle.seek(offset)
        self._left = size

    def read(self, n: int) -> bytes:
        if not self._left:
            return b""
        data = self._handle.read(min(n, self._left))
        if not data:
            raise EOFError("membro cortado")
        self._left -= len(data)
        return data

    def __enter__(self) -> _RangeReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def _write_all(out: Any, data: bytes) -> None:
    """``out.write`` of a raw (unbuffered) file may write less than asked."""
    view = memoryview(data)
    while view:
        view = view[out.write(view) :]


def _copy_range(source: Path, offset: int, size: int, out: Any) -> None:
    """Copy ``size`` bytes of ``source`` from ``offset`` to the raw file ``out`` (at its position)."""
    with open(source, "rb", buffering=0) as src:
        left = size
        copy = getattr(os, "copy_file_range", None)
        while copy is not None and left:
            try:
                done = copy(src.fileno(), out.fileno(), left, offset + size - left)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM):
                    raise
                done = 0
            if not done:
                break  # not supported here (or unexpected end): copy the rest in user space
            left -= done
        src.seek(offset + size - left)
        while left:
            chunk = src.read(min(left, _CHUNK))
            if not chunk:
                raise PackageRejected("damaged", source.name)
            _write_all(out, chunk)
            left -= len(chunk)


_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    struct.error,
    UnicodeError,
    KeyError,
    IndexError,
    OverflowError,
)


def parse_json(data: bytes, where: str) -> Any:
    """Strict JSON: UTF-8, no duplicate keys, no NaN/Infinity, no floats, bounded nesting."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise ValueError(f"chave repetida {key!r}")
            out[key] = value
        return out

    def no_constant(name: str) -> Any:
        raise ValueError(f"valor não permitido {name}")

    def no_float(text: str) -> Any:
        raise ValueError("números decimais não são usados")

    try:
        return json.loads(
            data.decode("utf-8"), object_pairs_hook=pairs, parse_constant=no_constant, parse_float=no_float
        )
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
        raise PackageRejected("invalid_content", where) from exc


def _check_zip(
    zf: zipfile.ZipFile, scope_names: Callable[[str], bool]
) -> tuple[dict[str, zipfile.ZipInfo], dict[str, int]]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise PackageRejected("too_big", f"{len(infos)} arquivos")
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    deflated_total = 0
    for info in infos:
        name = info.orig_filename
        if name != info.filename or not scope_names(name):
            raise PackageRejected("unsafe_member", repr(name)[:80])
        if name in by_name:
            raise PackageRejected("unsafe_member", f"nome repetido {name}")
        mode = info.external_attr >> 16
        if info.flag_bits & 0x1 or info.is_dir() or (mode and not stat.S_ISREG(mode)):
            raise PackageRejected("unsafe_member", name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageRejected("unsafe_member", f"{name}: compressão não aceita")
        if info.file_size > MAX_MEMBER_BYTES:
            raise PackageRejected("too_big", name)
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise PackageRejected("damaged", name)
        if info.compress_type == zipfile.ZIP_DEFLATED:
            deflated_total += info.file_size
            if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 4096:
                raise PackageRejected("too_big", f"{name}: taxa de compressão suspeita")
        total += info.file_size
        by_name[name] = info
    if total > MAX_TOTAL_BYTES or deflated_total > MAX_RECORDS_MEMBER_BYTES * 4:
        raise PackageRejected("too_big", "tamanho total")
    return by_name, _check_no_overlap(zf, infos)


def _check_no_overlap(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, int]:
    """Every member's bytes lie in their own range before the central directory (no overlap bombs).

    CPython got this check only in 3.11.8/3.12.2 (gh-109858); we may run on older patch releases.
    Returns where the bytes of each stored member start (where zipfile itself would read them):
    OpenedPackage reads, verifies and copies stored members there directly.
    """
    stored_at: dict[str, int] = {}
    assert zf.fp is not None
    end = zf.start_dir  # type: ignore[attr-defined]
    ordered = sorted(infos, key=lambda i: i.header_offset)
    previous_end = 0
    for info in ordered:
        if info.header_offset < previous_end:
            raise PackageRejected("damaged", f"{info.filename}: sobreposição")
        zf.fp.seek(info.header_offset)
        header = zf.fp.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size or header[:4] != _ZIP_MAGIC:
            raise PackageRejected("damaged", info.filename)
        fields = _LOCAL_HEADER.unpack(header)
        # What zipfile.open() checks before reading: the local name is the central directory's,
        # no "patched data" / "strong encryption" flags. Stored members are read by us at data_start.
        local_name = zf.fp.read(fields[9])
        try:
            same_name = local_name.decode("utf-8" if fields[2] & 0x800 else "cp437") == info.orig_filename
        except UnicodeDecodeError:
            same_name = False
        if not same_name or info.flag_bits & 0x60:
            raise PackageRejected("damaged", f"{info.filename}: cabeçalho local")
        data_start = info.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10]
        previous_end = data_start + info.compress_size
        if previous_end > end:
            raise PackageRejected("damaged", f"{info.filename}: fora do arquivo")
        if info.compress_type == zipfile.ZIP_STORED:
            stored_at[info.filename] = data_start
    return stored_at


def _names_for(scope: str) -> Callable[[str], bool]:
    fixed = _FIXED[scope]
    if scope == "full":
        return lambda n: n in fixed or bool(_RECORDS.match(n)) or bool(_ATTACHMENT.match(n))
    if scope == "backup":
        return lambda n: n in fixed or bool(_ATTACHMENT.match(n))
    return lambda n: n in fixed


def _any_scope_name(name: str) -> bool:
    return any(_names_for(s)(name) for s in SCOPES)


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise PackageRejected("bad_manifest", what)


def _is_int(value: Any, low: int = 0, high: int = 1 << 62) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _is_str(value: Any, limit: int = 200) -> bool:
    return isinstance(value, str) and len(value) <= limit


def validate_manifest(manifest: Any) -> None:
    """Schema of format version 1 (unknown extra keys are allowed: they are signed too)."""
    _require(isinstance(manifest, dict), "não é um objeto")
    _require(manifest.get("format") == FORMAT, "formato")
    version = manifest.get("format_version")
    _require(_is_int(version, 1), "versão do formato")
    if version > FORMAT_VERSION:
        raise PackageRejected("too_new")
    _require(manifest.get("scope") in SCOPES, "escopo")
    _require(_is_str(manifest.get("app_version"), 40), "versão do aplicativo")
    _require(_is_int(manifest.get("schema_version"), 1, 10_000), "versão do esquema")
    _require(_is_str(manifest.get("package_id")) and bool(_UUID.match(manifest["package_id"])), "package_id")
    _require(
        _is_str(manifest.get("created_at"), 40) and bool(_ISO.match(manifest["created_at"])), "created_at"
    )
    _require(_is_str(manifest.get("created_by")), "created_by")
    installation = manifest.get("installation_id")
    _require(_is_str(installation) and bool(_UUID.match(installation)), "installation_id")
    _require(_is_int(manifest.get("sequence"), 1), "sequence")
    municipality = manifest.get("municipality")
    _require(isinstance(municipality, dict), "município")
    _require(
        _is_str(municipality.get("ibge_code"), 7) and bool(_IBGE.match(municipality["ibge_code"])), "IBGE"
    )
    _require(_is_str(municipality.get("name"), 200) and bool(municipality["name"]), "nome do município")
    _require(_is_str(municipality.get("uf"), 2) and bool(re.fullmatch(r"[A-Z]{2}", municipality["uf"])), "UF")
    signer = manifest.get("signer")
    _require(isinstance(signer, dict) and signer.get("algorithm") == "Ed25519", "algoritmo da assinatura")
    _require(_is_str(signer.get("public_key"), 64), "chave pública")
    try:
        key = base64.b64decode(signer["public_key"], validate=True)
    except ValueError:
        key = b""
    _require(len(key) == 32, "chave pública")
    tables = manifest.get("tables", {})
    _require(isinstance(tables, dict) and len(tables) <= 500, "tabelas")
    for name, spec in tables.items():
        _require(bool(re.fullmatch(r"[a-z][a-z0-9_]{0,62}", name)), "nome de tabela")
        _require(isinstance(spec, dict) and _is_int(spec.get("records")), f"contagem de {name}")
        columns = spec.get("columns")
        _require(
            isinstance(columns, list)
            and 0 < len(columns) <= 500
            and all(_is_str(c, 63) and re.fullmatch(r"[a-z_][a-z0-9_]*", c) for c in columns)
            and len(set(columns)) == len(columns),
            f"colunas de {name}",
        )
    _require(_is_int(manifest.get("tombstones", 0)), "tombstones")
    _require(_is_int(manifest.get("attachments", 0)), "anexos")
    members = manifest.get("members")
    _require(isinstance(members, list) and len(members) <= MAX_MEMBERS, "lista de arquivos")
    seen = set()
    for m in members:
        _require(isinstance(m, dict), "arquivo")
        _require(_is_str(m.get("name"), 120) and m["name"] not in seen, "nome de arquivo")
        _require(_is_int(m.get("size"), 0, MAX_MEMBER_BYTES), "tamanho de arquivo")
        _require(_is_str(m.get("sha256"), 64) and bool(_HEX64.match(m["sha256"])), "SHA-256 de arquivo")
        seen.add(m["name"])


def _materialize(source: Path, dest: Path, passphrase: str | None) -> tuple[str, int, bool]:
    """Copy (or decrypt) ``source`` into ``dest``; returns the source SHA-256, its size, encrypted?

    ``source`` is read (and hashed) ahead in a background thread while it is decrypted.
    """
    try:
        size = source.stat().st_size
        with open(source, "rb") as handle:
            head = handle.read(len(age_stream.MAGIC))
    except OSError as exc:
        raise PackageRejected("unreadable") from exc
    if size > MAX_PACKAGE_BYTES:
        raise PackageRejected("too_big")
    encrypted = age_stream.is_age(head)
    if not encrypted and not head.startswith(_ZIP_MAGIC):
        raise PackageRejected("not_a_package")
    if encrypted and not passphrase:
        raise PackageRejected("needs_passphrase")
    try:
        with (
            _PrefetchReader(source, limit=MAX_PACKAGE_BYTES) as reader,
            open(dest, "xb", buffering=_CHUNK) as out,
        ):
            written = 0

            def sink(data: bytes) -> None:
                nonlocal written
                written += len(data)
                if written > MAX_PACKAGE_BYTES:
                    raise PackageRejected("too_big")
                out.write(data)

            if encrypted:
                age_stream.decrypt(reader, sink, passphrase or "")  # type: ignore[arg-type]
                reader.drain()
            else:
                while chunk := reader.read(_CHUNK):
                    sink(chunk)
    except age_stream.AgeError as exc:
        raise PackageRejected(exc.reason if exc.reason in MESSAGES else "damaged") from exc
    except OSError as exc:
        if getattr(exc, "errno", None) == 28:  # ENOSPC
            raise PackageRejected("no_space") from exc
        raise PackageRejected("unreadable") from exc
    return reader.sha256, reader.size, encrypted


def open_package(
    source: Path,
    workdir: Path,
    *,
    passphrase: str | None,
    expected_scopes: tuple[str, ...] = SCOPES,
) -> OpenedPackage:
    """Decrypt ``source`` into ``workdir`` (a private temp folder) and run every container check.

    Checks, in order: magic; decryption (passphrase, truncation, tampering); archive structure
    (allow-listed names, no duplicates/links/folders/encrypted members, sizes, compression ratio,
    no overlapping members); the manifest (strict JSON and schema; a newer format is refused with
    "Atualize o aplicativo"); the Ed25519 signature; the member list equal to the manifest; size and
    SHA-256 of every member. Trust in the signer is the caller's decision (see package_service).
    """
    archive = workdir / "pacote.zip"
    source_sha256, source_size, encrypted = _materialize(Path(source), archive, passphrase)
    try:
        zf = zipfile.ZipFile(archive)
    except _ZIP_ERRORS as exc:
        raise PackageRejected("damaged", "estrutura do arquivo") from exc
    try:
        package = _open_zip(
            zf,
            archive=archive,
            source_sha256=source_sha256,
            source_size=source_size,
            encrypted=encrypted,
            expected_scopes=expected_scopes,
        )
    except PackageRejected:
        zf.close()
        raise
    except _ZIP_ERRORS as exc:
        zf.close()
        raise PackageRejected("damaged") from exc
    return package


def _open_zip(
    zf: zipfile.ZipFile,
    *,
    archive: Path,
    source_sha256: str,
    source_size: int,
    encrypted: bool,
    expected_scopes: tuple[str, ...],
) -> OpenedPackage:
    infos, stored_at = _check_zip(zf, _any_scope_name)
    if MANIFEST not in infos:
        raise PackageRejected("not_a_package", "sem manifest.json")
    if SIGNATURE not in infos:
        raise PackageRejected("missing_member", SIGNATURE)
    manifest_info = infos[MANIFEST]
    if manifest_info.file_size > MAX_MANIFEST_BYTES:
        raise PackageRejected("too_big", MANIFEST)
    manifest_bytes = _read_capped(zf, manifest_info, MAX_MANIFEST_BYTES)
    manifest = parse_json(manifest_bytes, MANIFEST)
    if isinstance(manifest, dict) and manifest.get("format") not in (None, FORMAT):
        raise PackageRejected("not_a_package")
    version = manifest.get("format_version") if isinstance(manifest, dict) else None
    if _is_int(version) and version > FORMAT_VERSION:
        raise PackageRejected("too_new")
    try:
        validate_manifest(manifest)
    except PackageRejected as exc:
        if exc.reason == "bad_manifest" and isinstance(manifest, dict) and "format" not in manifest:
            raise PackageRejected("not_a_package") from exc
        raise
    scope = manifest["scope"]
    if scope not in expected_scopes:
        raise PackageRejected("not_a_backup" if expected_scopes == ("backup",) else "wrong_scope")
    allowed = _names_for(scope)
    for name in infos:
        if not allowed(name):
            raise PackageRejected("unsafe_member", name)
    signature = _read_capped(zf, infos[SIGNATURE], 64)
    public_key = base64.b64decode(manifest["signer"]["public_key"])
    if len(signature) != 64 or not verify_signature(public_key, signature, manifest_bytes):
        raise PackageRejected("bad_signature")
    members = {m["name"]: Member(m["name"], m["size"], m["sha256"]) for m in manifest["members"]}
    for required in _FIXED[scope] - {MANIFEST, SIGNATURE}:
        if required not in members:
            raise PackageRejected("missing_member", required)
    for name, member in members.items():
        if name in (MANIFEST, SIGNATURE) or not allowed(name):
            raise PackageRejected("bad_manifest", name)
        if name not in infos:
            raise PackageRejected("missing_member", name)
        if infos[name].file_size != member.size:
            raise PackageRejected("member_mismatch", name)
    for name in infos:
        if name not in members and name not in (MANIFEST, SIGNATURE):
            raise PackageRejected("extra_member", name)
    municipality = manifest["municipality"]
    package = OpenedPackage(
        archive,
        source_sha256,
        source_size,
        encrypted,
        manifest,
        manifest_bytes,
        SignerInfo(public_key, manifest["installation_id"], municipality["ibge_code"], municipality["name"]),
        members,
        zf,
        stored_at,
    )
    for name in sorted(members):
        for _ in package.open_member(name):
            pass
    if scope == "full" and not encrypted:
        raise PackageRejected("unencrypted_full")
    return package


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with zf.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise PackageRejected("too_big", info.filename)
    return data
