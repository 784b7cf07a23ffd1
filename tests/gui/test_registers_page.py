"""Cadastros: the register table model, the record form, undo, search, spreadsheets and the NOB-RH panel."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QLabel, QMessageBox, QTableWidget

from suas_desktop.domain.register_fields import FieldKind, RegisterRecord
from suas_desktop.domain.registers import ALL_REGISTERS, REGISTERS
from suas_desktop.ui.dialogs import import_dialog
from suas_desktop.ui.dialogs.import_dialog import ImportDialog
from suas_desktop.ui.dialogs.record_dialog import PRIVACY_NOTE, RecordDialog
from suas_desktop.ui.models.register_table_model import (
    BLANK,
    RECORD_ID_ROLE,
    SORT_ROLE,
    RegisterFilterProxy,
    RegisterTableModel,
)
from suas_desktop.ui.pages import registers_page
from suas_desktop.ui.pages.registers_page import GROUPS, RegistersPage

STAFF_HEADER = "Nome;Cargo ou função;Profissão;Escolaridade;Vínculo;Unidade;Horas semanais"


# ---------------------------------------------------------------------- helpers
@pytest.fixture
def page(qtbot, mg_ctx):
    widget = RegistersPage(mg_ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def cras(mg_ctx):
    unit = mg_ctx.services.registers.create(
        actor="ana",
        name="units",
        values={"kind": "cras", "name": "CRAS Vila Nova", "referenced_families": "2000"},
    )
    mg_ctx.notify("units")  # as every screen does after a change
    return unit


def _choose(combo: QComboBox, data: str) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def _fill_staff(dialog: RecordDialog, unit_id: str, *, name: str = "José Araújo") -> None:
    dialog.editor("name").setText(name)
    dialog.editor("cpf").setText("529.982.247-25")
    dialog.editor("role").setText("Técnica de referência")
    _choose(dialog.editor("profession"), "assistente_social")
    _choose(dialog.editor("education"), "superior")
    _choose(dialog.editor("bond"), "efetivo")
    _choose(dialog.editor("unit_id"), unit_id)
    dialog.editor("weekly_hours").setText("30")
    dialog.editor("contract_end").setText("31/12/2026")


def _table_texts(page: RegistersPage, field: str) -> list[str]:
    column = page.model.column_of(field)
    return [page.proxy.index(row, column).data() for row in range(page.proxy.rowCount())]


def _select_first_row(page: RegistersPage) -> None:
    page.table.selectRow(0)
    assert page.selected_id()


# ---------------------------------------------------------------------- the model
def _model_records() -> tuple[list[RegisterRecord], dict[str, dict[str, str]]]:
    records = [
        RegisterRecord(
            "s1",
            {
                "name": "Maria da Silva",
                "cpf": "52998224725",
                "role": "Técnica",
                "profession": "assistente_social",
                "education": "superior",
                "bond": "efetivo",
                "unit_id": "u1",
                "is_coordinator": 1,
                "weekly_hours": 30,
                "contract_end": "2026-12-31",
            },
        ),
        RegisterRecord(
            "s2",
            {
                "name": "José Araújo",
                "cpf": None,
                "role": "Motorista",
                "profession": "nivel_medio",
                "education": "medio",
                "bond": "contratado",
                "unit_id": None,
                "is_coordinator": 0,
                "weekly_hours": 8,
                "contract_end": "2026-02-01",
            },
        ),
    ]
    return records, {"unit_id": {"u1": "CRAS Vila Nova"}}


def test_model_passes_qtmodeltester_with_money_dates_and_refs(qtmodeltester):
    staff = RegisterTableModel(REGISTERS["staff"])
    records, refs = _model_records()
    staff.set_records(records, refs)
    qtmodeltester.check(staff)
    accounts = RegisterTableModel(REGISTERS["accounts"])
    accounts.set_records(
        [
            RegisterRecord(
                "a1",
                {
                    "bank": "Banco do Brasil",
                    "branch": "1",
                    "account": "2",
                    "block": "bloco_psb",
                    "balance_dec31": 123456,
                    "cutoff_date": "2026-10-31",
                    "reconciled": 1,
                },
            ),
            RegisterRecord("a2", {"bank": "Caixa", "branch": "3", "account": "4", "block": "proprio"}),
        ]
    )
    qtmodeltester.check(accounts)
    proxy = RegisterFilterProxy()
    proxy.setSourceModel(accounts)
    qtmodeltester.check(proxy)

    money = accounts.column_of("balance_dec31")
    assert accounts.index(0, money).data() == "R$ 1.234,56"
    assert accounts.index(1, money).data() == BLANK
    assert accounts.index(0, money).data(SORT_ROLE) == 1234.56 * 100
    alignment = accounts.index(0, money).data(Qt.ItemDataRole.TextAlignmentRole)
    assert Qt.AlignmentFlag(alignment) & Qt.AlignmentFlag.AlignRight
    assert accounts.index(0, accounts.column_of("cutoff_date")).data() == "31/10/2026"
    assert accounts.index(0, accounts.column_of("reconciled")).data() == "Sim"
    assert staff.index(0, staff.column_of("unit_id")).data() == "CRAS Vila Nova"
    assert staff.index(0, staff.column_of("cpf")).data() == "***.982.247-**"  # LGPD: masked in the list
    assert staff.index(1, 0).data(RECORD_ID_ROLE) == "s2"
    assert staff.headerData(0, Qt.Orientation.Horizontal) == "Nome"


def test_long_text_fields_are_not_columns():
    model = RegisterTableModel(REGISTERS["accountability"])
    labels = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "Observações" not in labels
    assert model.columnCount() == len(
        [f for f in REGISTERS["accountability"].fields if f.kind is not FieldKind.LONG_TEXT]
    )


def test_sorting_money_dates_and_numbers_by_value_and_blanks_last(qtbot):
    model = RegisterTableModel(REGISTERS["accounts"])
    amounts = [900, None, 10_000, 2_000]  # R$ 9,00, blank, R$ 100,00, R$ 20,00: text order would differ
    dates = ["2026-01-05", "2025-12-31", None, "2026-11-30"]
    model.set_records(
        [
            RegisterRecord(
                f"a{i}",
                {
                    "bank": "B",
                    "branch": str(i),
                    "account": str(i),
                    "block": "proprio",
                    "balance_dec31": amount,
                    "cutoff_date": day,
                },
            )
            for i, (amount, day) in enumerate(zip(amounts, dates, strict=True))
        ]
    )
    proxy = RegisterFilterProxy()
    proxy.setSourceModel(model)
    money = model.column_of("balance_dec31")
    proxy.sort(money, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, money).data() for r in range(4)] == ["R$ 9,00", "R$ 20,00", "R$ 100,00", BLANK]
    proxy.sort(money, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, money).data() for r in range(4)] == ["R$ 100,00", "R$ 20,00", "R$ 9,00", BLANK]
    day = model.column_of("cutoff_date")
    proxy.sort(day, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, day).data() for r in range(4)] == ["31/12/2025", "05/01/2026", "30/11/2026", BLANK]
    proxy.sort(-1)
    assert [proxy.index(r, 0).data(RECORD_ID_ROLE) for r in range(4)] == ["a0", "a1", "a2", "a3"]


def test_search_ignores_accents_and_case_and_needs_every_word():
    model = RegisterTableModel(REGISTERS["staff"])
    records, refs = _model_records()
    model.set_records(records, refs)
    proxy = RegisterFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_search("JOSE")
    assert proxy.rowCount() == 1
    proxy.set_search("vila técnica")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data() == "Maria da Silva"
    proxy.set_search("vila motorista")
    assert proxy.rowCount() == 0
    proxy.set_search("")
    assert proxy.rowCount() == 2


# ---------------------------------------------------------------------- the page
def test_every_register_listed_once_in_groups_with_counts(page, cras):
    names = page.all_register_names()
    assert sorted(names) == sorted(spec.name for spec in ALL_REGISTERS)
    assert len(names) == len(set(names)) == 18
    assert [group for group, _ in GROUPS][:2] == ["Rede e serviços", "Pessoas"]
    page.ctx.notify("units")
    assert page._nav_items["units"].text(1) == "1"
    assert page._nav_items["staff"].text(1) == "0"
    assert page.title_label.text() == "Unidades"
    assert "Centro de Referência de Assistência Social (CRAS)" in page.description_label.text()
    assert page.count_label.text() == "1 registro"


def test_empty_register_shows_a_positive_empty_state_with_an_action(page, monkeypatch):
    asked = []
    monkeypatch.setattr(RecordDialog, "ask", classmethod(lambda cls, *args: asked.append(args) or None))
    page.select_register("contracts")
    assert page.table_stack.currentWidget() is page.empty
    texts = [label.text() for label in page.empty.findChildren(QLabel)]
    assert "Comece o cadastro de Contratos" in texts
    page.empty.button.click()
    assert len(asked) == 1


def test_add_edit_search_delete_and_undo_a_staff_record(page, mg_ctx, cras, monkeypatch, qtbot):
    service = mg_ctx.services.registers
    page.select_register("staff")
    assert page.tabs.tabText(1) == "Equipes de Referência"

    # Novo Registro: the real form, filled through its widgets and saved with its button.
    def fill_and_save(dialog):
        _fill_staff(dialog, cras.id)
        dialog.save_button.click()
        return dialog.result()

    monkeypatch.setattr(RecordDialog, "exec", fill_and_save)
    page.new_button.click()
    [record] = service.list("staff")
    assert record["name"] == "José Araújo" and record["unit_id"] == cras.id and record["weekly_hours"] == 30
    assert _table_texts(page, "name") == ["José Araújo"]
    assert _table_texts(page, "unit_id") == ["CRAS Vila Nova"]
    assert _table_texts(page, "contract_end") == ["31/12/2026"]
    assert page.selected_id() == record.id
    assert "incluído" in page.message.label.text() and page.message.action.text() == "Desfazer"
    assert page._nav_items["staff"].text(1) == "1"

    # Editar: the form opens with the stored values; change one field.
    def change_role(dialog):
        assert dialog.editor("name").text() == "José Araújo"
        assert dialog.editor("cpf").text() == "529.982.247-25"
        assert dialog.editor("unit_id").currentData() == cras.id
        dialog.editor("role").setText("Coordenadora")
        dialog.save_button.click()
        return dialog.result()

    monkeypatch.setattr(RecordDialog, "exec", change_role)
    page.edit_button.click()
    assert service.get("staff", record.id)["role"] == "Coordenadora"
    assert _table_texts(page, "role") == ["Coordenadora"]
    mg_ctx.undo_stack.undo()
    assert service.get("staff", record.id)["role"] == "Técnica de referência"
    assert _table_texts(page, "role") == ["Técnica de referência"]
    mg_ctx.undo_stack.redo()
    assert service.get("staff", record.id)["role"] == "Coordenadora"

    # Search: accent-insensitive, and a positive empty state when nothing matches.
    service.create(
        actor="ana",
        name="staff",
        values={
            "name": "Maria Souza",
            "role": "Motorista",
            "profession": "nivel_medio",
            "education": "medio",
            "bond": "contratado",
        },
    )
    mg_ctx.notify("staff")
    assert page.proxy.rowCount() == 2
    page.search.setText("jose araujo")
    assert _table_texts(page, "name") == ["José Araújo"]
    assert page.count_label.text() == "1 de 2 registros"
    page.search.setText("vila nova")
    assert _table_texts(page, "name") == ["José Araújo"]  # the unit's title is searchable too
    page.search.setText("ninguém")
    assert page.table_stack.currentWidget() is page.empty
    assert "Nenhum registro encontrado para “ninguém”" in [w.text() for w in page.empty.findChildren(QLabel)]
    page.empty.button.click()  # Limpar Busca
    assert page.search.text() == "" and page.proxy.rowCount() == 2

    # Excluir: confirmation names the record; Desfazer brings it back with the same values (new id).
    page.search.setText("José")
    _select_first_row(page)
    asked = []
    monkeypatch.setattr(
        registers_page, "confirm_delete", lambda parent, spec, title: asked.append(title) or True
    )
    page.delete_button.click()
    assert asked == ["José Araújo"]
    assert [r["name"] for r in service.list("staff")] == ["Maria Souza"]
    assert page.message.action.isVisible() and page.message.action.text() == "Desfazer"
    page.message.action.click()
    restored = next(r for r in service.list("staff") if r["name"] == "José Araújo")
    assert dict(restored.values) == {**record.values, "role": "Coordenadora"}
    assert restored.id != record.id
    assert _table_texts(page, "name") == ["José Araújo"]

    # The older edit command still works on the restored record (ids are remapped).
    mg_ctx.undo_stack.undo()
    assert service.get("staff", restored.id)["role"] == "Técnica de referência"


def test_cancelled_delete_changes_nothing(page, mg_ctx, cras, monkeypatch):
    monkeypatch.setattr(registers_page, "confirm_delete", lambda *args: False)
    _select_first_row(page)
    page.delete_action.trigger()
    assert mg_ctx.services.registers.count("units") == 1
    assert mg_ctx.undo_stack.count() == 0


def test_delete_refused_when_other_records_point_to_it(page, mg_ctx, cras, monkeypatch):
    mg_ctx.services.registers.create(
        actor="ana",
        name="staff",
        values={
            "name": "Ana",
            "role": "Técnica",
            "profession": "psicologo",
            "education": "superior",
            "bond": "efetivo",
            "unit_id": cras.id,
        },
    )
    monkeypatch.setattr(registers_page, "confirm_delete", lambda *args: True)
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    _select_first_row(page)
    page.delete_selected()
    assert mg_ctx.services.registers.count("units") == 1
    assert shown and "Não é possível excluir" in shown[0]
    assert mg_ctx.undo_stack.count() == 0


def test_confirm_delete_names_the_record_and_defaults_to_cancel(qtbot, monkeypatch):
    seen = {}

    def fake_exec(box):
        seen["text"] = box.text()
        seen["buttons"] = [b.text() for b in box.buttons()]
        seen["default"] = box.defaultButton().text()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert registers_page.confirm_delete(None, REGISTERS["staff"], "Maria da Silva") is False
    assert "“Maria da Silva”" in seen["text"]
    assert set(seen["buttons"]) == {"Excluir Registro", "Cancelar"}
    assert seen["default"] == "Cancelar"


def test_keyboard_actions_are_wired(page):
    assert page.new_action.shortcut().toString() == "Ctrl+N"
    assert page.delete_action.shortcut().toString() == "Del"
    assert {s.toString() for s in page.edit_action.shortcuts()} >= {"Return", "Enter", "F2"}
    assert (
        page.edit_action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut
    )  # not while typing a search


def test_focus_record_from_global_search(page, mg_ctx, cras):
    other = mg_ctx.services.registers.create(
        actor="ana", name="units", values={"kind": "creas", "name": "CREAS"}
    )
    page.select_register("stock")
    page.focus_record("units", other.id)
    assert page.spec.name == "units"
    assert page.selected_id() == other.id


# ---------------------------------------------------------------------- the form
def test_validation_error_shows_under_the_field_and_saves_nothing(qtbot, mg_ctx):
    dialog = RecordDialog(None, mg_ctx, REGISTERS["staff"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.editor("cpf").setText("123.456.789-00")
    dialog.editor("role").setText("Técnica")
    dialog.save_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.saved is None
    assert "Nome: campo obrigatório." in dialog.error_text("name")
    assert "CPF" in dialog.error_text("cpf")
    assert dialog.error_text("role") == ""
    assert dialog.editor("name").property("invalid") is True
    assert dialog.editor("role").property("invalid") is False
    assert dialog.focusWidget() is dialog.editor("name")
    assert "Nome" in dialog.summary.text()
    assert mg_ctx.services.registers.count("staff") == 0


def test_field_checked_on_exit_and_form_is_labelled(qtbot, mg_ctx):
    dialog = RecordDialog(None, mg_ctx, REGISTERS["accounts"])
    qtbot.addWidget(dialog)
    dialog.editor("balance_dec31").setText("12,345")
    dialog.editor("balance_dec31").editingFinished.emit()
    assert "Saldo em 31/12" in dialog.error_text("balance_dec31")
    dialog.editor("balance_dec31").setText("1.234,56")
    dialog.editor("balance_dec31").editingFinished.emit()
    assert dialog.error_text("balance_dec31") == ""
    labels = {label.buddy(): label.text() for label in dialog.findChildren(QLabel) if label.buddy()}
    assert labels[dialog.editor("bank")].replace("&", "") == "Banco (obrigatório)"
    assert labels[dialog.editor("description")].replace("&", "") == "Descrição"
    assert dialog.save_button.text() == "Salvar Registro" and dialog.cancel_button.text() == "Cancelar"


def test_personal_fields_carry_the_lgpd_note(qtbot, mg_ctx):
    dialog = RecordDialog(None, mg_ctx, REGISTERS["staff"])
    qtbot.addWidget(dialog)
    notes = [label for label in dialog.findChildren(QLabel) if label.text() == PRIVACY_NOTE]
    assert len(notes) == 2  # Nome and CPF


def test_money_edit_round_trip(qtbot, mg_ctx):
    service = mg_ctx.services.registers
    account = service.create(
        actor="ana",
        name="accounts",
        values={
            "bank": "Caixa",
            "branch": "1",
            "account": "2",
            "block": "proprio",
            "balance_dec31": "1.234,56",
        },
    )
    dialog = RecordDialog(None, mg_ctx, REGISTERS["accounts"], account)
    qtbot.addWidget(dialog)
    assert dialog.editor("balance_dec31").text() == "1.234,56"
    dialog.editor("amount_to_reprogram").setText("234,56")
    dialog.save()
    assert dialog.saved["previous"]["amount_to_reprogram"] is None
    assert service.get("accounts", account.id)["amount_to_reprogram"] == 23456


# ---------------------------------------------------------------------- spreadsheets
def _patch_open(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))


def test_import_with_errors_lists_them_and_changes_nothing(page, mg_ctx, cras, monkeypatch, tmp_path):
    sheet = tmp_path / "trabalhadores.csv"
    sheet.write_text(
        f"{STAFF_HEADER}\n"
        "Ana Souza;Técnica;Assistente social;Superior;Efetivo;CRAS Vila Nova;30\n"
        "Beto Lima;Motorista;Nível médio;Médio;Efetivo;CRAS Inexistente;trinta\n",
        encoding="utf-8",
    )
    _patch_open(monkeypatch, sheet)
    seen = {}

    def inspect(dialog):
        seen["rows"] = dialog.error_rows()
        seen["message"] = dialog.message.label.text()
        seen["import_enabled"] = dialog.import_button.isEnabled()
        seen["copied"] = dialog.copy_errors(selected_only=False)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(ImportDialog, "exec", inspect)
    page.select_register("staff")
    page.import_button.click()
    assert ("3", "Unidade", "“CRAS Inexistente” não está cadastrada.") in seen["rows"]
    assert any(row[0] == "3" and row[1] == "Horas semanais" for row in seen["rows"])
    assert all(row[0] == "3" for row in seen["rows"])
    assert import_dialog.NOTHING_IMPORTED in seen["message"]
    assert seen["import_enabled"] is False
    assert seen["copied"].startswith("Linha\tColuna\tProblema\n3\t")
    assert mg_ctx.services.registers.count("staff") == 0


def test_import_of_a_good_file_after_the_check(page, mg_ctx, cras, monkeypatch, tmp_path):
    sheet = tmp_path / "trabalhadores.csv"
    sheet.write_text(
        f"{STAFF_HEADER}\n"
        "Ana Souza;Técnica;Assistente social;Superior;Efetivo;CRAS Vila Nova;30\n"
        "Beto Lima;Motorista;Nível médio;Médio;Efetivo;;40\n",
        encoding="utf-8",
    )
    _patch_open(monkeypatch, sheet)
    seen = {}

    def confirm(dialog):
        seen["message"] = dialog.message.label.text()
        assert mg_ctx.services.registers.count("staff") == 0  # the check wrote nothing
        dialog.import_button.click()
        return dialog.result()

    monkeypatch.setattr(ImportDialog, "exec", confirm)
    page.select_register("staff")
    page.import_button.click()
    assert seen["message"].startswith("2 linhas lidas")
    assert sorted(r["name"] for r in mg_ctx.services.registers.list("staff")) == ["Ana Souza", "Beto Lima"]
    assert page.proxy.rowCount() == 2
    assert "2 registros incluídos" in page.message.label.text()


def test_import_cancelled_in_the_file_chooser_does_nothing(page, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(ImportDialog, "exec", lambda dialog: pytest.fail("no dialog without a file"))
    page.import_button.click()


def test_export_and_template_write_files(page, mg_ctx, cras, monkeypatch, tmp_path):
    target = tmp_path / "unidades"
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(target), "Planilha do Excel (*.xlsx)")),
    )
    page.export_button.click()
    assert (tmp_path / "unidades.xlsx").stat().st_size > 0
    assert "1 registro exportado" in page.message.label.text()
    assert page.message.action.text() == "Abrir Pasta"

    template = tmp_path / "modelo.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(template), "")))
    page.template_button.click()
    assert template.stat().st_size > 0
    assert "Modelo salvo" in page.message.label.text()

    csv_path = tmp_path / "unidades.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(csv_path), "")))
    page.export_button.click()
    assert "CRAS Vila Nova" in csv_path.read_text(encoding="utf-8-sig")


# ---------------------------------------------------------------------- NOB-RH panel
def test_team_panel_shows_missing_members_of_an_incomplete_cras(page, mg_ctx, cras):
    mg_ctx.services.registers.create(
        actor="ana",
        name="staff",
        values={
            "name": "Ana",
            "role": "Técnica",
            "profession": "assistente_social",
            "education": "superior",
            "bond": "efetivo",
            "unit_id": cras.id,
        },
    )
    page.select_register("staff")
    page.tabs.setCurrentWidget(page.team_panel)
    [card] = page.team_panel.cards
    assert card.accessibleName() == "CRAS Vila Nova (CRAS)"
    assert card.property("complete") is False
    status = card.findChild(QLabel, "teamStatus")
    assert "Equipe incompleta" in status.text() and "!" in status.text()  # icon + word, not colour alone
    table = card.findChild(QTableWidget, "teamTable")
    header = [table.horizontalHeaderItem(c).text() for c in range(4)]
    assert header == ["Requisito", "Exigido", "Cadastrado", "Faltam"]
    rows = {
        table.item(r, 0).text(): [int(table.item(r, c).text()) for c in (1, 2, 3)]
        for r in range(table.rowCount())
    }
    assert rows["Assistentes sociais"] == [1, 1, 0]
    assert rows["Técnicos(as) de nível médio"] == [2, 0, 2]
    assert (
        sum(missing for _, _, missing in rows.values())
        == mg_ctx.services.registers.team_comparisons()[0].comparison.missing_total
    )
    assert (
        card.findChild(QLabel, "teamNotes") is not None
        or not mg_ctx.services.registers.team_comparisons()[0].comparison.notes
    )

    # Adding the missing people updates the panel (it follows data changes).
    for name in ("Bia", "Caio"):
        mg_ctx.services.registers.create(
            actor="ana",
            name="staff",
            values={
                "name": name,
                "role": "Orientador(a)",
                "profession": "nivel_medio",
                "education": "medio",
                "bond": "efetivo",
                "unit_id": cras.id,
            },
        )
    mg_ctx.notify("staff")
    table = page.team_panel.cards[0].findChild(QTableWidget, "teamTable")
    mid = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Técnicos(as) de nível médio")
    assert table.item(mid, 3).text() == "0"


def test_team_panel_empty_state_without_cras_or_creas(page):
    page.select_register("staff")
    page.tabs.setCurrentWidget(page.team_panel)
    assert page.team_panel.stack.currentWidget() is page.team_panel.empty
    page.team_panel.empty.button.click()
    assert page.spec.name == "units"


# ---------------------------------------------------------------------- 10,000 rows
def test_ten_thousand_staff_rows_open_and_filter(qtbot, mg_ctx, cras, tmp_path):
    """Performance setup: 10,000 staff through the service (one import). Timings are printed, not asserted."""
    lines = [STAFF_HEADER]
    lines += [
        f"Pessoa {i:05d} Araújo;Cargo {i % 37};Nível médio;Médio;Contratado;CRAS Vila Nova;{20 + i % 21}"
        for i in range(10_000)
    ]
    sheet = tmp_path / "muitos.csv"
    sheet.write_text("\n".join(lines), encoding="utf-8")
    assert mg_ctx.services.registers.import_file(actor="ana", name="staff", path=sheet).created == 10_000

    started = time.perf_counter()
    page = RegistersPage(mg_ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    page.select_register("staff")
    opened = time.perf_counter() - started
    assert page.proxy.rowCount() == 10_000
    assert page.count_label.text() == "10.000 registros"

    started = time.perf_counter()
    page.search.setText("pessoa 09995")
    filtered = time.perf_counter() - started
    assert page.proxy.rowCount() == 1

    hours = page.model.column_of("weekly_hours")
    started = time.perf_counter()
    page.table.sortByColumn(hours, Qt.SortOrder.DescendingOrder)
    sorted_in = time.perf_counter() - started
    assert page.proxy.index(0, hours).data() == "40"
    assert not page.proxy.index(0, 0).parent().isValid() and page.proxy.index(0, 0) != QModelIndex()
    print(
        f"\n10,000 staff rows: opened in {opened:.2f} s, filtered in {filtered:.3f} s, sorted in {sorted_in:.3f} s"
    )


def test_import_runs_in_a_worker_thread(qtbot, mg_ctx, cras, tmp_path):
    """The real runner: check and import in a QThreadPool, results back on the GUI thread."""
    from PySide6.QtCore import QThreadPool

    from suas_desktop.ui.tasks import TaskRunner

    pool = QThreadPool()
    mg_ctx.runner = TaskRunner(pool)
    sheet = tmp_path / "trabalhadores.csv"
    sheet.write_text(
        f"{STAFF_HEADER}\nAna Souza;Técnica;Assistente social;Superior;Efetivo;CRAS Vila Nova;30\n",
        encoding="utf-8",
    )
    dialog = ImportDialog(None, mg_ctx, "staff")
    qtbot.addWidget(dialog)
    dialog.check(sheet)
    qtbot.waitUntil(dialog.import_button.isEnabled)
    assert mg_ctx.services.registers.count("staff") == 0
    with qtbot.waitSignal(dialog.accepted):
        dialog.import_button.click()
    assert dialog.imported.created == 1
    assert pool.waitForDone(5000)
