"""The main window and the error dialogs."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox

from suas_desktop.errors import DiskFull, UserError
from suas_desktop.services.workspace import summarize
from suas_desktop.ui import error_dialogs
from suas_desktop.ui.main_window import PURPOSE_ITEMS, MainWindow


@pytest.fixture
def window(qtbot, workspace):
    win = MainWindow(summarize(workspace))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_empty_state_says_what_the_app_is_for(window, workspace):
    texts = " ".join(label.text() for label in window.findChildren(QLabel))
    assert "Boas-vindas" in texts
    for heading, _ in PURPOSE_ITEMS:
        assert heading in texts
    assert str(workspace.layout.root) in window.data_label.text()


def test_quit_shortcut_closes(window, qtbot):
    action = next(a for a in window.actions() if a.text() == "Sair")
    action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


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
