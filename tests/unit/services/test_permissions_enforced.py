"""SEC-3: every service method that writes or exports checks a permission, in the service itself.

The list below names EVERY public method of the services (and the module functions that act on a
workspace), sorted into: checked (called here with a Consulta session: each one must refuse, write
``permission.denied`` to the audit trail and change nothing), reads, and exemptions with the reason. A
new public method that is in none of the lists fails ``test_every_public_method_is_classified``.
"""

from __future__ import annotations

import hashlib
import inspect
from datetime import date

import pytest

from suas_desktop.domain import passwords, permissions
from suas_desktop.domain.cycle import Status
from suas_desktop.domain.deadlines import KeyEvent
from suas_desktop.domain.permissions import (
    ROLE_PERMISSIONS,
    Permission,
    PermissionDenied,
    Role,
    check,
    item_permissions,
    register_permission,
)
from suas_desktop.domain.template import CycleKind
from suas_desktop.services import backup_archive, demo, regional_service
from suas_desktop.services.audit_service import AuditService
from suas_desktop.services.backup_service import BackupService
from suas_desktop.services.checklist_service import ChecklistService
from suas_desktop.services.incident_service import IncidentService
from suas_desktop.services.local_settings import LocalSettingsService
from suas_desktop.services.municipality_service import MunicipalityService
from suas_desktop.services.package_service import PackageService
from suas_desktop.services.register_service import RegisterService
from suas_desktop.services.report_service import ReportService
from suas_desktop.services.retention_service import RetentionService
from suas_desktop.services.search_service import SearchService
from suas_desktop.services.session import UserService
from suas_desktop.services.signature_service import SignatureService
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository

FAST = passwords.ScryptParams(n=2**10, r=8, p=1)

# name -> (permission the call needs, the call). ``f`` is the fixture dict built in ``folder``.
CHECKED = {
    "ChecklistService.start_cycle": lambda f: f["checklists"].start_cycle(
        actor="x", kind=CycleKind.CLOSING, reference_year=2027
    ),
    "ChecklistService.set_event": lambda f: f["checklists"].set_event(
        actor="x", cycle_id=f["cycle"], event=KeyEvent.PUBLICACAO_PORTARIA, day=date(2026, 5, 1)
    ),
    "ChecklistService.conclude": lambda f: f["checklists"].conclude(actor="x", cycle_id=f["cycle"]),
    "ChecklistService.reopen": lambda f: f["checklists"].reopen(
        actor="x", cycle_id=f["cycle"], reason="motivo suficiente"
    ),
    "ChecklistService.carry_over": lambda f: f["checklists"].carry_over(
        actor="x", from_cycle_id=f["cycle"], to_cycle_id=f["other_cycle"]
    ),
    "ChecklistService.set_status": lambda f: f["checklists"].set_status(
        actor="x", item_id=f["item"], status=Status.DONE
    ),
    "ChecklistService.assign": lambda f: f["checklists"].assign(
        actor="x", item_id=f["item"], responsible="Fulano"
    ),
    "ChecklistService.set_notes": lambda f: f["checklists"].set_notes(
        actor="x", item_id=f["item"], notes="n"
    ),
    "ChecklistService.override_due": lambda f: f["checklists"].override_due(
        actor="x", item_id=f["item"], day=None
    ),
    "ChecklistService.add_custom_item": lambda f: f["checklists"].add_custom_item(
        actor="x", cycle_id=f["cycle"], section_code=f["section"], title="Um item local"
    ),
    "ChecklistService.attach": lambda f: f["checklists"].attach(actor="x", item_id=f["item"], path=f["file"]),
    "ChecklistService.remove_attachment": lambda f: f["checklists"].remove_attachment(
        actor="x", attachment_id=f["attachment"]
    ),
    "RegisterService.create": lambda f: f["registers"].create(
        actor="x", name="liabilities", values={"kind": "outro", "description": "x", "status": "aberto"}
    ),
    "RegisterService.update": lambda f: f["registers"].update(
        actor="x", name="units", record_id=f["unit"], values={"name": "Outro nome"}
    ),
    "RegisterService.delete": lambda f: f["registers"].delete(actor="x", name="units", record_id=f["unit"]),
    "RegisterService.import_file": lambda f: f["registers"].import_file(
        actor="x", name="units", path=f["file"]
    ),
    "RegisterService.export_file": lambda f: f["registers"].export_file("staff", f["tmp"] / "staff.xlsx"),
    "MunicipalityService.save_profile": lambda f: f["municipalities"].save_profile(actor="x"),
    "MunicipalityService.set_coat_of_arms": lambda f: f["municipalities"].set_coat_of_arms(
        actor="x", path=f["file"]
    ),
    "MunicipalityService.add_holiday": lambda f: f["municipalities"].add_holiday(
        actor="x", day=date(2026, 3, 19), name="São José"
    ),
    "MunicipalityService.remove_holiday": lambda f: f["municipalities"].remove_holiday(
        actor="x", holiday_id="00000000-0000-4000-8000-000000000000"
    ),
    "BackupService.create": lambda f: BackupService(f["ws"]).create(actor="x"),
    "SignatureService.sign_file": lambda f: SignatureService(f["ws"]).sign_file(
        "x", f["file"], f["tmp"] / "assinado.pdf", pfx_path=f["file"], password="x"
    ),
    "SignatureService.import_certificates": lambda f: SignatureService(f["ws"]).import_certificates(
        "x", f["file"]
    ),
    "SignatureService.remove_trusted": lambda f: SignatureService(f["ws"]).remove_trusted("x", "cert"),
    "SignatureService.export_certificate": lambda f: SignatureService(f["ws"]).export_certificate(
        f["tmp"] / "c.pem", trusted_id="cert"
    ),
    "SignatureService.issue_local_certificate": lambda f: SignatureService(f["ws"]).issue_local_certificate(
        "x",
        name="Fulano de Tal",
        cpf=None,
        role="Gestor",
        password="senha boa demais",
        p12_path=f["tmp"] / "a.p12",
    ),
    "SignatureService.mark_superseded": lambda f: SignatureService(f["ws"]).mark_superseded("x", f["cycle"]),
    "PackageService.trust": lambda f: PackageService(f["ws"]).trust(None, actor="x"),
    "PackageService.export": lambda f: PackageService(f["ws"]).export(
        f["tmp"] / "p.suas", actor="x", scope="regional"
    ),
    "PackageService.import_package": lambda f: PackageService(f["ws"]).import_package(
        f["file"], actor="x", passphrase="x"
    ),
    "PackageService.preview": lambda f: PackageService(f["ws"]).preview(f["file"], passphrase="x"),
    "PackageService.resolve_conflict": lambda f: PackageService(f["ws"]).resolve_conflict(
        "c", keep="local", actor="x"
    ),
    "LocalSettingsService.set": lambda f: LocalSettingsService(f["ws"]).set("auth.auto_login", "x"),
    "UserService.create_user": lambda f: f["users"].create_user(
        actor="x", name="Nova Pessoa", role=Role.ADMIN, password="senha boa demais"
    ),
    "UserService.set_role": lambda f: f["users"].set_role(actor="x", user_id=f["reader"], role=Role.ADMIN),
    "UserService.set_job_title": lambda f: f["users"].set_job_title(
        actor="x", user_id=f["admin"], job_title="x"
    ),
    "UserService.deactivate": lambda f: f["users"].deactivate(actor="x", user_id=f["admin"]),
    "UserService.reactivate": lambda f: f["users"].reactivate(actor="x", user_id=f["admin"]),
    "UserService.reset_password": lambda f: f["users"].reset_password(
        actor="x", user_id=f["admin"], new_password="senha boa demais"
    ),
    "UserService.new_recovery_code": lambda f: f["users"].new_recovery_code(actor="x"),
    "UserService.set_auto_login": lambda f: f["users"].set_auto_login(actor="x", enabled=True),
    "AuditService.entries": lambda f: AuditService(f["ws"]).entries(),
    "AuditService.actors": lambda f: AuditService(f["ws"]).actors(),
    "AuditService.actions": lambda f: AuditService(f["ws"]).actions(),
    "AuditService.entities": lambda f: AuditService(f["ws"]).entities(),
    "AuditService.check": lambda f: AuditService(f["ws"]).check(),
    "AuditService.export": lambda f: AuditService(f["ws"]).export(f["tmp"] / "trilha.csv"),
    "RetentionService.set_period": lambda f: RetentionService(f["ws"]).set_period(
        actor="x", rule="staff", years=1
    ),
    "RetentionService.due": lambda f: RetentionService(f["ws"]).due(),
    "RetentionService.anonymise": lambda f: RetentionService(f["ws"]).anonymise(actor="x", record_ids=["a"]),
    "IncidentService.list": lambda f: IncidentService(f["ws"]).list(),
    "IncidentService.get": lambda f: IncidentService(f["ws"]).get("i"),
    "IncidentService.recent_exports": lambda f: IncidentService(f["ws"]).recent_exports(),
    "IncidentService.record": lambda f: IncidentService(f["ws"]).record(
        actor="x",
        occurred_on=date(2026, 11, 20),
        discovered_on=date(2026, 11, 24),
        medium="pen drive",
        categories=("identificacao",),
        description="um pen drive se perdeu",
    ),
    "IncidentService.update_notice": lambda f: IncidentService(f["ws"]).update_notice(
        actor="x", incident_id="i"
    ),
    "IncidentService.export_text": lambda f: IncidentService(f["ws"]).export_text(
        actor="x", incident_id="i", path=f["tmp"] / "incidente.txt"
    ),
    "backup_archive.write_backup_file": lambda f: backup_archive.write_backup_file(
        f["ws"], f["tmp"] / "copia.suas", passphrase="caju pedra violão janela", actor="x"
    ),
    "backup_archive.restore_backup_file": lambda f: backup_archive.restore_backup_file(
        f["ws"], f["file"], passphrase="x", actor="x"
    ),
    "regional_service.make_association": lambda f: regional_service.make_association(f["ws"]),
    "regional_service.export_consolidation_xlsx": lambda f: regional_service.export_consolidation_xlsx(
        f["ws"], f["tmp"] / "consolidacao.xlsx"
    ),
    "demo.build_demo": lambda f: demo.build_demo(f["ws"]),
}

#: Allowed to every role (reports carry no personal data, see test_no_personal_data_leaks): they still
#: go through require(), proven by taking the permission away from Consulta.
FOR_EVERYONE = {
    "ReportService.generate": lambda f: ReportService(f["ws"], f["catalog"]).generate("pending"),
    "ReportService.write": lambda f: ReportService(f["ws"], f["catalog"]).write(
        "pending", f["tmp"] / "p.pdf"
    ),
    "AuditService.audit_summary": lambda f: AuditService(f["ws"]).audit_summary(),
    "AuditService.cycle_summary": lambda f: AuditService(f["ws"]).cycle_summary(f["cycle"]),
}

READS = {
    "ChecklistService": {
        "cycles", "cycle", "newest_cycle", "events", "item_states", "item_state", "overview", "history",
        "attachments", "attachment_path",
    },
    "RegisterService": {"spec", "list", "count", "get", "title", "ref_labels", "team_comparisons"},
    "MunicipalityService": {"profile", "coat_of_arms_path", "warnings", "holidays"},
    "BackupService": {"list"},
    "SignatureService": {"clock_warning", "trust_anchors", "verify_file", "list_trusted", "signed_documents"},
    "PackageService": {"known_signers", "conflicts", "history"},
    "ReportService": set(),
    "LocalSettingsService": {"is_demo", "current_user", "get"},
    "SearchService": {"search"},
    "UserService": {
        "current", "policy", "allows", "has_accounts", "login_names", "list_users", "auto_login_enabled",
    },
    "AuditService": set(),
    "RetentionService": {"periods"},
    "IncidentService": {"render_text"},
    "backup_archive": {"check_passphrase", "parse_backup_name"},
    "regional_service": {"build_summary", "is_association", "regional_summaries"},
    "demo": {"folder_has_data"},
}  # fmt: skip

EXEMPT = {
    "RegisterService.write_template": "an empty spreadsheet model: no data leaves",
    "PackageService.own_fingerprint": "shows (and on first use creates) this installation's public key",
    "LocalSettingsService.set_current_user": "the name of the single user of a folder WITHOUT accounts",
    "UserService.login": "authentication itself",
    "UserService.logout": "authentication itself",
    "UserService.auto_login": "authentication itself (only with one account and the setting on)",
    "UserService.recover": "authentication itself (needs the recovery code)",
    "UserService.change_password": "the logged-in person's own password (needs the current one)",
    "UserService.create_first_admin": "only when the folder has no account at all",
    "backup_archive.snapshot_backup": "internal: called by checked imports/restores and by the system",
    "backup_archive.ensure_daily_backup": "the app's own daily copy, before anyone logs in",
    "backup_archive.prune_backups": "the app's own backup rotation, before anyone logs in",
    "backup_archive.recent_snapshot": "read: finds an existing automatic copy, writes nothing",
}

CLASSES = (
    ChecklistService, RegisterService, MunicipalityService, BackupService, SignatureService, PackageService,
    ReportService, LocalSettingsService, SearchService, UserService, AuditService, RetentionService,
    IncidentService,
)  # fmt: skip
MODULES = (backup_archive, regional_service, demo)


def _public(owner) -> set[str]:
    if inspect.isclass(owner):
        return {n for n in vars(owner) if not n.startswith("_")}
    return {
        n
        for n, obj in vars(owner).items()
        if not n.startswith("_") and inspect.isfunction(obj) and obj.__module__ == owner.__name__
    }


def test_every_public_method_is_classified():
    classified = set(CHECKED) | set(FOR_EVERYONE) | set(EXEMPT)
    missing = []
    for owner in (*CLASSES, *MODULES):
        name = owner.__name__.rpartition(".")[2]
        for method in _public(owner):
            qualified = f"{name}.{method}"
            if qualified not in classified and method not in READS[name]:
                missing.append(qualified)
    assert not missing, f"classify these in test_permissions_enforced.py: {sorted(missing)}"


@pytest.fixture
def folder(workspace, catalog, tmp_path, monkeypatch):
    monkeypatch.setattr(passwords, "POLICY", FAST)
    demo.build_demo(workspace)
    checklists = ChecklistService(workspace, catalog)
    cycles = checklists.cycles()
    cycle = next(c for c in cycles if c.kind is CycleKind.CLOSING)
    other = next(c for c in cycles if c.kind is CycleKind.TRANSITION)
    item = checklists.item_states(cycle.id)[0].item
    attachment = workspace.db.first("SELECT id FROM attachments LIMIT 1")["id"]
    unit = RegisterService(workspace).list("units")[0].id
    some_file = tmp_path / "arquivo.pdf"
    some_file.write_bytes(b"%PDF-1.4\n%%EOF\n")
    users = UserService(workspace)
    admin = users.create_first_admin(name="Bruna Gestora", password="caju pedra violão")
    reader = users.create_user(
        actor="Bruna Gestora", name="Carla Consulta", role=Role.READ_ONLY, password="janela azul 26"
    )
    users.logout()
    workspace.session = users.login("Carla Consulta", "janela azul 26")
    return {
        "ws": workspace,
        "catalog": catalog,
        "tmp": tmp_path,
        "file": some_file,
        "checklists": checklists,
        "registers": RegisterService(workspace),
        "municipalities": MunicipalityService(workspace),
        "users": users,
        "cycle": cycle.id,
        "other_cycle": other.id,
        "item": item.id,
        "section": item.section_code,
        "attachment": attachment,
        "unit": unit,
        "admin": admin.session.user_id,
        "reader": reader.id,
    }


def _denials(ws) -> int:
    return len(AuditRepository(ws.db).entries(AuditFilter(action_prefix="permission.denied")))


def _data_checksum(ws) -> str:
    """Every row of every table except the audit trail (which grows by one row per refusal)."""
    digest = hashlib.sha256()
    names = [
        r[0]
        for r in ws.db.all(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT IN ('audit_log', 'audit_head')"
            " ORDER BY name"
        )
    ]
    for name in names:
        digest.update(name.encode())
        for row in ws.db.all(f"SELECT * FROM {name} ORDER BY 1"):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_a_read_only_session_is_refused_every_write_and_export(folder):
    ws = folder["ws"]
    before = _data_checksum(ws)
    denials = _denials(ws)
    files_before = sorted(p.name for p in folder["tmp"].iterdir())
    for name, call in CHECKED.items():
        with pytest.raises(PermissionDenied) as refused:
            call(folder)
        assert refused.value.message.startswith("Seu perfil (Consulta) não permite "), name
        denials += 1
        assert _denials(ws) == denials, f"{name}: the refusal was not written to the audit trail"
    assert _data_checksum(ws) == before
    assert sorted(p.name for p in folder["tmp"].iterdir()) == files_before  # no file was written either
    last = AuditRepository(ws.db).entries(AuditFilter(action_prefix="permission.denied"))[-1].entry
    assert last.actor == "Carla Consulta"
    assert "consulta" in last.detail


def test_report_methods_go_through_the_permission_check(folder, monkeypatch):
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.READ_ONLY, frozenset())
    for call in FOR_EVERYONE.values():
        with pytest.raises(PermissionDenied):
            call(folder)
    monkeypatch.undo()
    monkeypatch.setattr(passwords, "POLICY", FAST)
    # With the real table, Consulta does make reports.
    assert AuditService(folder["ws"]).audit_summary().total > 0


def test_the_conclude_refusal_reads_as_the_issue_asks(folder):
    with pytest.raises(PermissionDenied, match=r"^Seu perfil \(Consulta\) não permite concluir ciclos\.$"):
        folder["checklists"].conclude(actor="Carla Consulta", cycle_id=folder["cycle"])


def test_without_a_session_everything_is_allowed_as_before(workspace, catalog):
    """The command line and the existing callers pass actor strings and no session."""
    assert workspace.session is None
    cycle = ChecklistService(workspace, catalog)
    MunicipalityService(workspace).save_profile(actor="cli", **_profile())
    started = cycle.start_cycle(actor="cli", kind=CycleKind.CLOSING, reference_year=2026)
    assert started.title == "Encerramento 2026"


def _profile():
    from tests.unit.services.conftest import PROFILE

    return PROFILE


# ---------------------------------------------------------------------- the table itself


def test_role_table():
    assert ROLE_PERMISSIONS[Role.ADMIN] == frozenset(Permission)
    assert ROLE_PERMISSIONS[Role.READ_ONLY] == {Permission.REPORTS}
    assert check(Role.MANAGER, Permission.CYCLE_MANAGE)
    assert not check(Role.TECHNICIAN, Permission.CYCLE_MANAGE)
    assert not check(Role.MANAGER, Permission.USERS_MANAGE)
    assert not check(Role.MANAGER, Permission.RESTORE)
    assert check(Role.COUNCILLOR, Permission.COUNCIL_RECORD)
    assert not check(Role.COUNCILLOR, Permission.REGISTERS_EDIT)
    # Every permission someone below the administrator has is also the administrator's.
    for role, granted in ROLE_PERMISSIONS.items():
        assert granted <= ROLE_PERMISSIONS[Role.ADMIN], role
    assert register_permission("council_resolutions") is Permission.COUNCIL_RECORD
    assert register_permission("staff") is Permission.REGISTERS_EDIT
    assert item_permissions(("G", "CM")) == (Permission.CHECKLIST_EDIT, Permission.COUNCIL_RECORD)
    assert permissions.refusal_message(Role.READ_ONLY, Permission.CYCLE_MANAGE, "concluir ciclos") == (
        "Seu perfil (Consulta) não permite concluir ciclos."
    )


def test_a_councillor_records_council_items_and_resolutions_but_nothing_else(folder):
    ws, users = folder["ws"], folder["users"]
    users.logout()
    users.login("Bruna Gestora", "caju pedra violão")
    users.create_user(
        actor="Bruna Gestora", name="Davi Conselheiro", role=Role.COUNCILLOR, password="serra verde 77"
    )
    users.logout()
    users.login("Davi Conselheiro", "serra verde 77")
    checklists = folder["checklists"]
    states = checklists.item_states(folder["cycle"])
    council_item = next(s.item for s in states if "CM" in s.item.roles)
    other_item = next(s.item for s in states if "CM" not in s.item.roles)
    checklists.set_notes(
        actor="Davi Conselheiro", item_id=council_item.id, notes="Parecer aprovado em plenária."
    )
    with pytest.raises(PermissionDenied, match="alterar os itens do checklist"):
        checklists.set_notes(actor="Davi Conselheiro", item_id=other_item.id, notes="x")
    registers = folder["registers"]
    created = registers.create(
        actor="Davi Conselheiro",
        name="council_resolutions",
        values={"number": "99/2026", "issued_on": date(2026, 11, 20), "subject": "Aprova o plano"},
    )
    assert created.updated_by == "Davi Conselheiro"
    with pytest.raises(PermissionDenied, match="alterar os cadastros"):
        registers.update(actor="Davi Conselheiro", name="units", record_id=folder["unit"], values={})
    assert ws.session.role is Role.COUNCILLOR
