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

from PySide6.QtWidgets import QWidget

from suas_desktop.services.register_service import RegisterService
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.pages.undo_support import IdMap, ServiceCommand


class RecordIds(IdMap):
    """Where a record lives now after undo re-created it under a new id (old id -> newer id, chained)."""


class _RecordCommand(ServiceCommand):
    """Shared plumbing: the service, the id map, create/delete by id; errors and ``notify`` come from
    :class:`ServiceCommand` (the register name is the notified entity)."""

    def __init__(
        self, ctx: AppContext, name: str, ids: RecordIds, text: str, parent_widget: QWidget | None
    ) -> None:
        super().__init__(ctx, text, parent_widget, name)
        self._name = name
        self._ids = ids

    @property
    def _service(self) -> RegisterService:
        return self._ctx.services.registers

    def _create(self, record_id: str, values: Mapping[str, Any]) -> None:
        record = self._service.create(actor=self._ctx.actor, name=self._name, values=values)
        self._ids.moved(self._ids.current(record_id), record.id)

    def _delete(self, record_id: str) -> None:
        self._service.delete(actor=self._ctx.actor, name=self._name, record_id=self._ids.current(record_id))


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

    def _apply(self) -> None:
        self._create(self._record_id, self._values)

    def _revert(self) -> None:
        self._delete(self._record_id)


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

    def _write(self, values: Mapping[str, Any]) -> None:
        self._service.update(
            actor=self._ctx.actor,
            name=self._name,
            record_id=self._ids.current(self._record_id),
            values=values,
        )

    def _apply(self) -> None:
        self._write(self._after)

    def _revert(self) -> None:
        self._write(self._before)


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

    def _apply(self) -> None:
        self._delete(self._record_id)

    def _revert(self) -> None:
        self._create(self._record_id, self._values)
