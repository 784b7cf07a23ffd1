"""The Checklists screen: tree model, detail panel, status changes with undo, evidence, filters, cycle actions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from suas_desktop.domain.cycle import ItemState, Status, progress
from suas_desktop.domain.template import CycleKind
from suas_desktop.services.checklist_service import HistoryEntry
from suas_desktop.ui.dialogs import cycle_dialogs
from suas_desktop.ui.dialogs.cycle_dialogs import (
    CarryOverDialog,
    DueDateDialog,
    NewCycleDialog,
    NewCycleRequest,
    NewItemDialog,
    NewItemRequest,
    ReasonDialog,
)
from suas_desktop.ui.models.checklist_tree_model import (
    AttachmentTableModel,
    ChecklistTreeModel,
    HistoryTableModel,
    ItemFilter,
    describe_history,
    due_text,
    filter_states,
    size_text,
)
from suas_desktop.ui.pages.checklists_page import ChecklistsPage

ACTOR = "Ana Técnica"
JUSTIFICATION = "O município não executa este serviço desde 2024."


# ---------------------------------------------------------------------- fixtures and helpers


@pytest.fixture
def page(qtbot, mg_ctx):
    widget = ChecklistsPage(mg_ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def boxes(monkeypatch):
    """Message boxes shown (error_dialogs.show_error) instead of blocking the test."""
    shown: list[QMessageBox] = []

    def fake_exec(box):
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


def states(ctx) -> list[ItemState]:
    return ctx.services.checklists.item_states(ctx.active_cycle_id)


def state_of(ctx, key: str) -> ItemState:
    return next(s for s in states(ctx) if s.item.item_key == key)


def item_ids_in_tree(page: ChecklistsPage) -> list[str]:
    return page.model.item_ids()


def tree_row(page: ChecklistsPage, item_id: str) -> dict[int, str]:
    index = page.model.index_of_item(item_id)
    return {col: index.siblingAtColumn(col).data() for col in range(ChecklistTreeModel.COLUMN_COUNT)}


def section_row_text(page: ChecklistsPage, code: str) -> str:
    index = page.model.index_of_section(code)
    return index.siblingAtColumn(ChecklistTreeModel.COL_STATUS).data()


def make_overdue(ctx, key: str) -> ItemState:
    """Move an item's deadline to before the fixed test day (25/11/2026)."""
    st = state_of(ctx, key)
    ctx.services.checklists.override_due(
        actor=ACTOR, item_id=st.item.id, day=date(2026, 11, 10), reason="Ofício da SEDESE antecipou o prazo."
    )
    ctx.notify("cycle_item")
    return state_of(ctx, key)


# ---------------------------------------------------------------------- models


def test_tree_model_passes_modeltester(qtmodeltester, mg_ctx):
    model = ChecklistTreeModel()
    all_states = states(mg_ctx)
    overall, sections = progress(all_states)
    model.set_states(all_states, sections)
    qtmodeltester.check(model)
    assert model.rowCount() == len(sections)
    assert model.item_count() == overall.total
    # A filtered set (fewer sections) resets the model; the same rows again only change data.
    assert model.set_states(all_states[:5], sections) is True
    qtmodeltester.check(model)
    assert model.set_states(all_states[:5], sections) is False
    model.clear()
    qtmodeltester.check(model)


def test_attachment_and_history_models_pass_modeltester(qtmodeltester, mg_ctx, tmp_path):
    st = states(mg_ctx)[0]
    service = mg_ctx.services.checklists
    evidence = tmp_path / "extrato.pdf"
    evidence.write_bytes(b"x" * 3000)
    service.attach(actor=ACTOR, item_id=st.item.id, path=evidence)
    attachments = AttachmentTableModel()
    attachments.set_rows(service.attachments(st.item.id))
    qtmodeltester.check(attachments)
    assert attachments.index(0, AttachmentTableModel.COL_NAME).data() == "extrato.pdf"
    assert attachments.index(0, AttachmentTableModel.COL_SIZE).data() == "3 KB"
    assert attachments.index(0, AttachmentTableModel.COL_DATE).data() == "25/11/2026"
    history = HistoryTableModel()
    history.set_rows(service.history(st.item.id))
    qtmodeltester.check(history)
    assert history.texts()[0] == "Anexo incluído"


def test_section_rows_count_finished_items(mg_ctx):
    model = ChecklistTreeModel()
    all_states = states(mg_ctx)
    _, sections = progress(all_states)
    model.set_states(all_states, sections)
    first = model.index(0, ChecklistTreeModel.COL_STATUS)
    assert first.data() == f"0 de {sections[0].total} concluídos"
    item = model.index(0, ChecklistTreeModel.COL_STATUS, model.index(0, 0))
    assert item.data() == "Pendente"
    assert item.data(Qt.ItemDataRole.DecorationRole) is not None  # icon + words, never colour alone
    assert model.parent(item) == model.index(0, 0)
    assert model.parent(model.index(0, 0)) == QModelIndex()


@pytest.mark.parametrize(
    ("action", "fields", "detail", "expected"),
    [
        (
            "cycle_item.update",
            ("status",),
            "situação: Pendente → Concluído",
            "Situação: Pendente → Concluído",
        ),
        ("cycle_item.update", ("responsible",), "", "Responsável alterado"),
        ("cycle_item.update", ("notes",), "", "Observações alteradas"),
        (
            "cycle_item.update",
            ("due_override", "due_override_note"),
            "prazo definido para 20/12/2026",
            "Prazo definido para 20/12/2026",
        ),
        (
            "cycle_item.update",
            ("due_override",),
            "prazo volta a seguir a regra",
            "Prazo voltou a seguir a regra do modelo",
        ),
        ("attachments.create", ("file_name",), "item x", "Anexo incluído"),
        ("attachments.delete", (), "item x", "Anexo removido"),
        ("cycle_item.create", ("title",), "", "Item criado a partir do modelo de checklist"),
        ("cycle_item.create", ("title",), "item local", "Item local criado pelo município"),
        (
            "cycle_item.carry_over",
            (),
            "levado para “Encerramento 2027”",
            "Pendência levada para “Encerramento 2027”",
        ),
    ],
)
def test_history_is_told_in_portuguese(action, fields, detail, expected):
    entry = HistoryEntry("2026-11-25T14:30:00.000000Z", ACTOR, action, fields, detail)
    assert describe_history(entry) == expected


def test_due_and_size_words(mg_ctx):
    overdue = make_overdue(mg_ctx, "FIN-02")
    assert due_text(overdue) == "Atrasado há 15 dias — 10/11/2026"
    assert size_text(512) == "512 bytes"
    assert size_text(1536 * 1024) == "1,5 MB"


# ---------------------------------------------------------------------- detail panel


def test_selecting_an_item_shows_guidance_legal_basis_and_deadline(page, mg_ctx):
    st = state_of(mg_ctx, "FIN-02")
    assert page.select_item(st.item.id)
    assert page.d_title.text() == st.item.title
    assert page.d_guidance.text() == st.item.guidance
    assert page.d_legal.text() == st.item.legal_basis
    assert page.d_evidence.text() == st.item.evidence
    assert page.d_due.text() == due_text(st)
    assert page.d_due.text().startswith("Vence em 9 dias — 04/12/2026")
    assert "Regra:" in page.d_due_rule.text()
    assert page.d_due_origin.text().startswith("Origem do prazo:")
    assert "Prática geral" in page.d_source.text()  # unverified items are clearly marked
    assert page.d_status.currentText() == "Pendente"
    assert "Item criado a partir do modelo de checklist" in page.history.texts()


def test_election_year_warnings_are_shown(qtbot, ctx):
    from tests.unit.services.conftest import PROFILE

    ctx.services.municipalities.save_profile(actor="admin", **PROFILE)
    cycle = ctx.services.checklists.start_cycle(actor=ACTOR, kind=CycleKind.CLOSING, reference_year=2028)
    ctx.set_active_cycle(cycle.id)
    warned = next(s for s in states(ctx) if s.warnings)
    page = ChecklistsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.select_item(warned.item.id)
    assert page.d_warnings.isVisible()
    assert warned.warnings[0] in page.d_warnings_text.text()


# ---------------------------------------------------------------------- status


def test_status_done_updates_tree_progress_and_undo_restores(page, mg_ctx):
    st = state_of(mg_ctx, "FIN-02")
    page.select_item(st.item.id)
    before = page.progress_label.text()
    assert before.startswith("0 de ")
    page.d_status.setCurrentIndex(page.d_status.findData(Status.DONE.value))
    page.d_status.activated.emit(page.d_status.currentIndex())
    assert state_of(mg_ctx, "FIN-02").item.status is Status.DONE
    assert tree_row(page, st.item.id)[ChecklistTreeModel.COL_STATUS] == "Concluído"
    assert section_row_text(page, st.item.section_code).startswith("1 de ")
    assert page.progress_label.text().startswith("1 de ")
    assert page.message.isVisible()
    assert page.message.label.text() == "Item FIN-02 marcado como concluído."
    assert page.message.action.text().replace("&", "") == "Desfazer"

    mg_ctx.undo_stack.undo()
    assert state_of(mg_ctx, "FIN-02").item.status is Status.PENDING
    assert tree_row(page, st.item.id)[ChecklistTreeModel.COL_STATUS] == "Pendente"
    assert page.progress_label.text() == before
    assert page.d_status.currentText() == "Pendente"
    mg_ctx.undo_stack.redo()
    assert state_of(mg_ctx, "FIN-02").item.status is Status.DONE


def test_message_bar_desfazer_undoes(page, mg_ctx):
    st = state_of(mg_ctx, "FIN-02")
    assert page.set_status(st.item.id, Status.IN_PROGRESS)
    page.message.action.click()
    assert state_of(mg_ctx, "FIN-02").item.status is Status.PENDING


def test_space_cycles_the_status_of_the_selected_item(page, mg_ctx, qtbot):
    st = state_of(mg_ctx, "FIN-02")
    page.select_item(st.item.id)
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key.Key_Space)
    assert state_of(mg_ctx, "FIN-02").item.status is Status.IN_PROGRESS
    qtbot.keyClick(page.tree, Qt.Key.Key_Space)
    assert state_of(mg_ctx, "FIN-02").item.status is Status.DONE
    qtbot.keyClick(page.tree, Qt.Key.Key_Space)
    assert state_of(mg_ctx, "FIN-02").item.status is Status.PENDING
    assert page._selected_item_id() == st.item.id  # the selection stays on the item


def test_enter_moves_focus_to_the_detail_panel(page, mg_ctx, qtbot):
    page.select_item(state_of(mg_ctx, "FIN-02").item.id)
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    assert page.d_title.hasFocus()


def test_not_applicable_needs_a_justification(page, mg_ctx, monkeypatch):
    st = state_of(mg_ctx, "FIN-02")
    page.select_item(st.item.id)
    na = page.d_status.findData(Status.NOT_APPLICABLE.value)

    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda cls, *a, **k: None))  # Cancelar
    page.d_status.setCurrentIndex(na)
    page.d_status.activated.emit(na)
    assert state_of(mg_ctx, "FIN-02").item.status is Status.PENDING
    assert page.d_status.currentText() == "Pendente"
    assert not page.status_error.isVisible()

    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda cls, *a, **k: ""))
    page.d_status.setCurrentIndex(na)
    page.d_status.activated.emit(na)
    assert state_of(mg_ctx, "FIN-02").item.status is Status.PENDING
    assert page.d_status.currentText() == "Pendente"
    assert page.status_error.isVisible()
    assert "justificativa" in page.status_error.text()
    assert mg_ctx.undo_stack.count() == 0

    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda cls, *a, **k: JUSTIFICATION))
    page.d_status.setCurrentIndex(na)
    page.d_status.activated.emit(na)
    saved = state_of(mg_ctx, "FIN-02").item
    assert saved.status is Status.NOT_APPLICABLE
    assert saved.status_reason == JUSTIFICATION
    assert not page.status_error.isVisible()
    assert JUSTIFICATION in page.d_status_reason.text()
    mg_ctx.undo_stack.undo()
    assert state_of(mg_ctx, "FIN-02").item.status is Status.PENDING


def test_blocked_asks_the_reason(page, mg_ctx, monkeypatch):
    asked = {}

    def fake_ask(cls, parent, **kwargs):
        asked.update(kwargs)
        return "Aguardando o extrato do banco."

    monkeypatch.setattr(ReasonDialog, "ask", classmethod(fake_ask))
    st = state_of(mg_ctx, "FIN-02")
    assert page.set_status(st.item.id, Status.BLOCKED)
    assert "Bloqueado" in asked["title"]
    assert state_of(mg_ctx, "FIN-02").item.status_reason == "Aguardando o extrato do banco."


# ---------------------------------------------------------------------- responsible, notes, deadline


def test_responsible_is_saved_on_editing_finished_and_undoable(page, mg_ctx):
    st = state_of(mg_ctx, "FIN-02")
    page.select_item(st.item.id)
    page.d_responsible.setText("Maria José")
    page.d_responsible.editingFinished.emit()
    assert state_of(mg_ctx, "FIN-02").item.responsible == "Maria José"
    assert tree_row(page, st.item.id)[ChecklistTreeModel.COL_RESPONSIBLE] == "Maria José"
    assert "Responsável alterado" in page.history.texts()
    mg_ctx.undo_stack.undo()
    assert state_of(mg_ctx, "FIN-02").item.responsible == ""
    assert page.d_responsible.text() == ""


def test_too_long_responsible_shows_the_field_message(page, mg_ctx):
    page.select_item(state_of(mg_ctx, "FIN-02").item.id)
    page.d_responsible.setText("x" * 130)
    page.d_responsible.editingFinished.emit()
    assert page.responsible_error.isVisible()
    assert "120" in page.responsible_error.text()
    assert state_of(mg_ctx, "FIN-02").item.responsible == ""


def test_notes_are_saved_when_the_field_loses_focus(page, mg_ctx, qtbot):
    st = state_of(mg_ctx, "FIN-02")
    page.select_item(st.item.id)
    page.d_notes.setFocus()
    qtbot.waitUntil(page.d_notes.hasFocus)
    page.d_notes.setPlainText("Pedir o decreto à prefeitura.")
    page.tree.setFocus()
    qtbot.waitUntil(lambda: state_of(mg_ctx, "FIN-02").item.notes == "Pedir o decreto à prefeitura.")
    mg_ctx.undo_stack.undo()
    assert state_of(mg_ctx, "FIN-02").item.notes == ""


def test_notes_typed_are_kept_when_another_item_is_chosen(page, mg_ctx):
    first, second = states(mg_ctx)[:2]
    page.select_item(first.item.id)
    page.d_notes.setPlainText("Anotação que não pode se perder.")
    page.select_item(second.item.id)
    assert (
        mg_ctx.services.checklists.item_state(first.item.id).item.notes == "Anotação que não pode se perder."
    )


def test_change_due_and_back_to_rule(page, mg_ctx, monkeypatch):
    st = state_of(mg_ctx, "FIN-02")
    page.select_item(st.item.id)
    assert not page.rule_button.isVisible()
    monkeypatch.setattr(
        DueDateDialog,
        "ask",
        classmethod(lambda cls, *a, **k: (date(2026, 12, 18), "Decreto municipal 45/2026.")),
    )
    page.due_button.click()
    assert page.d_due.text() == "Vence em 23 dias — 18/12/2026"
    assert "Decreto municipal 45/2026." in page.d_due_origin.text()
    assert page.rule_button.isVisible()
    page.rule_button.click()
    assert page.d_due.text() == due_text(st)
    mg_ctx.undo_stack.undo()  # back to the manual date
    assert state_of(mg_ctx, "FIN-02").due.date == date(2026, 12, 18)
    mg_ctx.undo_stack.undo()  # back to the rule
    assert state_of(mg_ctx, "FIN-02").due.date == st.due.date


# ---------------------------------------------------------------------- evidence


def test_attaching_files_shows_them_and_stores_them(page, mg_ctx, monkeypatch, tmp_path):
    st = state_of(mg_ctx, "FIN-02")
    page.select_item(st.item.id)
    files = []
    for name in ("decreto.pdf", "ofício.docx"):
        path = tmp_path / name
        path.write_bytes(name.encode() * 100)
        files.append(str(path))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (files, ""))
    page.attach_button.click()
    service_names = [a.file_name for a in mg_ctx.services.checklists.attachments(st.item.id)]
    assert sorted(service_names) == ["decreto.pdf", "ofício.docx"]
    shown = [
        page.attachments.index(r, AttachmentTableModel.COL_NAME).data()
        for r in range(page.attachments.rowCount())
    ]
    assert sorted(shown) == ["decreto.pdf", "ofício.docx"]
    assert page.attachment_view.isVisible()
    assert page.message.label.text() == "2 arquivos anexados a FIN-02."
    mg_ctx.undo_stack.undo()  # one step for both files
    assert mg_ctx.services.checklists.attachments(st.item.id) == []
    assert page.attachments.rowCount() == 0
    mg_ctx.undo_stack.redo()
    assert len(mg_ctx.services.checklists.attachments(st.item.id)) == 2


def test_removing_an_attachment_can_be_undone_even_after_the_file_is_gone(page, mg_ctx, tmp_path):
    st = state_of(mg_ctx, "FIN-02")
    page.select_item(st.item.id)
    source = tmp_path / "extrato.pdf"
    source.write_bytes(b"conteudo do extrato")
    page.attach_files([source])
    source.unlink()  # the pen drive was removed: undo must not need the original
    page.attachment_view.selectRow(0)
    page.remove_button.click()
    service = mg_ctx.services.checklists
    assert service.attachments(st.item.id) == []
    mg_ctx.undo_stack.undo()
    restored = service.attachments(st.item.id)
    assert [a.file_name for a in restored] == ["extrato.pdf"]
    assert service.attachment_path(restored[0].id).read_bytes() == b"conteudo do extrato"
    assert "Anexo removido" in page.history.texts()
    mg_ctx.undo_stack.undo()  # the attach, whose attachment now lives under a new id
    assert service.attachments(st.item.id) == []
    mg_ctx.undo_stack.redo()
    mg_ctx.undo_stack.redo()
    assert service.attachments(st.item.id) == []


def test_open_attachment_opens_a_named_copy(page, mg_ctx, monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    st = state_of(mg_ctx, "FIN-02")
    page.select_item(st.item.id)
    source = tmp_path / "ata.pdf"
    source.write_bytes(b"%PDF-ata")
    page.attach_files([source])
    page.attachment_view.selectRow(0)
    page.open_button.click()
    path = Path(opened[0].toLocalFile())
    assert path.name == "ata.pdf"
    assert path.read_bytes() == b"%PDF-ata"


def test_drop_target_attaches_files(page, mg_ctx, tmp_path):
    st = state_of(mg_ctx, "FIN-02")
    page.select_item(st.item.id)
    assert page.detail.drops_enabled
    source = tmp_path / "foto.jpg"
    source.write_bytes(b"jpg")
    page.detail._on_drop([source, tmp_path])  # a folder is left out with a message
    assert [a.file_name for a in mg_ctx.services.checklists.attachments(st.item.id)] == ["foto.jpg"]


# ---------------------------------------------------------------------- filters


def test_filters_overdue_status_and_responsible(page, mg_ctx):
    late = make_overdue(mg_ctx, "FIN-03")
    service = mg_ctx.services.checklists
    done = state_of(mg_ctx, "FIN-04")
    service.set_status(actor=ACTOR, item_id=done.item.id, status=Status.DONE)
    service.assign(actor=ACTOR, item_id=done.item.id, responsible="Carla Contadora")
    service.assign(actor=ACTOR, item_id=late.item.id, responsible="João do FMAS")
    mg_ctx.notify("cycle_item")
    every = states(mg_ctx)
    assert len(item_ids_in_tree(page)) == len(every)

    page.overdue_filter.setChecked(True)
    assert item_ids_in_tree(page) == [s.item.id for s in every if s.overdue]
    assert late.item.id in item_ids_in_tree(page)
    page.overdue_filter.setChecked(False)

    page.status_filter.setCurrentIndex(page.status_filter.findData(Status.DONE.value))
    assert item_ids_in_tree(page) == [done.item.id]
    page.status_filter.setCurrentIndex(0)

    page.responsible_filter.setCurrentIndex(page.responsible_filter.findData("João do FMAS"))
    assert item_ids_in_tree(page) == [late.item.id]
    page.status_filter.setCurrentIndex(page.status_filter.findData(Status.DONE.value))  # filters combine
    assert item_ids_in_tree(page) == []
    assert page.list_stack.currentWidget() is page.no_match
    page.no_match.button.click()
    assert len(item_ids_in_tree(page)) == len(every)
    assert page.list_stack.currentWidget() is page.tree


def test_text_and_section_filters(page, mg_ctx):
    page.text_filter.setText("fin-02")
    assert [
        page.model.state_at(page.model.index_of_item(i)).item.item_key for i in item_ids_in_tree(page)
    ] == ["FIN-02"]
    page.clear_filters()
    code = state_of(mg_ctx, "CONTA-01").item.section_code
    page.section_filter.setCurrentIndex(page.section_filter.findData(code))
    assert {
        page.model.state_at(page.model.index_of_item(i)).item.section_code for i in item_ids_in_tree(page)
    } == {code}


def test_filter_function_combines(mg_ctx):
    every = states(mg_ctx)
    open_items = filter_states(every, ItemFilter(status="open"))
    assert len(open_items) == len(every)
    assert filter_states(every, ItemFilter(status=Status.DONE)) == []


# ---------------------------------------------------------------------- refresh and focus


def test_refresh_keeps_selection_and_scroll(page, mg_ctx):
    last = states(mg_ctx)[-1]
    page.select_item(last.item.id)
    scroll = page.tree.verticalScrollBar().value()
    assert scroll > 0
    page._just_reloaded = False
    page.refresh()
    assert page._selected_item_id() == last.item.id
    assert page.tree.verticalScrollBar().value() == scroll
    page.text_filter.setText("a")  # a reset keeps the item when it is still shown
    assert page._selected_item_id() == last.item.id


def test_focus_record_switches_cycle_and_selects_item(page, mg_ctx):
    service = mg_ctx.services.checklists
    other = service.start_cycle(actor=ACTOR, kind=CycleKind.TRANSITION, reference_year=2028)
    target = service.item_states(other.id)[3]
    page.overdue_filter.setChecked(True)  # hides the target: focus_record clears the filters
    page.focus_record("attachment", target.item.id)
    assert mg_ctx.active_cycle_id == other.id
    assert page._selected_item_id() == target.item.id
    assert page.d_title.text() == target.item.title
    assert page.header.title.text() == "Transição 2028→2029"


# ---------------------------------------------------------------------- cycle actions


def test_concluding_with_open_items_shows_the_refusal(page, mg_ctx, boxes):
    page.conclude_button.click()
    assert len(boxes) == 1
    assert "em aberto" in boxes[0].text()
    assert not mg_ctx.services.checklists.cycle(mg_ctx.active_cycle_id).is_concluded


def test_conclude_and_reopen_round_trip(page, mg_ctx, monkeypatch):
    service = mg_ctx.services.checklists
    for st in states(mg_ctx):
        service.set_status(actor=ACTOR, item_id=st.item.id, status=Status.DONE)
    mg_ctx.notify("cycle_item")
    assert page.progress_label.text().endswith("— 100%")
    page.conclude_button.click()
    assert service.cycle(mg_ctx.active_cycle_id).is_concluded
    assert page.notice.isVisible()
    assert page.notice_label.text() == (
        f"Ciclo concluído em 25/11/2026 por {mg_ctx.actor}. Para alterar, reabra o ciclo."
    )
    assert page.reopen_button.isVisible() and not page.conclude_button.isVisible()
    assert not page.d_status.isEnabled()
    assert page.d_responsible.isReadOnly() and page.d_notes.isReadOnly()
    assert not page.attach_button.isEnabled() and not page.new_item_button.isEnabled()
    assert not page.detail.drops_enabled

    mg_ctx.undo_stack.undo()  # Desfazer right after concluding reopens it
    assert not service.cycle(mg_ctx.active_cycle_id).is_concluded
    mg_ctx.undo_stack.redo()
    assert service.cycle(mg_ctx.active_cycle_id).is_concluded

    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda cls, *a, **k: "Faltou anexar o decreto."))
    page.reopen_button.click()
    assert not service.cycle(mg_ctx.active_cycle_id).is_concluded
    assert not page.notice.isVisible()
    assert page.d_status.isEnabled()


def test_reopen_cancelled_changes_nothing(page, mg_ctx, monkeypatch):
    service = mg_ctx.services.checklists
    for st in states(mg_ctx):
        service.set_status(actor=ACTOR, item_id=st.item.id, status=Status.DONE)
    service.conclude(actor=ACTOR, cycle_id=mg_ctx.active_cycle_id)
    mg_ctx.notify("cycle")
    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda cls, *a, **k: None))
    page.reopen_button.click()
    assert service.cycle(mg_ctx.active_cycle_id).is_concluded


def test_empty_state_then_start_cycle_from_it(qtbot, ctx, monkeypatch):
    page = ChecklistsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.stack.currentIndex() == 0
    assert page.no_cycle.button.text() == "Iniciar Checklist"
    assert not page.start_button.isVisible()
    monkeypatch.setattr(
        NewCycleDialog, "ask", classmethod(lambda cls, *a, **k: NewCycleRequest(CycleKind.CLOSING, 2026))
    )
    page.no_cycle.button.click()
    assert ctx.active_cycle_id
    assert page.stack.currentIndex() == 1
    assert page.header.title.text() == "Encerramento 2026"
    assert page.model.item_count() == len(states(ctx)) > 0
    assert page._selected_item_id() == states(ctx)[0].item.id
    assert "criado com" in page.message.label.text()


def test_start_cycle_cancelled_or_duplicate(page, mg_ctx, monkeypatch, boxes):
    monkeypatch.setattr(NewCycleDialog, "ask", classmethod(lambda cls, *a, **k: None))
    page.start_button.click()
    assert len(mg_ctx.services.checklists.cycles()) == 1
    monkeypatch.setattr(
        NewCycleDialog, "ask", classmethod(lambda cls, *a, **k: NewCycleRequest(CycleKind.CLOSING, 2026))
    )
    page.start_button.click()
    assert "Já existe" in boxes[0].text()


def test_carry_over_to_a_later_cycle(page, mg_ctx, monkeypatch, boxes):
    service = mg_ctx.services.checklists
    page.carry_button.click()  # no later cycle yet
    assert "ciclo posterior" in boxes[0].text()
    later = service.start_cycle(actor=ACTOR, kind=CycleKind.CLOSING, reference_year=2027)
    seen = {}

    def fake_ask(cls, parent, **kwargs):
        seen.update(kwargs)
        return later.id

    monkeypatch.setattr(CarryOverDialog, "ask", classmethod(fake_ask))
    page.carry_button.click()
    open_count = len(states(mg_ctx))
    assert seen["targets"] == [(later.id, "Encerramento 2027")]
    assert seen["open_count"] == open_count
    assert page.message.label.text() == f"{open_count} pendências levadas para “Encerramento 2027”."
    assert len(service.item_states(later.id)) > open_count
    page._flush_edits()
    assert service.conclude(actor=ACTOR, cycle_id=mg_ctx.active_cycle_id).is_concluded


def test_new_local_item(page, mg_ctx, monkeypatch):
    code = state_of(mg_ctx, "FIN-02").item.section_code

    def fake_ask(cls, parent, *, submit, **kwargs):
        assert kwargs["default_section"] == code
        return submit(NewItemRequest(section_code=code, title="Conferir o decreto de encerramento local"))

    page.select_item(state_of(mg_ctx, "FIN-02").item.id)
    monkeypatch.setattr(NewItemDialog, "ask", classmethod(fake_ask))
    page.new_item_button.click()
    created = state_of(mg_ctx, "LOCAL-1")
    assert page._selected_item_id() == created.item.id
    assert "Item local" in page.d_source.text()
    assert page.message.label.text().startswith("Item LOCAL-1 criado")


# ---------------------------------------------------------------------- dialogs


def test_reason_dialog_refuses_short_text(qtbot):
    dialog = ReasonDialog(
        None,
        title="Reabrir ciclo",
        message="Por quê?",
        label="&Motivo",
        action="Reabrir Ciclo",
        min_chars=10,
        initial="curto",
    )
    qtbot.addWidget(dialog)
    dialog._try_accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "pelo menos 10 letras" in dialog.errors["reason"].text()
    dialog.text.setPlainText("Faltou anexar a ata do CMAS.")
    dialog._try_accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.value() == "Faltou anexar a ata do CMAS."
    labels = [b.text() for b in dialog.buttons.buttons()]
    assert "Reabrir Ciclo" in labels and "Cancelar" in labels and "OK" not in labels


def test_new_cycle_dialog_builds_the_request(qtbot):
    dialog = NewCycleDialog(None, 2028, CycleKind.TRANSITION)
    qtbot.addWidget(dialog)
    assert dialog.preview.text() == "Será criado o ciclo “Transição 2028→2029”."
    check = dialog.event_checks[cycle_dialogs.KeyEvent.RESULTADO_ELEICAO]
    check.setChecked(True)
    dialog.event_dates[cycle_dialogs.KeyEvent.RESULTADO_ELEICAO].setDate(
        cycle_dialogs.to_qdate(date(2028, 10, 6))
    )
    request = dialog.request()
    assert request == NewCycleRequest(
        CycleKind.TRANSITION, 2028, {cycle_dialogs.KeyEvent.RESULTADO_ELEICAO: date(2028, 10, 6)}
    )
    dialog.kind.setCurrentIndex(dialog.kind.findData(CycleKind.CLOSING.value))
    assert dialog.request().events == {}  # the election date only belongs to a transition


def test_new_item_dialog_shows_service_errors_under_fields(qtbot, mg_ctx):
    from suas_desktop.errors import ValidationError

    def submit(request):
        raise ValidationError({"title": "Dê um título ao item (pelo menos 5 letras)."})

    dialog = NewItemDialog(
        None,
        sections=[("FIN", "Financeiro")],
        default_section="FIN",
        minimum=date(2026, 1, 1),
        maximum=date(2029, 12, 31),
        default_due=date(2026, 12, 31),
        submit=submit,
    )
    qtbot.addWidget(dialog)
    dialog._try_accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "título" in dialog.errors["title"].text()
    assert dialog.request().roles == ("G",)
