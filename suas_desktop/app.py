"""Composition root of the desktop app: paths, logging, data folder, services, main window.

The only module (with ``ui/``) that imports PySide6 and knows every concrete class.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from importlib import import_module

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QThreadPool, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from suas_desktop import APP_NAME, APP_SLUG, ORG_NAME, __version__, log
from suas_desktop.errors import DatabaseCorrupt, SuasError
from suas_desktop.paths import DataLayout, resolve_data_layout, resources_dir
from suas_desktop.services.backup_archive import ensure_daily_backup, prune_backups
from suas_desktop.services.recovery import restore_database_backup
from suas_desktop.services.session import end_session
from suas_desktop.services.template_catalog import load_catalog
from suas_desktop.services.workspace import Workspace, open_workspace, summarize
from suas_desktop.ui import error_dialogs, theme
from suas_desktop.ui.app_context import AppContext, build_services
from suas_desktop.ui.main_window import MainWindow, PageSpec
from suas_desktop.ui.tasks import TaskRunner

#: Smoke tests (and `make run` checks under Xvfb) close the window after this many milliseconds.
ENV_AUTOCLOSE_MS = "SUAS_DESKTOP_AUTOCLOSE_MS"


def _lazy_page(module: str, name: str) -> Callable[[AppContext], QWidget]:
    """A factory that imports the screen's module only when the screen is first shown."""

    def build(ctx: AppContext) -> QWidget:
        return getattr(import_module(f"suas_desktop.ui.pages.{module}"), name)(ctx)

    return build


def page_specs() -> list[PageSpec]:
    """The screens of the sidebar, in order (Ctrl+1 … Ctrl+N)."""
    return [
        PageSpec("dashboard", "Painel", _lazy_page("dashboard_page", "DashboardPage")),
        PageSpec("checklists", "Checklists", _lazy_page("checklists_page", "ChecklistsPage")),
        PageSpec("registers", "Cadastros", _lazy_page("registers_page", "RegistersPage")),
        PageSpec("reports", "Relatórios", _lazy_page("reports_page", "ReportsPage")),
        PageSpec("transfer", "Transferência", _lazy_page("transfer_page", "TransferPage")),
        PageSpec("settings", "Configurações", _lazy_page("settings_page", "SettingsPage")),
    ]


def _open(layout: DataLayout) -> Workspace | None:
    """Open the data folder; on a damaged database offer the newest backup. None: give up."""
    if os.environ.get(ENV_AUTOCLOSE_MS):
        # Smoke tests have nobody to click a dialog: say what is wrong on stderr and give up.
        try:
            return open_workspace(layout)
        except SuasError as exc:
            print(f"Erro: {exc.user_text()}", file=sys.stderr)
            return None
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


def build_window(workspace: Workspace, *, settings: QSettings | None = None, pool: QThreadPool | None = None):
    """Services, context and main window over an open workspace (also used by GUI tests)."""
    ctx = AppContext(
        build_services(workspace, load_catalog()), summarize(workspace), TaskRunner(pool), workspace=workspace
    )
    ctx.restore_active_cycle()
    # The theme chosen in Configurações (key shared with ui/pages/settings_page.py).
    choice = ctx.services.local.get("ui.theme") or "system"
    app = QApplication.instance()
    if app is not None:
        theme.apply(app, dark={"light": False, "dark": True}.get(choice))
    return ctx, MainWindow(ctx, page_specs(), settings)


def needs_first_run(ctx: AppContext) -> bool:
    return ctx.services.municipalities.profile() is None or ctx.services.local.current_user() is None


def _install_qt_translation(app: QApplication) -> None:
    """Qt's own texts (standard buttons, file dialogs) in Brazilian Portuguese."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Portuguese, QLocale.Country.Brazil), "qtbase", "_", folder):
        app.installTranslator(translator)


def main(data_dir: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_SLUG)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    icon = resources_dir() / "icons" / "suas-desktop.png"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    _install_qt_translation(app)
    theme.apply(app)

    layout = resolve_data_layout(data_dir)
    error_dialogs.CrashHandler(layout.logs).install()
    workspace = _open(layout)
    if workspace is None:
        return 1
    log.init.info("%s %s started", APP_NAME, __version__)
    try:
        # One automatic copy a day, with day/week/month retention (APP-4); never blocks the start.
        ensure_daily_backup(workspace)
        prune_backups(workspace)
    except SuasError as exc:
        log.init.warning("automatic backup skipped: %s", exc.message)
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORG_NAME, APP_SLUG)
    try:
        ctx, window = build_window(workspace, settings=settings, pool=QThreadPool.globalInstance())
        autoclose = os.environ.get(ENV_AUTOCLOSE_MS)
        if not autoclose:
            from suas_desktop.ui.dialogs.login_dialog import log_in_at_start

            # With accounts (and automatic login off) nobody works before logging in.
            if not log_in_at_start(ctx):
                return 0
        if needs_first_run(ctx) and not autoclose:
            from suas_desktop.ui.first_run_wizard import FirstRunWizard

            if not FirstRunWizard.run(ctx):
                return 0
            ctx.restore_active_cycle()
            ctx.notify("*")
        window.show()
        if autoclose:
            QTimer.singleShot(int(autoclose), window.close)
        return app.exec()
    finally:
        QThreadPool.globalInstance().waitForDone(30_000)
        end_session(workspace)  # the logout goes to the audit trail
        workspace.close()
        log.init.info("closed")
