"""The export / import / backup / restore commands: exit codes 0, 1, 3 and the JSON contract."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from suas_desktop import cli
from suas_desktop.services import age_stream
from suas_desktop.services.register_service import RegisterService
from tests.unit.services.packages_support import (
    PASSPHRASE,
    cached_kdf,
    db_checksum,
    open_folder,
    setup_profile,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    monkeypatch.setattr(age_stream, "derive_wrap_key", cached_kdf)
    monkeypatch.setattr(age_stream, "DEFAULT_LOG_N", age_stream.MIN_LOG_N)
    monkeypatch.delenv("SUAS_DESKTOP_PASSPHRASE", raising=False)


@pytest.fixture
def passfile(tmp_path):
    path = tmp_path / "senha.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return str(path)


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    err = io.StringIO()
    code = cli.main(list(args), out=out, err=err)
    return code, out.getvalue() + err.getvalue()


def _source(tmp_path) -> Path:
    folder = tmp_path / "a"
    ws = open_folder(folder)
    try:
        setup_profile(ws)
        RegisterService(ws).create(actor="ana", name="units", values={"kind": "cras", "name": "CRAS Centro"})
    finally:
        ws.close()
    return folder


def test_export_then_import_with_trust_and_json(tmp_path, passfile):
    source = _source(tmp_path)
    package = tmp_path / "pacote.suas"
    code, text = run(
        "export", "--data-dir", str(source), "--out", str(package), "--passphrase-file", passfile
    )
    assert code == 0, text
    assert "Impressão digital" in text
    target = str(tmp_path / "b")
    code, text = run("import", str(package), "--data-dir", target, "--passphrase-file", passfile, "--json")
    assert code == 1
    payload = json.loads(text)
    assert payload["ok"] is False
    assert payload["reason"] == "unknown_signer"
    assert payload["signer_fingerprint"] in payload["error"]
    assert {k: payload[k] for k in ("created", "updated", "deleted", "conflicts")} == dict.fromkeys(
        ("created", "updated", "deleted", "conflicts"), 0
    )
    code, text = run(
        "import", str(package), "--data-dir", target, "--passphrase-file", passfile, "--json", "--dry-run",
        "--trust-signer",
    )  # fmt: skip
    assert code == 0
    assert json.loads(text)["created"] >= 2 and json.loads(text)["dry_run"] is True
    code, text = run(
        "import",
        str(package),
        "--data-dir",
        target,
        "--passphrase-file",
        passfile,
        "--json",
        "--trust-signer",
    )
    assert code == 0, text
    payload = json.loads(text)
    assert payload["ok"] is True and payload["error"] is None
    assert payload["created"] >= 2
    code, text = run("import", str(package), "--data-dir", target, "--passphrase-file", passfile)
    assert code == 0
    assert "já tinha sido importado" in text


def test_import_with_conflicts_exits_3(tmp_path, passfile, monkeypatch):
    source = _source(tmp_path)
    base = tmp_path / "base.suas"
    assert run("export", "--data-dir", str(source), "--out", str(base), "--passphrase-file", passfile)[0] == 0
    target = tmp_path / "b"
    assert (
        run("import", str(base), "--data-dir", str(target), "--passphrase-file", passfile, "--trust-signer")[
            0
        ]
        == 0
    )
    for folder, name in ((source, "CRAS A"), (target, "CRAS B")):
        ws = open_folder(folder)
        try:
            unit = RegisterService(ws).list("units")[0]
            RegisterService(ws).update(actor="x", name="units", record_id=unit.id, values={"name": name})
        finally:
            ws.close()
    changed = tmp_path / "mudou.suas"
    assert (
        run("export", "--data-dir", str(source), "--out", str(changed), "--passphrase-file", passfile)[0] == 0
    )
    monkeypatch.setenv("SUAS_DESKTOP_PASSPHRASE", PASSPHRASE)
    code, text = run("import", str(changed), "--data-dir", str(target), "--json")
    assert code == 3, text
    assert json.loads(text)["conflicts"] == 1


def test_damaged_package_exits_1_and_changes_nothing(tmp_path, passfile):
    source = _source(tmp_path)
    package = tmp_path / "pacote.suas"
    assert (
        run("export", "--data-dir", str(source), "--out", str(package), "--passphrase-file", passfile)[0] == 0
    )
    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0x40
    package.write_bytes(bytes(data))
    target = tmp_path / "b"
    ws = open_folder(target)
    before = db_checksum(ws)
    ws.close()
    code, text = run(
        "import", str(package), "--data-dir", str(target), "--passphrase-file", passfile, "--json"
    )
    assert code == 1
    assert "danificado" in json.loads(text)["error"]
    ws = open_folder(target)
    try:
        assert db_checksum(ws) == before
    finally:
        ws.close()


def test_export_refusals(tmp_path, passfile):
    empty = tmp_path / "vazia"
    code, text = run(
        "export", "--data-dir", str(empty), "--out", str(tmp_path / "p.suas"), "--passphrase-file", passfile
    )
    assert code == 1 and "Cadastre o município" in text
    source = _source(tmp_path)
    weak = tmp_path / "fraca.txt"
    weak.write_text("12345678\n")
    code, text = run(
        "export", "--data-dir", str(source), "--out", str(tmp_path / "p.suas"), "--passphrase-file", str(weak)
    )
    assert code == 1 and "Senha fraca" in text
    code, text = run(
        "export",
        "--data-dir",
        str(source),
        "--out",
        str(tmp_path / "CON.suas"),
        "--passphrase-file",
        passfile,
    )
    assert code == 1 and "reservado" in text
    code, text = run(
        "export", "--data-dir", str(source), "--out", str(tmp_path / "r.suas"), "--scope", "regional"
    )
    assert code == 0 and "não contém dados pessoais" in text


def test_backup_and_restore_commands(tmp_path, passfile):
    source = _source(tmp_path)
    copy = tmp_path / "copia-de-seguranca.suas"
    code, text = run("backup", "--data-dir", str(source), "--out", str(copy), "--passphrase-file", passfile)
    assert code == 0, text
    ws = open_folder(source)
    expected = db_checksum(ws)
    RegisterService(ws).create(actor="ana", name="units", values={"kind": "creas", "name": "CREAS"})
    ws.close()
    code, text = run("restore", str(copy), "--data-dir", str(source), "--passphrase-file", passfile)
    assert code == 0, text
    assert "antes-da-restauracao" in text
    ws = open_folder(source)
    try:
        assert ws.db.scalar("SELECT count(*) FROM units") == 1
    finally:
        ws.close()
    code, text = run(
        "restore", str(copy), "--data-dir", str(source), "--passphrase-file", str(tmp_path / "nao-existe")
    )
    assert code == 1
    assert expected


def test_subprocess_import_json_contract(tmp_path, passfile):
    """The real executable path: module entry point, environment passphrase, JSON on stdout."""
    source = _source(tmp_path)
    package = tmp_path / "pacote.suas"
    assert (
        run("export", "--data-dir", str(source), "--out", str(package), "--passphrase-file", passfile)[0] == 0
    )
    result = subprocess.run(
        [sys.executable, "-m", "suas_desktop", "import", str(package), "--json", "--trust-signer",
         "--data-dir", str(tmp_path / "c")],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SUAS_DESKTOP_PASSPHRASE": PASSPHRASE},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) >= {"ok", "created", "updated", "deleted", "conflicts", "error"}
    assert payload["ok"] is True
