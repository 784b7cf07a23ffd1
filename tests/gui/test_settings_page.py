"""Configurações: profile saved on field exit, validation, mandates, user, key dates, holidays, backups, theme."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from PySide6.QtGui import QColor, QImage

from suas_desktop.domain.deadlines import KeyEvent, Provenance
from suas_desktop.ui.pages import settings_page
from suas_desktop.ui.pages.settings_page import EventDateDialog, SettingsPage, size_text


@pytest.fixture
def page(qtbot, mg_ctx):
    widget = SettingsPage(mg_ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    return widget


def cells(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def leave(edit, text: str) -> None:
    edit.setText(text)
    edit.editingFinished.emit()


def test_form_shows_the_saved_profile(page, mg_ctx):
    form = page.profile_form
    assert form.name_edit.text() == "Cônego Marinho"
    assert form.uf_combo.currentData() == "MG"
    assert form.population_edit.text() == "7.101"
    assert form.prefeitura_cnpj_edit.text().count(".") == 2
    assert form.budget_unit.value() is True
    assert form.own_resources.value() is False
    assert not form.only_cnpj_notice.isHidden()
    assert page.no_profile_notice.isHidden()


def test_profile_field_is_saved_on_exit(page, mg_ctx):
    changes = []
    mg_ctx.data_changed.connect(changes.append)
    leave(page.profile_form.population_edit, "25000")
    profile = mg_ctx.services.municipalities.profile()
    assert profile.population == 25000
    assert profile.manager is not None  # the mandates are kept
    assert page.profile_form.population_edit.text() == "25.000"
    assert "Pequeno Porte II" in page.profile_form.porte_label.text()
    assert "municipality" in changes
    assert page.message.label.text().startswith("Alterações salvas às")
    page.profile_form.own_resources.yes.click()
    assert mg_ctx.services.municipalities.profile().fmas_has_own_resources is True
    assert page.profile_form.only_cnpj_notice.isHidden()


def test_leaving_a_field_unchanged_writes_nothing(page, mg_ctx):
    changes = []
    mg_ctx.data_changed.connect(changes.append)
    page.profile_form.name_edit.editingFinished.emit()
    assert changes == []


def test_bad_ibge_code_shows_a_message_and_is_not_saved(page, mg_ctx):
    form = page.profile_form
    leave(form.ibge_edit, "3117830")
    message = form.error_text("ibge_code")
    assert "dígito verificador do código IBGE" in message
    assert form.ibge_edit.property("invalid") is True
    assert mg_ctx.services.municipalities.profile().ibge_code == "3117836"
    # A refresh caused by another change keeps what the user is fixing.
    page.refresh()
    assert form.ibge_edit.text() == "3117830"
    leave(form.ibge_edit, "3117836")
    assert form.error_text("ibge_code") == ""
    assert form.ibge_edit.property("invalid") is False


def test_uf_that_does_not_match_the_ibge_code_is_not_saved(page, mg_ctx):
    form = page.profile_form
    form.uf_combo.setCurrentIndex(form.uf_combo.findData("BA"))
    form.uf_combo.activated.emit(form.uf_combo.currentIndex())
    assert "não de BA" in form.error_text("ibge_code")
    assert mg_ctx.services.municipalities.profile().uf == "MG"


def test_mandate_saved_on_exit_and_checked(page, mg_ctx):
    mandates = page.mandates_form
    leave(mandates.ends["cmas_president"], "28/02/2029")
    assert mg_ctx.services.municipalities.profile().cmas_president.end == date(2029, 2, 28)
    leave(mandates.ends["cmas_president"], "28/02/2020")
    assert "não pode ser anterior" in mandates.error_text("cmas_president")
    assert mg_ctx.services.municipalities.profile().cmas_president.end == date(2029, 2, 28)
    leave(mandates.starts["manager"], "31/02/2025")
    assert "dd/mm/aaaa" in mandates.error_text("manager")


def test_current_user_saved_on_exit(page, mg_ctx):
    leave(page.user_name, "Bruna Gestora")
    assert mg_ctx.services.local.current_user().name == "Bruna Gestora"
    assert mg_ctx.actor == "Bruna Gestora"
    leave(page.user_name, "Bo")
    assert "pelo menos 3 letras" in page.user_name_error.text()
    assert mg_ctx.services.local.current_user().name == "Bruna Gestora"


def test_coat_of_arms_is_stored_and_previewed(page, mg_ctx, tmp_path):
    image = QImage(40, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("green"))
    path = tmp_path / "brasao.png"
    assert image.save(str(path))
    page.choose_coat_of_arms(path)
    assert mg_ctx.services.municipalities.coat_of_arms_path() is not None
    assert not page.coat_preview.pixmap().isNull()
    text_file = tmp_path / "brasao.txt"
    text_file.write_text("not an image")
    page.choose_coat_of_arms(text_file)
    assert "PNG ou JPEG" in page.coat_error.text()


def test_coat_of_arms_dialog_cancelled_changes_nothing(page, mg_ctx, monkeypatch):
    monkeypatch.setattr(SettingsPage, "ask_image_path", staticmethod(lambda parent: ""))
    page.coat_button.click()
    assert mg_ctx.services.municipalities.coat_of_arms_path() is None


def test_key_dates_of_the_active_cycle(page, mg_ctx, monkeypatch):
    rows = cells(page.events_table)
    labels = [r[0] for r in rows]
    assert "Fim do exercício (31/12)" in labels
    fim = rows[labels.index("Fim do exercício (31/12)")]
    assert fim[1] == "31/12/2026"
    assert "Lei nº 4.320/1964" in fim[2]
    portaria = rows[labels.index("Publicação da portaria")]
    assert portaria[1] == "Não informada"

    answer = (date(2026, 10, 20), Provenance(norm="Portaria MDS nº 1.000/2026", published=date(2026, 10, 20)))
    asked = []
    monkeypatch.setattr(
        EventDateDialog, "ask", classmethod(lambda cls, parent, label, current: asked.append(label) or answer)
    )
    page.events_table.selectRow(labels.index("Publicação da portaria"))
    assert page.event_button.isEnabled()
    page.event_button.click()
    assert asked == ["Publicação da portaria"]
    event = mg_ctx.services.checklists.events(mg_ctx.active_cycle_id)[KeyEvent.PUBLICACAO_PORTARIA]
    assert event.date == date(2026, 10, 20)
    assert event.provenance.norm == "Portaria MDS nº 1.000/2026"
    rows = cells(page.events_table)
    portaria = next(r for r in rows if r[0] == "Publicação da portaria")
    assert portaria[1] == "20/10/2026"
    assert "Portaria MDS nº 1.000/2026, publicada em 20/10/2026" in portaria[2]


def test_event_dialog_validates_the_date(qtbot):
    dialog = EventDateDialog("Publicação da portaria", None)
    qtbot.addWidget(dialog)
    dialog.day.setText("32/13/2026")
    dialog.accept()
    assert dialog.result_value is None
    assert "dd/mm/aaaa" in dialog.errors["day"].text()
    dialog.day.setText("20/10/2026")
    dialog.accept()
    assert dialog.result_value[0] == date(2026, 10, 20)
    assert dialog.result_value[1].note  # never a date without a word on where it comes from


def test_items_with_overridden_deadlines_show_their_provenance(page, mg_ctx):
    rows = cells(page.overrides_table)
    keys = [r[0] for r in rows]
    assert "MG-02" in keys  # fixed for 2026 by the state deadline file
    assert rows[keys.index("MG-02")][3] == "Norma do ano"
    assert "SEDESE" in rows[keys.index("MG-02")][4]

    checklists = mg_ctx.services.checklists
    item = next(s.item for s in checklists.item_states(mg_ctx.active_cycle_id) if not s.due.overridden)
    checklists.override_due(
        actor="ana", item_id=item.id, day=date(2026, 12, 10), reason="Decreto municipal antecipou o prazo."
    )
    page.refresh()
    row = next(r for r in cells(page.overrides_table) if r[0] == item.item_key)
    assert row[2] == "10/12/2026"
    assert row[3] == "Equipe do município"
    assert "Decreto municipal" in row[4]


def test_key_dates_empty_state_without_a_cycle(qtbot, ctx):
    widget = SettingsPage(ctx)
    qtbot.addWidget(widget)
    assert not widget.dates_empty.isHidden()
    assert widget.dates_body.isHidden()
    assert not widget.no_profile_notice.isHidden()


def test_add_and_remove_a_municipal_holiday(page, mg_ctx):
    assert not page.holidays_empty.isHidden()
    page.holiday_date.setText("15082026")
    page.holiday_date.textEdited.emit("15082026")
    assert page.holiday_date.text() == "15/08/2026"
    page.holiday_name.setText("Dia do padroeiro")
    page.add_holiday_button.click()
    holidays = mg_ctx.services.municipalities.holidays()
    assert [(h[1], h[2], h[3]) for h in holidays] == [(date(2026, 8, 15), "Dia do padroeiro", True)]
    assert cells(page.holidays_table) == [["15/08", "Dia do padroeiro", "Sim"]]
    assert page.holidays_empty.isHidden()
    assert page.holiday_name.text() == ""

    page.holidays_table.selectRow(0)
    assert page.remove_holiday_button.isEnabled()
    page.remove_holiday_button.click()
    assert mg_ctx.services.municipalities.holidays() == []
    assert page.message.action.text() == "Desfazer"
    mg_ctx.undo_stack.undo()
    page.refresh()
    assert [h[2] for h in mg_ctx.services.municipalities.holidays()] == ["Dia do padroeiro"]


def test_holiday_needs_a_date_and_a_name(page, mg_ctx):
    page.add_holiday_button.click()
    assert "Informe a data do feriado" in page.holiday_date_error.text()
    page.holiday_date.setText("15/08/2026")
    page.holiday_name.setText("X")
    page.add_holiday_button.click()
    assert "nome ao feriado" in page.holiday_name_error.text()
    assert mg_ctx.services.municipalities.holidays() == []


def test_backup_is_made_and_listed(page, mg_ctx):
    assert not page.backups_empty.isHidden()
    assert page.backup_button.isHidden()
    page.backups_empty.button.click()
    backups = mg_ctx.services.backups.list()
    assert len(backups) == 1
    rows = cells(page.backups_table)
    assert len(rows) == 1
    assert rows[0][1] == backups[0].path.name
    assert rows[0][2].endswith("KB") or rows[0][2].endswith("MB")
    assert "Cópia de segurança feita com sucesso" in page.message.label.text()
    assert not page.backup_button.isHidden()
    page.backup_button.click()
    assert len(cells(page.backups_table)) == len(mg_ctx.services.backups.list())


def test_data_folder_and_journal_mode(page, mg_ctx, monkeypatch):
    assert page.data_dir_label.text() == mg_ctx.summary.data_dir
    assert "Gravação:" in page.journal_label.text()
    opened = []
    monkeypatch.setattr(SettingsPage, "open_url", staticmethod(lambda url: opened.append(url) or True))
    page.open_data_folder()
    assert opened[0].toLocalFile() == mg_ctx.summary.data_dir


def test_theme_choice_is_stored_and_applied(page, mg_ctx, monkeypatch):
    applied = []
    monkeypatch.setattr(settings_page.theme, "apply", lambda app, dark=None: applied.append(dark))
    assert page.theme_buttons["system"].isChecked()
    page.theme_buttons["dark"].click()
    assert mg_ctx.services.local.get("ui.theme") == "dark"
    page.theme_buttons["light"].click()
    page.theme_buttons["system"].click()
    assert applied == [True, False, None]
    assert mg_ctx.services.local.get("ui.theme") == "system"


def test_size_text():
    assert size_text(300) == "1 KB"
    assert size_text(200 * 1024) == "200 KB"
    assert size_text(int(1.5 * 1024 * 1024)) == "1,5 MB"


def test_profile_is_created_from_an_empty_form(qtbot, ctx):
    from tests.unit.services.conftest import PROFILE

    widget = SettingsPage(ctx)
    qtbot.addWidget(widget)
    form = widget.profile_form
    values = {k: v for k, v in PROFILE.items() if k not in ("manager", "cmas_president")}
    leave(form.name_edit, values["name"])
    assert ctx.services.municipalities.profile() is None  # not everything is there yet
    form.uf_combo.setCurrentIndex(form.uf_combo.findData("MG"))
    for edit, key in (
        (form.ibge_edit, "ibge_code"),
        (form.population_edit, "population"),
        (form.managing_body_edit, "managing_body"),
        (form.prefeitura_cnpj_edit, "prefeitura_cnpj"),
        (form.fmas_cnpj_edit, "fmas_cnpj"),
    ):
        leave(edit, values[key])
    form.budget_unit.yes.click()
    form.own_resources.no.click()
    saved = ctx.services.municipalities.profile()
    assert saved is not None
    assert dataclasses.replace(saved, manager=None, cmas_president=None).name == "Cônego Marinho"
    assert widget.no_profile_notice.isHidden()
