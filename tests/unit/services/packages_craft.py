"""Taking a package apart and putting (maliciously) altered ones back together, for the hazard tests."""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from pathlib import Path

from suas_desktop.services import age_stream
from suas_desktop.services import package_format as pf
from tests.unit.services.packages_support import PASSPHRASE, TEST_LOG_N


def decrypt_bytes(data: bytes, passphrase: str = PASSPHRASE) -> bytes:
    out = bytearray()
    age_stream.decrypt(io.BytesIO(data), out.extend, passphrase)
    return bytes(out)


def encrypt_bytes(data: bytes, passphrase: str = PASSPHRASE, log_n: int = TEST_LOG_N) -> bytes:
    buffer = io.BytesIO()
    with age_stream.AgeWriter(buffer, passphrase, log_n=log_n) as writer:
        writer.write(data)
    return buffer.getvalue()


def members_of(zip_bytes: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def build_zip(
    members: list[tuple[str, bytes]],
    *,
    compress: bool = True,
    tweak: dict[str, dict] | None = None,
) -> bytes:
    """A zip of ``members``; ``tweak`` sets ZipInfo attributes per name (external_attr, flag_bits…)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 25, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = (stat.S_IFREG | 0o600) << 16
            for key, value in (tweak or {}).get(name, {}).items():
                setattr(info, key, value)
            zf.writestr(info, data)
    return buffer.getvalue()


def manifest_of(members: list[tuple[str, bytes]]) -> dict:
    return json.loads(dict(members)[pf.MANIFEST])


def resign(members: list[tuple[str, bytes]], manifest: dict, sign) -> list[tuple[str, bytes]]:
    """Replace manifest and signature (signed with ``sign``), keeping the other members."""
    data = (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()
    out = [(n, d) for n, d in members if n not in (pf.MANIFEST, pf.SIGNATURE)]
    return [*out, (pf.MANIFEST, data), (pf.SIGNATURE, sign(data))]


def with_member(members, name: str, data: bytes, manifest: dict) -> tuple[list, dict]:
    """Add/replace a member and list it in the manifest (so only name rules can stop it)."""
    import hashlib

    out = [(n, d) for n, d in members if n != name] + [(name, data)]
    manifest = json.loads(json.dumps(manifest))
    manifest["members"] = [m for m in manifest["members"] if m["name"] != name] + [
        {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    ]
    return out, manifest


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def random_bytes(n: int) -> bytes:
    return os.urandom(n)
