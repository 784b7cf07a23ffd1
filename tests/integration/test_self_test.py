"""`suas-desktop self-test` (unfrozen): the whole chain in a temporary folder, exit 0, nothing left behind."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from suas_desktop import cli
from suas_desktop.services import self_test

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_passes_and_cleans_up(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "suas_desktop", "self-test"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp), "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line[:1] in "✓✗–"]
    assert len(lines) == 11
    assert all(line.startswith("✓") for line in lines)
    for needle in ("gestor_saida", "gestor_entrada", "Verificar as assinaturas", "(.suas)", "check"):
        assert needle in result.stdout
    assert "Tudo certo: 11 de 11 etapas" in result.stdout
    assert list(temp.iterdir()) == []  # the temporary folder was deleted


def test_a_failing_step_stops_the_chain_and_exits_1(tmp_path, monkeypatch):
    def broken(self):
        raise self_test.SelfTestFailure("falha simulada")

    monkeypatch.setattr(self_test._Chain, "demo", broken)
    monkeypatch.setattr(self_test.tempfile, "tempdir", str(tmp_path))
    out = io.StringIO()
    code = cli.main(["self-test"], out=out)
    text = out.getvalue()
    assert code == 1
    assert "✓  1." in text
    assert "✗  2. Criar o município de demonstração — falha simulada" in text
    assert text.count("(não executada)") == 9
    assert "Falhou na etapa 2 de 11" in text
    assert list(tmp_path.iterdir()) == []


def test_keep_leaves_the_folder_for_inspection(tmp_path, monkeypatch):
    monkeypatch.setattr(self_test._Chain, "demo", lambda self: (_ for _ in ()).throw(RuntimeError("x")))
    report = self_test.run_self_test(base=tmp_path, keep=True)
    assert not report.ok
    assert report.steps[1].ok is False and "RuntimeError" in report.steps[1].detail
    assert "Traceback" in report.steps[1].trace
    assert report.kept_folder is not None and report.kept_folder.parent == tmp_path
    assert (report.kept_folder / "dados-origem" / "suas-desktop.db").is_file()
