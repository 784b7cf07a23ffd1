"""Export written in place on the pen drive (USB-1, USB-4) and import without a second hash.

The package goes straight to ``DEST.partial`` on the destination (after the free-space/FAT32 checks
with the estimated size), is fsynced, dropped from the page cache, read back and fully decrypted,
and only then renamed to ``DEST``. Any failure leaves no ``.partial`` and an existing ``DEST``
untouched. Import verifies every member once (open_package) and copies attachments without hashing
them again, fsyncing each file and each folder once.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import random
import threading
import types
import zipfile
from collections import namedtuple
from pathlib import Path

import pyrage
import pytest

from suas_desktop.errors import DiskFull, KnownError, SuasError, UserError
from suas_desktop.services import age_stream, backup_archive, usb_write
from suas_desktop.services import package_format as pf
from suas_desktop.services import package_service as ps
from suas_desktop.services.demo import build_demo
from suas_desktop.services.municipality_service import MunicipalityService
from tests.unit.services.packages_craft import build_zip, decrypt_bytes, encrypt_bytes, members_of
from tests.unit.services.packages_support import (
    PASSPHRASE,
    TEST_LOG_N,
    cached_kdf,
    data_snapshot,
    db_checksum,
    export,
    import_,
    open_folder,
    stored_files,
)

OLD = b"pacote antigo, que deve ficar intacto"


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setattr(age_stream, "derive_wrap_key", cached_kdf)


@pytest.fixture
def source(tmp_path):
    """The small demo plus a 3 MiB coat of arms: a stored member of several 1 MiB blocks and 64 KiB chunks."""
    ws = open_folder(tmp_path / "origem")
    build_demo(ws)
    coat = tmp_path / "brasao.png"
    coat.write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(3 * 1024 * 1024 + 4321))
    MunicipalityService(ws).set_coat_of_arms(actor="admin", path=coat)
    yield ws
    ws.close()


@pytest.fixture
def stick(tmp_path):
    folder = tmp_path / "PENDRIVE"
    folder.mkdir()
    (folder / "pacote.suas").write_bytes(OLD)
    return folder


def _left(stick: Path) -> list[str]:
    return sorted(p.name for p in stick.iterdir())


def _exports(ws) -> int:
    return len([h for h in ps.PackageService(ws).history() if h["direction"] == "sent"])


def _assert_untouched(stick: Path) -> None:
    assert _left(stick) == ["pacote.suas"]
    assert (stick / "pacote.suas").read_bytes() == OLD


# ---------------------------------------------------------------- the good path
def test_export_is_a_complete_package_written_in_place(source, stick, tmp_path, monkeypatch):
    steps: list[str] = []
    real_replace = os.replace
    monkeypatch.setattr(usb_write, "preflight", _spy(usb_write.preflight, steps, "preflight"))
    monkeypatch.setattr(usb_write, "drop_cache", _spy(usb_write.drop_cache, steps, "drop_cache"))
    monkeypatch.setattr(pf, "verify_written", _spy(pf.verify_written, steps, "verify"))
    monkeypatch.setattr(usb_write.os, "replace", _spy(real_replace, steps, "rename"))
    dest = stick / "pacote.suas"
    result = ps.PackageService(source).export(dest, actor="teste", passphrase=PASSPHRASE, log_n=TEST_LOG_N)
    # checks before writing, then the partial file, read back from the device, then the rename
    assert steps == ["preflight", "preflight", "drop_cache", "verify", "rename"]
    assert _left(stick) == ["pacote.suas"]
    data = dest.read_bytes()
    assert result.path == dest
    assert result.size == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    # the reference age implementation opens it; any ZIP reader finds every CRC right
    inner = pyrage.passphrase.decrypt(data, PASSPHRASE)
    assert inner == decrypt_bytes(data)
    with zipfile.ZipFile(io.BytesIO(inner)) as zf:
        assert zf.testzip() is None
    members = dict(members_of(inner))
    for stored in source.attachments.iter_stored():
        if f"anexos/{stored.name}" in members:
            assert members[f"anexos/{stored.name}"] == stored.read_bytes()
    assert any(len(d) > 3 * 1024 * 1024 for n, d in members.items() if n.startswith("anexos/"))
    # and it imports: same data, same files
    target = open_folder(tmp_path / "destino")
    try:
        assert import_(target, dest).applied
        assert data_snapshot(target) == data_snapshot(source)
        assert stored_files(target) == {n.split("/")[1] for n in members if n.startswith("anexos/")}
        assert not target.attachments.verify()
    finally:
        target.close()


def _spy(real, steps: list[str], name: str):
    def wrapper(*args, **kwargs):
        steps.append(name)
        return real(*args, **kwargs)

    return wrapper


def test_estimated_size_is_an_upper_bound_close_to_the_real_one(source, stick, monkeypatch):
    sizes: list[int] = []
    real = usb_write.preflight
    monkeypatch.setattr(usb_write, "preflight", lambda dest, size: sizes.append(size) or real(dest, size))
    for scope, passphrase in (("full", PASSPHRASE), ("regional", None)):
        sizes.clear()
        result = ps.PackageService(source).export(
            stick / f"{scope}.suas", actor="teste", scope=scope, passphrase=passphrase, log_n=TEST_LOG_N
        )
        estimated = sizes[-1]
        assert result.size <= estimated <= result.size + (1 << 20)


def test_read_back_drops_the_written_pages_first(source, stick, monkeypatch):
    if not hasattr(os, "posix_fadvise"):
        pytest.skip("posix_fadvise only")
    advice: list[tuple[str, int]] = []
    real = os.posix_fadvise

    def spy(fd, offset, length, flag):
        advice.append((os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else "", flag))
        return real(fd, offset, length, flag)

    monkeypatch.setattr(os, "posix_fadvise", spy)
    ps.PackageService(source).export(
        stick / "novo.suas", actor="teste", passphrase=PASSPHRASE, log_n=TEST_LOG_N
    )
    dropped = [path for path, flag in advice if flag == os.POSIX_FADV_DONTNEED]
    assert dropped and all(p in ("", str(stick / "novo.suas.partial")) for p in dropped)


def test_the_read_back_reuses_the_derived_key_but_checks_every_chunk(tmp_path, monkeypatch):
    """No second scrypt of the same inputs; a wrong byte anywhere is still caught."""
    calls = {"n": 0}

    def counting(passphrase, salt, log_n):
        calls["n"] += 1
        return cached_kdf(passphrase, salt, log_n)

    monkeypatch.setattr(age_stream, "derive_wrap_key", counting)
    path = tmp_path / "p.suas"
    writer = pf.PackageWriter(path, passphrase=PASSPHRASE, log_n=TEST_LOG_N)
    writer.add_bytes("records/units.jsonl", os.urandom(300_000), compress=False)
    written = writer.finish(_manifest(), _sign)
    assert calls["n"] == 1
    assert written.sha256 == ""  # an encrypted file is not hashed while written
    assert pf.verify_written(written, PASSPHRASE) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert calls["n"] == 1
    original = path.read_bytes()
    for position in (5, 40, len(original) // 2, len(original) - 1):
        damaged = bytearray(original)
        damaged[position] ^= 0x10
        path.write_bytes(bytes(damaged))
        with pytest.raises(usb_write.ReadBackMismatch):
            pf.verify_written(written, PASSPHRASE)
    for cut in (len(original) - 1, len(original) - 70_000):
        path.write_bytes(original[:cut])
        with pytest.raises(usb_write.ReadBackMismatch):
            pf.verify_written(written, PASSPHRASE)
    path.write_bytes(original + b"x")
    with pytest.raises(usb_write.ReadBackMismatch):
        pf.verify_written(written, PASSPHRASE)


def test_unencrypted_read_back_compares_the_sha256(tmp_path):
    path = tmp_path / "r.suas"
    writer = pf.PackageWriter(path, passphrase=None)
    writer.add_bytes(pf.SUMMARY, b"{}")
    written = writer.finish(_manifest(), _sign)
    assert written.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert pf.verify_written(written, None) == written.sha256
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(usb_write.ReadBackMismatch):
        pf.verify_written(written, None)


def _manifest() -> dict:
    return {"format": pf.FORMAT, "scope": "full"}


def _sign(data: bytes) -> bytes:
    return b"\x00" * 64


# ---------------------------------------------------------------- failures leave nothing
def test_failure_while_writing_leaves_no_partial_and_the_old_file(source, stick, monkeypatch):
    real = pf.PackageWriter.add_files

    def fails_half_way(self, files, **kwargs):
        real(self, files[: len(files) // 2], **kwargs)
        assert (stick / "pacote.suas.partial").exists()  # written in place, on the stick
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pf.PackageWriter, "add_files", fails_half_way)
    before = _exports(source)
    with pytest.raises(DiskFull, match="sem espaço"):
        export(source, stick / "pacote.suas")
    _assert_untouched(stick)
    assert _exports(source) == before


def test_stick_removed_while_writing(source, stick, monkeypatch):
    real = pf._CountingSink.write
    written = {"n": 0}

    def removed(self, data):
        written["n"] += len(data)
        if written["n"] > 2 * 1024 * 1024:
            raise OSError(errno.EIO, "Input/output error")
        return real(self, data)

    monkeypatch.setattr(pf._CountingSink, "write", removed)
    with pytest.raises(KnownError, match="Não foi possível gravar"):
        export(source, stick / "pacote.suas")
    _assert_untouched(stick)


@pytest.mark.parametrize("how", ["flip", "truncate", "append", "zero_block"])
def test_bad_read_back_leaves_no_partial_and_the_old_file(source, stick, monkeypatch, how):
    """The stick gives back other bytes than were written (after the fsync): refused, nothing renamed."""
    real = usb_write.drop_cache

    def corrupt(path):
        data = bytearray(path.read_bytes())
        if how == "flip":
            data[len(data) * 2 // 3] ^= 0x04
        elif how == "truncate":
            del data[-100_000:]
        elif how == "append":
            data += b"\x00" * 4096
        else:  # a fake stick that returns zeros for a block
            data[1 << 20 : (1 << 20) + 4096] = b"\x00" * 4096
        path.write_bytes(bytes(data))
        real(path)

    monkeypatch.setattr(usb_write, "drop_cache", corrupt)
    before = _exports(source)
    with pytest.raises(KnownError, match="não confere"):
        export(source, stick / "pacote.suas")
    _assert_untouched(stick)
    assert _exports(source) == before


def test_bad_read_back_of_an_unencrypted_package(source, stick, monkeypatch):
    def corrupt(path):
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))

    monkeypatch.setattr(usb_write, "drop_cache", corrupt)
    with pytest.raises(KnownError, match="não confere"):
        export(source, stick / "pacote.suas", scope="regional")
    _assert_untouched(stick)


def test_unreadable_read_back(source, stick, monkeypatch):
    monkeypatch.setattr(pf, "verify_written", _raises(OSError(errno.EIO, "Input/output error")))
    with pytest.raises(KnownError, match="Não foi possível gravar"):
        export(source, stick / "pacote.suas")
    _assert_untouched(stick)


def _raises(exc: BaseException):
    def fail(*args, **kwargs):
        raise exc

    return fail


def test_damaged_attachment_refuses_the_export(source, stick):
    victim = max(source.attachments.iter_stored(), key=lambda p: p.stat().st_size)
    data = bytearray(victim.read_bytes())
    data[1000] ^= 0xFF
    victim.write_bytes(bytes(data))
    with pytest.raises(UserError, match="um anexo está danificado"):
        export(source, stick / "pacote.suas")
    _assert_untouched(stick)


def test_unreadable_attachment_refuses_the_export(source, stick, monkeypatch):
    victim = max(source.attachments.iter_stored(), key=lambda p: p.stat().st_size)
    real_open = open

    def failing_open(path, *args, **kwargs):
        if Path(path) == victim:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(UserError, match="um anexo está danificado"):
        export(source, stick / "pacote.suas")
    monkeypatch.undo()
    _assert_untouched(stick)


def test_cancelled_export_leaves_nothing(source, stick, monkeypatch):
    monkeypatch.setattr(pf.PackageWriter, "finish", _raises(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        export(source, stick / "pacote.suas")
    _assert_untouched(stick)


def test_not_enough_space_is_refused_before_writing(source, stick, monkeypatch):
    Usage = namedtuple("Usage", "total used free")
    attachments = sum(p.stat().st_size for p in source.attachments.iter_stored())
    # enough for the empty-folder check, not for the package
    monkeypatch.setattr(usb_write.shutil, "disk_usage", lambda p: Usage(0, 0, attachments // 2))
    created = []
    monkeypatch.setattr(pf, "PackageWriter", lambda *a, **k: created.append(a) or pytest.fail("wrote"))
    with pytest.raises(DiskFull, match="Não há espaço suficiente"):
        export(source, stick / "pacote.suas")
    assert not created
    _assert_untouched(stick)


def test_fat32_limit_uses_the_estimated_size(source, stick, monkeypatch):
    monkeypatch.setattr(usb_write, "FAT32_MAX_FILE", 2 * 1024 * 1024)
    monkeypatch.setattr(usb_write, "filesystem_of", lambda folder: usb_write.FileSystemInfo("vfat", "/x"))
    with pytest.raises(UserError, match="FAT32"):
        export(source, stick / "pacote.suas")
    _assert_untouched(stick)


def test_missing_folder_is_refused_before_the_database_is_touched(source, tmp_path):
    before = db_checksum(source)
    with pytest.raises(UserError, match="não existe"):
        export(source, tmp_path / "sumiu" / "pacote.suas")
    assert db_checksum(source) == before


def test_stale_partial_from_a_killed_export_is_replaced(source, stick):
    (stick / "pacote.suas.partial").write_bytes(b"sobra de uma gravacao interrompida")
    export(source, stick / "pacote.suas")
    assert _left(stick) == ["pacote.suas"]
    assert (stick / "pacote.suas").read_bytes().startswith(age_stream.MAGIC)


def test_backup_file_is_written_in_place_too(source, stick, monkeypatch):
    def corrupt(path):
        data = bytearray(path.read_bytes())
        data[-10] ^= 0x01
        path.write_bytes(bytes(data))

    monkeypatch.setattr(usb_write, "drop_cache", corrupt)
    with pytest.raises(KnownError, match="não confere"):
        backup_archive.write_backup_file(
            source, stick / "pacote.suas", passphrase=PASSPHRASE, actor="teste", log_n=TEST_LOG_N
        )
    _assert_untouched(stick)
    monkeypatch.undo()
    monkeypatch.setattr(age_stream, "derive_wrap_key", cached_kdf)
    result = backup_archive.write_backup_file(
        source, stick / "copia.suas", passphrase=PASSPHRASE, actor="teste", log_n=TEST_LOG_N
    )
    assert result.sha256 == hashlib.sha256((stick / "copia.suas").read_bytes()).hexdigest()
    assert _left(stick) == ["copia.suas", "pacote.suas"]


def test_no_reading_thread_is_left_behind(source, stick, monkeypatch):
    before = threading.active_count()
    victim = max(source.attachments.iter_stored(), key=lambda p: p.stat().st_size)
    victim.write_bytes(b"outro conteudo")
    with pytest.raises(UserError):
        export(source, stick / "pacote.suas")
    assert threading.active_count() == before


# ---------------------------------------------------------------- usb_write.write_verified itself
def _produce_bytes(data: bytes):
    def produce(partial, hook):
        with open(partial, "xb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        return len(data)

    return produce


def test_write_verified_order_and_result(stick):
    seen = []

    def check(partial):
        seen.append((partial.name, (stick / "pacote.suas").read_bytes()))
        return hashlib.sha256(partial.read_bytes()).hexdigest()

    result = usb_write.write_verified(stick / "pacote.suas", 10, _produce_bytes(b"0123456789"), check)
    # checked under the partial name while the old file was still there
    assert seen == [("pacote.suas.partial", OLD)]
    assert result.size == 10
    assert result.sha256 == hashlib.sha256(b"0123456789").hexdigest()
    assert (stick / "pacote.suas").read_bytes() == b"0123456789"
    assert _left(stick) == ["pacote.suas"]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OSError(errno.ENOSPC, "full"), DiskFull),
        (OSError(errno.EROFS, "ro"), KnownError),
        (OSError(errno.EIO, "io"), KnownError),
        (ValueError("bug"), ValueError),
        (KeyboardInterrupt(), KeyboardInterrupt),
    ],
)
@pytest.mark.parametrize("where", ["produce", "check"])
def test_write_verified_failures_leave_the_old_file(stick, error, expected, where):
    def produce(partial, hook):
        _produce_bytes(b"novo")(partial, hook)
        if where == "produce":
            raise error
        return 4

    def check(partial):
        raise error

    with pytest.raises(expected):
        usb_write.write_verified(stick / "pacote.suas", 4, produce, check)
    _assert_untouched(stick)


def test_write_verified_mismatch_message(stick):
    def check(partial):
        raise usb_write.ReadBackMismatch("diferente")

    with pytest.raises(KnownError, match="pen drive pode estar com defeito"):
        usb_write.write_verified(stick / "pacote.suas", 4, _produce_bytes(b"novo"), check)
    _assert_untouched(stick)


@pytest.mark.parametrize("step", ["write", "readback", "rename"])
def test_write_verified_fault_hook(source, stick, step):
    def fault(name, written):
        if name == step:
            raise OSError(errno.EIO, "falha simulada")

    with pytest.raises(SuasError):
        pf.write_package(
            stick / "pacote.suas",
            estimated_size=1 << 20,
            passphrase=PASSPHRASE,
            log_n=TEST_LOG_N,
            build=lambda writer: writer.add_bytes("records/x.jsonl", b"{}\n") or _manifest(),
            sign=_sign,
            fault=fault,
        )
    _assert_untouched(stick)


def test_file_too_big_for_fat32_while_writing(stick, monkeypatch):
    monkeypatch.setattr(usb_write, "filesystem_of", lambda folder: usb_write.FileSystemInfo("vfat", "/x"))

    def produce(partial, hook):
        raise OSError(errno.EFBIG, "File too large")

    with pytest.raises(UserError, match="FAT32"):
        usb_write.write_verified(stick / "pacote.suas", 10, produce, lambda p: "")
    _assert_untouched(stick)


# ---------------------------------------------------------------- AgeWriter through memoryviews
def test_age_writer_chunks_do_not_depend_on_how_the_data_is_written(monkeypatch):
    """Same keys, same bytes, any write sizes -> byte-identical files (chunk boundaries unchanged)."""
    fixed = random.Random(1)
    monkeypatch.setattr(age_stream, "os", types.SimpleNamespace(urandom=fixed.randbytes))
    data = random.Random(2).randbytes(5 * age_stream.CHUNK + 777)

    def encrypt(pieces: list[int]) -> bytes:
        fixed.seed(1)
        out = io.BytesIO()
        writer = age_stream.AgeWriter(out, PASSPHRASE, log_n=TEST_LOG_N)
        position = 0
        for size in pieces:
            piece = data[position : position + size]
            writer.write(memoryview(piece) if size % 3 == 0 else bytearray(piece) if size % 3 == 1 else piece)
            position += size
        writer.write(data[position:])
        writer.close()
        return out.getvalue()

    one = encrypt([])
    rng = random.Random(3)
    for _ in range(25):
        pieces = [rng.choice([0, 1, 17, age_stream.CHUNK - 1, age_stream.CHUNK, age_stream.CHUNK + 1, 200_000])
                  for _ in range(rng.randint(1, 12))]  # fmt: skip
        pieces = [p for p in pieces if p] or [1]
        assert encrypt(pieces) == one
    assert pyrage.passphrase.decrypt(one, PASSPHRASE) == data
    # exactly CHUNK bytes: one full final chunk, no empty chunk after it
    for size in (0, 1, age_stream.CHUNK, 2 * age_stream.CHUNK):
        assert decrypt_bytes(encrypt_bytes(data[:size])) == data[:size]


# ---------------------------------------------------------------- import
class _HashCounter:
    """Counts the bytes given to SHA-256 objects made by package_format."""

    def __init__(self, monkeypatch) -> None:
        self.bytes = 0
        real = hashlib.sha256
        counter = self

        class Counting:
            def __init__(self, data: bytes = b"") -> None:
                self._h = real()
                if data:
                    self.update(data)

            def update(self, data) -> None:
                counter.bytes += len(data)
                self._h.update(data)

            def hexdigest(self) -> str:
                return self._h.hexdigest()

        monkeypatch.setattr(pf, "hashlib", types.SimpleNamespace(sha256=Counting))


def test_import_hashes_each_member_once(source, stick, tmp_path, monkeypatch):
    package = export(source, stick / "novo.suas")
    inner = decrypt_bytes(package.read_bytes())
    members = members_of(inner)
    attachments = sum(len(d) for n, d in members if n.startswith("anexos/"))
    assert attachments > 3 * 1024 * 1024
    opened: dict[str, int] = {}
    real_open_member = pf.OpenedPackage.open_member

    def counting_open(self, name):
        opened[name] = opened.get(name, 0) + 1
        return real_open_member(self, name)

    monkeypatch.setattr(pf.OpenedPackage, "open_member", counting_open)
    counter = _HashCounter(monkeypatch)
    target = open_folder(tmp_path / "destino")
    try:
        assert import_(target, package).applied
        # the encrypted file once and each member once; records once more when they are parsed
        listed = sum(len(d) for n, d in members if n not in (pf.MANIFEST, pf.SIGNATURE))
        records = sum(len(d) for n, d in members if n.startswith(("records/", "sync/")))
        assert counter.bytes == package.stat().st_size + listed + records
        assert all(opened[n] == 1 for n, _ in members if n.startswith("anexos/"))
        assert not target.attachments.verify()
        assert stored_files(target) == stored_files(source)
    finally:
        target.close()


def test_import_fsyncs_each_file_and_each_folder_once(source, stick, tmp_path, monkeypatch):
    package = export(source, stick / "novo.suas")
    folders: list[Path] = []
    real_fsync_dir = ps.fsync_dir
    monkeypatch.setattr(
        ps, "fsync_dir", lambda folder: folders.append(Path(folder)) or real_fsync_dir(folder)
    )
    fsyncs = {"n": 0}
    real_fsync = os.fsync

    def counting_fsync(fd):
        fsyncs["n"] += 1
        return real_fsync(fd)

    monkeypatch.setattr(pf.os, "fsync", counting_fsync)
    target = open_folder(tmp_path / "destino")
    try:
        import_(target, package)
        new = stored_files(target)
        assert len(folders) == len(set(folders))
        assert {f for f in folders if f != target.attachments.root} == {
            target.attachments.path_for(sha).parent for sha in new
        }
        assert fsyncs["n"] >= len(new)
    finally:
        target.close()


def test_import_still_refuses_a_tampered_attachment(source, stick, tmp_path):
    package = export(source, stick / "novo.suas")
    members = members_of(decrypt_bytes(package.read_bytes()))
    name, data = max(((n, d) for n, d in members if n.startswith("anexos/")), key=lambda m: len(m[1]))
    for position in (0, len(data) // 2, len(data) - 1):
        damaged = bytearray(data)
        damaged[position] ^= 0x01
        mutant = [(n, bytes(damaged) if n == name else d) for n, d in members]
        path = tmp_path / "adulterado.suas"
        path.write_bytes(encrypt_bytes(build_zip(mutant, compress=False)))
        target = open_folder(tmp_path / f"destino-{position}")
        try:
            before, files = db_checksum(target), stored_files(target)
            with pytest.raises(pf.PackageRejected) as info:
                import_(target, path)
            assert info.value.reason == "member_mismatch"
            assert db_checksum(target) == before
            assert stored_files(target) == files
            assert not any(pf.temp_root(target.layout).iterdir())
        finally:
            target.close()


def test_local_header_name_must_match_the_directory(source, stick, tmp_path):
    """Stored members are read at their offset by us, so the local header is checked like zipfile does."""
    package = export(source, stick / "novo.suas")
    inner = bytearray(decrypt_bytes(package.read_bytes()))
    pos = inner.find(b"PK\x03\x04" + b"")  # first local header
    while pos >= 0:
        name_len = int.from_bytes(inner[pos + 26 : pos + 28], "little")
        name = bytes(inner[pos + 30 : pos + 30 + name_len])
        if name.startswith(b"anexos/"):
            inner[pos + 30 + name_len - 1] ^= 0x01  # one hex digit of the hash changes
            break
        pos = inner.find(b"PK\x03\x04", pos + 4)
    path = tmp_path / "cabecalho.suas"
    path.write_bytes(encrypt_bytes(bytes(inner)))
    target = open_folder(tmp_path / "destino")
    try:
        with pytest.raises(pf.PackageRejected) as info:
            import_(target, path)
        assert info.value.reason == "damaged"
    finally:
        target.close()


def test_copy_falls_back_when_the_kernel_cannot_copy(source, stick, tmp_path, monkeypatch):
    package = export(source, stick / "novo.suas")

    def unsupported(*args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(pf.os, "copy_file_range", unsupported, raising=False)
    target = open_folder(tmp_path / "destino")
    try:
        assert import_(target, package).applied
        assert not target.attachments.verify()
        assert stored_files(target) == stored_files(source)
    finally:
        target.close()
