"""The .suas container: age encryption, signature, manifest, archive hazards (PKG-2, PKG-3, PKG-4)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from suas_desktop.domain.passphrase import is_strong, weakness
from suas_desktop.services import age_stream, signing_keys
from suas_desktop.services import package_format as pf
from suas_desktop.services.municipality_service import MunicipalityService
from suas_desktop.services.package_service import PackageService
from suas_desktop.services.register_service import RegisterService
from tests.unit.services.packages_craft import (
    build_zip,
    decrypt_bytes,
    encrypt_bytes,
    manifest_of,
    members_of,
    resign,
    with_member,
)
from tests.unit.services.packages_support import (
    PASSPHRASE,
    cached_kdf,
    db_checksum,
    export,
    import_,
    open_folder,
    setup_profile,
)


@dataclass
class Source:
    path: Path
    data: bytes
    inner: bytes
    members: list
    manifest: dict
    sign: object


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(age_stream, "derive_wrap_key", cached_kdf)
        root = tmp_path_factory.mktemp("fonte")
        ws = open_folder(root / "dados")
        try:
            setup_profile(ws)
            coat = root / "brasao.png"
            coat.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 600)  # ~150 KB: 3 chunks
            MunicipalityService(ws).set_coat_of_arms(actor="admin", path=coat)
            RegisterService(ws).create(
                actor="ana", name="units", values={"kind": "cras", "name": "CRAS Centro"}
            )
            path = export(ws, root / "pacote.suas")
            key = signing_keys.load_or_create(ws.layout)
        finally:
            ws.close()
    data = path.read_bytes()
    inner = decrypt_bytes(data)
    members = members_of(inner)
    return Source(path, data, inner, members, manifest_of(members), key.sign)


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setattr(age_stream, "derive_wrap_key", cached_kdf)


@pytest.fixture
def target(tmp_path):
    ws = open_folder(tmp_path / "destino")
    yield ws
    ws.close()


def _files(ws) -> list[Path]:
    """Every file of the data folder except SQLite's own journal files."""
    return sorted(
        p.relative_to(ws.layout.root)
        for p in ws.layout.root.rglob("*")
        if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    )


def rejected(ws, data: bytes, tmp_path: Path, *, passphrase: str | None = PASSPHRASE) -> pf.PackageRejected:
    """Import ``data``; it must be refused with a catalogue message and change NOTHING."""
    path = tmp_path / "mutante.suas"
    path.write_bytes(data)
    before = db_checksum(ws)
    files_before = _files(ws)
    with pytest.raises(pf.PackageRejected) as info:
        import_(ws, path, passphrase=passphrase)
    assert info.value.reason in pf.MESSAGES
    assert info.value.message
    assert db_checksum(ws) == before
    assert _files(ws) == files_before  # nothing written outside the (removed) private temp folder
    assert not any(pf.temp_root(ws.layout).iterdir())
    return info.value


def repack(members, **kwargs) -> bytes:
    return encrypt_bytes(build_zip(members, **kwargs))


# ---------------------------------------------------------------- the good package
def test_package_is_age_encrypted_zip_with_manifest_and_signature(source, target):
    assert source.data.startswith(b"age-encryption.org/v1\n")
    assert age_stream.read_log_n(io.BytesIO(source.data)) == age_stream.MIN_LOG_N
    names = [n for n, _ in source.members]
    assert names[-2:] == [pf.MANIFEST, pf.SIGNATURE]
    assert "sync/tombstones.jsonl" in names
    assert any(n.startswith("anexos/") for n in names)
    manifest = source.manifest
    assert manifest["format_version"] == pf.FORMAT_VERSION
    assert manifest["scope"] == "full"
    assert manifest["municipality"]["ibge_code"] == "3117836"
    assert manifest["tables"]["units"]["records"] == 1
    for name, data in source.members:
        if name not in (pf.MANIFEST, pf.SIGNATURE):
            entry = next(m for m in manifest["members"] if m["name"] == name)
            assert entry == {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert import_(target, source.path).applied


def test_reference_age_tools_open_our_packages():
    """Interoperability with pyrage (the rage implementation): it opens what we write."""
    for size in (0, 1, 65536, 65537, 3 * 65536 + 5):
        data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
        ours = encrypt_bytes(data, "outra senha bem comprida")
        assert pyrage.passphrase.decrypt(ours, "outra senha bem comprida") == data


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("SUAS_DESKTOP_SLOW_TESTS"), reason="pyrage's scrypt takes ~4 s")
def test_we_open_what_reference_age_tools_write():
    data = bytes(range(256)) * 700
    theirs = pyrage.passphrase.encrypt(data, "outra senha bem comprida")
    out = bytearray()
    log_n = age_stream.read_log_n(io.BytesIO(theirs))
    age_stream.decrypt(io.BytesIO(theirs), out.extend, "outra senha bem comprida", max_log_n=max(log_n, 18))
    assert bytes(out) == data


def test_app_writes_work_factor_2_17_by_default(tmp_path):
    buffer = io.BytesIO()
    age_stream.AgeWriter(buffer, PASSPHRASE).close()
    assert age_stream.read_log_n(io.BytesIO(buffer.getvalue())) == 17 == age_stream.DEFAULT_LOG_N


def test_stream_nonces_and_keys_never_repeat(monkeypatch):
    """Each package has a fresh salt, file key and payload nonce (PKG-4, cheap version)."""
    monkeypatch.setattr(age_stream, "derive_wrap_key", lambda p, s, n: hashlib.sha256(p + s).digest())
    seen = set()
    for _ in range(2000):
        data = encrypt_bytes(b"x")
        salt_line = data.split(b"\n")[1]
        nonce = data[-(16 + 17) :][:16]
        seen.add((salt_line, nonce))
    assert len(seen) == 2000


# ---------------------------------------------------------------- crypto failures
def test_wrong_passphrase(source, target, tmp_path):
    assert (
        rejected(target, source.data, tmp_path, passphrase="senha errada qualquer").reason
        == "wrong_passphrase"
    )


def test_missing_passphrase(source, target, tmp_path):
    assert rejected(target, source.data, tmp_path, passphrase=None).reason == "needs_passphrase"


@pytest.mark.parametrize("cut", [1, 17, 16 + 65536, 2 * (65536 + 16)])
def test_truncated(source, target, tmp_path, cut):
    reason = rejected(target, source.data[:-cut], tmp_path).reason
    assert reason in ("truncated", "damaged_or_truncated")


def test_truncated_at_chunk_boundary_is_named_incomplete(source, target, tmp_path):
    header_end = source.data.index(b"\n---") + 1
    header_end = source.data.index(b"\n", header_end) + 1 + 16
    cut = header_end + 65536 + 16  # exactly one full chunk
    assert rejected(target, source.data[:cut], tmp_path).reason == "truncated"


def test_swapped_chunks(source, target, tmp_path):
    start = source.data.index(b"\n", source.data.index(b"\n---") + 1) + 1 + 16
    size = 65536 + 16
    c1, c2 = source.data[start : start + size], source.data[start + size : start + 2 * size]
    assert len(c2) == size
    swapped = source.data[:start] + c2 + c1 + source.data[start + 2 * size :]
    assert rejected(target, swapped, tmp_path).reason == "damaged"


@pytest.mark.parametrize(("log_n", "reason"), [(14, "weak_kdf"), (10, "weak_kdf"), (19, "kdf_too_costly")])
def test_work_factor_outside_limits(source, target, tmp_path, log_n, reason):
    data = source.data.replace(b" 15\n", f" {log_n}\n".encode(), 1)
    assert rejected(target, data, tmp_path).reason == reason


def test_not_a_package(target, tmp_path):
    assert rejected(target, b"%PDF-1.7 not a package", tmp_path).reason == "not_a_package"
    assert rejected(target, b"", tmp_path).reason == "not_a_package"


# ---------------------------------------------------------------- signature and manifest
def test_changed_member_detected(source, target, tmp_path):
    members = [(n, d + b"x" if n.startswith("records/units") else d) for n, d in source.members]
    assert rejected(target, repack(members), tmp_path).reason == "member_mismatch"


def test_manifest_edit_breaks_signature(source, target, tmp_path):
    manifest = dict(source.manifest, created_by="outra pessoa")
    data = (json.dumps(manifest, sort_keys=True, indent=1) + "\n").encode()
    members = [(n, data if n == pf.MANIFEST else d) for n, d in source.members]
    assert rejected(target, repack(members), tmp_path).reason == "bad_signature"


def test_signature_by_another_key_is_an_unknown_signer(source, target, tmp_path):
    attacker = Ed25519PrivateKey.generate()
    public = attacker.public_key().public_bytes_raw()
    import base64

    manifest = dict(
        source.manifest, signer={"algorithm": "Ed25519", "public_key": base64.b64encode(public).decode()}
    )
    members = resign(source.members, manifest, attacker.sign)
    path = tmp_path / "outro.suas"
    path.write_bytes(repack(members))
    import_(target, source.path)  # the real signer is trusted
    before = db_checksum(target)
    with pytest.raises(pf.UnknownSigner) as info:
        import_(target, path, trust_signer=False)
    assert info.value.reason == "signer_changed"  # same installation id, another key
    assert info.value.signer.display in info.value.message
    assert db_checksum(target) == before


def test_newer_format_version_asks_to_update(source, target, tmp_path):
    manifest = dict(source.manifest, format_version=pf.FORMAT_VERSION + 1)
    error = rejected(target, repack(resign(source.members, manifest, source.sign)), tmp_path)
    assert error.reason == "too_new"
    assert (
        "Este pacote foi criado por uma versão mais nova do SUAS Desktop. Atualize o aplicativo."
        in error.message
    )


def test_newer_schema_with_unknown_table_asks_to_update(source, target, tmp_path):
    manifest = json.loads(json.dumps(source.manifest))
    manifest["schema_version"] = 999
    manifest["tables"]["tabela_futura"] = {"records": 0, "columns": ["id"]}
    members, manifest = with_member(source.members, "records/tabela_futura.jsonl", b"", manifest)
    assert rejected(target, repack(resign(members, manifest, source.sign)), tmp_path).reason == "too_new"


def test_missing_and_extra_members(source, target, tmp_path):
    without = [(n, d) for n, d in source.members if not n.startswith("anexos/")]
    assert rejected(target, repack(without), tmp_path).reason == "missing_member"
    extra = [*source.members, ("anexos/" + "0" * 64, b"nao listado")]
    assert rejected(target, repack(extra), tmp_path).reason == "extra_member"


def test_swapped_member_contents(source, target, tmp_path):
    names = ["records/municipality.jsonl", "records/units.jsonl"]
    data = dict(source.members)
    members = [
        (n, data[names[1]] if n == names[0] else data[names[0]] if n == names[1] else d)
        for n, d in source.members
    ]
    assert rejected(target, repack(members), tmp_path).reason == "member_mismatch"


def test_unencrypted_full_package_refused(source, target, tmp_path):
    assert rejected(target, source.inner, tmp_path).reason == "unencrypted_full"


def test_invalid_record_values_are_refused_even_when_signed(source, target, tmp_path):
    name = "records/units.jsonl"
    line = json.loads(dict(source.members)[name])
    line["row"]["referenced_families"] = "muitas"  # text in an INTEGER column
    members, manifest = with_member(source.members, name, (json.dumps(line) + "\n").encode(), source.manifest)
    error = rejected(target, repack(resign(members, manifest, source.sign)), tmp_path)
    assert error.reason == "invalid_content"


def test_check_constraint_violation_is_refused_atomically(source, target, tmp_path):
    name = "records/units.jsonl"
    line = json.loads(dict(source.members)[name])
    line["row"]["referenced_families"] = -5  # CHECK (referenced_families >= 0)
    members, manifest = with_member(source.members, name, (json.dumps(line) + "\n").encode(), source.manifest)
    assert (
        rejected(target, repack(resign(members, manifest, source.sign)), tmp_path).reason == "invalid_content"
    )


# ---------------------------------------------------------------- archive hazards (PKG-2)
HAZARD_NAMES = [
    "../fora.txt",
    "/etc/passwd",
    "C:\\Windows\\x",
    "C:/x",
    "anexos\\..\\..\\x",
    "anexos/../manifest.json",
    "\\\\servidor\\share\\x",
    "records/../../x.jsonl",
    "CON",
    "anexos/" + "A" * 64,
    "records/units.jsonl/",
]


@pytest.mark.parametrize("name", HAZARD_NAMES)
def test_unsafe_member_names(source, target, tmp_path, name):
    members, manifest = with_member(source.members, name, b"conteudo", source.manifest)
    error = rejected(target, repack(resign(members, manifest, source.sign)), tmp_path)
    assert error.reason in ("unsafe_member", "bad_manifest")


def test_nul_in_member_name(source, target, tmp_path):
    inner = build_zip([*source.members, ("anexos/x\x00../../evil", b"x")])
    assert rejected(target, encrypt_bytes(inner), tmp_path).reason == "unsafe_member"


def test_duplicate_member_names(source, target, tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we make on purpose
        inner = build_zip([*source.members, (pf.MANIFEST, b"{}")])
    assert rejected(target, encrypt_bytes(inner), tmp_path).reason == "unsafe_member"


def test_symlink_member(source, target, tmp_path):
    name = next(n for n, _ in source.members if n.startswith("anexos/"))
    inner = build_zip(source.members, tweak={name: {"external_attr": (0o120777 << 16)}})
    assert rejected(target, encrypt_bytes(inner), tmp_path).reason == "unsafe_member"


def test_directory_member(source, target, tmp_path):
    inner = build_zip([*source.members, ("anexos/", b"")])
    assert rejected(target, encrypt_bytes(inner), tmp_path).reason == "unsafe_member"


def test_encrypted_zip_member(source, target, tmp_path):
    name = next(n for n, _ in source.members if n.startswith("records/"))
    inner = bytearray(build_zip(source.members, compress=False))
    # set the "encrypted" flag in the central directory entry of that member
    pos = inner.rfind(b"PK\x01\x02" + inner[inner.find(b"PK\x01\x02") + 4 : inner.find(b"PK\x01\x02") + 6])
    pos = inner.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = int.from_bytes(inner[pos + 28 : pos + 30], "little")
        if inner[pos + 46 : pos + 46 + name_len].decode() == name:
            inner[pos + 8] |= 0x01
        pos = inner.find(b"PK\x01\x02", pos + 4)
    assert rejected(target, encrypt_bytes(bytes(inner)), tmp_path).reason in ("unsafe_member", "damaged")


def test_zip_bomb_ratio(source, target, tmp_path):
    bomb = b"\x00" * (20 << 20)  # 20 MB of zeros deflate ~1000:1
    members, manifest = with_member(
        source.members, "anexos/" + hashlib.sha256(bomb).hexdigest(), bomb, source.manifest
    )
    error = rejected(target, repack(resign(members, manifest, source.sign)), tmp_path)
    assert error.reason == "too_big"


def test_overlapping_members_bomb(source, target, tmp_path):
    """Two central-directory entries pointing at the same local data (Fifield's overlap trick)."""
    inner = bytearray(build_zip(source.members, compress=False))
    offsets = []
    pos = inner.find(b"PK\x01\x02")
    while pos >= 0:
        offsets.append(pos)
        pos = inner.find(b"PK\x01\x02", pos + 4)
    first_local = int.from_bytes(inner[offsets[0] + 42 : offsets[0] + 46], "little")
    inner[offsets[1] + 42 : offsets[1] + 46] = first_local.to_bytes(4, "little")
    assert rejected(target, encrypt_bytes(bytes(inner)), tmp_path).reason in ("damaged", "member_mismatch")


def test_too_many_members(source, target, tmp_path, monkeypatch):
    monkeypatch.setattr(pf, "MAX_MEMBERS", len(source.members) - 1)
    assert rejected(target, source.data, tmp_path).reason == "too_big"


def test_unsupported_compression(source, target, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in source.members:
            zf.writestr(
                name,
                data,
                compress_type=zipfile.ZIP_BZIP2 if name.startswith("records/") else zipfile.ZIP_STORED,
            )
    assert rejected(target, encrypt_bytes(buffer.getvalue()), tmp_path).reason == "unsafe_member"


def test_regional_member_in_full_package(source, target, tmp_path):
    members, manifest = with_member(source.members, pf.SUMMARY, b"{}", source.manifest)
    assert (
        rejected(target, repack(resign(members, manifest, source.sign)), tmp_path).reason == "unsafe_member"
    )


# ---------------------------------------------------------------- passphrase strength
@pytest.mark.parametrize(
    "weak",
    ["", "curta", "aaaaaaaaaaaaaaaa", "123456789012", "abcdefghijklmnop", "qwertyuiopasdf", "abcabcabcabc",
     "senha123senha", "12345678901234", "Cônego Marinho 2026", "suas suas suas suas"],
)  # fmt: skip
def test_weak_passphrases(weak):
    why = weakness(weak, avoid=("Cônego Marinho",))
    assert why
    assert not is_strong(weak, avoid=("Cônego Marinho",))


@pytest.mark.parametrize(
    "good", [PASSPHRASE, "Sertão.Veredas.1956!", "lua verde chuva pequi", "R7#kq2!vLm9@xZ"]
)
def test_strong_passphrases(good):
    assert weakness(good) is None


def test_export_refuses_a_weak_passphrase_with_advice(tmp_path):
    ws = open_folder(tmp_path / "d")
    try:
        setup_profile(ws)
        with pytest.raises(Exception) as info:
            PackageService(ws).export(tmp_path / "p.suas", actor="t", passphrase="12345678")
        assert "Senha fraca" in info.value.message
        assert "4 palavras" in info.value.hint
        with pytest.raises(Exception, match="precisa de uma senha"):
            PackageService(ws).export(tmp_path / "p.suas", actor="t")
        assert not (tmp_path / "p.suas").exists()
    finally:
        ws.close()


def test_signing_key_is_private_and_fingerprint_grouped(tmp_path):
    import os
    import stat

    ws = open_folder(tmp_path / "d")
    try:
        key = signing_keys.load_or_create(ws.layout)
        path = signing_keys.key_path(ws.layout)
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        again = signing_keys.load_or_create(ws.layout)
        assert again.fingerprint == key.fingerprint
        shown = signing_keys.display_fingerprint(key.public_bytes)
        assert [len(g) for g in shown.split(" ")] == [4] * 8
    finally:
        ws.close()
