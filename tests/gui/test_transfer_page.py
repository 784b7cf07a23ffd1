"""Transferência: export → import between two data folders through the dialogs, dry run before writing,
wrong passphrase, unknown signer, conflicts side by side and their resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from suas_desktop.services import age_stream
from suas_desktop.services.regional_service import make_association
from suas_desktop.services.register_service import RegisterService
from suas_desktop.services.workspace import summarize
from suas_desktop.ui.app_context import AppContext, build_services
from suas_desktop.ui.dialogs import package_dialogs
from suas_desktop.ui.dialogs.package_dialogs import (
    Drive,
    ExportDialog,
    PackageImportDialog,
    fingerprint_text,
    package_service,
    plan_sentence,
)
from suas_desktop.ui.pages.transfer_page import TransferPage, history_rows
from suas_desktop.ui.tasks import TaskRunner
from tests.unit.services.packages_support import PASSPHRASE, cached_kdf, db_checksum, open_folder

UNIT = {"kind": "cras", "name": "CRAS Centro", "referenced_families": 2500}


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setattr(age_stream, "derive_wrap_key", cached_kdf)


@pytest.fixture
def pen(tmp_path, monkeypatch) -> Path:
    """A folder that the dialogs see as the only pen drive."""
    folder = tmp_path / "PENDRIVE"
    folder.mkdir()
    monkeypatch.setattr(package_dialogs, "removable_drives", lambda: [Drive(folder, "PENDRIVE (teste)")])
    return folder


@pytest.fixture(autouse=True)
def errors(monkeypatch) -> list[BaseException]:
    """Error boxes are recorded instead of shown (a modal box would block the test)."""
    shown: list[BaseException] = []
    monkeypatch.setattr(package_dialogs, "show_error", lambda parent, exc: shown.append(exc))
    return shown


@pytest.fixture
def other_ctx(qapp, tmp_path, catalog):
    """A second computer of the same municipality: an empty data folder."""
    ws = open_folder(tmp_path / "computador-b")
    context = AppContext(build_services(ws, catalog), summarize(ws), TaskRunner(None), workspace=ws)
    context.services.local.set_current_user("Bia Técnica", "Técnica do CRAS")
    yield context
    context.undo_stack.clear()
    ws.close()


def export_package(qtbot, ctx, *, passphrase: str = PASSPHRASE) -> ExportDialog:
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.step_label.text() == "Etapa 1 de 3 — Tipo de pacote"
    assert dialog.scope_full.isChecked()
    dialog.next_step()
    assert dialog.pages.currentIndex() == dialog.DESTINATION
    dialog.next_step()
    assert dialog.pages.currentIndex() == dialog.PASSPHRASE
    assert dialog.next_button.text() == "Exportar Pacote"
    dialog.passphrase.setText(passphrase)
    dialog.confirmation.setText(passphrase)
    dialog.next_step()
    return dialog


def open_import(qtbot, ctx) -> PackageImportDialog:
    dialog = PackageImportDialog(ctx)
    qtbot.addWidget(dialog)
    return dialog


# ---------------------------------------------------------------- helpers
def test_plan_sentence_reads_like_a_person_wrote_it():
    assert plan_sentence({"created": 12, "updated": 3, "deleted": 0, "conflicts": 1}) == (
        "Serão adicionados 12 registros, atualizados 3, nenhum removido; 1 conflito para você decidir."
    )
    assert plan_sentence({"created": 1, "updated": 0, "deleted": 2, "conflicts": 0}) == (
        "Será adicionado 1 registro, nenhum atualizado, removidos 2; nenhum conflito."
    )
    assert fingerprint_text("3f2a9c0177b0") == "3F2A 9C01 77B0"
    assert fingerprint_text("3F2A 9C01") == "3F2A 9C01"


def test_history_rows_accept_objects_and_dicts():
    rows = history_rows(
        [
            {"at": "2026-11-25T14:30:00Z", "direction": "sent", "scope": "full", "size": 2048},
            {
                "imported_at": "2026-11-26T10:00:00Z",
                "direction": "received",
                "scope": "regional",
                "peer_fingerprint": "3F2A 9C01 77B0 1234",
                "created": 2,
                "updated": 1,
                "deleted": 0,
                "result": "Importado",
            },
        ]
    )
    assert rows[0][1:] == ["Enviado", "Completo", "—", "", "Gravado e conferido (2,0 KB)"]
    assert rows[1][1:] == ["Recebido", "Regional", "3F2A 9C01", "3", "Importado"]


# ---------------------------------------------------------------- export
def test_page_shows_the_two_choices_and_the_fingerprint(qtbot, mg_ctx, pen):
    page = TransferPage(mg_ctx)
    qtbot.addWidget(page)
    assert page.export_button.text() == "Exportar Pacote"
    assert page.import_button.text() == "Importar Pacote"
    assert page.fingerprint.text() == fingerprint_text(package_service(mg_ctx).own_fingerprint())
    assert len(page.fingerprint.text().split()) == 8
    assert page.conflicts_card.isHidden()


def test_export_without_pen_drive_says_what_to_do(qtbot, mg_ctx, monkeypatch, tmp_path):
    monkeypatch.setattr(package_dialogs, "removable_drives", lambda: [])
    dialog = ExportDialog(mg_ctx)
    qtbot.addWidget(dialog)
    dialog.next_step()
    assert "Conecte o pen drive e clique em Procurar Novamente" in dialog.no_drive.text()
    assert not dialog.no_drive.isHidden()
    dialog.next_step()  # nowhere to write: stays, with the message under the list
    assert dialog.pages.currentIndex() == dialog.DESTINATION
    assert "Procurar Novamente" in dialog.destination_error.text()
    folder = tmp_path / "outra"
    folder.mkdir()
    monkeypatch.setattr(ExportDialog, "ask_folder", staticmethod(lambda parent: str(folder)))
    dialog.folder_button.click()
    assert dialog.destination() == folder
    dialog.next_step()
    assert dialog.pages.currentIndex() == dialog.PASSPHRASE


def test_weak_or_different_passphrase_is_refused_before_writing(qtbot, mg_ctx, pen):
    dialog = ExportDialog(mg_ctx)
    qtbot.addWidget(dialog)
    dialog.next_step()
    dialog.next_step()
    dialog.passphrase.setText("abc")
    assert dialog.strength.text().startswith("⚠ Ainda fraca")
    dialog.next_step()
    assert "Senha do pacote" in dialog.passphrase_error.text()
    dialog.passphrase.setText(PASSPHRASE)
    assert dialog.strength.text() == "✓ Senha forte o bastante."
    dialog.confirmation.setText(PASSPHRASE + " x")
    dialog.next_step()
    assert "não são iguais" in dialog.confirmation_error.text()
    assert list(pen.iterdir()) == []
    assert dialog.result_value is None


def test_regional_package_goes_to_the_association_without_passphrase(qtbot, mg_ctx, other_ctx, pen):
    dialog = ExportDialog(mg_ctx)
    qtbot.addWidget(dialog)
    dialog.scope_regional.setChecked(True)
    assert "regional" in dialog.file_name.text()
    dialog.next_step()
    assert dialog.step_label.text() == "Etapa 2 de 2 — Destino"
    assert dialog.next_button.text() == "Exportar Pacote"
    dialog.next_step()
    result = dialog.result_value
    assert result is not None and result.scope == "regional" and not result.encrypted
    assert result.path.parent == pen

    make_association(other_ctx.workspace)
    page = TransferPage(other_ctx)
    qtbot.addWidget(page)
    assert not page.export_button.isEnabled()
    assert "associação regional" in page.export_text.text()
    importer = open_import(qtbot, other_ctx)
    importer.choose_file(result.path)
    assert importer.pages.currentIndex() == importer.TRUST  # no passphrase asked
    importer.next_step()
    assert (
        importer.summary.text()
        == "Será adicionado 1 registro, nenhum atualizado, nenhum removido; nenhum conflito."
    )
    assert importer.summary_table.item(0, 0).text() == "Resumos de municípios"
    importer.next_step()
    assert importer.result_value is not None and importer.result_value.applied


# ---------------------------------------------------------------- round trip
def test_export_then_import_round_trip_with_dry_run_first(qtbot, mg_ctx, other_ctx, pen):
    unit = RegisterService(mg_ctx.workspace).create(actor="ana", name="units", values=UNIT)
    dialog = export_package(qtbot, mg_ctx)
    result = dialog.result_value
    assert result is not None and result.encrypted and result.scope == "full"
    assert result.path.parent == pen and result.path.is_file()
    assert dialog.pages.currentIndex() == dialog.DONE
    assert str(result.path) in dialog.done_where.text()
    assert "Tamanho:" in dialog.done_details.text()
    assert "pode remover o pen drive" in dialog.done_remove.text()
    assert dialog.done_fingerprint.text() == fingerprint_text(package_service(mg_ctx).own_fingerprint())
    assert dialog.passphrase.text() == "" and dialog.confirmation.text() == ""  # never kept

    importer = open_import(qtbot, other_ctx)
    assert importer.file_list.count() == 1  # the package found on the pen drive
    before = db_checksum(other_ctx.workspace)
    importer.next_step()
    assert importer.pages.currentIndex() == importer.PASSPHRASE
    importer.passphrase.setText(PASSPHRASE)
    importer.next_step()
    # unknown signer: the fingerprint in groups of 4, trusting is never the default
    assert importer.pages.currentIndex() == importer.TRUST
    assert importer.trust_fingerprint.text() == fingerprint_text(package_service(mg_ctx).own_fingerprint())
    assert importer.next_button.text() == "Confiar Nesta Instalação"
    assert importer.cancel_button.isDefault() and not importer.next_button.isDefault()
    assert "Cônego Marinho" in importer.trust_origin.text()
    importer.next_step()
    # the dry-run summary, before anything is written
    assert importer.pages.currentIndex() == importer.SUMMARY
    assert importer.summary.text().startswith("Serão adicionados ")
    assert "nenhum removido; nenhum conflito." in importer.summary.text()
    assert importer.next_button.text() == "Importar Pacote" and not importer.next_button.isHidden()
    labels = [importer.summary_table.item(r, 0).text() for r in range(importer.summary_table.rowCount())]
    assert "Unidades" in labels
    assert db_checksum(other_ctx.workspace) == before
    assert package_service(other_ctx).known_signers() == []
    importer.next_step()
    assert importer.pages.currentIndex() == importer.DONE
    assert importer.result_value is not None and importer.result_value.applied
    assert importer.done_title.text().startswith("✓ Pacote importado:")
    assert RegisterService(other_ctx.workspace).get("units", unit.id).values["name"] == "CRAS Centro"
    assert len(package_service(other_ctx).known_signers()) == 1  # trusted with the import
    assert importer.passphrase.text() == ""

    # the same package again: nothing to do, said in words
    again = open_import(qtbot, other_ctx)
    again.choose_file(result.path)
    again.passphrase.setText(PASSPHRASE)
    again.next_step()
    assert again.pages.currentIndex() == again.SUMMARY
    assert "já foi importado" in again.summary.text()
    assert again.next_button.isHidden()


def test_wrong_passphrase_shows_the_message_and_changes_nothing(qtbot, mg_ctx, other_ctx, pen, errors):
    package = export_package(qtbot, mg_ctx).result_value.path
    before = db_checksum(other_ctx.workspace)
    importer = open_import(qtbot, other_ctx)
    importer.choose_file(package)
    assert importer.pages.currentIndex() == importer.PASSPHRASE
    importer.next_step()  # empty
    assert "Informe a senha do pacote" in importer.passphrase_error.text()
    importer.passphrase.setText("uma senha bem diferente da certa")
    importer.next_step()
    assert importer.pages.currentIndex() == importer.PASSPHRASE
    assert importer.passphrase_error.text().startswith("✖ Senha incorreta: o pacote não foi aberto.")
    assert not importer.passphrase_error.isHidden()
    assert errors == []
    assert db_checksum(other_ctx.workspace) == before
    assert importer.result_value is None


def test_damaged_package_is_refused_with_a_message(qtbot, other_ctx, pen, errors):
    bad = pen / "estragado.suas"
    bad.write_bytes(b"isto nao e um pacote")
    before = db_checksum(other_ctx.workspace)
    importer = open_import(qtbot, other_ctx)
    importer.choose_file(bad)
    assert importer.pages.currentIndex() == importer.FILE
    assert [e.message for e in errors] == ["Este arquivo não é um pacote do SUAS Desktop."]
    assert db_checksum(other_ctx.workspace) == before


def _import_all_the_way(qtbot, ctx, package: Path) -> PackageImportDialog:
    importer = open_import(qtbot, ctx)
    importer.choose_file(package)
    importer.passphrase.setText(PASSPHRASE)
    importer.next_step()
    if importer.pages.currentIndex() == importer.TRUST:
        importer.next_step()
    assert importer.pages.currentIndex() == importer.SUMMARY
    return importer


def test_conflict_is_shown_side_by_side_and_resolved(qtbot, mg_ctx, other_ctx, pen, monkeypatch):
    a_regs, b_regs = RegisterService(mg_ctx.workspace), RegisterService(other_ctx.workspace)
    unit = a_regs.create(actor="ana", name="units", values=UNIT)
    first = export_package(qtbot, mg_ctx).result_value.path
    _import_all_the_way(qtbot, other_ctx, first).next_step()
    a_regs.update(actor="ana", name="units", record_id=unit.id, values={"referenced_families": 3100})
    b_regs.update(actor="bia", name="units", record_id=unit.id, values={"referenced_families": 2900})

    asked = []
    monkeypatch.setattr(
        ExportDialog, "confirm_overwrite", staticmethod(lambda parent, path: asked.append(path) or True)
    )
    second = export_package(qtbot, mg_ctx).result_value.path
    assert asked == [second]  # same suggested name: replacing it was confirmed

    before = db_checksum(other_ctx.workspace)
    importer = _import_all_the_way(qtbot, other_ctx, second)
    assert importer.summary.text().endswith("; 1 conflito para você decidir.")
    assert "CRAS Centro" in importer.summary_conflicts.text()
    assert "alterado nos dois computadores" in importer.summary_conflicts.text()
    assert db_checksum(other_ctx.workspace) == before  # nothing written by the summary
    importer.next_step()
    assert importer.done_title.text().startswith("⚠ Pacote importado:")
    panel = importer.conflicts
    assert len(panel.records) == 1
    compare = {
        panel.compare.item(r, 0).text(): (panel.compare.item(r, 1).text(), panel.compare.item(r, 2).text())
        for r in range(panel.compare.rowCount())
    }
    assert compare["≠ Famílias referenciadas"] == ("2.900", "3.100")
    assert compare["Nome"] == ("CRAS Centro", "CRAS Centro")  # equal fields carry no mark
    assert b_regs.get("units", unit.id).values["referenced_families"] == 2900  # never replaced silently

    page = TransferPage(other_ctx)
    qtbot.addWidget(page)
    assert not page.conflicts_card.isHidden()
    page.conflicts.keep_incoming_button.click()
    assert b_regs.get("units", unit.id).values["referenced_families"] == 3100
    assert package_service(other_ctx).conflicts() == []
    assert "ficou a versão do pacote" in page.conflicts.message.label.text()
    page.refresh()
    assert page.conflicts_card.isHidden()


def test_keep_this_computer(qtbot, mg_ctx, other_ctx, pen, monkeypatch):
    a_regs, b_regs = RegisterService(mg_ctx.workspace), RegisterService(other_ctx.workspace)
    unit = a_regs.create(actor="ana", name="units", values=UNIT)
    _import_all_the_way(qtbot, other_ctx, export_package(qtbot, mg_ctx).result_value.path).next_step()
    a_regs.update(actor="ana", name="units", record_id=unit.id, values={"phone": "(38) 1111-1111"})
    b_regs.update(actor="bia", name="units", record_id=unit.id, values={"phone": "(38) 2222-2222"})
    monkeypatch.setattr(ExportDialog, "confirm_overwrite", staticmethod(lambda parent, path: True))
    importer = _import_all_the_way(qtbot, other_ctx, export_package(qtbot, mg_ctx).result_value.path)
    importer.next_step()
    importer.conflicts.keep_local_button.click()
    assert b_regs.get("units", unit.id).values["phone"] == "(38) 2222-2222"
    assert importer.conflicts.records == []


def test_page_buttons_open_the_wizards(qtbot, mg_ctx, pen, monkeypatch):
    page = TransferPage(mg_ctx)
    qtbot.addWidget(page)
    seen = []

    def fake_export(parent, ctx):
        dialog = export_package(qtbot, ctx)
        seen.append("export")
        return dialog.result_value

    monkeypatch.setattr(ExportDialog, "ask", staticmethod(fake_export))
    monkeypatch.setattr(PackageImportDialog, "ask", staticmethod(lambda parent, ctx: seen.append("import")))
    page.export_button.click()
    assert "Pacote gravado e conferido em" in page.message.label.text()
    page.import_button.click()
    assert seen == ["export", "import"]
    history = getattr(package_service(mg_ctx), "history", None)
    if history is not None:  # shown once the package service keeps a readable history
        assert page.history_table.rowCount() >= 1
        assert page.history_table.item(0, 1).text() == "Enviado"
