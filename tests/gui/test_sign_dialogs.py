"""Assinar Documento, Verificar Assinaturas, Certificados (trust store) and the buttons in Relatórios."""

from __future__ import annotations

from datetime import timedelta

import pytest

from suas_desktop.domain.clock import FixedClock
from suas_desktop.ui.dialogs import sign_dialog, verify_dialog
from suas_desktop.ui.dialogs.sign_dialog import LocalCertificateDialog, SignDialog, signature_service
from suas_desktop.ui.dialogs.verify_dialog import VerifyDialog
from suas_desktop.ui.pages import trust_store_panel
from suas_desktop.ui.pages.reports_page import ReportsPage
from suas_desktop.ui.pages.settings_page import SettingsPage
from suas_desktop.ui.pages.trust_store_panel import TrustStorePanel
from tests.signing_pki import NOW, PASSWORD, SigningPki, build_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> SigningPki:
    return build_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def clock() -> FixedClock:
    """The test certificates are made around the real "now"; the app clock follows them."""
    return FixedClock(NOW)


@pytest.fixture(autouse=True)
def errors(monkeypatch) -> list[BaseException]:
    """Error boxes are recorded instead of shown (a modal box would block the test)."""
    shown: list[BaseException] = []
    for module in (sign_dialog, verify_dialog, trust_store_panel):
        monkeypatch.setattr(module, "show_error", lambda parent, exc: shown.append(exc))
    return shown


@pytest.fixture
def report_pdf(mg_ctx, tmp_path):
    report = mg_ctx.services.reports.generate("closing", mg_ctx.active_cycle_id)
    path = tmp_path / "encerramento.pdf"
    path.write_bytes(report.pdf)
    return path


def sign_with(qtbot, ctx, source, p12, password, out, **kwargs) -> SignDialog:
    dialog = SignDialog(ctx, source, "closing", ctx.active_cycle_id, **kwargs)
    qtbot.addWidget(dialog)
    dialog.pfx.edit.setText(str(p12))
    dialog.password.setText(password)
    dialog.output.edit.setText(str(out))
    dialog.sign()
    return dialog


def test_sign_dialog_lists_the_empty_fields_and_confirms_with_verbs(qtbot, mg_ctx, report_pdf):
    dialog = SignDialog(mg_ctx, report_pdf, "closing", mg_ctx.active_cycle_id)
    qtbot.addWidget(dialog)
    fields = [dialog.field_combo.itemData(i) for i in range(dialog.field_combo.count())]
    assert fields == ["gestor", "contador", "controle_interno"]
    assert dialog.field_combo.itemText(1) == "Contador(a) (contador)"
    assert dialog.sign_button.text() == "Assinar Documento"
    assert dialog.cancel_button.isDefault() and not dialog.sign_button.isDefault()
    assert dialog.clock_label.text().startswith(f"Data e hora deste computador: {NOW.astimezone():%d/%m/%Y}")
    assert dialog.clock_warning.isHidden()
    assert dialog.output.edit.text().endswith("encerramento-assinado.pdf")
    dialog.a3_radio.setChecked(True)
    assert dialog.a1_box.isHidden() and not dialog.a3_box.isHidden()
    assert dialog.library.count() >= 1


def test_missing_certificate_and_same_output_are_shown_under_the_fields(qtbot, mg_ctx, report_pdf):
    dialog = SignDialog(mg_ctx, report_pdf, "closing")
    qtbot.addWidget(dialog)
    dialog.output.edit.setText(str(report_pdf))
    dialog.sign()
    assert "escolha o arquivo .pfx" in dialog.pfx_error.text()
    assert "Senha do certificado" in dialog.password_error.text()
    assert "o original nunca é alterado" in dialog.output_error.text()
    assert dialog.result_value is None


def test_sign_a_generated_report_then_verify_it(qtbot, mg_ctx, report_pdf, pki, tmp_path, errors):
    before = report_pdf.read_bytes()
    out = tmp_path / "encerramento-assinado.pdf"
    dialog = sign_with(qtbot, mg_ctx, report_pdf, pki["jose"].p12, PASSWORD, out)
    assert errors == []
    result = dialog.result_value
    assert result is not None and result.field_name == "gestor" and result.signer == "José da Conceição"
    assert out.is_file() and out.read_bytes().startswith(before)
    assert report_pdf.read_bytes() == before  # the input is never changed
    assert dialog.password.text() == ""  # not kept
    assert [d.field_name for d in signature_service(mg_ctx).signed_documents()] == ["gestor"]

    # Not trusted yet: the test root is not ICP-Brasil.
    check = VerifyDialog(mg_ctx)
    qtbot.addWidget(check)
    check.verify(out)
    assert check.verification is not None and not check.verification.report.ok
    assert check.cards[0].values["Confiável"].text().startswith("✖ Não")
    assert check.cards[0].values["Íntegra"].text().startswith("✓ Sim")

    panel = TrustStorePanel(mg_ctx)
    qtbot.addWidget(panel)
    assert not panel.empty.isHidden()
    assert panel.import_certificates(pki.root_pem_path)
    assert panel.table.rowCount() == 1
    assert panel.table.item(0, 0).text() == "Raiz de Teste SUAS"
    assert panel.table.item(0, 1).text() == "Autoridade certificadora raiz"

    check = VerifyDialog(mg_ctx)
    qtbot.addWidget(check)
    check.verify(out)
    report = check.verification.report
    assert report.ok
    assert check.verdict.label.text().startswith("Documento válido: 1 assinatura(s) válida(s)")
    card = check.cards[0]
    assert card.values["Quem assinou"].text() == "José da Conceição"
    assert (
        card.values["Emitido por"].text()
        == "Raiz de Teste SUAS › AC Intermediária de Teste › José da Conceição"
    )
    assert card.values["Válida"].text().startswith("✓ Sim")
    assert card.values["Confiável"].text().startswith("✓ Sim")
    assert card.values["Alterado depois da assinatura"].text().startswith("✓ Não")
    assert "sem carimbo de tempo" in card.values["Data e hora declaradas"].text()


def test_wrong_password_shows_the_message_and_writes_nothing(
    qtbot, mg_ctx, report_pdf, pki, tmp_path, errors
):
    out = tmp_path / "assinado.pdf"
    dialog = sign_with(qtbot, mg_ctx, report_pdf, pki["jose"].p12, "senha-errada", out)
    assert [e.message for e in errors] == ["Senha do certificado incorreta."]
    assert dialog.result_value is None
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("assinado")] == []
    assert signature_service(mg_ctx).signed_documents() == []


def test_local_certificate_issue_sign_verify_export_remove(
    qtbot, mg_ctx, report_pdf, tmp_path, errors, monkeypatch
):
    issuer = LocalCertificateDialog(mg_ctx)
    qtbot.addWidget(issuer)
    issuer.name.setText("Maria Gestora")
    issuer.cpf.setText("111.444.777-35")
    issuer.role.setEditText("Gestor(a) da Assistência Social")
    issuer.password.setText("segredo1")
    issuer.confirmation.setText("segredo2")
    issuer.target.edit.setText(str(tmp_path / "maria.p12"))
    issuer.issue()
    assert "não são iguais" in issuer.errors["confirmation"].text()
    issuer.confirmation.setText("segredo1")
    issuer.issue()
    assert errors == []
    issued = issuer.result_value
    assert issued is not None and issued.p12_path.is_file()

    out = tmp_path / "assinado-local.pdf"
    dialog = sign_with(qtbot, mg_ctx, report_pdf, issued.p12_path, "segredo1", out)
    assert dialog.result_value is not None and dialog.result_value.local_certificate

    check = VerifyDialog(mg_ctx)
    qtbot.addWidget(check)
    check.verify(out)
    assert check.verification.report.ok
    assert "certificado local, sem validade ICP-Brasil" in check.cards[0].values["Quem assinou"].text()
    assert "sem validade ICP-Brasil" in check.notes.text()

    panel = TrustStorePanel(mg_ctx)
    qtbot.addWidget(panel)
    assert panel.table.item(0, 0).text() == "Maria Gestora"
    assert panel.table.item(0, 1).text() == "Certificado local, sem validade ICP-Brasil"
    pem = panel.export_local(tmp_path / "maria.pem")
    assert pem is not None and pem.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    asked = []
    monkeypatch.setattr(
        TrustStorePanel, "confirm_remove", staticmethod(lambda parent, name: asked.append(name))
    )
    panel.table.selectRow(0)
    assert not panel.remove_selected()  # Cancelar: nothing removed
    assert asked == ["Maria Gestora"] and panel.table.rowCount() == 1
    monkeypatch.setattr(TrustStorePanel, "confirm_remove", staticmethod(lambda parent, name: True))
    panel.table.selectRow(0)
    assert panel.remove_selected()
    assert signature_service(mg_ctx).list_trusted() == []
    assert not panel.empty.isHidden()


def test_unsigned_pdf_and_unreadable_file(qtbot, mg_ctx, report_pdf, tmp_path, errors):
    check = VerifyDialog(mg_ctx)
    qtbot.addWidget(check)
    check.verify(report_pdf)
    assert check.verdict.label.text().startswith("Documento sem assinatura digital.")
    assert check.cards == []
    bad = tmp_path / "nao-e-pdf.pdf"
    bad.write_bytes(b"texto")
    check.verify(bad)
    assert [e.message for e in errors] == ["O arquivo não é um PDF."]


def test_reports_page_signs_and_previews_the_signed_file(qtbot, mg_ctx, pki, tmp_path, monkeypatch, errors):
    page = ReportsPage(mg_ctx)
    qtbot.addWidget(page)
    page.report_list.setCurrentRow(1)  # Relatório de Encerramento do Exercício
    assert not page.sign_button.isEnabled()
    page.generate()
    assert page.sign_button.isEnabled() and page.sign_button.text() == "Assinar e Salvar PDF"
    unsigned = page.pdf
    out = tmp_path / "assinado.pdf"

    def fake_ask(parent, ctx, pdf_path, document_kind=None, cycle_id=None, *, output_dir=None):
        assert pdf_path.read_bytes() == unsigned
        assert document_kind == "closing" and cycle_id == ctx.active_cycle_id
        return sign_with(qtbot, ctx, pdf_path, pki["ana"].p12, PASSWORD, out).result_value

    monkeypatch.setattr(SignDialog, "ask", staticmethod(fake_ask))
    page.sign_button.click()
    assert errors == []
    assert page.pdf == out.read_bytes() != unsigned
    assert page.file_name == "assinado.pdf"
    assert "Documento assinado e salvo em" in page.message.label.text()

    opened = []
    monkeypatch.setattr(
        VerifyDialog, "ask", staticmethod(lambda parent, ctx, pdf_path=None: opened.append(ctx))
    )
    page.verify_button.click()
    assert opened == [mg_ctx]


def test_settings_has_a_certificates_tab(qtbot, mg_ctx):
    page = SettingsPage(mg_ctx)
    qtbot.addWidget(page)
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert "Certificados" in titles
    assert isinstance(page.trust_store, TrustStorePanel)


def test_local_marker_matches_the_signing_module():
    from suas_desktop.documents import signing

    assert trust_store_panel.LOCAL_MARK in signing.LOCAL_CERT_MARKER
    assert verify_dialog.LOCAL_LABEL == signing.LOCAL_CERT_LABEL


def test_clock_behind_the_data_is_warned_before_signing(qtbot, mg_ctx, report_pdf):
    mg_ctx.workspace.clock.moment -= timedelta(days=2)
    dialog = SignDialog(mg_ctx, report_pdf, "closing")
    qtbot.addWidget(dialog)
    assert not dialog.clock_warning.isHidden()
    assert dialog.clock_warning.label.text().startswith("O relógio deste computador")
    assert "acerte a data e a hora antes de assinar" in dialog.clock_warning.label.text()
