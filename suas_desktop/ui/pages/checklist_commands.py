"""Undo commands of the Checklists screen: each redo/undo calls one ChecklistService method.

The first ``redo`` (from ``push``) only announces the change: the page already made it through the service
and showed any error under its field, so a refused change never reaches the stack (same shape as
``register_commands``). A later undo or redo whose service call fails (the cycle was concluded meanwhile, the
item was removed by an import) shows the error and marks itself obsolete, so the stack drops it.

**Evidence files and undo.** Removing an attachment may delete the stored file (the store keeps one copy per
content and drops it when nothing uses it). So before a removal the command keeps the file in a
:class:`FileStash`: a private temporary folder holding a hard link to the stored file when the disk allows
it (no extra space, instant) or else a copy, under the original file name. Undo attaches that file again;
the attachment comes back with the same name and content but a **new id** and a new "incluído em" date
(the service has no "restore"), and :class:`MovedIds` lets older commands find it. The stash lives as long
as the command (it is deleted when the undo stack drops the command or the program ends).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtWidgets import QWidget

from suas_desktop.domain.cycle import Status
from suas_desktop.errors import SuasError
from suas_desktop.services.checklist_service import ChecklistService
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.pages.undo_support import IdMap, ServiceCommand

ITEM_ENTITY = "cycle_item"
CYCLE_ENTITY = "cycle"

#: Written in the audit log when Desfazer reopens a cycle that had just been concluded.
UNDO_CONCLUDE_REASON = "Conclusão desfeita pelo botão Desfazer."

V = TypeVar("V")


class MovedIds(IdMap):
    """Where an attachment lives now after undo attached its file again (old id -> newer id, chained)."""


class FileStash:
    """A private folder keeping removed evidence files so that undo can attach them again.

    The folder is created on first use and deleted with the stash (``weakref.finalize``: when the undo
    stack drops the command, or at exit).
    """

    #: Where stashes live: the data folder's private tmp/ (set by the page), never the shared system temp,
    #: because evidence may hold personal data (LGPD); leftovers are cleared when the folder is opened.
    base_dir: Path | None = None

    def __init__(self) -> None:
        self._dir: Path | None = None
        self._finalizer: weakref.finalize | None = None
        self._count = 0

    def keep(self, source: Path, file_name: str) -> Path:
        """Hard-link (or copy) ``source`` into the stash under ``file_name``; returns the kept path."""
        if self._dir is None:
            if FileStash.base_dir is not None:
                FileStash.base_dir.mkdir(parents=True, exist_ok=True)
            self._dir = Path(tempfile.mkdtemp(prefix="suas-desfazer-", dir=FileStash.base_dir))
            self._finalizer = weakref.finalize(self, shutil.rmtree, self._dir, ignore_errors=True)
        self._count += 1
        folder = self._dir / str(self._count)
        folder.mkdir()
        target = folder / (Path(file_name).name or "anexo")
        try:
            os.link(source, target)
        except OSError:  # another disk, FAT32, no permission: copy instead
            shutil.copyfile(source, target)
        return target

    def cleanup(self) -> None:
        if self._finalizer is not None:
            self._finalizer()


class _ChecklistCommand(ServiceCommand):
    """Shared plumbing: the service, "first redo only notifies", errors, ``notify`` after each step."""

    def __init__(
        self, ctx: AppContext, text: str, parent_widget: QWidget | None, entity: str = ITEM_ENTITY
    ) -> None:
        super().__init__(ctx, text, parent_widget, entity)

    @property
    def _service(self) -> ChecklistService:
        return self._ctx.services.checklists


class _ItemValueCommand(_ChecklistCommand, Generic[V]):
    """One field of an item changed from ``before`` to ``after``: redo writes ``after``, undo ``before``.

    Subclasses name the field (``_WHAT``, used in the Desfazer/Refazer text) and write a value (``_write``).
    """

    _WHAT = ""

    def __init__(
        self,
        ctx: AppContext,
        item_id: str,
        before: V,
        after: V,
        *,
        item_key: str,
        parent_widget: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, f"Alterar {self._WHAT} de {item_key}", parent_widget)
        self.item_id = item_id
        self._before = before
        self._after = after

    def _write(self, value: V) -> None:
        raise NotImplementedError

    def _apply(self) -> None:
        self._write(self._after)

    def _revert(self) -> None:
        self._write(self._before)


class SetItemStatus(_ItemValueCommand[tuple[Status, str]]):
    """The situação of an item changed (with its justification, for "Não se aplica" and "Bloqueado")."""

    _WHAT = "a situação"

    def _write(self, value: tuple[Status, str]) -> None:
        status, reason = value
        self._service.set_status(actor=self._ctx.actor, item_id=self.item_id, status=status, reason=reason)


class AssignItem(_ItemValueCommand[str]):
    _WHAT = "o responsável"

    def _write(self, value: str) -> None:
        self._service.assign(actor=self._ctx.actor, item_id=self.item_id, responsible=value)


class SetItemNotes(_ItemValueCommand[str]):
    _WHAT = "as observações"

    def _write(self, value: str) -> None:
        self._service.set_notes(actor=self._ctx.actor, item_id=self.item_id, notes=value)


class OverrideItemDue(_ItemValueCommand[tuple[date | None, str]]):
    """The due date was set by hand (date + reason) or went back to the rule (date None).

    ``before`` is the override in force before the change, as (date, reason) or (None, "") for "the rule".
    Undoing a change made over a date that came from a norm file writes that date back as a manual date
    with the norm's text as the reason (the service has no way to mark it as "from the norm" again).
    """

    _WHAT = "o prazo"

    def _write(self, value: tuple[date | None, str]) -> None:
        day, reason = value
        self._service.override_due(actor=self._ctx.actor, item_id=self.item_id, day=day, reason=reason)


class AttachEvidence(_ChecklistCommand):
    """A file was attached: undo detaches it (keeping the file in a stash), redo attaches it again."""

    def __init__(
        self,
        ctx: AppContext,
        ids: MovedIds,
        item_id: str,
        attachment_id: str,
        *,
        file_name: str,
        parent_widget: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, f"Anexar “{file_name}”", parent_widget)
        self.item_id = item_id
        self._ids = ids
        self._attachment_id = attachment_id
        self._file_name = file_name
        self._stash = FileStash()
        self._kept: Path | None = None

    def _revert(self) -> None:
        current = self._ids.current(self._attachment_id)
        self._kept = self._stash.keep(self._service.attachment_path(current), self._file_name)
        self._service.remove_attachment(actor=self._ctx.actor, attachment_id=current)

    def _apply(self) -> None:
        if self._kept is None:  # cannot happen: redo after a successful undo only
            raise SuasError(f"O arquivo “{self._file_name}” não está mais disponível para anexar de novo.")
        row = self._service.attach(actor=self._ctx.actor, item_id=self.item_id, path=self._kept)
        self._ids.moved(self._ids.current(self._attachment_id), row.id)


class RemoveEvidence(_ChecklistCommand):
    """An attachment was removed by the page, which first kept its file with :meth:`keep_file`.

    Undo attaches the kept file again; redo removes it again.
    """

    def __init__(
        self,
        ctx: AppContext,
        ids: MovedIds,
        item_id: str,
        attachment_id: str,
        *,
        file_name: str,
        stash: FileStash,
        kept: Path,
        parent_widget: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, f"Remover o anexo “{file_name}”", parent_widget)
        self.item_id = item_id
        self._ids = ids
        self._attachment_id = attachment_id
        self._stash = stash
        self._kept = kept

    @staticmethod
    def keep_file(service: ChecklistService, attachment_id: str, file_name: str) -> tuple[FileStash, Path]:
        """Stash the stored file of an attachment before removing it (raises UserError if it is missing)."""
        stash = FileStash()
        return stash, stash.keep(service.attachment_path(attachment_id), file_name)

    def _revert(self) -> None:
        row = self._service.attach(actor=self._ctx.actor, item_id=self.item_id, path=self._kept)
        self._ids.moved(self._ids.current(self._attachment_id), row.id)

    def _apply(self) -> None:
        self._service.remove_attachment(
            actor=self._ctx.actor, attachment_id=self._ids.current(self._attachment_id)
        )


class ConcludeCycle(_ChecklistCommand):
    """The cycle was concluded: undo reopens it (the audit log says it was Desfazer), redo concludes again."""

    def __init__(
        self, ctx: AppContext, cycle_id: str, *, title: str, parent_widget: QWidget | None = None
    ) -> None:
        super().__init__(ctx, f"Concluir o ciclo “{title}”", parent_widget, CYCLE_ENTITY)
        self.cycle_id = cycle_id

    def _apply(self) -> None:
        self._service.conclude(actor=self._ctx.actor, cycle_id=self.cycle_id)

    def _revert(self) -> None:
        self._service.reopen(actor=self._ctx.actor, cycle_id=self.cycle_id, reason=UNDO_CONCLUDE_REASON)


class ReopenCycle(_ChecklistCommand):
    """The cycle was reopened with a reason: undo concludes it again, redo reopens it with the same reason."""

    def __init__(
        self,
        ctx: AppContext,
        cycle_id: str,
        reason: str,
        *,
        title: str,
        parent_widget: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, f"Reabrir o ciclo “{title}”", parent_widget, CYCLE_ENTITY)
        self.cycle_id = cycle_id
        self._reason = reason

    def _apply(self) -> None:
        self._service.reopen(actor=self._ctx.actor, cycle_id=self.cycle_id, reason=self._reason)

    def _revert(self) -> None:
        self._service.conclude(actor=self._ctx.actor, cycle_id=self.cycle_id)
