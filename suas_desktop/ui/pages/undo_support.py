"""What the undo commands of the Checklists and Registers screens share.

Both screens follow the same contract: the first ``redo`` (from ``push``) only announces the change, because
the page or form already made it through the service and showed any error in the normal way, so a refused
change never reaches the stack. A later undo or redo whose service call fails shows the error and marks the
command obsolete, so the stack drops it instead of keeping a step that cannot be applied.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from suas_desktop.errors import SuasError
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.error_dialogs import show_error


class IdMap:
    """Where a record lives now after undo re-created it under a new id (old id -> newer id, chained).

    The services have no "restore", so undoing a removal creates the thing again under a new id; commands
    further down the stack still hold the old id and resolve it here.
    """

    def __init__(self) -> None:
        self._moved: dict[str, str] = {}

    def moved(self, old: str, new: str) -> None:
        if old != new:
            self._moved[old] = new

    def current(self, record_id: str) -> str:
        seen = set()
        while record_id in self._moved and record_id not in seen:
            seen.add(record_id)
            record_id = self._moved[record_id]
        return record_id


class ServiceCommand(QUndoCommand):
    """One undoable change made through a service: redo calls ``_apply``, undo calls ``_revert``.

    ``entity`` is what ``ctx.notify`` announces after every step, so the screens showing it reload.
    """

    def __init__(self, ctx: AppContext, text: str, parent_widget: QWidget | None, entity: str) -> None:
        super().__init__(text)
        self._ctx = ctx
        self._entity = entity
        self._parent_widget = parent_widget
        self._first = True

    def _run(self, step: Callable[[], object]) -> None:
        try:
            step()
        except SuasError as exc:
            self.setObsolete(True)
            show_error(self._parent_widget, exc)
        self._ctx.notify(self._entity)

    def redo(self) -> None:
        if self._first:
            self._first = False
            self._ctx.notify(self._entity)
            return
        self._run(self._apply)

    def undo(self) -> None:
        self._run(self._revert)

    def _apply(self) -> None:
        raise NotImplementedError

    def _revert(self) -> None:
        raise NotImplementedError
