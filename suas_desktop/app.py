"""Composition root of the desktop app: paths, logging, data folder, services, main window.

The only module (with ``ui/``) that imports PySide6, and the only one that knows every concrete class.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from suas_desktop import APP_NAME, APP_SLUG, ORG_NAME, __version__, log
from suas_desktop.errors import DatabaseCorrupt, SuasError
from suas_desktop.paths import DataLayout, resolve_data_layout
from suas_desktop.services.recovery import restore_database_backup
from suas_desktop.services.workspace import Workspace, open_workspace, summarize
from suas_desktop.ui import error_dialogs, theme
from suas_desktop.ui.main_window import MainWindow

#: Smoke tests (and `make run` checks under Xvfb) close the window after this many milliseconds.
ENV_AUTOCLOSE_MS = "SUAS_DESKTOP_AUTOCLOSE_MS"


def _open(layout: DataLayout) -> Workspace | None:
    """Open the data folder; on a damaged database offer the newest backup. None: give up."""
    while True:
        try:
            return open_workspace(layout)
        except DatabaseCorrupt as exc:
            if exc.backup is None or not error_dialogs.ask_restore_backup(None, exc.message, exc.backup.name):
                if exc.backup is None:
                    error_dialogs.show_error(None, exc)
                return None
            try:
                restore_database_backup(layout, exc.backup)
            except SuasError as restore_error:
                error_dialogs.show_error(None, restore_error)
                return None
            QMessageBox.information(None, APP_NAME, "A cópia de segurança foi restaurada.")
        except SuasError as exc:
            error_dialogs.show_error(None, exc)
            return None


def main(data_dir: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_SLUG)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    theme.apply(app)

    layout = resolve_data_layout(data_dir)
    crash_handler = error_dialogs.CrashHandler(layout.logs)
    crash_handler.install()
    workspace = _open(layout)
    if workspace is None:
        return 1
    log.init.info("%s %s started", APP_NAME, __version__)
    window = MainWindow(summarize(workspace))
    window.show()
    autoclose = os.environ.get(ENV_AUTOCLOSE_MS)
    if autoclose:
        QTimer.singleShot(int(autoclose), window.close)
    try:
        return app.exec()
    finally:
        workspace.close()
        log.init.info("closed")
