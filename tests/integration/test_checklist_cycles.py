"""Issue 'done when': a closing 2026 and a transition 2028→2029 for an MG municipality, from the
shipped templates, with every due date computed, evidence attached, the closing concluded and
reopened, and every step in the (verified) audit log."""

from __future__ import annotations

from datetime import date

from suas_desktop.domain.cycle import Status
from suas_desktop.domain.template import CycleKind
from suas_desktop.services.check_service import run_check
from suas_desktop.services.checklist_service import ChecklistService
from suas_desktop.services.municipality_service import MunicipalityService
from suas_desktop.services.template_catalog import load_catalog
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository
from tests.unit.services.conftest import PROFILE


def test_closing_and_transition_end_to_end(workspace, tmp_path):
    MunicipalityService(workspace).save_profile(actor="admin", **PROFILE)
    service = ChecklistService(workspace, load_catalog())
    closing = service.start_cycle(actor="ana", kind=CycleKind.CLOSING, reference_year=2026)
    transition = service.start_cycle(actor="ana", kind=CycleKind.TRANSITION, reference_year=2028)

    for cycle, today in ((closing, date(2026, 11, 25)), (transition, date(2028, 10, 2))):
        states = service.item_states(cycle.id, today=today)
        assert states
        computed = [s for s in states if s.due.date]
        assert len(computed) >= len(states) * 0.6, cycle.title
        for s in states:
            assert s.due.describe()  # every item explains its deadline, computed or not

    evidence = tmp_path / "conciliação dezembro.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% conciliacao\n")
    items = service.item_states(closing.id, today=date(2026, 11, 25))
    service.attach(actor="ana", item_id=items[0].item.id, path=evidence)
    for s in items:
        service.set_status(actor="ana", item_id=s.item.id, status=Status.DONE)
    service.conclude(actor="gestora", cycle_id=closing.id)
    service.reopen(actor="gestora", cycle_id=closing.id, reason="Correção pedida pelo controle interno.")

    audit = AuditRepository(workspace.db)
    actions = [e.entry.action for e in audit.entries(AuditFilter(record_id=closing.id))]
    assert actions == ["cycle.create", "cycle.update", "cycle.update"]
    details = [e.entry.detail for e in audit.entries(AuditFilter(record_id=closing.id))]
    assert details[1] == "ciclo concluído"
    assert details[2].startswith("ciclo reaberto; motivo: Correção")
    assert audit.entries(AuditFilter(action_prefix="attachments.create"))
    assert len(audit.entries(AuditFilter(action_prefix="cycle_item.update"))) == len(items)
    assert run_check(workspace).ok
