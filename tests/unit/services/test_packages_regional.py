"""Regional packages and the association's consolidation (MERGE-2, SEC-5)."""

from __future__ import annotations

import base64
import json
import random
import uuid
from datetime import date

import openpyxl
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from suas_desktop import __version__
from suas_desktop.domain.municipality import ibge_check_digit
from suas_desktop.domain.regional import SummaryInvalid, summary_from_json, summary_to_json
from suas_desktop.domain.sync import canonical_json
from suas_desktop.services import package_format as pf
from suas_desktop.services.demo import build_demo
from suas_desktop.services.regional_service import (
    build_summary,
    export_consolidation_xlsx,
    is_association,
    make_association,
    regional_summaries,
)
from suas_desktop.services.register_service import RegisterService
from tests.unit.services.packages_support import db_checksum, export, import_, open_folder, setup_profile


def _code(n: int) -> str:
    six = f"31{n:04d}"
    return six + str(ibge_check_digit(six))


def _synthetic(path, *, ibge, name, created_at, waiting, seed):
    """A regional package as another municipality's installation would write it."""
    rng = random.Random(seed)
    summary = {
        "summary_version": 1,
        "municipality": {"ibge_code": ibge, "name": name, "uf": "MG", "population": rng.randint(3000, 90000)},
        "data_date": created_at[:10],
        "registers": {"units": rng.randint(1, 9), "staff": rng.randint(5, 80)},
        "unmet_demand": [
            {"service": "paefi", "status": "aguardando", "count": waiting, "longest_wait_days": 10 + waiting},
            {"service": "acolhimento", "status": "atendido", "count": 2, "longest_wait_days": 30},
        ],
        "cycles": [
            {
                "kind": "closing",
                "reference_year": 2026,
                "title": "Encerramento 2026",
                "state": "open",
                "total": 40,
                "done": rng.randint(0, 30),
                "not_applicable": 2,
                "in_progress": 3,
                "blocked": 1,
                "overdue": 4,
            }
        ],
        "accountability": [{"fiscal_year": 2025, "status": "enviada", "count": 2}],
    }
    return _synthetic_with(path, summary, created_at=created_at)


def _synthetic_with(path, summary, *, created_at="2026-11-20T10:00:00.000000Z"):
    key = Ed25519PrivateKey.generate()
    ibge, name = summary["municipality"]["ibge_code"], summary["municipality"]["name"]
    writer = pf.PackageWriter(path, passphrase=None)
    writer.add_bytes(pf.SUMMARY, canonical_json(summary))
    manifest = {
        "format": pf.FORMAT, "format_version": pf.FORMAT_VERSION, "app_version": __version__, "schema_version": 5,
        "package_id": str(uuid.uuid4()), "scope": "regional", "created_at": created_at, "created_by": "teste",
        "installation_id": str(uuid.uuid4()), "sequence": 1,
        "municipality": {"ibge_code": ibge, "name": name, "uf": "MG"},
        "signer": {"algorithm": "Ed25519", "public_key": base64.b64encode(key.public_key().public_bytes_raw()).decode()},
        "tables": {},
    }  # fmt: skip
    writer.finish(manifest, key.sign)
    return path


@pytest.fixture
def association(tmp_path):
    ws = open_folder(tmp_path / "associacao")
    make_association(ws)
    yield ws
    ws.close()


def test_regional_summary_has_no_personal_data(tmp_path):
    ws = open_folder(tmp_path / "demo")
    try:
        build_demo(ws)
        summary = build_summary(ws, today=date(2026, 11, 25))
        package = export(ws, tmp_path / "regional.suas", scope="regional")
        data = package.read_bytes()
        assert data.startswith(b"PK")  # aggregates only: not encrypted, but signed
        text = data.decode("latin-1")
        for register in ("staff", "council_members", "system_access"):
            for row in RegisterService(ws).list(register):
                for field in ("name", "holder", "cpf"):
                    value = row.values.get(field)
                    if value:
                        assert value not in text
        for row in RegisterService(ws).list("unmet_demand"):
            assert row.values["case_code"] not in text
        assert summary.waiting_total > 0
        assert summary.longest_wait_days is not None
        assert {c.title for c in summary.cycles} == {"Encerramento 2026", "Transição 2028→2029"}
        assert summary.registers["units"] == RegisterService(ws).count("units")
        assert summary_from_json(json.loads(json.dumps(summary_to_json(summary)))) == summary
    finally:
        ws.close()


def test_association_consolidates_fifty_municipalities(tmp_path, association):
    real = open_folder(tmp_path / "real")
    try:
        setup_profile(real)
        RegisterService(real).create(
            actor="ana", name="unmet_demand",
            values={"case_code": "PAEFI-2026-001", "service": "paefi", "received_on": date(2026, 9, 1),
                    "status": "aguardando"},
        )  # fmt: skip
        real_package = export(real, tmp_path / "real.suas", scope="regional")
    finally:
        real.close()
    packages = [real_package]
    for n in range(1, 50):
        packages.append(
            _synthetic(
                tmp_path / f"m{n}.suas", ibge=_code(n), name=f"Município {n:02d}",
                created_at="2026-11-20T10:00:00.000000Z", waiting=1 + n % 7, seed=n,
            )
        )  # fmt: skip
    for package in packages:
        result = import_(association, package)
        assert result.applied
        assert [r.table for r in result.plan.created] == ["regional_summary"]
    # One copy of the database protects the whole batch (a copy per package made consolidation superlinear).
    assert len(list(association.layout.backups.glob("antes-da-importacao*.db"))) == 1
    summaries = regional_summaries(association)
    assert len(summaries) == 50
    assert len({s.ibge_code for s in summaries}) == 50
    real_summary = next(s for s in summaries if s.ibge_code == "3117836")
    assert real_summary.name == "Cônego Marinho"
    assert real_summary.waiting_total == 1
    assert real_summary.longest_wait_days == (date(2026, 11, 25) - date(2026, 9, 1)).days
    # newest package per municipality wins; an older one changes nothing
    newer = _synthetic(tmp_path / "m1-novo.suas", ibge=_code(1), name="Município 01",
                       created_at="2026-11-24T10:00:00.000000Z", waiting=30, seed=1)  # fmt: skip
    assert [r.table for r in import_(association, newer).plan.updated] == ["regional_summary"]
    older = _synthetic(tmp_path / "m1-velho.suas", ibge=_code(1), name="Município 01",
                       created_at="2026-10-01T10:00:00.000000Z", waiting=99, seed=1)  # fmt: skip
    before = db_checksum(association)
    stale = import_(association, older)
    assert not stale.plan.changes
    assert any("mais recentes" in w for w in stale.plan.warnings)
    one = next(s for s in regional_summaries(association) if s.ibge_code == _code(1))
    assert one.waiting_total == 30
    assert one.data_date == date(2026, 11, 24)
    assert db_checksum(association) != before  # only the import log
    out = tmp_path / "consolidacao.xlsx"
    assert export_consolidation_xlsx(association, out) == 50
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == [
        "Municípios",
        "Demanda reprimida",
        "Checklists",
        "Prestações de contas",
        "Cadastros",
    ]
    assert book["Municípios"].max_row == 51


def test_association_refuses_full_packages(tmp_path, association):
    ws = open_folder(tmp_path / "m")
    try:
        setup_profile(ws)
        package = export(ws, tmp_path / "full.suas")
    finally:
        ws.close()
    with pytest.raises(pf.PackageRejected) as info:
        import_(association, package)
    assert info.value.reason == "wrong_scope"
    assert is_association(association)


def test_municipality_folder_cannot_become_an_association(tmp_path):
    ws = open_folder(tmp_path / "m")
    try:
        setup_profile(ws)
        with pytest.raises(Exception, match="já é de um município"):
            make_association(ws)
        assert not is_association(ws)
    finally:
        ws.close()


def test_summary_with_extra_keys_is_refused(tmp_path, association):
    path = _synthetic(tmp_path / "x.suas", ibge=_code(7), name="X", created_at="2026-11-20T10:00:00.000000Z",
                      waiting=1, seed=7)  # fmt: skip
    import zipfile

    with zipfile.ZipFile(path) as zf:
        summary = json.loads(zf.read(pf.SUMMARY))
    summary["unmet_demand"][0]["case_code"] = "PAEFI-1"  # a personal field is not in the allow-list
    with pytest.raises(SummaryInvalid):
        summary_from_json(summary)
    before = db_checksum(association)
    with pytest.raises(pf.PackageRejected) as info:
        import_(association, _synthetic_with(tmp_path / "y.suas", summary))
    assert info.value.reason == "invalid_content"
    assert db_checksum(association) == before
