"""The audit viewer service (filters, export, chain check, dossier summary), retention and incidents."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, timedelta

import openpyxl
import pytest

from suas_desktop.domain import passwords
from suas_desktop.domain.business_calendar import BusinessCalendar
from suas_desktop.domain.incidents import notice_deadline
from suas_desktop.domain.permissions import Role
from suas_desktop.domain.retention import check_rules
from suas_desktop.domain.template import CycleKind
from suas_desktop.errors import UserError, ValidationError
from suas_desktop.services.audit_service import AuditQuery, AuditService, action_category, action_label
from suas_desktop.services.incident_service import IncidentService
from suas_desktop.services.register_service import RegisterService
from suas_desktop.services.retention_service import RetentionService
from suas_desktop.services.session import UserService
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository

FAST = passwords.ScryptParams(n=2**10, r=8, p=1)


@pytest.fixture(autouse=True)
def fast_policy(monkeypatch):
    monkeypatch.setattr(passwords, "POLICY", FAST)


@pytest.fixture
def busy(workspace, checklists, clock):
    """Two people at work on a closing cycle, on two different days."""
    users = UserService(workspace)
    users.create_first_admin(name="Bruna Gestora", password="caju pedra violão")
    users.create_user(
        actor="Bruna Gestora", name="Ana Técnica", role=Role.TECHNICIAN, password="janela azul 26"
    )
    cycle = checklists.start_cycle(actor="Bruna Gestora", kind=CycleKind.CLOSING, reference_year=2026)
    users.logout()
    clock.moment += timedelta(days=1)
    users.login("Ana Técnica", "janela azul 26")
    item = checklists.item_states(cycle.id)[0].item
    checklists.set_notes(actor="Ana Técnica", item_id=item.id, notes="Extrato pedido ao banco.")
    checklists.assign(actor="Ana Técnica", item_id=item.id, responsible="Ana")
    users.logout()
    users.login("Bruna Gestora", "caju pedra violão")
    return {"users": users, "cycle": cycle, "item": item}


def test_filters_by_day_user_action_entity_and_record(workspace, busy):
    audit = AuditService(workspace)
    everything = audit.entries()
    assert len(everything) == AuditRepository(workspace.db).count()
    ana = audit.entries(AuditQuery(actor="Ana Técnica"))
    assert {r.action for r in ana} >= {"auth.login", "cycle_item.update", "auth.logout"}
    assert all(r.actor == "Ana Técnica" for r in ana)
    second_day = audit.entries(AuditQuery(since=date(2026, 11, 26), until=date(2026, 11, 26)))
    assert second_day and all(r.when.date() == date(2026, 11, 26) for r in second_day)
    assert not audit.entries(AuditQuery(until=date(2026, 11, 24)))
    updates = audit.entries(AuditQuery(action="cycle_item.update"))
    assert [r.fields for r in updates] == [("notes",), ("responsible",)]
    assert updates[0].action_label == "Alteração — Item do checklist"
    logins = audit.entries(AuditQuery(action="auth."))
    assert {r.action for r in logins} == {"auth.login", "auth.logout"}
    on_item = audit.entries(AuditQuery(record_id=busy["item"].id))
    assert len(on_item) >= 3  # created with the cycle, then two updates
    assert {code for code, _ in audit.entities()} >= {"cycle", "cycle_item", "app_user"}
    assert "Ana Técnica" in audit.actors()


def test_export_csv_and_xlsx_and_the_export_is_audited(workspace, busy, tmp_path):
    audit = AuditService(workspace)
    count = audit.export(tmp_path / "trilha.csv", AuditQuery(actor="Ana Técnica"))
    with open(tmp_path / "trilha.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][:3] == ["Nº", "Data e hora", "Usuário"]
    assert len(rows) == count + 1
    assert {r[2] for r in rows[1:]} == {"Ana Técnica"}
    total = audit.export(tmp_path / "trilha.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "trilha.xlsx").active
    assert sheet.max_row == total + 1
    last = AuditRepository(workspace.db).entries()[-1].entry
    assert (last.action, last.actor) == ("audit.export", "Bruna Gestora")
    with pytest.raises(UserError, match=r"\.csv ou \.xlsx"):
        audit.export(tmp_path / "trilha.txt")


def test_summary_counts_actions_per_person_in_the_period(workspace, busy):
    summary = AuditService(workspace).cycle_summary(busy["cycle"].id)
    by_actor = {u.actor: u for u in summary.users}
    assert by_actor["Ana Técnica"].by_category["Alterações de dados"] == 2
    assert by_actor["Ana Técnica"].by_category["Acessos"] == 2  # login and logout
    assert "Alterações de dados" in summary.categories
    assert summary.total == sum(u.total for u in summary.users)
    assert summary.chain_ok
    only_day_two = AuditService(workspace).audit_summary(date(2026, 11, 26), date(2026, 11, 26))
    assert "sistema" not in {u.actor for u in only_day_two.users}  # the migration was on day one


def test_categories_and_labels():
    assert action_category("auth.login") == "Acessos"
    assert action_category("staff.update") == "Alterações de dados"
    assert action_category("staff.import_create") == "Importações"
    assert action_category("package.export") == "Exportações e relatórios"
    assert action_category("backup.create") == "Cópias de segurança"
    assert action_category("permission.denied") == "Usuários e permissões"
    assert action_category("signature.create") == "Assinaturas"
    assert action_label("staff.delete") == "Exclusão — Trabalhadores"


def test_tampering_with_login_rows_is_detected(workspace, busy):
    """An intruder who deletes their failed logins (or edits who logged in) breaks the chain."""
    assert AuditService(workspace).check().ok
    failed = AuditRepository(workspace.db).entries(AuditFilter(action_prefix="auth.login"))[1].seq
    conn = sqlite3.connect(workspace.layout.database, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET actor = 'outra pessoa' WHERE seq = ?", (failed,))
    finally:
        conn.close()
    report = AuditService(workspace).check()
    assert not report.ok
    assert any(f"nº {failed} foi alterado" in p for p in report.problems)
    assert not AuditService(workspace).audit_summary().chain_ok


# ---------------------------------------------------------------------- retention (SEC-6)


def _staff(registers, name, cpf, end):
    return registers.create(
        actor="x",
        name="staff",
        values={
            "name": name, "cpf": cpf, "role": "Técnico", "profession": "assistente_social",
            "education": "superior", "bond": "contratado", "contract_end": end,
        },
    )  # fmt: skip


def test_retention_lists_and_anonymises_keeping_the_counts(workspace, tmp_path):
    check_rules()
    registers = RegisterService(workspace)
    old = _staff(registers, "Joana Antiga", "529.982.247-25", date(2019, 12, 31))
    recent = _staff(registers, "Paula Recente", None, date(2024, 12, 31))
    permanent = _staff(registers, "Rita Efetiva", None, None)
    case = registers.create(
        actor="x",
        name="unmet_demand",
        values={"case_code": "PAEFI-2018-007", "service": "paefi", "received_on": date(2018, 3, 1),
                "status": "atendido", "resolved_on": date(2018, 9, 1)},
    )  # fmt: skip
    waiting = registers.create(
        actor="x",
        name="unmet_demand",
        values={"case_code": "PAEFI-2018-008", "service": "paefi", "received_on": date(2018, 3, 1),
                "status": "aguardando"},
    )  # fmt: skip
    service = RetentionService(workspace)
    assert service.periods() == {"staff": 5, "unmet_demand": 5}
    due = service.due(today=date(2026, 11, 25))
    assert {c.record_id for c in due} == {old.id, case.id}
    assert all("Joana" not in c.description and "PAEFI-2018" not in c.description for c in due)
    with pytest.raises(UserError, match="ainda não passaram"):
        service.anonymise(actor="Bruna", record_ids=[old.id, recent.id], today=date(2026, 11, 25))
    assert registers.get("staff", old.id)["name"] == "Joana Antiga"  # nothing changed

    done = service.anonymise(actor="Bruna", record_ids=[c.record_id for c in due], today=date(2026, 11, 25))
    assert done == 2
    anon = registers.get("staff", old.id)
    assert anon["name"].startswith("Anonimizado ") and anon["cpf"] is None
    assert (anon["profession"], anon["bond"], anon["contract_end"]) == (
        "assistente_social",
        "contratado",
        "2019-12-31",
    )
    assert anon.updated_by == "Bruna"
    assert registers.get("unmet_demand", case.id)["case_code"].startswith("ANON")
    assert registers.get("unmet_demand", case.id)["service"] == "paefi"
    assert registers.count("staff") == 3 and registers.get("staff", permanent.id)["name"] == "Rita Efetiva"
    assert registers.get("unmet_demand", waiting.id)["case_code"] == "PAEFI-2018-008"
    assert service.due(today=date(2026, 11, 25)) == []
    entries = AuditRepository(workspace.db).entries(AuditFilter(action_prefix="retention.anonymise"))
    assert {e.entry.record_id for e in entries} == {old.id, case.id}
    text = " ".join(e.entry.detail for e in AuditRepository(workspace.db).entries())
    assert "Joana" not in text and "529" not in text and "PAEFI-2018-007" not in text

    service.set_period(actor="Bruna", rule="staff", years=1)
    assert [c.record_id for c in service.due(today=date(2026, 11, 25))] == [recent.id]
    with pytest.raises(ValidationError):
        service.set_period(actor="Bruna", rule="staff", years=0)


# ---------------------------------------------------------------------- incidents (SEC-8)


def test_incident_record_deadline_export_and_no_delete(workspace, mg_profile, tmp_path, clock):
    service = IncidentService(workspace)
    incident = service.record(
        actor="Bruna Gestora",
        occurred_on=date(2026, 11, 20),
        discovered_on=date(2026, 11, 24),  # a Tuesday
        medium="Pen drive FMAS-02 (perdido no ônibus)",
        categories=["identificacao", "vulnerabilidade"],
        description="Pen drive com cópia de planilhas perdido no trajeto até a regional.",
        subjects_estimate=120,
    )
    assert incident.high_risk
    assert incident.notify_by == date(2026, 11, 27)  # Wed, Thu, Fri
    assert service.list() == [incident]
    updated = service.update_notice(
        actor="Bruna Gestora",
        incident_id=incident.id,
        anpd_notified_on=date(2026, 11, 25),
        measures="Senhas trocadas.",
    )
    assert updated.anpd_notified_on == date(2026, 11, 25)
    out = service.export_text(actor="Bruna Gestora", incident_id=incident.id, path=tmp_path / "incidente.txt")
    text = out.read_text(encoding="utf-8")
    assert "Pen drive FMAS-02" in text and "27/11/2026" in text and "Dados de crianças" not in text
    assert "Situação de vulnerabilidade" in text and "Risco relevante: SIM" in text
    with pytest.raises(sqlite3.IntegrityError):
        workspace.db.execute("DELETE FROM incident")
    actions = [e.entry.action for e in AuditRepository(workspace.db).entries(AuditFilter(entity="incident"))]
    assert actions == ["incident.create", "incident.update", "incident.export"]
    with pytest.raises(ValidationError) as bad:
        service.record(
            actor="x", occurred_on=date(2026, 11, 26), discovered_on=date(2026, 11, 30), medium="", categories=[],
            description="",
        )  # fmt: skip
    assert set(bad.value.field_errors) >= {"discovered_on", "medium", "categories", "description"}


def test_incident_for_a_package_written_here(workspace, mg_profile, tmp_path):
    from suas_desktop.services.package_service import PackageService
    from tests.unit.services.packages_support import TEST_LOG_N

    result = PackageService(workspace).export(
        tmp_path / "pacote.suas", actor="Bruna", passphrase="caju pedra violão janela", log_n=TEST_LOG_N
    )
    service = IncidentService(workspace)
    assert service.recent_exports()[0]["package_id"] == result.package_id
    incident = service.record(
        actor="Bruna",
        occurred_on=date(2026, 11, 25),
        discovered_on=date(2026, 11, 25),
        medium="Pen drive",
        categories=["identificacao"],
        description="O pen drive com o pacote completo sumiu.",
        package_id=result.package_id,
    )
    assert (incident.file_name, incident.encrypted, incident.high_risk) == ("pacote.suas", True, False)
    with pytest.raises(ValidationError):
        service.record(
            actor="Bruna", occurred_on=date(2026, 11, 25), discovered_on=date(2026, 11, 25), medium="Pen drive",
            categories=["identificacao"], description="Um pacote desconhecido.", package_id="nao-existe",
        )  # fmt: skip


def test_notice_deadline_counts_business_days():
    calendar = BusinessCalendar({date(2026, 11, 20): "Consciência Negra"})
    assert notice_deadline(date(2026, 11, 18), calendar) == date(2026, 11, 24)  # Thu, (Fri holiday), Mon, Tue
