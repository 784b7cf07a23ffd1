"""Composition root of the desktop app: paths, logging, data folder, services, main window.

The only module (with ``ui/``) that imports PySide6 and knows every concrete class.

Start-up order (benchmarks/results.md, section 1): the window's frame is painted first, with only
PySide6, the theme and the frame imported; then the services, the database and the Painel; then
the daily backup. The user sees the window in about the time a bare Qt window takes.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QEventLoop,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QThreadPool,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from suas_desktop import APP_NAME, APP_SLUG, ORG_NAME, __version__, log
from suas_desktop.errors import DatabaseCorrupt, SuasError
from suas_desktop.paths import DataLayout, resolve_data_layout, resources_dir
from suas_desktop.ui import error_dialogs, theme
from suas_desktop.ui.main_window import MainWindow, PageSpec

if TYPE_CHECKING:
    from suas_desktop.services.workspace import Workspace
    from suas_desktop.ui.app_context import AppContext

#: Smoke tests (and `make run` checks under Xvfb) close the window after this many milliseconds.
ENV_AUTOCLOSE_MS = "SUAS_DESKTOP_AUTOCLOSE_MS"

#: QSettings key mirroring the theme chosen in Configurações. The database keeps the choice; the
#: mirror lets the frame be painted in that theme before the database is open.
THEME_MIRROR = "ui/theme"


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
    from suas_desktop.services.recovery import restore_database_backup
    from suas_desktop.services.workspace import open_workspace

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


def build_context(workspace: Workspace, *, pool: QThreadPool | None = None) -> AppContext:
    """Services and context over an open workspace, with the last active cycle restored."""
    from suas_desktop.services.template_catalog import load_catalog
    from suas_desktop.services.workspace import summarize
    from suas_desktop.ui.app_context import AppContext, build_services
    from suas_desktop.ui.tasks import TaskRunner

    ctx = AppContext(
        build_services(workspace, load_catalog()), summarize(workspace), TaskRunner(pool), workspace=workspace
    )
    ctx.restore_active_cycle()
    return ctx


def _mirror_theme(ctx: AppContext, settings: QSettings | None) -> str:
    """The saved theme choice, copied into ``settings`` for the next start's frame."""
    choice = ctx.services.local.get(theme.THEME_KEY) or "system"
    if settings is not None and settings.value(THEME_MIRROR) != choice:
        settings.setValue(THEME_MIRROR, choice)
    return choice


def apply_saved_theme(ctx: AppContext, settings: QSettings | None = None) -> None:
    """The theme chosen in Configurações, applied and mirrored."""
    choice = _mirror_theme(ctx, settings)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        theme.apply_choice(app, choice)


def build_window(workspace: Workspace, *, settings: QSettings | None = None, pool: QThreadPool | None = None):
    """Services, context and main window over an open workspace (also used by GUI tests)."""
    ctx = build_context(workspace, pool=pool)
    apply_saved_theme(ctx, settings)
    return ctx, MainWindow(ctx, page_specs(), settings)


def _paint_now(app: QApplication, window: MainWindow, limit_s: float = 0.5) -> None:
    """Show ``window`` and let Qt paint it before the slow part of the start begins."""
    window.show()
    deadline = time.monotonic() + limit_s
    while not window.painted and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


class _AfterFirstPaint(QObject):
    """Runs ``job`` once, as soon as the watched widget has been painted (or at :meth:`flush`).

    Work the first screen does not need (the daily backup and the code that writes it) waits until
    the user sees the Painel: start-up is judged by that moment (benchmarks/results.md).
    """

    def __init__(self, parent: QObject, job: Callable[[], None]) -> None:
        super().__init__(parent)
        self._job: Callable[[], None] | None = job

    def watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._job is not None:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.flush)
        return False

    def flush(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            job()


def _daily_backup(workspace: Workspace) -> None:
    """One automatic copy a day, with day/week/month retention (APP-4); never stops the app."""
    from suas_desktop.services.backup_archive import ensure_daily_backup, prune_backups

    try:
        ensure_daily_backup(workspace)
        prune_backups(workspace)
    except SuasError as exc:
        log.init.warning("automatic backup skipped: %s", exc.message)


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
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_SLUG)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    icon = resources_dir() / "icons" / "suas-desktop.png"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    _install_qt_translation(app)
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORG_NAME, APP_SLUG)
    frame_theme = str(settings.value(THEME_MIRROR) or "system")
    theme.apply_choice(app, frame_theme)

    layout = resolve_data_layout(data_dir)
    error_dialogs.CrashHandler(layout.logs).install()
    # The frame first: the user sees the window while the services load and the database opens.
    window = MainWindow(None, page_specs(), settings)
    _paint_now(app, window)
    workspace = _open(layout)
    if workspace is None:
        window.close()
        return 1
    log.init.info("%s %s started", APP_NAME, __version__)
    from suas_desktop.services.session import end_session

    backup = _AfterFirstPaint(window, lambda: _daily_backup(workspace))
    ctx: AppContext | None = None
    try:
        ctx = build_context(workspace, pool=QThreadPool.globalInstance())
        saved_theme = _mirror_theme(ctx, settings)
        if saved_theme != frame_theme:  # applying the theme again costs a restyle of every widget
            theme.apply_choice(app, saved_theme)
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
        window.attach(ctx)
        backup.watch(window.stack.currentWidget())
        if autoclose:
            QTimer.singleShot(int(autoclose), window.close)
        return app.exec()
    finally:
        QThreadPool.globalInstance().waitForDone(30_000)
        backup.flush()  # the app stopped before the Painel was painted: the day's copy is still taken
        if ctx is not None:
            _mirror_theme(ctx, settings)  # a theme chosen during this session paints the next frame
        end_session(workspace)  # the logout goes to the audit trail
        workspace.close()
        log.init.info("closed")
