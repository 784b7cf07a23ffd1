"""The main window shell: sidebar pages, header, active cycle, search, undo actions, error dialogs."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QMessageBox

from suas_desktop.app import page_specs
from suas_desktop.domain.template import CycleKind
from suas_desktop.errors import DiskFull, UserError
from suas_desktop.ui import error_dialogs
from suas_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, mg_ctx):
    win = MainWindow(mg_ctx, page_specs())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_sidebar_has_every_screen_in_order(window):
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles[:3] == ["Painel", "Checklists", "Cadastros"]
    assert titles[-1] == "Configurações"
    assert "Relatórios" in titles


def test_shortcuts_switch_pages(window, qtbot):
    for index in range(window.sidebar.count()):
        action = next(a for a in window.actions() if a.shortcut().toString() == f"Ctrl+{index + 1}")
        action.trigger()
        assert window.stack.currentIndex() == index


def test_frame_without_data_then_attach(qtbot, mg_ctx, monkeypatch):
    """The frame app.py paints before the database is open: nothing to click, then filled by attach()."""
    win = MainWindow(None, page_specs())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.painted)
    assert not win.sidebar.isEnabled() and not win.search.isEnabled() and not win.cycle_combo.isEnabled()
    assert win.data_label.text() == "Abrindo os dados…"
    assert win.pages == {}  # no screen built, no service touched
    assert not any(a.shortcut().toString() == "Ctrl+1" for a in win.actions())

    refreshes = []
    from suas_desktop.ui.pages import dashboard_page

    monkeypatch.setattr(
        dashboard_page.DashboardPage,
        "refresh",
        lambda self, _orig=dashboard_page.DashboardPage.refresh: (refreshes.append(1), _orig(self))[1],
    )
    win.attach(mg_ctx)
    assert win.sidebar.isEnabled() and win.search.isEnabled() and win.cycle_combo.isEnabled()
    assert "Dados em" in win.data_label.text()
    assert win.stack.currentWidget() is win.pages["dashboard"]
    assert refreshes == [1]  # built with its data once, not refreshed a second time on first show
    win.show_page("checklists")
    win.show_page("dashboard")
    assert refreshes == [1, 1]  # shown again: refreshed


def test_header_shows_municipality_and_active_cycle(window, mg_ctx):
    assert "Cônego Marinho" in window.municipality_label.text()
    assert "Pequeno Porte I" in window.municipality_label.text()
    assert window.cycle_combo.currentText().startswith("Encerramento 2026")
    transition = mg_ctx.services.checklists.start_cycle(
        actor="ana", kind=CycleKind.TRANSITION, reference_year=2028
    )
    mg_ctx.notify("cycle")
    index = window.cycle_combo.findData(transition.id)
    assert index >= 0
    window.cycle_combo.setCurrentIndex(index)
    window.cycle_combo.activated.emit(index)
    assert mg_ctx.active_cycle_id == transition.id


def test_search_finds_an_item_and_opens_checklists(window, qtbot):
    window.search.setText("conciliação bancária")
    window._run_search()
    assert window._hits
    first = next(iter(window._hits))
    window._hit_chosen(first)
    assert window.stack.currentWidget() is window.pages["checklists"]


def test_saved_label_updates_on_change(window, mg_ctx):
    mg_ctx.notify("cycle_item")
    assert window.saved_label.text().startswith("Salvo às")


def _capture_boxes(monkeypatch) -> list[QMessageBox]:
    shown: list[QMessageBox] = []

    def fake_exec(box):
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


def test_user_and_known_errors_show_their_message(qtbot, monkeypatch):
    shown = _capture_boxes(monkeypatch)
    error_dialogs.show_error(None, UserError("CNPJ inválido.", hint="Confira os dígitos."))
    error_dialogs.show_error(None, DiskFull("Não há espaço livre no disco."))
    assert [b.text() for b in shown] == ["CNPJ inválido.", "Não há espaço livre no disco."]
    assert shown[0].informativeText() == "Confira os dígitos."
    assert shown[1].icon() == QMessageBox.Icon.Critical


def test_crash_handler_logs_and_shows_dialog(qtbot, monkeypatch, tmp_path, caplog):
    shown = _capture_boxes(monkeypatch)
    handler = error_dialogs.CrashHandler(tmp_path)
    try:
        raise ZeroDivisionError("bug")
    except ZeroDivisionError:
        handler(*sys.exc_info())
    assert "erro inesperado" in shown[0].text()
    assert "ZeroDivisionError" in shown[0].detailedText()
    assert any("unhandled exception" in r.message for r in caplog.records)


def test_restore_offer_buttons(qtbot, monkeypatch):
    captured = {}

    def fake_exec(box):
        captured["buttons"] = [b.text() for b in box.buttons()]
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert error_dialogs.ask_restore_backup(None, "Danificado.", "copia.db") is False
    assert "Restaurar Cópia" in captured["buttons"]
