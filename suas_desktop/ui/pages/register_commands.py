"""Undo commands for the registers: each redo/undo calls one RegisterService method.

A deleted record comes back through ``create`` with the same values but a **new id**: the service has no
"restore" (its delete is final and leaves a sync tombstone), and creating is the one operation every register
supports. The old id cannot be referenced by anything, because the service refuses to delete a record that
other records point to. Commands further down the stack may still hold the old id (say: edit, then delete,
then undo both), so every command resolves its id through a shared :class:`RecordIds` map that remembers
"this record now lives under that id".

The first ``redo`` (from ``push``) only announces the change: the form or the page already made it through
the service and showed any error in the normal way, so a failed save or delete never reaches the stack.
A later undo or redo whose service call fails (the record was changed meanwhile, a reference now blocks a
delete) shows the error and marks itself obsolete, so the stack drops it instead of keeping a step that
cannot be applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from suas_desktop.errors import SuasError
from suas_desktop.services.register_service import RegisterService
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.error_dialogs import show_error


class RecordIds:
    """Where a record lives now after undo re-created it under a new id (old id -> newer id, chained)."""

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


class _RecordCommand(QUndoCommand):
    """Shared plumbing: the service, the id map, error handling and ``notify`` after every change."""

    def __init__(
        self, ctx: AppContext, name: str, ids: RecordIds, text: str, parent_widget: QWidget | None
    ) -> None:
        super().__init__(text)
        self._ctx = ctx
        self._name = name
        self._ids = ids
        self._parent_widget = parent_widget

    @property
    def _service(self) -> RegisterService:
        return self._ctx.services.registers

    def _run(self, step: Any) -> None:
        try:
            step()
        except SuasError as exc:
            self.setObsolete(True)
            show_error(self._parent_widget, exc)
        self._ctx.notify(self._name)


class CreateRecord(_RecordCommand):
    """A record was created by the form: redo creates it again, undo deletes it."""

    def __init__(
        self,
        ctx: AppContext,
        name: str,
        ids: RecordIds,
        *,
        record_id: str,
        values: Mapping[str, Any],
        title: str,
        parent_widget: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, name, ids, f"Incluir “{title}”", parent_widget)
        self._record_id = record_id
        self._values = dict(values)
        self._done = True  # the dialog already saved it; the first redo (from push) only notifies

    def redo(self) -> None:
        if self._done:
            self._ctx.notify(self._name)
            return
        self._run(self._create)

    def _create(self) -> None:
        record = self._service.create(actor=self._ctx.actor, name=self._name, values=self._values)
        self._ids.moved(self._ids.current(self._record_id), record.id)
        self._done = True

    def undo(self) -> None:
        def delete() -> None:
            self._service.delete(
                actor=self._ctx.actor, name=self._name, record_id=self._ids.current(self._record_id)
            )
            self._done = False

        self._run(delete)


class UpdateRecord(_RecordCommand):
    """A record was edited by the form: undo writes the previous values back, redo the new ones."""

    def __init__(
        self,
        ctx: AppContext,
        name: str,
        ids: RecordIds,
        *,
        record_id: str,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
        title: str,
        parent_widget: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, name, ids, f"Alterar “{title}”", parent_widget)
        self._record_id = record_id
        self._before = dict(before)
        self._after = dict(after)
        self._first = True

    def _write(self, values: Mapping[str, Any]) -> None:
        self._service.update(
            actor=self._ctx.actor,
            name=self._name,
            record_id=self._ids.current(self._record_id),
            values=values,
        )

    def redo(self) -> None:
        if self._first:
            self._first = False
            self._ctx.notify(self._name)
            return
        self._run(lambda: self._write(self._after))

    def undo(self) -> None:
        self._run(lambda: self._write(self._before))


class DeleteRecord(_RecordCommand):
    """A record was deleted by the page: undo creates it again with the same values (under a new id, see
    the module doc), redo deletes it again."""

    def __init__(
        self,
        ctx: AppContext,
        name: str,
        ids: RecordIds,
        *,
        record_id: str,
        values: Mapping[str, Any],
        title: str,
        parent_widget: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, name, ids, f"Excluir “{title}”", parent_widget)
        self._record_id = record_id
        self._values = dict(values)
        self._first = True  # the page already deleted it; the first redo (from push) only notifies

    def redo(self) -> None:
        if self._first:
            self._first = False
            self._ctx.notify(self._name)
            return
        self._run(
            lambda: self._service.delete(
                actor=self._ctx.actor, name=self._name, record_id=self._ids.current(self._record_id)
            )
        )

    def undo(self) -> None:
        def create() -> None:
            record = self._service.create(actor=self._ctx.actor, name=self._name, values=self._values)
            self._ids.moved(self._ids.current(self._record_id), record.id)

        self._run(create)
