"""The installation's Ed25519 key that signs every package it exports.

Made once per data folder, on first export, and kept in ``chaves/instalacao-ed25519.pem`` inside the
data folder: the folder is created 0700 and the file 0600 (owner only) on POSIX; on Windows the
per-user data folder (``%LOCALAPPDATA%``) already has an owner-only ACL. The private key never leaves
the data folder: it is not in packages nor in backups (a restored backup on a new machine makes a new
key, which the receivers confirm once, like a new phone number).

People compare keys by their *fingerprint*: the first 128 bits of SHA-256 of the raw public key,
shown as 8 groups of 4 hex digits ("3F2A 9C01 …"), read aloud over the phone when in doubt.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from suas_desktop import log
from suas_desktop.atomic_files import fsync_dir
from suas_desktop.errors import KnownError
from suas_desktop.paths import DataLayout

KEY_FOLDER = "chaves"
KEY_FILE = "instalacao-ed25519.pem"


def key_path(layout: DataLayout) -> Path:
    return layout.root / KEY_FOLDER / KEY_FILE


def fingerprint_hex(public_key: bytes) -> str:
    """Full SHA-256 of the raw 32-byte public key (stored in ``known_signer``)."""
    return hashlib.sha256(public_key).hexdigest()


def display_fingerprint(public_key_or_hex: bytes | str) -> str:
    """``3F2A 9C01 77B0 …``: 8 groups of 4 upper-case hex digits (128 bits)."""
    hexa = public_key_or_hex if isinstance(public_key_or_hex, str) else fingerprint_hex(public_key_or_hex)
    short = hexa[:32].upper()
    return " ".join(short[i : i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class InstallationKey:
    private: Ed25519PrivateKey

    @property
    def public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    @property
    def fingerprint(self) -> str:
        return fingerprint_hex(self.public_bytes)

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


def verify_signature(public_key: bytes, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def load_or_create(layout: DataLayout) -> InstallationKey:
    """The data folder's key, created (0600) the first time it is needed."""
    path = key_path(layout)
    if path.is_file():
        return _load(path)
    folder = path.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp = folder / f".{KEY_FILE}.partial"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            # Never replace a key made at the same moment by someone else: link fails if it exists.
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:
            if not path.exists():
                os.replace(tmp, path)
        fsync_dir(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    log.services.info("installation signing key created")
    return _load(path)


def _load(path: Path) -> InstallationKey:
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            log.services.warning("signing key readable by others (mode %o); restricting to 0600", mode)
            with contextlib.suppress(OSError):
                os.chmod(path, 0o600)
    try:
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as exc:
        raise KnownError(
            "A chave de assinatura desta instalação está danificada.",
            hint=f"Apague o arquivo {path} para que uma nova chave seja criada; quem recebe os pacotes "
            "terá de confirmar a nova impressão digital.",
        ) from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise KnownError("A chave de assinatura desta instalação não é do tipo esperado (Ed25519).")
    return InstallationKey(private)
