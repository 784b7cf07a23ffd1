"""`suas-desktop sign` and `suas-desktop verify`: options, exit codes and the JSON contract."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from suas_desktop import cli
from suas_desktop.documents.report_pdf import ReportBuilder, ReportMeta
from suas_desktop.documents.signature_fields import add_signature_fields
from tests.signing_pki import NOW, PASSWORD, SigningPki, build_pki

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_KEYS = {"field", "signer", "intact", "trusted", "modified_after_signing"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> SigningPki:
    return build_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def dossier_bytes() -> bytes:
    builder = ReportBuilder(
        ReportMeta(
            title="Dossiê de Transição da Assistência Social",
            municipality="Vereda Grande – MG",
            cycle_title="Transição 2028→2029",
            document_code="SUAS-TESTE-TR-2028",
            generated_at=NOW,
        )
    )
    builder.heading("Termo de Transmissão e Recebimento")
    builder.signature_boxes(
        [
            ("gestor_saida", "José da Conceição", "Gestor(a) que sai"),
            ("gestor_entrada", "Ana Maria Souza", "Gestor(a) que entra"),
            ("presidente_cmas", "Lúcia Antônia Brandão", "Presidente do CMAS"),
        ]
    )
    return add_signature_fields(builder.render(), builder.signature_slots)


@pytest.fixture
def env(tmp_path, pki, dossier_bytes, monkeypatch):
    monkeypatch.delenv("SUAS_DESKTOP_PFX_PASSWORD", raising=False)
    (tmp_path / "dossie.pdf").write_bytes(dossier_bytes)
    (tmp_path / "senha.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    return tmp_path


def run_cli(tmp: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(["--data-dir", str(tmp / "dados"), *args], out=out)
    return code, out.getvalue()


def sign(tmp: Path, pki: SigningPki, src: str, dst: str, who: str, *extra: str) -> tuple[int, str]:
    return run_cli(
        tmp, "sign", str(tmp / src), "--out", str(tmp / dst), "--pfx", str(pki[who].p12),
        "--password-file", str(tmp / "senha.txt"), *extra,
    )  # fmt: skip


def verify(tmp: Path, pki: SigningPki, name: str, *extra: str, trust: bool = True) -> tuple[int, str]:
    trust_args = ["--trust", str(pki.root_pem_path)] if trust else []
    return run_cli(tmp, "verify", str(tmp / name), *trust_args, *extra)


def test_sign_then_verify_two_signers(env, pki, capsys):
    code, text = sign(env, pki, "dossie.pdf", "um.pdf", "jose", "--reason", "Transmissão do cargo")
    assert code == 0, capsys.readouterr().err
    assert "Assinado por José da Conceição no campo “gestor_saida” (certificação)" in text
    assert (env / "dossie.pdf").read_bytes() == (env / "um.pdf").read_bytes()[
        : (env / "dossie.pdf").stat().st_size
    ]
    code, text = sign(env, pki, "um.pdf", "dois.pdf", "ana", "--field", "gestor_entrada")
    assert code == 0, capsys.readouterr().err
    assert "(aprovação)" in text
    assert (env / "dois.pdf").read_bytes().startswith((env / "um.pdf").read_bytes())

    code, text = verify(env, pki, "dois.pdf")
    assert code == 0, text
    assert "Assinatura 1 — campo “gestor_saida”" in text
    assert "Signatário: José da Conceição" in text
    assert "Assinatura 2 — campo “gestor_entrada”" in text
    assert "2 assinatura(s) válida(s)" in text

    code, text = verify(env, pki, "dois.pdf", "--json")
    assert code == 0
    payload = json.loads(text)
    assert payload["ok"] is True
    assert len(payload["signatures"]) == 2
    for sig in payload["signatures"]:
        assert set(sig) >= CONTRACT_KEYS
        assert isinstance(sig["field"], str) and isinstance(sig["signer"], str)
        assert sig["intact"] is True and sig["trusted"] is True and sig["modified_after_signing"] is False
    assert [s["field"] for s in payload["signatures"]] == ["gestor_saida", "gestor_entrada"]


def test_password_from_environment_and_refusals(env, pki, monkeypatch, capsys):
    monkeypatch.setenv("SUAS_DESKTOP_PFX_PASSWORD", "errada")
    args = ["sign", str(env / "dossie.pdf"), "--out", str(env / "x.pdf"), "--pfx", str(pki["ana"].p12)]
    assert run_cli(env, *args)[0] == 1
    assert "Senha do certificado incorreta." in capsys.readouterr().err
    assert not (env / "x.pdf").exists()
    monkeypatch.setenv("SUAS_DESKTOP_PFX_PASSWORD", PASSWORD)
    assert run_cli(env, *args)[0] == 0
    assert run_cli(env, "sign", str(env / "x.pdf"), "--out", str(env / "y.pdf"), "--pfx", str(pki["jose"].p12),
                   "--field", "gestor_saida")[0] == 1  # fmt: skip
    assert "já está assinado" in capsys.readouterr().err
    assert (
        run_cli(env, "sign", str(env / "x.pdf"), "--out", str(env / "x.pdf"), "--pfx", str(pki["jose"].p12))[
            0
        ]
        == 1
    )
    assert "outro nome" in capsys.readouterr().err
    assert sign(env, pki, "dossie.pdf", "z.pdf", "expired")[0] == 1
    assert "venceu" in capsys.readouterr().err


def test_verify_exit_codes(env, pki, capsys):
    assert verify(env, pki, "dossie.pdf")[0] == 1  # no signature
    assert sign(env, pki, "dossie.pdf", "um.pdf", "stranger")[0] == 0
    assert verify(env, pki, "um.pdf")[0] == 1  # untrusted root
    assert sign(env, pki, "dossie.pdf", "dois.pdf", "ana")[0] == 0
    assert verify(env, pki, "dois.pdf", trust=False)[0] == 1  # root not trusted without --trust
    assert verify(env, pki, "dois.pdf")[0] == 0
    (env / "lixo.pdf").write_bytes(b"isto nao e pdf")
    capsys.readouterr()
    assert verify(env, pki, "lixo.pdf")[0] == 2
    assert "Erro:" in capsys.readouterr().err
    assert verify(env, pki, "nao-existe.pdf")[0] == 2
    code, text = verify(env, pki, "lixo.pdf", "--json")
    assert code == 2 and json.loads(text)["ok"] is False


def _overlay(data: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    stream = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 rg 100 400 300 60 re f Q"))
    writer.add_stream_to_page(0, stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_tampered_files_fail_verification(env, pki):
    assert sign(env, pki, "dossie.pdf", "um.pdf", "jose")[0] == 0
    assert sign(env, pki, "um.pdf", "dois.pdf", "ana")[0] == 0
    signed = (env / "dois.pdf").read_bytes()
    middle = signed.index(b"stream", len(signed) // 3) + 30
    variants = {
        "flip.pdf": signed[:middle] + bytes([signed[middle] ^ 1]) + signed[middle + 1 :],
        "cortado.pdf": signed[: len(signed) * 2 // 3],
        "alterado.pdf": _overlay(signed),
    }
    for name, data in variants.items():
        (env / name).write_bytes(data)
        code, text = verify(env, pki, name, "--json")
        assert code in (1, 2), (name, text)
        if code == 1:
            assert json.loads(text)["ok"] is False


def test_real_process_exit_codes(env, pki):
    def run(*args: str, extra_env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "suas_desktop", "--data-dir", str(env / "dados"), *args],
            capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(extra_env or {})},
        )  # fmt: skip

    signed = run("sign", str(env / "dossie.pdf"), "--out", str(env / "p.pdf"), "--pfx", str(pki["jose"].p12),
                 extra_env={"SUAS_DESKTOP_PFX_PASSWORD": PASSWORD})  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    checked = run("verify", str(env / "p.pdf"), "--trust", str(pki.root_pem_path), "--json")
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["signatures"][0]["signer"] == "José da Conceição"


def test_verify_while_the_app_holds_the_data_folder(env, pki, capsys):
    """The window is open on the folder: verify still works, with the shipped roots and --trust."""
    from suas_desktop.paths import DataDirSource, DataLayout
    from suas_desktop.services.workspace import open_workspace

    assert sign(env, pki, "dossie.pdf", "um.pdf", "ana")[0] == 0
    capsys.readouterr()
    layout = DataLayout(env / "dados", DataDirSource.COMMAND_LINE)
    with open_workspace(layout, file_logging=False):
        code, text = verify(env, pki, "um.pdf")
    assert code == 0, text
    assert "lista de confiança do aplicativo não foi usada" in capsys.readouterr().err
