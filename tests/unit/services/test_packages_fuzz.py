"""Mutation fuzzing of packages (PKG-1): every mutant is refused with a catalogue message, or is
byte-for-byte the same content; never a crash, never a change in the database.

The normal suite runs ~560 mutants; ``SUAS_DESKTOP_FUZZ_EXAMPLES=N`` runs N per strategy (nightly).
The key derivation is replaced by a fast stand-in here (scrypt itself is tested elsewhere): the fuzz
is about what a reader does with hostile bytes, not about the cost of guessing a passphrase.
"""

from __future__ import annotations

import hashlib
import os
import random

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suas_desktop.services import age_stream, signing_keys
from suas_desktop.services import package_format as pf
from suas_desktop.services.municipality_service import MunicipalityService
from suas_desktop.services.package_service import PackageService
from suas_desktop.services.regional_service import make_association
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
    db_checksum,
    export,
    import_,
    open_folder,
    setup_profile,
)

_EXAMPLES = int(os.environ.get("SUAS_DESKTOP_FUZZ_EXAMPLES", "0"))


def _n(default: int) -> int:
    return _EXAMPLES or default


def _fast_kdf(passphrase: bytes, salt: bytes, log_n: int) -> bytes:
    return hashlib.sha256(b"%d|" % log_n + salt + passphrase).digest()


FUZZ = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
    database=None,
)


class Env:
    """A source package, its parts, and a target that already imported it (so benign mutants are no-ops)."""

    def __init__(self, tmp_path, monkeypatch):
        monkeypatch.setattr(age_stream, "derive_wrap_key", _fast_kdf)
        self.tmp = tmp_path
        src = open_folder(tmp_path / "fonte")
        try:
            setup_profile(src)
            coat = tmp_path / "brasao.png"
            coat.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 520)  # > 2 STREAM chunks
            MunicipalityService(src).set_coat_of_arms(actor="admin", path=coat)
            RegisterService(src).create(actor="ana", name="units", values={"kind": "cras", "name": "CRAS"})
            self.full = export(src, tmp_path / "completo.suas").read_bytes()
            self.regional = export(src, tmp_path / "regional.suas", scope="regional").read_bytes()
            self.sign = signing_keys.load_or_create(src.layout).sign
        finally:
            src.close()
        self.inner = decrypt_bytes(self.full)
        self.members = members_of(self.inner)
        self.manifest = manifest_of(self.members)
        self.target = open_folder(tmp_path / "destino")
        import_(self.target, tmp_path / "completo.suas")
        self.association = open_folder(tmp_path / "associacao")
        make_association(self.association)
        import_(self.association, tmp_path / "regional.suas")
        self.checksums = {"full": db_checksum(self.target), "regional": db_checksum(self.association)}
        self.stats = {"rejected": 0, "benign": 0}

    def close(self):
        self.target.close()
        self.association.close()

    def check(self, data: bytes, *, scope: str = "full", original: bytes | None = None) -> None:
        ws = self.target if scope == "full" else self.association
        path = self.tmp / "mutante.suas"
        path.write_bytes(data)
        try:
            result = import_(ws, path, trust_signer=False)  # the real signer was trusted at set-up
        except pf.PackageRejected as exc:
            assert exc.reason in pf.MESSAGES
            assert exc.user_text()
            self.stats["rejected"] += 1
        else:
            # Accepted: only a mutation of bytes no check covers (zip timestamps…); same package, no-op.
            assert result.plan.already_imported
            assert not result.applied
            self._assert_same_content(path, original or (self.full if scope == "full" else self.regional))
            self.stats["benign"] += 1
        assert db_checksum(ws) == self.checksums[scope]
        assert not any(pf.temp_root(ws.layout).iterdir())

    def _assert_same_content(self, mutant, original: bytes) -> None:
        reference = self.tmp / "original.suas"
        reference.write_bytes(original)
        contents = []
        for source in (mutant, reference):
            with pf.private_temp(self.target.layout, "conferencia-") as tmp:
                package = pf.open_package(source, tmp, passphrase=PASSPHRASE)
                try:
                    contents.append(
                        (
                            package.manifest_bytes,
                            {n: b"".join(package.open_member(n)) for n in package.members},
                        )
                    )
                finally:
                    package.close()
        assert contents[0] == contents[1]


@pytest.fixture
def env(tmp_path, monkeypatch):
    environment = Env(tmp_path, monkeypatch)
    yield environment
    environment.close()


def _mutate(data: bytes, ops: list[tuple]) -> bytes:
    out = bytearray(data)
    for op in ops:
        kind = op[0]
        if not out and kind != "insert":
            continue
        if kind == "flip":
            pos = op[1] % len(out)
            out[pos] ^= 1 << op[2]
        elif kind == "truncate":
            del out[op[1] % len(out) :]
        elif kind == "insert":
            pos = op[1] % (len(out) + 1)
            out[pos:pos] = op[2]
        elif kind == "delete":
            pos = op[1] % len(out)
            del out[pos : pos + op[2]]
        elif kind == "overwrite":
            pos = op[1] % len(out)
            out[pos : pos + len(op[2])] = op[2]
        elif kind == "swap":
            size = op[3]
            a, b = op[1] % len(out), op[2] % len(out)
            chunk_a, chunk_b = bytes(out[a : a + size]), bytes(out[b : b + size])
            if a + size <= b or b + size <= a:
                out[a : a + len(chunk_a)], out[b : b + len(chunk_b)] = (
                    chunk_b[: len(chunk_a)],
                    chunk_a[: len(chunk_b)],
                )
    return bytes(out)


_pos = st.integers(0, 1 << 31) | st.integers(0, 300)  # anywhere, or in the header
_byte_ops = st.one_of(
    st.tuples(st.just("flip"), _pos, st.integers(0, 7)),
    st.tuples(st.just("truncate"), _pos),
    st.tuples(st.just("insert"), _pos, st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("delete"), _pos, st.integers(1, 70_000)),
    st.tuples(st.just("overwrite"), _pos, st.binary(min_size=1, max_size=32)),
    st.tuples(st.just("swap"), _pos, _pos, st.sampled_from([16, 1024, 65536 + 16])),
)


@settings(FUZZ, max_examples=_n(250))
@given(ops=st.lists(_byte_ops, min_size=1, max_size=4))
def test_fuzz_encrypted_package_bytes(env, ops):
    mutant = _mutate(env.full, ops)
    if mutant == env.full:
        return
    env.check(mutant)


@settings(FUZZ, max_examples=_n(40))
@given(log_n=st.integers(0, 40), salt_bit=st.integers(0, 100), wrong=st.booleans())
def test_fuzz_header_fields(env, log_n, salt_bit, wrong):
    lines = env.full.split(b"\n", 3)
    args = lines[1].split(b" ")
    args[3] = str(log_n).encode()
    if salt_bit < len(args[2]) * 6:
        salt = bytearray(args[2])
        salt[salt_bit % len(salt)] = ord("A") if salt[salt_bit % len(salt)] != ord("A") else ord("B")
        args[2] = bytes(salt)
    lines[1] = b" ".join(args)
    mutant = b"\n".join(lines)
    if mutant == env.full:
        return
    if wrong:
        path = env.tmp / "senha.suas"
        path.write_bytes(env.full)
        with pytest.raises(pf.PackageRejected) as info:
            import_(env.target, path, passphrase="outra senha qualquer")
        assert info.value.reason == "wrong_passphrase"
    env.check(mutant)


def _hazard_names():
    return st.sampled_from(
        ["../x", "/abs", "C:\\x", "anexos/../../x", "records/..\\x.jsonl", "anexos/\x00", "NUL", "anexos/",
         "records/units.jsonl", pf.MANIFEST, "sync/../manifest.json", "anexos/" + "f" * 63, "x" * 300]
    )  # fmt: skip


@st.composite
def _inner_mutation(draw):
    return draw(
        st.one_of(
            st.tuples(st.just("bytes"), st.lists(_byte_ops, min_size=1, max_size=3)),
            st.tuples(st.just("member_content"), st.integers(0, 100), st.binary(max_size=40)),
            st.tuples(st.just("member_content_and_manifest"), st.integers(0, 100), st.binary(max_size=40)),
            st.tuples(st.just("manifest_field"), st.sampled_from(_MANIFEST_EDITS), st.booleans()),
            st.tuples(st.just("hazard"), _hazard_names(), st.binary(max_size=20)),
            st.tuples(st.just("drop"), st.integers(0, 100)),
            st.tuples(st.just("swap_members"), st.integers(0, 100), st.integers(0, 100)),
            st.tuples(st.just("attacker_key"), st.booleans()),
            st.tuples(st.just("bomb"), st.integers(1, 8)),
        )
    )


_MANIFEST_EDITS = [
    ("format_version", 2), ("format_version", 0), ("format_version", "1"), ("scope", "regional"),
    ("scope", "backup"), ("package_id", "x"), ("installation_id", None), ("sequence", -1),
    ("municipality", {"ibge_code": "9999999", "name": "Outro", "uf": "SP"}), ("tables", []), ("members", {}),
    ("tombstones", 99), ("attachments", 0), ("schema_version", 10**9), ("created_at", "ontem"), ("format", "zip"),
]  # fmt: skip


def _apply_inner(env, mutation) -> bytes:
    kind = mutation[0]
    members = list(env.members)
    plain = [i for i, (n, _) in enumerate(members) if n not in (pf.MANIFEST, pf.SIGNATURE)]
    if kind == "bytes":
        return _mutate(env.inner, mutation[1])
    if kind in ("member_content", "member_content_and_manifest"):
        index = plain[mutation[1] % len(plain)]
        name, data = members[index]
        new = data + mutation[2] if mutation[2] else data[:-1]
        if new == data:
            new = data + b"!"
        if kind == "member_content":
            members[index] = (name, new)
            return build_zip(members)
        members, manifest = with_member(members, name, new, env.manifest)
        kept_sig = dict(env.members)[pf.SIGNATURE]
        data = dict(resign(members, manifest, env.sign))
        data[pf.SIGNATURE] = kept_sig  # stale signature
        return build_zip(list(data.items()))
    if kind == "manifest_field":
        (key, value), resign_it = mutation[1], mutation[2]
        manifest = dict(env.manifest, **{key: value})
        if resign_it:
            return build_zip(resign(members, manifest, env.sign))
        fake = dict(resign(members, manifest, env.sign))
        fake[pf.SIGNATURE] = dict(env.members)[pf.SIGNATURE]
        return build_zip(list(fake.items()))
    if kind == "hazard":
        members, manifest = with_member(members, mutation[1], mutation[2], env.manifest)
        return build_zip(resign(members, manifest, env.sign))
    if kind == "drop":
        del members[mutation[1] % len(members)]
        return build_zip(members)
    if kind == "swap_members":
        i, j = plain[mutation[1] % len(plain)], plain[mutation[2] % len(plain)]
        (ni, di), (nj, dj) = members[i], members[j]
        members[i], members[j] = (ni, dj), (nj, di)
        return build_zip(members)
    if kind == "attacker_key":
        import base64

        attacker = Ed25519PrivateKey.generate()
        manifest = dict(env.manifest)
        if mutation[1]:
            key = attacker.public_key().public_bytes_raw()
            manifest["signer"] = {"algorithm": "Ed25519", "public_key": base64.b64encode(key).decode()}
        return build_zip(resign(members, manifest, attacker.sign))
    if kind == "bomb":
        zeros = b"\x00" * (mutation[1] << 20)
        name = "anexos/" + hashlib.sha256(zeros).hexdigest()
        members, manifest = with_member(members, name, zeros, env.manifest)
        return build_zip(resign(members, manifest, env.sign))
    raise AssertionError(kind)


@settings(FUZZ, max_examples=_n(200))
@given(mutation=_inner_mutation())
def test_fuzz_archive_inside_valid_encryption(env, mutation):
    inner = _apply_inner(env, mutation)
    if inner == env.inner:
        return
    env.check(encrypt_bytes(inner))


@settings(FUZZ, max_examples=_n(100))
@given(ops=st.lists(_byte_ops, min_size=1, max_size=4))
def test_fuzz_regional_package_bytes(env, ops):
    mutant = _mutate(env.regional, ops)
    if mutant == env.regional:
        return
    env.check(mutant, scope="regional")


def test_fuzz_counts_reach_the_goal(env):
    """A deterministic sweep on top of hypothesis: single bit flips over the whole file."""
    rng = random.Random(8)
    for _ in range(40):
        pos = rng.randrange(len(env.full))
        mutant = bytearray(env.full)
        mutant[pos] ^= 1 << rng.randrange(8)
        env.check(bytes(mutant))
    assert env.stats["rejected"] == 40
    assert PackageService(env.target).conflicts() == []
