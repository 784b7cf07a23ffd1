"""Cycles end to end through the services (no Qt): due dates, statuses, evidence, lock, carry-over."""

from __future__ import annotations

from datetime import date

import pytest

from suas_desktop.domain.cycle import CycleState, Status
from suas_desktop.domain.deadlines import KeyEvent, Provenance
from suas_desktop.domain.template import CycleKind
from suas_desktop.errors import UserError, ValidationError
from suas_desktop.services.check_service import run_check
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository

TODAY = date(2026, 11, 25)


@pytest.fixture
def closing(checklists):
    return checklists.start_cycle(actor="ana", kind=CycleKind.CLOSING, reference_year=2026)


def _by_key(checklists, cycle_id, today=TODAY):
    return {s.item.item_key: s for s in checklists.item_states(cycle_id, today=today)}


def test_closing_2026_for_mg_has_national_and_state_items(checklists, closing, catalog):
    states = _by_key(checklists, closing.id)
    assert closing.title == "Encerramento 2026"
    assert closing.uf == "MG"
    assert "+mg-" in closing.template_version
    assert any(k.startswith("MG-") for k in states)
    expected = {i.id for i in catalog.for_cycle(CycleKind.CLOSING, "MG").items}
    assert set(states) == expected
    # FIXO(31/12) is inside the fiscal year: 31/12/2026 is a Thursday, so it stays.
    assert states["FIN-04"].due.date == date(2026, 12, 31)
    # 30/11/2026 is a Monday.
    assert states["CONTA-01"].due.date == date(2026, 11, 30)


def test_every_due_date_is_computed_or_waits_for_a_known_reason(checklists, closing):
    for key, st in _by_key(checklists, closing.id).items():
        if st.due.date is None:
            assert (
                st.due.waiting_for is not None
                or "Informe" in st.due.describe()
                or "ontínuo" in st.due.rule_text
            ), key
        else:
            assert date(2026, 1, 1) <= st.due.date <= date(2028, 12, 31), key


def test_transition_2028_2029_dates(checklists):
    cycle = checklists.start_cycle(actor="ana", kind=CycleKind.TRANSITION, reference_year=2028)
    assert cycle.title == "Transição 2028→2029"
    events = checklists.events(cycle.id)
    assert events[KeyEvent.POSSE].date == date(2029, 1, 1)
    assert events[KeyEvent.RESULTADO_ELEICAO].date == date(2028, 10, 1)  # first Sunday of October
    states = _by_key(checklists, cycle.id, today=date(2028, 10, 2))
    # GOV-05 "até a véspera da posse": 31/12/2028 is a Sunday -> the previous business day.
    assert states["GOV-05"].due.date == date(2028, 12, 29)
    # GOV-07: posse + 30 days = 31/01/2029 (Wednesday).
    assert states["GOV-07"].due.date == date(2029, 1, 31)
    # Election year: the LRF art. 42 warning shows on the items it concerns.
    assert any("art. 42" in w for w in states["FIN-01"].warnings)
    assert not states["GOV-07"].warnings


def test_unified_federal_dates_apply_as_overrides(checklists):
    cycle = checklists.start_cycle(actor="ana", kind=CycleKind.CLOSING, reference_year=2025)
    states = _by_key(checklists, cycle.id, today=date(2025, 12, 1))
    assert states["PCF-02"].due.date == date(2026, 3, 1)
    assert states["PCF-02"].due.overridden
    assert "132/2025" in states["PCF-02"].due.provenance
    assert states["PCF-04"].due.date == date(2026, 4, 30)


def test_entered_event_moves_relative_deadlines(checklists, closing):
    states = _by_key(checklists, closing.id)
    waiting = [k for k, s in states.items() if s.due.waiting_for is KeyEvent.PUBLICACAO_PORTARIA]
    assert waiting
    checklists.set_event(
        actor="ana",
        cycle_id=closing.id,
        event=KeyEvent.PUBLICACAO_PORTARIA,
        day=date(2026, 12, 1),
        provenance=Provenance(norm="Portaria fictícia nº 1/2026"),
    )
    after = _by_key(checklists, closing.id)
    for key in waiting:
        assert after[key].due.date is not None
        assert after[key].due.date > date(2026, 12, 1)


def test_status_rules(checklists, closing):
    item = next(iter(_by_key(checklists, closing.id).values())).item
    with pytest.raises(ValidationError):
        checklists.set_status(actor="ana", item_id=item.id, status=Status.NOT_APPLICABLE)
    with pytest.raises(ValidationError):
        checklists.set_status(actor="ana", item_id=item.id, status=Status.BLOCKED, reason="curto")
    assert checklists.cycle(closing.id)  # nothing changed
    assert checklists.item_state(item.id).item.status is Status.PENDING
    done = checklists.set_status(
        actor="ana",
        item_id=item.id,
        status=Status.NOT_APPLICABLE,
        reason="O município não tem CREAS próprio.",
    )
    assert done.status_reason.startswith("O município")
    back = checklists.set_status(actor="ana", item_id=item.id, status=Status.DONE)
    assert back.status_reason == ""
    history = checklists.history(item.id)
    assert [h.detail for h in history if h.detail.startswith("situação")] == [
        "situação: Pendente → Não se aplica",
        "situação: Não se aplica → Concluído",
    ]


def test_stale_edit_is_refused(checklists, closing):
    item = next(iter(_by_key(checklists, closing.id).values())).item
    checklists.set_status(actor="ana", item_id=item.id, status=Status.IN_PROGRESS)
    with pytest.raises(UserError):
        checklists.set_status(
            actor="bia", item_id=item.id, status=Status.DONE, expected_revision=item.revision
        )


def test_due_override_needs_reason_and_stays_in_cycle(checklists, closing):
    st = _by_key(checklists, closing.id)["FIN-04"]
    with pytest.raises(ValidationError):
        checklists.override_due(actor="ana", item_id=st.item.id, day=date(2027, 1, 10))
    with pytest.raises(ValidationError, match="anterior ao início"):
        checklists.override_due(
            actor="ana", item_id=st.item.id, day=date(2025, 12, 1), reason="Decreto municipal 10/2026"
        )
    checklists.override_due(
        actor="ana", item_id=st.item.id, day=date(2027, 1, 8), reason="Decreto municipal nº 10/2026"
    )
    after = checklists.item_state(st.item.id, today=TODAY)
    assert after.due.date == date(2027, 1, 8)
    assert after.due.overridden
    assert "Decreto municipal" in after.due.provenance
    checklists.override_due(actor="ana", item_id=st.item.id, day=None)
    assert checklists.item_state(st.item.id, today=TODAY).due.date == date(2026, 12, 31)


def test_overdue_and_due_soon(checklists, closing):
    overview = checklists.overview(closing.id, today=date(2026, 12, 20))
    assert overview.overdue and all(s.due.date < date(2026, 12, 20) for s in overview.overdue)
    assert overview.due_soon and all(0 <= s.days_left <= 30 for s in overview.due_soon)
    assert overview.overall.total == len(checklists.item_states(closing.id))
    assert sum(p.total for p in overview.sections) == overview.overall.total


def test_custom_local_item(checklists, closing):
    item = checklists.add_custom_item(
        actor="ana",
        cycle_id=closing.id,
        section_code="FIN",
        title="Enviar relatório ao prefeito",
        due=date(2026, 12, 10),
    )
    assert item.item_key == "LOCAL-1" and item.is_custom and item.source == "L"
    assert checklists.item_state(item.id, today=TODAY).due.date == date(2026, 12, 10)
    with pytest.raises(ValidationError):
        checklists.add_custom_item(
            actor="ana", cycle_id=closing.id, section_code="NOPE", title="Algo a fazer"
        )


def test_evidence_is_stored_once_and_removed_only_when_unused(checklists, closing, workspace, tmp_path):
    states = list(_by_key(checklists, closing.id).values())
    first, second = states[0].item, states[1].item
    src = tmp_path / "extrato 31-12.pdf"
    src.write_bytes(b"%PDF-1.4 extrato" * 500)
    a = checklists.attach(actor="ana", item_id=first.id, path=src)
    b = checklists.attach(actor="ana", item_id=second.id, path=src)
    assert a.sha256 == b.sha256 and a.id != b.id
    assert a.media_type == "application/pdf" and a.size == src.stat().st_size
    assert len(list(workspace.attachments.iter_stored())) == 1
    checklists.remove_attachment(actor="ana", attachment_id=a.id)
    assert checklists.attachment_path(b.id).read_bytes() == src.read_bytes()  # still used by the second item
    checklists.remove_attachment(actor="ana", attachment_id=b.id)
    assert list(workspace.attachments.iter_stored()) == []
    assert [h.action for h in checklists.history(first.id) if h.action.startswith("attachments")] == [
        "attachments.create",
        "attachments.delete",
    ]


def test_unreadable_or_missing_attachment_changes_nothing(checklists, closing, workspace, tmp_path):
    item = next(iter(_by_key(checklists, closing.id).values())).item
    before = AuditRepository(workspace.db).count()
    with pytest.raises(UserError, match="não foi encontrado"):
        checklists.attach(actor="ana", item_id=item.id, path=tmp_path / "nao-existe.pdf")
    folder = tmp_path / "pasta"
    folder.mkdir()
    with pytest.raises(UserError):
        checklists.attach(actor="ana", item_id=item.id, path=folder)
    assert AuditRepository(workspace.db).count() == before
    assert checklists.attachments(item.id) == []


def test_check_detects_damaged_evidence(checklists, closing, workspace, tmp_path):
    item = next(iter(_by_key(checklists, closing.id).values())).item
    src = tmp_path / "ata.txt"
    src.write_text("Ata da reunião do CMAS")
    row = checklists.attach(actor="ana", item_id=item.id, path=src)
    assert run_check(workspace).ok
    workspace.attachments.path_for(row.sha256).write_text("adulterado")
    assert any("danificado" in p for p in run_check(workspace).problems)
    workspace.attachments.path_for(row.sha256).unlink()
    assert any("faltando" in p for p in run_check(workspace).problems)


def test_conclude_lock_and_reopen(checklists, closing, tmp_path):
    states = checklists.item_states(closing.id, today=TODAY)
    with pytest.raises(UserError, match="em aberto"):
        checklists.conclude(actor="gestora", cycle_id=closing.id)
    for st in states:
        checklists.set_status(actor="ana", item_id=st.item.id, status=Status.DONE)
    cycle = checklists.conclude(actor="gestora", cycle_id=closing.id)
    assert cycle.state is CycleState.CONCLUDED and cycle.concluded_by == "gestora"
    item = states[0].item
    src = tmp_path / "x.txt"
    src.write_text("x")
    for action in (
        lambda: checklists.set_status(actor="ana", item_id=item.id, status=Status.PENDING),
        lambda: checklists.assign(actor="ana", item_id=item.id, responsible="Beto"),
        lambda: checklists.set_notes(actor="ana", item_id=item.id, notes="x"),
        lambda: checklists.attach(actor="ana", item_id=item.id, path=src),
        lambda: checklists.add_custom_item(
            actor="ana", cycle_id=closing.id, section_code="FIN", title="Outro item"
        ),
    ):
        with pytest.raises(UserError, match="concluído"):
            action()
    with pytest.raises(ValidationError):
        checklists.reopen(actor="gestora", cycle_id=closing.id, reason="")
    reopened = checklists.reopen(
        actor="gestora", cycle_id=closing.id, reason="Faltou anexar o extrato de dezembro."
    )
    assert reopened.state is CycleState.OPEN
    checklists.set_status(actor="ana", item_id=item.id, status=Status.IN_PROGRESS)


def test_carry_over_keeps_history(checklists, closing):
    states = checklists.item_states(closing.id, today=TODAY)
    open_item = states[0].item
    checklists.assign(actor="ana", item_id=open_item.id, responsible="Beto")
    for st in states[1:]:
        checklists.set_status(actor="ana", item_id=st.item.id, status=Status.DONE)
    nxt = checklists.start_cycle(actor="ana", kind=CycleKind.CLOSING, reference_year=2027)
    assert checklists.carry_over(actor="ana", from_cycle_id=closing.id, to_cycle_id=nxt.id) == 1
    assert checklists.carry_over(actor="ana", from_cycle_id=closing.id, to_cycle_id=nxt.id) == 0  # idempotent
    carried = [s for s in checklists.item_states(nxt.id, today=TODAY) if s.item.carried_from_item_id]
    assert len(carried) == 1
    copy = carried[0]
    assert copy.item.item_key == f"{open_item.item_key}/2026"
    assert copy.item.responsible == "Beto"
    assert copy.due.date == states[0].due.date
    actions = [h.action for h in checklists.history(copy.item.id)]
    assert (
        "cycle_item.create" in actions
        and "cycle_item.update" in actions
        and "cycle_item.carry_over" in actions
    )
    # The carried item no longer blocks concluding the old cycle.
    checklists.conclude(actor="gestora", cycle_id=closing.id)


def test_duplicate_cycle_is_refused(checklists, closing):
    with pytest.raises(UserError, match="Já existe"):
        checklists.start_cycle(actor="ana", kind=CycleKind.CLOSING, reference_year=2026)


def test_every_step_is_in_the_audit_log(checklists, closing, workspace):
    audit = AuditRepository(workspace.db)
    creates = audit.entries(AuditFilter(action_prefix="cycle_item.create"))
    assert len(creates) == len(checklists.item_states(closing.id))
    assert audit.entries(AuditFilter(action_prefix="cycle.create", record_id=closing.id))
    assert audit.verify().ok


def test_local_holiday_moves_a_deadline(checklists, closing, municipalities):
    # FIN-04 is 31/12/2026 (Thursday); a municipal holiday that day moves it to the previous business day.
    assert _by_key(checklists, closing.id)["FIN-04"].due.date == date(2026, 12, 31)
    municipalities.add_holiday(
        actor="admin", day=date(2026, 12, 31), name="Feriado municipal de teste", recurring=False
    )
    moved = _by_key(checklists, closing.id)["FIN-04"].due
    assert moved.date == date(2026, 12, 30)
    assert moved.adjusted_from == date(2026, 12, 31)


def test_template_change_never_rewrites_a_started_cycle(checklists, closing, workspace, tmp_path):
    import shutil

    from suas_desktop.paths import resources_dir
    from suas_desktop.services.checklist_service import ChecklistService
    from suas_desktop.services.template_catalog import load_catalog

    before = {s.item.item_key: s.item for s in checklists.item_states(closing.id)}
    root = tmp_path / "resources"
    shutil.copytree(resources_dir(), root)
    path = root / "templates" / "closing.toml"
    text = path.read_text(encoding="utf-8").replace('version = "2026.1"', 'version = "2027.1"', 1)
    text = text.replace(
        'id = "FIN-04"\nsection = "FIN"\ntitle = "', 'id = "FIN-04"\nsection = "FIN"\ntitle = "NOVO ', 1
    )
    path.write_text(text, encoding="utf-8")
    newer = ChecklistService(workspace, load_catalog(root))
    after = {s.item.item_key: s.item for s in newer.item_states(closing.id)}
    assert after == before
    assert newer.cycle(closing.id).template_version.startswith("2026.1")
    fresh = newer.start_cycle(actor="ana", kind=CycleKind.CLOSING, reference_year=2027)
    assert fresh.template_version.startswith("2027.1")
    assert any(s.item.title.startswith("NOVO ") for s in newer.item_states(fresh.id))
