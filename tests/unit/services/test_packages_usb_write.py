"""Safe write to removable media (USB-1, USB-3, USB-4): names, limits, faults, read-back."""

from __future__ import annotations

import contextlib
import os
from collections import namedtuple
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suas_desktop.errors import DiskFull, KnownError, SuasError, UserError
from suas_desktop.services import usb_write


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "origem.suas"
    path.write_bytes(os.urandom(3 * usb_write.CHUNK + 12345))
    return path


@pytest.fixture
def stick(tmp_path):
    folder = tmp_path / "PENDRIVE"
    folder.mkdir()
    return folder


# ---------------------------------------------------------------- names
@pytest.mark.parametrize(
    "name",
    ["CON", "con.suas", "PRN.txt", "AUX", "NUL.suas", "COM1", "lpt9.suas", "a<b.suas", "a>b", 'a"b', "a:b",
     "a/b", "a\\b", "a|b", "a?b", "a*b", "pacote.", "pacote ", "x" * 256, "", "tab\there", "nul\x00"],
)  # fmt: skip
def test_invalid_names(name):
    assert usb_write.name_problems(name)


@pytest.mark.parametrize(
    "name",
    ["pacote.suas", "Vereda Grande 2026-11-25.suas", "ação social.suas", "console.suas", "x" * 255, "COM10"],
)
def test_valid_names(name):
    assert usb_write.name_problems(name) == []


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_suggested_names_are_always_valid(text):
    assert usb_write.name_problems(usb_write.suggested_name(text)) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_name_rules_property(name):
    problems = usb_write.name_problems(name)
    bad = (
        not name
        or name in (".", "..")
        or len(name) > 255
        or any(c in '<>:"/\\|?*' or ord(c) < 32 for c in name)
        or name[-1] in ". "
        or name.split(".")[0].rstrip(" ").upper() in usb_write._RESERVED
    )
    assert bool(problems) == bad


# ---------------------------------------------------------------- file systems
Mount = namedtuple("Mount", "path fstype")


def _mountinfo(tmp_path: Path, entries: list[tuple[str, str]]) -> Path:
    dev = os.stat(tmp_path).st_dev
    lines = [
        f"{i + 20} 1 {os.major(dev)}:{os.minor(dev)} / {path.replace(' ', chr(92) + '040')} rw - {fstype} /dev/x rw"
        for i, (path, fstype) in enumerate(entries)
    ]
    lines.append("99 1 0:99 / / rw - ext4 /dev/root rw")
    target = tmp_path / "mountinfo"
    target.write_text("\n".join(lines) + "\n")
    return target


def test_filesystem_detection_picks_the_longest_matching_mount(tmp_path):
    stick = tmp_path / "MEU PEN"
    stick.mkdir()
    info = _mountinfo(tmp_path, [("/", "ext4"), (str(tmp_path), "vfat"), (str(tmp_path) + "-outro", "ntfs")])
    fs = usb_write._linux_filesystem(stick, str(info))
    assert fs.type == "vfat"
    assert fs.is_fat32
    assert fs.max_file_size == 4 * 1024**3 - 1


def test_filesystem_of_this_folder_is_known_on_linux(tmp_path):
    if not os.path.exists("/proc/self/mountinfo"):
        pytest.skip("Linux only")
    assert usb_write.filesystem_of(tmp_path).type


def test_fat32_refuses_4gib_before_writing(source, stick, monkeypatch):
    monkeypatch.setattr(
        usb_write, "filesystem_of", lambda folder: usb_write.FileSystemInfo("vfat", str(folder))
    )
    with pytest.raises(UserError, match="FAT32"):
        usb_write.preflight(stick / "grande.suas", 4 * 1024**3)
    usb_write.preflight(stick / "limite.suas", 4 * 1024**3 - 1)  # exactly the limit is fine
    monkeypatch.setattr(
        usb_write, "filesystem_of", lambda folder: usb_write.FileSystemInfo("exfat", str(folder))
    )
    usb_write.preflight(stick / "grande.suas", 4 * 1024**3)


def test_free_space_checked_before_writing(source, stick, monkeypatch):
    Usage = namedtuple("Usage", "total used free")
    monkeypatch.setattr(usb_write.shutil, "disk_usage", lambda p: Usage(10, 10, 1000))
    with pytest.raises(DiskFull, match="espaço"):
        usb_write.safe_write(source, stick / "pacote.suas")
    assert list(stick.iterdir()) == []


def test_bad_name_or_missing_folder_refused(source, stick):
    with pytest.raises(UserError):
        usb_write.safe_write(source, stick / "CON.suas")
    with pytest.raises(UserError, match="não existe"):
        usb_write.safe_write(source, stick / "sumiu" / "pacote.suas")


# ---------------------------------------------------------------- the write
def test_write_verifies_and_leaves_no_partial(source, stick):
    result = usb_write.safe_write(source, stick / "pacote.suas")
    assert result.path.read_bytes() == source.read_bytes()
    assert [p.name for p in stick.iterdir()] == ["pacote.suas"]
    # overwriting keeps the old file until the new one is complete
    other = source.with_name("b")
    other.write_bytes(b"novo")
    usb_write.safe_write(other, stick / "pacote.suas")
    assert (stick / "pacote.suas").read_bytes() == b"novo"


class Boom(OSError):
    pass


@pytest.mark.parametrize("step", ["write", "fsync", "rename"])
@pytest.mark.parametrize("after", [0, 1, 2, 4])
def test_fault_before_rename_never_leaves_a_final_file(source, stick, step, after):
    calls = {"n": 0}

    def fault(name, written):
        if name == step:
            calls["n"] += 1
            if calls["n"] > after or step != "write":
                raise Boom(5, "falha simulada")

    with pytest.raises(SuasError):
        usb_write.safe_write(source, stick / "pacote.suas", fault=fault)
    assert list(stick.iterdir()) == []


@pytest.mark.parametrize("step", ["fsync_dir", "readback"])
def test_fault_after_rename_leaves_only_a_verified_file(source, stick, step):
    def fault(name, written):
        if name == step:
            raise Boom(5, "falha simulada")

    with pytest.raises(SuasError):
        usb_write.safe_write(source, stick / "pacote.suas", fault=fault)
    files = list(stick.iterdir())
    assert files == [] or (files[0].name == "pacote.suas" and files[0].read_bytes() == source.read_bytes())


def test_readback_mismatch_removes_the_final_file(source, stick, monkeypatch):
    # The read-back happens on pacote.suas.partial, before the rename: a mismatch leaves nothing.
    real = usb_write._sha256_of
    monkeypatch.setattr(
        usb_write, "_sha256_of", lambda path: "0" * 64 if path.name.startswith("pacote.suas") else real(path)
    )
    with pytest.raises(KnownError, match="não confere"):
        usb_write.safe_write(source, stick / "pacote.suas")
    assert list(stick.iterdir()) == []


@settings(max_examples=60, deadline=None)
@given(
    cut=st.integers(0, 3 * 1024 * 1024 + 12345),
    step=st.sampled_from(["write", "fsync", "rename", "readback"]),
)
def test_random_faults_property(tmp_path_factory, cut, step):
    """USB-1 as a property: a failure anywhere -> nothing, or a complete verified file."""
    folder = tmp_path_factory.mktemp("usb")
    source = folder / "origem"
    source.write_bytes(os.urandom(3 * 1024 * 1024 + 12345))
    stick = folder / "stick"
    stick.mkdir()

    def fault(name, written):
        if name == step and written >= min(cut, source.stat().st_size):
            raise Boom(5, "falha simulada")

    with contextlib.suppress(SuasError):
        usb_write.safe_write(source, stick / "pacote.suas", fault=fault)
    files = list(stick.iterdir())
    assert not any(p.name.endswith(".partial") for p in files)
    for p in files:
        assert p.read_bytes() == source.read_bytes()
