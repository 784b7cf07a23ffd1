"""LGPD: no personal values in logs, temporary files, reports or regional packages (SEC-4, SEC-5, SEC-7).

One realistic flow over the demonstration municipality (logins, a refused action, every report, a
spreadsheet export, a full and a regional package, an import into a second folder) with the file log
on and the system temporary folder redirected to a private one. Afterwards the logs, the data
folders' temporary areas and the temporary folder are scanned for CPF, NIS and phone patterns and for
every personal value the demo holds: none may be there, and no temporary file may be left.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from suas_desktop import log
from suas_desktop.domain import passwords
from suas_desktop.domain.clock import FixedClock
from suas_desktop.domain.permissions import PermissionDenied, Role
from suas_desktop.domain.register_fields import Privacy, cpf_is_valid
from suas_desktop.domain.registers import ALL_REGISTERS
from suas_desktop.paths import DataDirSource, DataLayout
from suas_desktop.services import package_format as pf
from suas_desktop.services.audit_service import AuditService
from suas_desktop.services.demo import build_demo
from suas_desktop.services.municipality_service import MunicipalityService
from suas_desktop.services.package_service import REGIONAL_AUTHOR, PackageService
from suas_desktop.services.register_service import RegisterService
from suas_desktop.services.report_service import KINDS, ReportService
from suas_desktop.services.session import UserService
from suas_desktop.services.template_catalog import load_catalog
from suas_desktop.services.workspace import open_workspace
from suas_desktop.storage.audit_repository import AuditRepository
from tests.unit.services.packages_support import PASSPHRASE, TEST_LOG_N

#: Formatted identifiers (a bare 11-digit run is checked apart, by the CPF check digits).
FORMATTED = {
    "CPF": re.compile(r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b"),
    "NIS": re.compile(r"\b\d{3}\.\d{5}\.\d{2}-\d\b"),
    "telefone": re.compile(r"\(\d{2}\)\s?9?\d{4}-\d{4}"),
}
ELEVEN_DIGITS = re.compile(r"(?<!\d)\d{11}(?!\d)")
FAST = passwords.ScryptParams(n=2**10, r=8, p=1)
#: The keys a regional summary may have (domain/regional.py's allow-list), as a schema snapshot.
REGIONAL_KEYS = {
    "summary_version", "municipality", "ibge_code", "name", "uf", "population", "data_date", "registers",
    "unmet_demand", "service", "status", "count", "longest_wait_days", "cycles", "kind", "reference_year",
    "title", "state", "total", "done", "not_applicable", "in_progress", "blocked", "overdue",
    "accountability", "fiscal_year",
}  # fmt: skip


def _personal_values(ws) -> set[str]:
    """Every personal or sensitive value the registers hold (and CPFs with and without formatting)."""
    values: set[str] = set()
    registers = RegisterService(ws)
    for spec in ALL_REGISTERS:
        fields = [f.name for f in spec.fields if f.privacy is not Privacy.PUBLIC]
        for record in registers.list(spec.name) if fields else ():
            for name in fields:
                value = record.values.get(name)
                if value:
                    values.add(str(value))
                    digits = re.sub(r"\D", "", str(value))
                    if len(digits) == 11:
                        values.add(digits)
                        values.add(f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}")
    return values


def _files(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in sorted(root.rglob("*")) if p.is_file()]


def _leaks(path: Path, personal: set[str]) -> list[str]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    found = [f"{kind}: {m}" for kind, rx in FORMATTED.items() for m in rx.findall(text)]
    found += [f"CPF: {m}" for m in ELEVEN_DIGITS.findall(text) if cpf_is_valid(m)]
    found += [f"valor pessoal: {v}" for v in personal if len(v) >= 6 and v in text]
    return found


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The system temporary folder, for this test only (everything tempfile creates lands here)."""
    folder = tmp_path / "temp-do-sistema"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setenv("TEMP", str(folder))
    monkeypatch.setenv("TMP", str(folder))
    return folder


@pytest.fixture(autouse=True)
def detach_file_log():
    yield
    root = logging.getLogger("suas_desktop")
    for handler in [h for h in root.handlers if getattr(h, "_suas_file_handler", False)]:
        root.removeHandler(handler)
        handler.close()


def test_a_realistic_flow_leaves_no_personal_data_in_logs_or_temp(tmp_path, private_tmp, monkeypatch):
    monkeypatch.setattr(passwords, "POLICY", FAST)
    clock = FixedClock(datetime(2026, 11, 25, 14, 30, tzinfo=UTC))
    catalog = load_catalog()
    out = tmp_path / "saidas"
    out.mkdir()
    source = DataLayout(tmp_path / "municipio", DataDirSource.COMMAND_LINE)
    target = DataLayout(tmp_path / "outra-maquina", DataDirSource.COMMAND_LINE)

    with open_workspace(source, clock=clock, file_logging=True) as ws:
        build_demo(ws)
        personal = _personal_values(ws)
        assert len(personal) > 30
        users = UserService(ws)
        users.create_first_admin(name="Bruna Gestora", password="caju pedra violão")
        users.create_user(
            actor="Bruna Gestora", name="Carla Consulta", role=Role.READ_ONLY, password="janela azul 26"
        )
        users.logout()
        users.login("Carla Consulta", "janela azul 26")
        with pytest.raises(PermissionDenied):
            RegisterService(ws).export_file("staff", out / "recusado.xlsx")
        for kind in KINDS:
            ReportService(ws, catalog).write(kind, out / f"{kind}.pdf")
        users.logout()
        users.login("Bruna Gestora", "caju pedra violão")
        RegisterService(ws).export_file("staff", out / "trabalhadores.xlsx")  # personal data, on purpose
        packages = PackageService(ws)
        packages.export(out / "completo.suas", actor="Bruna Gestora", passphrase=PASSPHRASE, log_n=TEST_LOG_N)
        packages.export(out / "regional.suas", actor="Bruna Gestora", scope="regional")
        AuditService(ws).export(out / "trilha.csv")
        log.services.info("a careless line with a CPF 529.982.247-25 and a phone (38) 99876-5432")
        users.logout()
    with open_workspace(target, clock=clock, file_logging=True) as other:
        PackageService(other).import_package(
            out / "completo.suas", passphrase=PASSPHRASE, actor="Ana", trust_signer=True
        )
        assert RegisterService(other).count("staff") > 0

    logs = _files(source.logs, target.logs)
    assert logs, "the flow should have written log files"
    leaks = {str(p.relative_to(tmp_path)): found for p in logs if (found := _leaks(p, personal))}
    assert not leaks
    assert "***" in "".join(p.read_text(encoding="utf-8") for p in logs)  # the careless line was masked
    leftovers = _files(private_tmp, pf.temp_root(source), pf.temp_root(target))
    assert not leftovers, f"temporary files left behind: {leftovers}"
    # The audit trail names staff who acted, never values of the records.
    with open_workspace(source, clock=clock, file_logging=False) as ws:
        trail = " ".join(
            f"{e.entry.actor} {e.entry.detail} {' '.join(e.entry.fields)}"
            for e in AuditRepository(ws.db).entries()
        )
    assert not [v for v in personal if len(v) >= 6 and v in trail]


def _pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


def test_reports_carry_no_cpf_staff_name_or_case_code(tmp_path):
    """Office holders (manager, CMAS president, council members, system-access holders) are printed by
    design; workers, contract inspectors, CPFs and case codes never are, and CPFs only masked."""
    catalog = load_catalog()
    with open_workspace(DataLayout(tmp_path / "d", DataDirSource.COMMAND_LINE), file_logging=False) as ws:
        build_demo(ws)
        registers = RegisterService(ws)
        profile = MunicipalityService(ws).profile()
        public = {profile.manager.holder_name, profile.cmas_president.holder_name}
        public |= {r["name"] for r in registers.list("council_members")}
        public |= {r["holder"] for r in registers.list("system_access")}
        private = {r["name"] for r in registers.list("staff")}
        private |= {r["inspector"] for r in registers.list("contracts") if r["inspector"]}
        private -= public
        codes = {r["case_code"] for name in ("unmet_demand", "outside_care") for r in registers.list(name)}
        cpfs = {re.sub(r"\D", "", r["cpf"]) for r in registers.list("staff") if r["cpf"]}
        assert private and codes and cpfs
        for kind in KINDS:
            text = _pdf_text(ReportService(ws, catalog).generate(kind).pdf)
            assert not [n for n in private if n in text], kind
            assert not [c for c in codes if c in text], kind
            digits_only = re.sub(r"\D", "", text)
            assert not [c for c in cpfs if c in digits_only], kind
            assert not FORMATTED["CPF"].search(text), kind


def test_a_regional_package_holds_only_allow_listed_aggregates(tmp_path):
    with open_workspace(DataLayout(tmp_path / "d", DataDirSource.COMMAND_LINE), file_logging=False) as ws:
        build_demo(ws)
        personal = _personal_values(ws)
        path = tmp_path / "regional.suas"
        PackageService(ws).export(path, actor="Bruna Gestora", scope="regional")
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == sorted([pf.MANIFEST, pf.SIGNATURE, pf.SUMMARY])
        summary = json.loads(archive.read(pf.SUMMARY))
        manifest = json.loads(archive.read(pf.MANIFEST))
    keys: set[str] = set()
    values: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                keys.add(key)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        else:
            values.append(str(node))

    walk(summary)
    register_names = set(summary["registers"])
    assert keys - register_names <= REGIONAL_KEYS  # 0 keys outside the allow-list (SEC-5)
    personal_fields = {f.name for s in ALL_REGISTERS for f in s.fields if f.privacy is not Privacy.PUBLIC}
    assert not (keys - {"name"}) & personal_fields  # "name" is the municipality's own name
    assert not [v for v in values if v in personal]
    assert manifest["created_by"] == REGIONAL_AUTHOR  # the office, not the person who exported
    assert not [v for v in personal if v in json.dumps(manifest, ensure_ascii=False)]
