"""The single place where exceptions become message boxes (architecture.md §8.4, convention 7)."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from suas_desktop import APP_NAME, log
from suas_desktop.errors import Cancelled, KnownError, SuasError


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Known and user errors: their Portuguese message. Anything else: the crash dialog."""
    if isinstance(exc, Cancelled):
        return
    if isinstance(exc, SuasError):
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Critical if isinstance(exc, KnownError) else QMessageBox.Icon.Warning)
        box.setWindowTitle(APP_NAME)
        box.setText(exc.message)
        if exc.hint:
            box.setInformativeText(exc.hint)
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.button(QMessageBox.StandardButton.Close).setText("Fechar")
        box.exec()
        return
    show_crash(parent, exc)


def show_crash(parent: QWidget | None, exc: BaseException, logs_dir: Path | None = None) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(f"{APP_NAME}: erro inesperado")
    box.setText("Aconteceu um erro inesperado no SUAS Desktop.")
    where = f" na pasta {logs_dir}" if logs_dir else " na pasta de registros (logs)"
    box.setInformativeText(
        "O que você já tinha salvo não foi perdido. Os detalhes técnicos foram gravados"
        f"{where}; envie esse arquivo ao suporte."
    )
    box.setDetailedText("".join(traceback.format_exception(exc)))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.button(QMessageBox.StandardButton.Close).setText("Fechar")
    box.exec()


class CrashHandler:
    """``sys.excepthook`` for the GUI: logs the traceback, then shows the crash dialog."""

    def __init__(self, logs_dir: Path | None) -> None:
        self.logs_dir = logs_dir
        self._showing = False

    def install(self) -> None:
        sys.excepthook = self

    def __call__(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.ui.critical("unhandled exception", exc_info=(kind, exc, tb))
        if self._showing or QApplication.instance() is None:
            return
        self._showing = True  # an error inside the dialog must not open dialogs forever
        try:
            if isinstance(exc, SuasError):
                show_error(QApplication.activeWindow(), exc)
            else:
                show_crash(QApplication.activeWindow(), exc, self.logs_dir)
        finally:
            self._showing = False


def ask_restore_backup(parent: QWidget | None, message: str, backup_name: str) -> bool:
    """Offer to restore the newest backup of a damaged database. True when the user accepts."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(APP_NAME)
    box.setText(message)
    box.setInformativeText(
        f"Existe uma cópia de segurança ({backup_name}). Restaurar essa cópia? "
        "O arquivo danificado será guardado na pasta de cópias de segurança, não apagado."
    )
    restore = box.addButton("Restaurar Cópia", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Sair", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore
