"""Registers through the service: CRUD with references, all-or-nothing imports, export round trip,
and the NOB-RH team comparison."""

from __future__ import annotations

import csv

import pytest

from suas_desktop.domain.register_fields import RegisterRecord
from suas_desktop.errors import UserError, ValidationError
from suas_desktop.services.register_service import RegisterService
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository


@pytest.fixture
def registers(workspace, mg_profile):
    return RegisterService(workspace)


def _unit(registers, name="CRAS Centro", kind="CRAS", families="2000") -> RegisterRecord:
    return registers.create(
        actor="ana", name="units", values={"kind": kind, "name": name, "referenced_families": families}
    )


def test_create_update_delete_with_audit(registers, workspace):
    unit = _unit(registers)
    assert unit["kind"] == "cras" and unit["referenced_families"] == 2000
    updated = registers.update(actor="bia", name="units", record_id=unit.id, values={"address": "Rua A, 1"})
    assert updated["address"] == "Rua A, 1" and updated.revision == 2
    actions = [e.entry.action for e in AuditRepository(workspace.db).entries(AuditFilter(record_id=unit.id))]
    assert actions == ["units.create", "units.update"]
    registers.delete(actor="bia", name="units", record_id=unit.id)
    assert registers.list("units") == []


def test_invalid_update_changes_nothing(registers):
    unit = _unit(registers)
    with pytest.raises(ValidationError):
        registers.update(actor="ana", name="units", record_id=unit.id, values={"referenced_families": "-3"})
    assert registers.get("units", unit.id) == unit


def test_reference_must_exist_and_blocks_delete(registers):
    unit = _unit(registers)
    staff = registers.create(
        actor="ana",
        name="staff",
        values={
            "name": "Maria da Silva",
            "role": "Técnica",
            "profession": "Assistente social",
            "education": "Superior",
            "bond": "Efetivo",
            "unit_id": unit.id,
        },
    )
    assert staff["unit_id"] == unit.id
    with pytest.raises(UserError, match="há registros ligados"):
        registers.delete(actor="ana", name="units", record_id=unit.id)
    with pytest.raises(ValidationError):
        registers.create(
            actor="ana",
            name="staff",
            values={
                "name": "João",
                "role": "x",
                "profession": "Psicólogo(a)",
                "education": "Superior",
                "bond": "Efetivo",
                "unit_id": "00000000-0000-4000-8000-000000000000",
            },
        )


def test_team_comparison_uses_municipality_porte(registers):
    unit = _unit(registers)
    for profession in ("Assistente social", "Psicólogo(a)"):
        registers.create(
            actor="ana",
            name="staff",
            values={
                "name": f"Pessoa {profession}",
                "role": "Técnico",
                "profession": profession,
                "education": "Superior",
                "bond": "Efetivo",
                "unit_id": unit.id,
            },
        )
    [team] = registers.team_comparisons()
    assert team.unit.id == unit.id
    assert team.comparison.size_class.value == "Pequeno Porte I"
    assert not team.comparison.complete  # no mid-level staff, no coordinator
    assert team.comparison.missing_total >= 2


def _write_units_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Tipo", "Nome", "Endereço", "Famílias referenciadas"])
        writer.writerows(rows)


def test_import_fails_on_row_57_of_60_and_leaves_nothing(registers, workspace, tmp_path):
    rows = [["CRAS", f"CRAS {i:02d}", f"Rua {i}", "1000"] for i in range(60)]
    rows[55][3] = "mil"  # data row 56 = sheet line 57 (line 1 is the header)
    path = tmp_path / "unidades.csv"
    _write_units_csv(path, rows)
    audit_before = AuditRepository(workspace.db).count()
    result = registers.import_file(actor="ana", name="units", path=path)
    assert not result.report.ok
    [error] = result.report.errors
    assert (error.line, error.column) == (57, "Famílias referenciadas")
    assert "inteiro" in error.message
    assert registers.list("units") == []
    assert AuditRepository(workspace.db).count() == audit_before


def test_import_reports_every_bad_row_and_duplicates(registers, tmp_path):
    path = tmp_path / "u.csv"
    _write_units_csv(
        path,
        [["CRAS", "A", "", "1"], ["Hospital", "B", "", "1"], ["CRAS", "A", "", "2"], ["CREAS", "", "", ""]],
    )
    result = registers.import_file(actor="ana", name="units", path=path)
    lines = sorted((e.line, e.column) for e in result.report.errors)
    assert lines == [(3, "Tipo"), (4, "Tipo"), (5, "Nome")]
    assert registers.count("units") == 0


def test_import_then_reimport_changes_nothing(registers, tmp_path):
    path = tmp_path / "u.csv"
    _write_units_csv(path, [["CRAS", "CRAS Norte", "Rua 1", "2500"], ["CREAS", "CREAS Municipal", "", ""]])
    first = registers.import_file(actor="ana", name="units", path=path)
    assert (first.created, first.updated) == (2, 0)
    again = registers.import_file(actor="ana", name="units", path=path)
    assert (again.created, again.updated) == (0, 0)
    assert registers.count("units") == 2


def test_import_resolves_references_by_name(registers, tmp_path):
    unit = _unit(registers, name="CRAS Vila Nova")
    path = tmp_path / "staff.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Nome", "Cargo ou função", "Profissão", "Escolaridade", "Vínculo", "Unidade"])
        writer.writerow(["Ana", "Técnica", "Psicólogo(a)", "Superior", "Efetivo", "cras vila nova"])
        writer.writerow(["Beto", "Técnico", "Nível médio", "Médio", "Contratado", "CRAS Inexistente"])
    result = registers.import_file(actor="ana", name="staff", path=path)
    assert [(e.line, e.column) for e in result.report.errors] == [(3, "Unidade")]
    path.write_text(
        path.read_text(encoding="utf-8-sig").splitlines()[0]
        + "\n"
        + path.read_text(encoding="utf-8-sig").splitlines()[1]
        + "\n",
        encoding="utf-8",
    )
    ok = registers.import_file(actor="ana", name="staff", path=path)
    assert ok.created == 1
    assert registers.list("staff")[0]["unit_id"] == unit.id


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_import_round_trip(registers, workspace, tmp_path, suffix):
    from suas_desktop.paths import DataDirSource, DataLayout
    from suas_desktop.services.workspace import open_workspace

    registers.create(
        actor="ana",
        name="accounts",
        values={
            "bank": "Banco do Brasil",
            "branch": "0123-4",
            "account": "5678-9",
            "block": "feas",
            "balance_dec31": "1.234,56",
            "amount_to_reprogram": "0,56",
            "reconciled": "Sim",
            "cutoff_date": "31/10/2026",
        },
    )
    registers.create(
        actor="ana",
        name="accounts",
        values={"bank": "Caixa", "branch": "1", "account": "2", "block": "proprio", "balance_dec31": "0,01"},
    )
    path = tmp_path / f"contas{suffix}"
    assert registers.export_file("accounts", path) == 2
    assert registers.import_file(actor="ana", name="accounts", path=path).updated == 0  # same data: no change

    other = DataLayout(tmp_path / "outra", DataDirSource.COMMAND_LINE)
    with open_workspace(other, file_logging=False) as ws2:
        result = RegisterService(ws2).import_file(actor="bia", name="accounts", path=path)
        assert result.report.ok, result.report.errors
        assert result.created == 2
        got = sorted(dict(r.values).items() for r in RegisterService(ws2).list("accounts"))
    want = sorted(dict(r.values).items() for r in registers.list("accounts"))
    assert got == want


def test_template_file_imports_its_example(registers, tmp_path):
    path = tmp_path / "modelo.xlsx"
    registers.write_template("units", path)
    result = registers.import_file(actor="ana", name="units", path=path, dry_run=True)
    assert result.report.ok and result.report.rows == 1
    assert registers.count("units") == 0  # dry run writes nothing
