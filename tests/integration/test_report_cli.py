"""``suas-desktop report``: every kind written from a real data folder (the demonstration), refusals in
Portuguese with exit code 1, and nothing personal in the dossier."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from suas_desktop import cli
from suas_desktop.domain.clock import FixedClock
from suas_desktop.domain.template import CycleKind
from suas_desktop.paths import DataLayout
from suas_desktop.services.checklist_service import ChecklistService
from suas_desktop.services.demo import build_demo
from suas_desktop.services.municipality_service import MunicipalityService
from suas_desktop.services.register_service import RegisterService
from suas_desktop.services.report_service import ReportService
from suas_desktop.services.template_catalog import load_catalog
from suas_desktop.services.workspace import open_workspace
from tests.unit.services.conftest import PROFILE

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("transition", "closing", "pending", "regional")
CLOCK = FixedClock(datetime(2026, 11, 25, 17, 30, tzinfo=UTC))

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def report(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["report", *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def open_folder(folder: Path, clock=None):
    return open_workspace(DataLayout(folder), clock=clock, file_logging=False)


def pdf_text(data: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "dados"
    with open_folder(folder) as ws:
        build_demo(ws)
    return folder


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_written(demo_folder, tmp_path, kind):
    out = tmp_path / f"{kind}.pdf"
    code, stdout, stderr = report(kind, "--out", str(out), "--data-dir", str(demo_folder))
    assert code == 0, stderr
    assert "Arquivo gravado" in stdout and str(out) in stdout
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]  # atomic write left nothing
    fields = {name for name, value, _ in enumerate_sig_fields(PdfFileReader(io.BytesIO(data)))}
    expected = {
        "transition": {"gestor_saida", "gestor_entrada", "presidente_cmas"},
        "closing": {"gestor", "contador", "controle_interno"},
    }.get(kind, set())
    assert fields == expected


def test_entry_point_runs_headless(demo_folder, tmp_path):
    out = tmp_path / "pendencias.pdf"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "suas_desktop",
            "report",
            "pending",
            "--out",
            str(out),
            "--data-dir",
            str(demo_folder),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 1000


def test_cycle_option_and_wrong_kind(demo_folder, tmp_path, catalog):
    with open_folder(demo_folder) as ws:
        closing = ChecklistService(ws, catalog).newest_cycle(CycleKind.CLOSING)
    assert closing is not None
    code, _, stderr = report(
        "closing", "--cycle", closing.id, "--out", str(tmp_path / "e.pdf"), "--data-dir", str(demo_folder)
    )
    assert code == 0, stderr
    code, _, stderr = report(
        "pending", "--cycle", closing.id, "--out", str(tmp_path / "p.pdf"), "--data-dir", str(demo_folder)
    )
    assert code == 0, stderr
    code, _, stderr = report(
        "transition", "--cycle", closing.id, "--out", str(tmp_path / "t.pdf"), "--data-dir", str(demo_folder)
    )
    assert code == 1
    assert "é de encerramento do exercício" in stderr
    assert not (tmp_path / "t.pdf").exists()


def test_refusals_in_portuguese(tmp_path, demo_folder):
    empty = tmp_path / "vazia"
    out = str(tmp_path / "r.pdf")
    code, _, stderr = report("transition", "--out", out, "--data-dir", str(empty))
    assert code == 1 and "Nenhum município está cadastrado" in stderr

    code, _, stderr = report("closing", "--cycle", "nao-existe", "--out", out, "--data-dir", str(demo_folder))
    assert code == 1 and "Não existe ciclo com o identificador “nao-existe”" in stderr

    code, _, stderr = report(
        "transition", "--out", str(tmp_path / "falta" / "r.pdf"), "--data-dir", str(demo_folder)
    )
    assert code == 1 and "não existe" in stderr

    code, _, stderr = report("outro", "--out", out, "--data-dir", str(demo_folder))
    assert code == 1 and "Tipo de relatório desconhecido" in stderr
    assert not Path(out).exists()


def test_municipality_without_cycles(tmp_path):
    folder = tmp_path / "so-municipio"
    with open_folder(folder) as ws:
        MunicipalityService(ws).save_profile(actor="teste", **PROFILE)
    out = str(tmp_path / "r.pdf")
    for kind, message in (
        ("transition", "Não há nenhum ciclo de transição de mandato"),
        ("closing", "Não há nenhum ciclo de encerramento do exercício"),
        ("pending", "Não há nenhum ciclo em aberto"),
    ):
        code, _, stderr = report(kind, "--out", out, "--data-dir", str(folder))
        assert code == 1, kind
        assert message in stderr
    # The regional report needs no cycle: it says there is none.
    code, _, stderr = report("regional", "--out", out, "--data-dir", str(folder))
    assert code == 0, stderr


@needs_poppler
def test_dossier_has_nothing_personal_and_is_reproducible(demo_folder, tmp_path, catalog):
    with open_folder(demo_folder, CLOCK) as ws:
        registers = RegisterService(ws)
        service = ReportService(ws, catalog)
        steps = []
        first = service.generate(
            "transition", progress=lambda done, total, label: steps.append((done, total))
        )
        second = service.generate("transition")
        profile = MunicipalityService(ws).profile()
        public = {profile.manager.holder_name, profile.cmas_president.holder_name}
        public |= {r["name"] for r in registers.list("council_members")}
        public |= {r["holder"] for r in registers.list("system_access")}
        staff = registers.list("staff")
        inspectors = {r["inspector"] for r in registers.list("contracts") if r["inspector"]}
        case_codes = [
            r["case_code"] for name in ("unmet_demand", "outside_care") for r in registers.list(name)
        ]
    assert steps[0][0] == 0 and steps[-1][0] == steps[-1][1]
    assert first.page_count >= 20
    assert first.suggested_file_name.startswith("dossie-transicao-2028-2029-")
    text = pdf_text(first.pdf, tmp_path, "a.pdf")
    assert text == pdf_text(second.pdf, tmp_path, "b.pdf")  # same data, same content
    flat = " ".join(text.split())
    assert case_codes and not [c for c in case_codes if c in flat]
    private_names = {s["name"] for s in staff} | inspectors
    assert not [n for n in private_names - public if n in flat]
    cpfs = [s["cpf"] for s in staff if s["cpf"]]
    assert cpfs and not [c for c in cpfs if c in flat or f"{c[:3]}.{c[3:6]}.{c[6:9]}-{c[9:]}" in flat]
    assert re.search(rf"SUAS-{profile.ibge_code}-TR-2028-\d{{12}}", flat)


def test_dossier_ends_with_the_cycle_audit_summary(tmp_path):
    """Issue 9: the dossier includes an audit summary of the cycle, and says whether the trail is intact."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    folder = tmp_path / "d"
    for args in (["demo"], ["report", "transition", "--out", str(tmp_path / "d.pdf")]):
        done = subprocess.run(
            [sys.executable, "-m", "suas_desktop", *args, "--data-dir", str(folder)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", str(tmp_path / "d.pdf"), "-"], capture_output=True, text=True).stdout
    assert "16. Trilha de auditoria do ciclo" in text
    assert "íntegra" in text
