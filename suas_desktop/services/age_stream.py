"""Streaming passphrase encryption in the age v1 format (https://age-encryption.org/v1).

Why our own code instead of pyrage: pyrage's passphrase API works on whole byte strings (memory grows
with the package, and packages carry gigabytes of attachments) and chooses the scrypt work factor by
itself, so an importer cannot refuse weak parameters. The format is small and fully specified:

* header: ``age-encryption.org/v1``, ONE ``scrypt`` stanza (salt, log2 N, the wrapped 16-byte file
  key), and an HMAC-SHA-256 over the header;
* payload: a 16-byte nonce, then the STREAM construction: 64 KiB chunks, each sealed with
  ChaCha20-Poly1305 under a counter nonce whose last byte flags the final chunk, so truncation,
  reordering and any altered byte are detected.

Files written here open with the reference ``age`` and ``rage`` tools (``age -d pacote.suas``) and the
tests check interoperability with pyrage both ways. Only ``cryptography`` and ``hashlib`` are used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Callable
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"age-encryption.org/v1\n"
CHUNK = 64 * 1024
TAG = 16
#: Work factor (log2 of scrypt's N) written by the app: about 0.5 s and 128 MiB on an office PC.
DEFAULT_LOG_N = 17
#: Packages protected with less are refused: reliability.md §3.2 and the brief ask for >= 2^15.
MIN_LOG_N = 15
#: More than this needs more memory than an office PC should spend (2^18 -> 256 MiB).
MAX_LOG_N = 18
_SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"
_MAX_HEADER = 16 * 1024
_B64 = re.compile(rb"^[A-Za-z0-9+/]*$")


class AgeError(Exception):
    """A problem with an encrypted file; ``reason`` is a code of package_format's catalogue."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def normalize_passphrase(passphrase: str) -> bytes:
    """NFC so that the same typed text gives the same bytes on Windows, Linux and macOS."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_wrap_key(passphrase: bytes, salt: bytes, log_n: int) -> bytes:
    """scrypt(N=2^log_n, r=8, p=1). Tests may wrap this function in a cache (never the app)."""
    n = 1 << log_n
    return hashlib.scrypt(
        passphrase,
        salt=_SCRYPT_LABEL + salt,
        n=n,
        r=8,
        p=1,
        maxmem=min(256 * n * 8 + (32 << 20), 2**31 - 1),
        dklen=32,
    )


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def _unb64(text: bytes) -> bytes:
    """Strict, canonical, unpadded base64 (the age spec rejects every other spelling)."""
    if not _B64.match(text) or len(text) % 4 == 1:
        raise AgeError("damaged", "base64 inválido no cabeçalho")
    data = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    if _b64(data) != text:
        raise AgeError("damaged", "base64 não canônico no cabeçalho")
    return data


def _hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(key)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class AgeWriter:
    """A write-only binary stream: ``write()`` plaintext, ``close()`` seals the final chunk.

    ``out`` receives the encrypted bytes as they are produced; memory use is one chunk.
    """

    def __init__(self, out: BinaryIO, passphrase: str, *, log_n: int = DEFAULT_LOG_N) -> None:
        if not MIN_LOG_N <= log_n <= MAX_LOG_N:
            raise ValueError(f"log_n must be in [{MIN_LOG_N}, {MAX_LOG_N}]")
        self._out = out
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        file_key = os.urandom(16)
        salt = os.urandom(16)
        wrap_key = derive_wrap_key(normalize_passphrase(passphrase), salt, log_n)
        #: (salt, log_n, wrap key): lets the read-back of the file just written skip a second scrypt
        #: of the same inputs (see :func:`decrypt`'s ``known_key``); never written anywhere.
        self.derived = (salt, log_n, wrap_key)
        body = ChaCha20Poly1305(wrap_key).encrypt(b"\x00" * 12, file_key, None)
        header = MAGIC + b"-> scrypt " + _b64(salt) + b" " + str(log_n).encode() + b"\n"
        header += _wrap_body(_b64(body)) + b"---"
        mac = hmac.new(_hkdf(file_key, b"", b"header"), header, hashlib.sha256).digest()
        payload_nonce = os.urandom(16)
        self._aead = ChaCha20Poly1305(_hkdf(file_key, payload_nonce, b"payload"))
        out.write(header + b" " + _b64(mac) + b"\n" + payload_nonce)

    def writable(self) -> bool:
        return True

    def _seal(self, chunk: bytes | bytearray | memoryview, last: bool = False) -> None:
        self._out.write(self._aead.encrypt(_nonce(self._counter, last), chunk, None))
        self._counter += 1

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """Encrypt every full chunk that is known not to be the last one; keep the rest (<= CHUNK).

        Full chunks are sealed straight from ``data`` through a memoryview (no copy); only the tail
        is copied into the buffer. Chunk boundaries are the same as buffering everything: every
        CHUNK bytes of the stream, the final chunk sealed by close().
        """
        if self._closed:
            raise ValueError("write to a closed AgeWriter")
        view = memoryview(data).cast("B")
        size = len(view)
        if not size:
            return 0
        if self._buffer:
            need = CHUNK - len(self._buffer)
            if size <= need:
                self._buffer += view
                return size
            # The buffer becomes a full chunk and more bytes follow: it is not the last one.
            self._buffer += view[:need]
            self._seal(self._buffer)
            self._buffer.clear()
            view = view[need:]
        start, end = 0, len(view)
        # Keep at least one byte back: only close() knows which chunk is the last one.
        while end - start > CHUNK:
            self._seal(view[start : start + CHUNK])
            start += CHUNK
        self._buffer += view[start:]
        return size

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if self._closed:
            return
        self._seal(self._buffer, last=True)
        self._buffer.clear()
        self._closed = True
        self._out.flush()

    def __enter__(self) -> AgeWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self._closed = True  # never seal a stream that failed half-way


def _wrap_body(encoded: bytes) -> bytes:
    lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
    if not lines or len(lines[-1]) == 64:
        lines.append(b"")  # the body always ends with a line shorter than 64 columns
    return b"".join(line + b"\n" for line in lines)


def is_age(head: bytes) -> bool:
    return head.startswith(MAGIC)


class _Header:
    def __init__(self, salt: bytes, log_n: int, body: bytes, mac: bytes, mac_input: bytes) -> None:
        self.salt, self.log_n, self.body, self.mac, self.mac_input = salt, log_n, body, mac, mac_input


def _read_line(src: BinaryIO, consumed: int) -> bytes:
    line = src.readline(_MAX_HEADER - consumed + 1)
    if not line:
        raise AgeError("truncated", "cabeçalho incompleto")
    if not line.endswith(b"\n"):
        raise AgeError("truncated" if len(line) < _MAX_HEADER - consumed else "damaged", "cabeçalho")
    return line


def _parse_header(src: BinaryIO) -> _Header:
    magic = src.read(len(MAGIC))
    if magic != MAGIC:
        raise AgeError("not_age")
    consumed = len(MAGIC)
    raw = bytearray(MAGIC)
    stanzas: list[tuple[list[bytes], bytes]] = []
    while True:
        line = _read_line(src, consumed)
        consumed += len(line)
        if line.startswith(b"---"):
            if not line.startswith(b"--- "):
                raise AgeError("damaged", "linha final do cabeçalho")
            raw += b"---"
            mac = _unb64(line[4:-1])
            if len(mac) != 32:
                raise AgeError("damaged", "MAC do cabeçalho")
            break
        if not line.startswith(b"-> "):
            raise AgeError("damaged", "estrofe do cabeçalho")
        raw += line
        args = line[3:-1].split(b" ")
        if not args or any(not a or any(c < 0x21 or c > 0x7E for c in a) for a in args):
            raise AgeError("damaged", "argumentos da estrofe")
        body = bytearray()
        while True:
            body_line = _read_line(src, consumed)
            consumed += len(body_line)
            raw += body_line
            text = body_line[:-1]
            if len(text) > 64:
                raise AgeError("damaged", "linha do corpo longa demais")
            body += text
            if len(text) < 64:
                break
        stanzas.append((args, _unb64(bytes(body))))
        if len(stanzas) > 20:
            raise AgeError("damaged", "estrofes demais")
    scrypt = [s for s in stanzas if s[0][0] == b"scrypt"]
    if len(stanzas) != 1 or len(scrypt) != 1:
        # The spec forbids mixing scrypt with other recipients; other recipients need keys we lack.
        raise AgeError("unsupported", "o pacote não é protegido por senha")
    args, body = scrypt[0]
    if len(args) != 3 or not re.fullmatch(rb"[1-9][0-9]?", args[2]):
        raise AgeError("damaged", "parâmetros do scrypt")
    salt = _unb64(args[1])
    if len(salt) != 16 or len(body) != 32:
        raise AgeError("damaged", "estrofe do scrypt")
    return _Header(salt, int(args[2]), body, mac, bytes(raw))


def read_log_n(src: BinaryIO) -> int:
    """The scrypt work factor of an age file (for diagnostics and tests)."""
    return _parse_header(src).log_n


def decrypt(
    src: BinaryIO,
    sink: Callable[[bytes], object],
    passphrase: str,
    *,
    min_log_n: int = MIN_LOG_N,
    max_log_n: int = MAX_LOG_N,
    known_key: tuple[bytes, int, bytes] | None = None,
) -> int:
    """Decrypt ``src`` chunk by chunk into ``sink``; returns the plaintext size.

    ``sink`` receives only authenticated plaintext, but a later chunk may still fail: callers must
    treat what they got as untrusted until this function returns.

    ``known_key`` (salt, log_n, wrap key), from :attr:`AgeWriter.derived`, is used instead of scrypt
    when the header read from ``src`` has exactly that salt and work factor: the read-back of a file
    this process just wrote. scrypt is deterministic, so the key is the one it would compute; the
    wrapped file key, the header MAC and every chunk are still checked against the bytes read.

    Raises AgeError with reason ``not_age``, ``unsupported``, ``weak_kdf``, ``kdf_too_costly``,
    ``wrong_passphrase``, ``damaged`` (header or a chunk altered), ``truncated`` (cut at a chunk
    boundary: provably incomplete) or ``damaged_or_truncated`` (the final piece does not verify).
    """
    header = _parse_header(src)
    if header.log_n < min_log_n:
        raise AgeError("weak_kdf", f"2^{header.log_n}")
    if header.log_n > max_log_n:
        raise AgeError("kdf_too_costly", f"2^{header.log_n}")
    if known_key is not None and known_key[:2] == (header.salt, header.log_n):
        wrap_key = known_key[2]
    else:
        wrap_key = derive_wrap_key(normalize_passphrase(passphrase), header.salt, header.log_n)
    try:
        file_key = ChaCha20Poly1305(wrap_key).decrypt(b"\x00" * 12, header.body, None)
    except InvalidTag:
        raise AgeError("wrong_passphrase") from None
    expected = hmac.new(_hkdf(file_key, b"", b"header"), header.mac_input, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, header.mac):
        raise AgeError("damaged", "cabeçalho alterado")
    payload_nonce = src.read(16)
    if len(payload_nonce) != 16:
        raise AgeError("truncated", "sem conteúdo")
    aead = ChaCha20Poly1305(_hkdf(file_key, payload_nonce, b"payload"))
    full = CHUNK + TAG
    counter = 0
    total = 0
    current = src.read(full)
    while True:
        if len(current) < full:
            if len(current) < TAG:
                raise AgeError("truncated" if not current else "damaged_or_truncated")
            try:
                plain = aead.decrypt(_nonce(counter, True), current, None)
            except InvalidTag:
                raise AgeError("damaged_or_truncated", f"bloco {counter}") from None
            if not plain and counter > 0:
                raise AgeError("damaged", "bloco final vazio")
            sink(plain)
            return total + len(plain)
        following = src.read(full)
        if not following:
            try:
                plain = aead.decrypt(_nonce(counter, True), current, None)
            except InvalidTag:
                try:
                    aead.decrypt(_nonce(counter, False), current, None)
                except InvalidTag:
                    raise AgeError("damaged", f"bloco {counter}") from None
                raise AgeError("truncated", "faltam os blocos finais") from None
            sink(plain)
            return total + len(plain)
        try:
            plain = aead.decrypt(_nonce(counter, False), current, None)
        except InvalidTag:
            raise AgeError("damaged", f"bloco {counter}") from None
        sink(plain)
        total += len(plain)
        counter += 1
        current = following
