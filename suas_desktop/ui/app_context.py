"""What every screen needs: the services, who is working, the undo stack and a change signal.

Views never talk to each other: a view that changes data calls ``notify(entity)`` and every view
that shows that entity refreshes itself (Anki's ``operation_did_execute`` pattern).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from suas_desktop.domain.clock import today_local
from suas_desktop.domain.permissions import Permission, Session
from suas_desktop.services.audit_service import AuditService
from suas_desktop.services.backup_service import BackupService
from suas_desktop.services.checklist_service import ChecklistService
from suas_desktop.services.local_settings import LocalSettingsService
from suas_desktop.services.municipality_service import MunicipalityService
from suas_desktop.services.register_service import RegisterService
from suas_desktop.services.search_service import SearchService
from suas_desktop.services.session import UserService
from suas_desktop.services.template_catalog import TemplateCatalog
from suas_desktop.services.workspace import Workspace, WorkspaceSummary
from suas_desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from suas_desktop.services.package_service import PackageService
    from suas_desktop.services.report_service import ReportService
    from suas_desktop.services.signature_service import SignatureService


class _Lazy:
    """Builds a service on first use: reportlab, pyHanko and cryptography take about a second to import,
    and the window should not wait for screens the user has not opened yet."""

    def __init__(self, module: str, name: str, *args: Any) -> None:
        self._target = (module, name, args)
        self._service: Any = None

    def __getattr__(self, attribute: str) -> Any:
        if self._service is None:
            from importlib import import_module

            module, name, args = self._target
            self._service = getattr(import_module(f"suas_desktop.services.{module}"), name)(*args)
        return getattr(self._service, attribute)


@dataclass
class Services:
    municipalities: MunicipalityService
    checklists: ChecklistService
    registers: RegisterService
    local: LocalSettingsService
    backups: BackupService
    search: SearchService
    reports: ReportService
    packages: PackageService
    signatures: SignatureService
    users: UserService
    audit: AuditService


class AppContext(QObject):
    """Signals:
    data_changed(str): an entity changed ("cycle", "cycle_item", "municipality", a register name, "*").
    active_cycle_changed(str): the cycle shown in Painel and Checklists changed (id, or "" for none).
    session_changed(): someone logged in or out (screens that depend on the role refresh).
    """

    data_changed = Signal(str)
    active_cycle_changed = Signal(str)
    session_changed = Signal()

    def __init__(
        self,
        services: Services,
        summary: WorkspaceSummary,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        super().__init__(parent)
        #: The open data folder (for long tasks such as the demo build that take the whole workspace).
        self.workspace = workspace
        self.services = services
        self.summary = summary
        self.runner = runner
        self.undo_stack = QUndoStack(self)
        self._active_cycle_id = ""

    @property
    def actor(self) -> str:
        session = self.services.users.current
        if session is not None:
            return session.name
        user = self.services.local.current_user()
        return user.name if user else "usuário"

    @property
    def session(self) -> Session | None:
        """The logged-in person (None: a data folder without accounts, where everything is allowed)."""
        return self.services.users.current

    def session_started(self) -> None:
        """Call after a login or logout done through ``services.users``: screens refresh."""
        self.session_changed.emit()
        self.notify("*")

    def can(self, permission: Permission) -> bool:
        """For hiding what the role cannot do; the services check again."""
        return self.services.users.allows(permission)

    def today(self) -> date:
        """The day the user sees, from the workspace clock (frozen in tests)."""
        return today_local(self.workspace.clock) if self.workspace is not None else date.today()

    @property
    def active_cycle_id(self) -> str:
        return self._active_cycle_id

    def set_active_cycle(self, cycle_id: str) -> None:
        if cycle_id != self._active_cycle_id:
            self._active_cycle_id = cycle_id
            self.services.local.set("ui.active_cycle", cycle_id)
            self.active_cycle_changed.emit(cycle_id)

    def restore_active_cycle(self) -> None:
        """The last cycle the user looked at, else the newest open one."""
        saved = self.services.local.get("ui.active_cycle") or ""
        cycles = self.services.checklists.cycles()
        ids = {c.id for c in cycles}
        if saved not in ids:
            # The open cycle closest to this year (this year's closing before a future transition).
            year = self.today().year
            candidates = [c for c in cycles if not c.is_concluded] or cycles
            candidates.sort(key=lambda c: (abs(c.reference_year - year), c.kind.value != "closing"))
            saved = candidates[0].id if candidates else ""
        self._active_cycle_id = ""
        self.set_active_cycle(saved)

    def notify(self, entity: str) -> None:
        self.data_changed.emit(entity)


def build_services(ws: Workspace, catalog: TemplateCatalog) -> Services:
    """All services over one open workspace (used by app.py and by GUI tests)."""
    return Services(
        municipalities=MunicipalityService(ws),
        checklists=ChecklistService(ws, catalog),
        registers=RegisterService(ws),
        local=LocalSettingsService(ws),
        backups=BackupService(ws),
        search=SearchService(ws),
        reports=_Lazy("report_service", "ReportService", ws, catalog),  # type: ignore[arg-type]
        packages=_Lazy("package_service", "PackageService", ws),  # type: ignore[arg-type]
        signatures=_Lazy("signature_service", "SignatureService", ws),  # type: ignore[arg-type]
        users=UserService(ws),
        audit=AuditService(ws),
    )
