"""First-run wizard: from an empty folder to a saved profile, user and active cycle."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QWizard

from suas_desktop.domain import passwords
from suas_desktop.domain.deadlines import KeyEvent
from suas_desktop.domain.municipality import format_cnpj
from suas_desktop.domain.template import CycleKind
from suas_desktop.services.workspace import summarize
from suas_desktop.ui.app_context import AppContext, build_services
from suas_desktop.ui.first_run_wizard import DEMO_USER, FirstRunWizard, current_mandate, demo_available
from suas_desktop.ui.tasks import TaskRunner
from tests.unit.services.conftest import PROFILE

TODAY = date(2026, 11, 25)
PASSWORD = "caju pedra violão"


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch):
    """The account made at Concluir: cheap scrypt parameters keep these tests fast."""
    monkeypatch.setattr(passwords, "POLICY", passwords.ScryptParams(n=2**10, r=8, p=1))


@pytest.fixture
def fresh_ctx(qapp, workspace, catalog):
    """A context over an empty data folder: no municipality, no user (what app.py sees on first run)."""
    context = AppContext(
        build_services(workspace, catalog), summarize(workspace), TaskRunner(None), workspace=workspace
    )
    assert context.services.local.current_user() is None
    yield context
    context.undo_stack.clear()


@pytest.fixture
def wizard(qtbot, fresh_ctx):
    wiz = FirstRunWizard(fresh_ctx, today=TODAY)
    # Closed by pytest-qt at the end of the test, without the "Sair da configuração?" question.
    qtbot.addWidget(wiz, before_close_func=lambda w: setattr(w, "ask_before_closing", False))
    wiz.show()
    return wiz


def next_enabled(wiz: QWizard) -> bool:
    return wiz.button(QWizard.WizardButton.NextButton).isEnabled()


def fill_profile(form, values: dict) -> None:
    """Type every field the way a user does: set the text, then leave the field."""
    for edit, key in (
        (form.name_edit, "name"),
        (form.ibge_edit, "ibge_code"),
        (form.population_edit, "population"),
        (form.managing_body_edit, "managing_body"),
        (form.prefeitura_cnpj_edit, "prefeitura_cnpj"),
        (form.fmas_cnpj_edit, "fmas_cnpj"),
    ):
        edit.setText(values[key])
        edit.editingFinished.emit()
    form.uf_combo.setCurrentIndex(form.uf_combo.findData(values["uf"]))
    form.uf_combo.activated.emit(form.uf_combo.currentIndex())
    (form.budget_unit.yes if values["fmas_has_budget_unit"] else form.budget_unit.no).click()
    (form.own_resources.yes if values["fmas_has_own_resources"] else form.own_resources.no).click()


def fill_responsibles(page, *, user=("Ana Técnica", "Equipe técnica do FMAS")) -> None:
    mandates = page.mandates
    for role in ("manager", "cmas_president"):
        mandate = PROFILE[role]
        mandates.names[role].setText(mandate.holder_name)
        mandates.starts[role].setText(f"{mandate.start:%d/%m/%Y}")
        mandates.ends[role].setText(f"{mandate.end:%d/%m/%Y}")
        mandates.names[role].editingFinished.emit()
    page.user_name.setText(user[0])
    page.user_role.setCurrentText(user[1])
    page.user_password.setText(PASSWORD)
    page.user_password_repeat.setText(PASSWORD)


def test_pages_are_numbered_and_buttons_use_the_design_system_words(wizard):
    titles = [wizard.page(i).title() for i in wizard.pageIds()]
    assert titles[0].startswith("Etapa 1 de 5")
    assert titles[-1].startswith("Etapa 5 de 5: Resumo")
    assert wizard.wizardStyle() == QWizard.WizardStyle.ModernStyle
    texts = {
        wizard.buttonText(b).replace("&", "")
        for b in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        )
    }
    assert texts == {"Voltar", "Avançar", "Concluir", "Cancelar"}
    assert wizard.testOption(QWizard.WizardOption.NoBackButtonOnStartPage)


def test_from_an_empty_folder_to_the_end(wizard, fresh_ctx):
    services = fresh_ctx.services
    assert wizard.currentPage() is wizard.welcome
    wizard.next()
    assert wizard.currentPage() is wizard.municipality
    assert not next_enabled(wizard)
    fill_profile(wizard.municipality.form, PROFILE)
    assert wizard.municipality.form.errors() == {}
    assert next_enabled(wizard)
    assert wizard.municipality.form.porte_label.text().startswith("Porte: Pequeno Porte I")
    assert wizard.municipality.form.prefeitura_cnpj_edit.text() == format_cnpj(PROFILE["prefeitura_cnpj"])

    wizard.next()
    assert wizard.currentPage() is wizard.responsibles
    assert not next_enabled(wizard)  # the user of this computer is still missing
    fill_responsibles(wizard.responsibles)
    assert next_enabled(wizard)

    wizard.next()
    checklist = wizard.first_checklist
    assert wizard.currentPage() is checklist
    assert checklist.closing.isChecked()
    assert checklist.closing_year.currentData() == 2026

    wizard.next()
    assert wizard.currentPage() is wizard.summary
    summary = wizard.summary.text.text()
    assert wizard.summary.code.text() == wizard.recovery_code
    assert "Cônego Marinho" in summary
    assert "Encerramento 2026" in summary
    assert "Ana Técnica" in summary
    assert "apenas um CNPJ" in summary  # PROFILE answers "no own resources"
    assert services.municipalities.profile() is None  # nothing saved before Concluir

    wizard.button(QWizard.WizardButton.FinishButton).click()

    assert wizard.result() == QWizard.DialogCode.Accepted
    profile = services.municipalities.profile()
    assert profile is not None
    assert profile.name == "Cônego Marinho"
    assert profile.ibge_code == PROFILE["ibge_code"]
    assert profile.population == 7101
    assert profile.manager == PROFILE["manager"]
    assert profile.cmas_president == PROFILE["cmas_president"]
    assert profile.fmas_has_own_resources is False
    user = services.local.current_user()
    assert (user.name, user.role) == ("Ana Técnica", "Equipe técnica do FMAS")
    # The person is the first administrator, logged in, with a password and the recovery code shown.
    session = fresh_ctx.session
    assert (session.name, session.role.value, session.job_title) == (
        "Ana Técnica",
        "admin",
        "Equipe técnica do FMAS",
    )
    assert fresh_ctx.actor == "Ana Técnica"
    services.users.logout()
    assert services.users.login("Ana Técnica", PASSWORD).name == "Ana Técnica"
    services.users.logout()
    recovered = services.users.recover("Ana Técnica", wizard.recovery_code, "outra senha boa")
    assert recovered.session.name == "Ana Técnica"
    cycles = services.checklists.cycles()
    assert [(c.kind, c.reference_year) for c in cycles] == [(CycleKind.CLOSING, 2026)]
    assert fresh_ctx.active_cycle_id == cycles[0].id
    assert fresh_ctx.services.local.get("ui.active_cycle") == cycles[0].id


def test_next_stays_disabled_with_an_invalid_cnpj_and_the_message_shows(wizard, fresh_ctx):
    wizard.next()
    form = wizard.municipality.form
    bad = PROFILE["fmas_cnpj"][:-1] + str((int(PROFILE["fmas_cnpj"][-1]) + 1) % 10)
    fill_profile(form, {**PROFILE, "fmas_cnpj": bad})
    assert not next_enabled(wizard)
    message = form.error_text("fmas_cnpj")
    assert "dígito verificador do CNPJ do FMAS" in message
    assert not form._fields["fmas_cnpj"].error.isHidden()
    assert form.fmas_cnpj_edit.property("invalid") is True
    assert "CNPJ do FMAS" in wizard.municipality.reason.text()
    # Fixing it enables Avançar and clears the message on exit.
    form.fmas_cnpj_edit.setText(PROFILE["fmas_cnpj"])
    form.fmas_cnpj_edit.editingFinished.emit()
    assert next_enabled(wizard)
    assert form.error_text("fmas_cnpj") == ""
    assert fresh_ctx.services.municipalities.profile() is None


def test_messages_wait_for_the_user_to_leave_the_field(wizard):
    wizard.next()
    form = wizard.municipality.form
    form.ibge_edit.setText("123")
    assert form.error_text("ibge_code") == ""  # not while typing
    form.ibge_edit.editingFinished.emit()
    assert "7 dígitos" in form.error_text("ibge_code")
    assert form.error_text("name") == ""  # a field never visited shows nothing


def test_cnpj_mask_formats_typed_and_pasted_text(wizard):
    wizard.next()
    edit = wizard.municipality.form.prefeitura_cnpj_edit
    edit.textEdited.emit("12345678000195")  # what a paste delivers before the mask
    edit.setText("12345678000195")
    edit.textEdited.emit(edit.text())
    assert edit.text() == "12.345.678/0001-95"
    edit.setText("12.ab")
    edit.textEdited.emit(edit.text())
    assert edit.text() == "12.AB"


def test_transition_with_the_election_result_date(wizard, fresh_ctx):
    wizard.next()
    fill_profile(wizard.municipality.form, PROFILE)
    wizard.next()
    fill_responsibles(wizard.responsibles)
    wizard.next()
    page = wizard.first_checklist
    page.transition.setChecked(True)
    assert page.transition_year.currentData() == 2028
    assert page.election_date.text() == "01/10/2028"  # first Sunday of October 2028
    page.election_date.setText("29/10/2028")
    page.election_date.textEdited.emit("29/10/2028")
    wizard.next()
    wizard.accept()

    cycles = fresh_ctx.services.checklists.cycles()
    assert [(c.kind, c.reference_year) for c in cycles] == [(CycleKind.TRANSITION, 2028)]
    events = fresh_ctx.services.checklists.events(cycles[0].id)
    assert events[KeyEvent.RESULTADO_ELEICAO].date == date(2028, 10, 29)
    assert fresh_ctx.active_cycle_id == cycles[0].id


def test_election_date_outside_the_election_year_blocks_next(wizard):
    wizard.next()
    fill_profile(wizard.municipality.form, PROFILE)
    wizard.next()
    fill_responsibles(wizard.responsibles)
    wizard.next()
    page = wizard.first_checklist
    page.transition.setChecked(True)
    page.election_date.setText("05/10/2027")
    page.election_date.editingFinished.emit()
    assert not next_enabled(wizard)
    assert "2028" in page.election_error.text()


def test_later_saves_profile_and_user_without_a_cycle(wizard, fresh_ctx):
    wizard.next()
    fill_profile(wizard.municipality.form, PROFILE)
    wizard.next()
    fill_responsibles(wizard.responsibles)
    wizard.next()
    wizard.first_checklist.later.setChecked(True)
    wizard.next()
    assert "Nenhum por enquanto" in wizard.summary.text.text()
    wizard.accept()
    assert fresh_ctx.services.municipalities.profile() is not None
    assert fresh_ctx.services.checklists.cycles() == []
    assert fresh_ctx.active_cycle_id == ""


def test_cancel_asks_first_and_saves_nothing(wizard, fresh_ctx, monkeypatch):
    asked = []
    monkeypatch.setattr(
        FirstRunWizard, "confirm_cancel", classmethod(lambda cls, parent: asked.append(1) or False)
    )
    wizard.next()
    fill_profile(wizard.municipality.form, PROFILE)
    wizard.reject()
    assert asked == [1]
    assert wizard.isVisible()  # "Continuar Configuração"
    monkeypatch.setattr(FirstRunWizard, "confirm_cancel", classmethod(lambda cls, parent: True))
    wizard.reject()
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert not wizard.isVisible()
    assert fresh_ctx.services.municipalities.profile() is None
    assert fresh_ctx.services.local.current_user() is None


def test_mandate_dates_are_checked(wizard):
    wizard.next()
    fill_profile(wizard.municipality.form, PROFILE)
    wizard.next()
    page = wizard.responsibles
    fill_responsibles(page)
    page.mandates.ends["cmas_president"].setText("31/01/2020")
    page.mandates.ends["cmas_president"].editingFinished.emit()
    assert not next_enabled(wizard)
    assert "não pode ser anterior" in page.mandates.error_text("cmas_president")
    page.mandates.ends["cmas_president"].setText("3/2/2027")
    page.mandates.ends["cmas_president"].editingFinished.emit()
    assert next_enabled(wizard)
    assert page.mandates.ends["cmas_president"].text() == "03/02/2027"


def test_manager_mandate_starts_with_the_current_municipal_mandate(wizard):
    assert current_mandate(TODAY) == (date(2025, 1, 1), date(2028, 12, 31))
    assert current_mandate(date(2029, 1, 1)) == (date(2029, 1, 1), date(2032, 12, 31))
    mandates = wizard.responsibles.mandates
    assert mandates.starts["manager"].text() == "01/01/2025"
    assert mandates.ends["manager"].text() == "31/12/2028"


@pytest.mark.skipif(not demo_available(), reason="services/demo.py not present")
def test_demo_path_fills_the_folder_and_sets_the_demo_user(wizard, fresh_ctx):
    wizard.welcome.demo.setChecked(True)
    assert wizard.buttonText(QWizard.WizardButton.NextButton).replace("&", "") == "Abrir Demonstração"
    wizard.next()
    assert wizard.result() == QWizard.DialogCode.Accepted
    user = fresh_ctx.services.local.current_user()
    assert (user.name, user.role) == DEMO_USER
    assert fresh_ctx.services.local.is_demo
    assert fresh_ctx.active_cycle_id


def test_the_password_is_required_and_typed_twice(wizard):
    wizard.next()
    fill_profile(wizard.municipality.form, PROFILE)
    wizard.next()
    page = wizard.responsibles
    fill_responsibles(page)
    assert next_enabled(wizard)
    page.user_password_repeat.setText("outra coisa qualquer")
    assert not next_enabled(wizard)
    assert "Sua senha" in page.reason.text()
    page.user_password_repeat.editingFinished.emit()
    assert "não são iguais" in page.user_password_error.text()
    page.user_password.setText("1234")
    page.user_password_repeat.setText("1234")
    assert "pelo menos 8" in page.user_errors()["password"]
    page.user_password.setText(PASSWORD)
    page.user_password_repeat.setText(PASSWORD)
    assert next_enabled(wizard)
