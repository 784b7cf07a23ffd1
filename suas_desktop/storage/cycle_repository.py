"""Cycles, their key dates, items and evidence rows. All SQL for the checklist aggregate lives here."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from suas_desktop.domain.cycle import Cycle, CycleItem, CycleState, Status
from suas_desktop.domain.deadlines import (
    DueOverride,
    EventDate,
    KeyEvent,
    Provenance,
    parse_rule,
    rule_to_dict,
)
from suas_desktop.domain.template import CycleKind
from suas_desktop.storage.database import Database
from suas_desktop.storage.synced_table import SyncedTable, WriteContext

CYCLES = SyncedTable(
    "cycle",
    [
        "kind", "title", "reference_year", "template_id", "template_version", "uf", "state", "concluded_at",
        "concluded_by", "carried_from_cycle_id",
    ],
)  # fmt: skip
EVENTS = SyncedTable("cycle_event", ["cycle_id", "event", "day", "norm", "published", "changed_by", "note"])
ITEMS = SyncedTable(
    "cycle_item",
    [
        "cycle_id", "item_key", "section_code", "section_title", "section_order", "position", "title",
        "guidance", "legal_basis", "evidence", "roles", "scope", "source", "deadline_rule",
        "election_warning",
        "template_notes", "status", "status_reason", "responsible", "notes", "due_override",
        "due_override_by_user", "due_override_norm", "due_override_published", "due_override_changed_by",
        "due_override_note", "is_custom", "carried_from_item_id",
    ],
)  # fmt: skip
ATTACHMENTS = SyncedTable("attachments", ["cycle_item_id", "sha256", "file_name", "media_type", "size"])


@dataclass(frozen=True)
class AttachmentRow:
    id: str
    cycle_item_id: str
    sha256: str
    file_name: str
    media_type: str
    size: int
    created_at: str
    created_by: str


def _cycle(row: sqlite3.Row) -> Cycle:
    return Cycle(
        id=row["id"],
        kind=CycleKind(row["kind"]),
        title=row["title"],
        reference_year=row["reference_year"],
        template_id=row["template_id"],
        template_version=row["template_version"],
        state=CycleState(row["state"]),
        uf=row["uf"],
        concluded_at=row["concluded_at"],
        concluded_by=row["concluded_by"],
        carried_from_cycle_id=row["carried_from_cycle_id"],
        revision=row["revision"],
    )


def _override(row: sqlite3.Row) -> DueOverride | None:
    if not row["due_override"]:
        return None
    published = row["due_override_published"]
    return DueOverride(
        date.fromisoformat(row["due_override"]),
        Provenance(
            norm=row["due_override_norm"],
            published=date.fromisoformat(published) if published else None,
            changed_by=row["due_override_changed_by"],
            note=row["due_override_note"],
        ),
    )


def override_values(override: DueOverride | None, *, by_user: bool) -> dict[str, Any]:
    if override is None:
        return {
            "due_override": None,
            "due_override_by_user": 0,
            "due_override_norm": "",
            "due_override_published": None,
            "due_override_changed_by": "",
            "due_override_note": "",
        }
    p = override.provenance
    return {
        "due_override": override.date.isoformat(),
        "due_override_by_user": int(by_user),
        "due_override_norm": p.norm,
        "due_override_published": p.published.isoformat() if p.published else None,
        "due_override_changed_by": p.changed_by,
        "due_override_note": p.note,
    }


def _item(row: sqlite3.Row) -> CycleItem:
    return CycleItem(
        id=row["id"],
        cycle_id=row["cycle_id"],
        item_key=row["item_key"],
        section_code=row["section_code"],
        section_title=row["section_title"],
        section_order=row["section_order"],
        position=row["position"],
        title=row["title"],
        guidance=row["guidance"],
        legal_basis=row["legal_basis"],
        evidence=row["evidence"],
        roles=tuple(json.loads(row["roles"])),
        scope=row["scope"],
        source=row["source"],
        deadline=parse_rule(json.loads(row["deadline_rule"])),
        status=Status(row["status"]),
        status_reason=row["status_reason"],
        responsible=row["responsible"],
        notes=row["notes"],
        due_override=_override(row),
        due_override_by_user=bool(row["due_override_by_user"]),
        election_warning=row["election_warning"],
        template_notes=row["template_notes"],
        is_custom=bool(row["is_custom"]),
        carried_from_item_id=row["carried_from_item_id"],
        revision=row["revision"],
    )


def item_values(item: CycleItem) -> dict[str, Any]:
    """Column values of a new item (the sync columns are added by SyncedTable)."""
    return {
        "cycle_id": item.cycle_id,
        "item_key": item.item_key,
        "section_code": item.section_code,
        "section_title": item.section_title,
        "section_order": item.section_order,
        "position": item.position,
        "title": item.title,
        "guidance": item.guidance,
        "legal_basis": item.legal_basis,
        "evidence": item.evidence,
        "roles": json.dumps(list(item.roles), ensure_ascii=False),
        "scope": item.scope,
        "source": item.source,
        "deadline_rule": json.dumps(rule_to_dict(item.deadline), ensure_ascii=False),
        "election_warning": item.election_warning,
        "template_notes": item.template_notes,
        "status": item.status.value,
        "status_reason": item.status_reason,
        "responsible": item.responsible,
        "notes": item.notes,
        **override_values(item.due_override, by_user=item.due_override_by_user),
        "is_custom": int(item.is_custom),
        "carried_from_item_id": item.carried_from_item_id,
    }


class CycleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ------------------------------------------------------------- cycles
    def add_cycle(self, ctx: WriteContext, cycle: Cycle) -> str:
        return CYCLES.insert(
            self._db,
            ctx,
            {
                "kind": cycle.kind.value,
                "title": cycle.title,
                "reference_year": cycle.reference_year,
                "template_id": cycle.template_id,
                "template_version": cycle.template_version,
                "uf": cycle.uf,
                "state": cycle.state.value,
                "concluded_at": None,
                "concluded_by": None,
                "carried_from_cycle_id": cycle.carried_from_cycle_id,
            },
            record_id=cycle.id,
        )

    def cycle(self, cycle_id: str) -> Cycle | None:
        row = CYCLES.get(self._db, cycle_id)
        return None if row is None else _cycle(row)

    def find_cycle(self, kind: CycleKind, reference_year: int) -> Cycle | None:
        row = self._db.first(
            "SELECT * FROM cycle WHERE kind = ? AND reference_year = ?", (kind.value, reference_year)
        )
        return None if row is None else _cycle(row)

    def cycles(self, kind: CycleKind | None = None) -> list[Cycle]:
        if kind is None:
            rows = self._db.all("SELECT * FROM cycle ORDER BY reference_year DESC, kind")
        else:
            rows = self._db.all(
                "SELECT * FROM cycle WHERE kind = ? ORDER BY reference_year DESC", (kind.value,)
            )
        return [_cycle(r) for r in rows]

    def set_cycle_state(
        self,
        ctx: WriteContext,
        cycle_id: str,
        state: CycleState,
        *,
        detail: str,
        expected_revision: int | None,
    ) -> None:
        concluded = state is CycleState.CONCLUDED
        CYCLES.update(
            self._db,
            ctx,
            cycle_id,
            {
                "state": state.value,
                "concluded_at": ctx.at if concluded else None,
                "concluded_by": ctx.actor if concluded else None,
            },
            expected_revision=expected_revision,
            audit_detail=detail,
        )

    # ------------------------------------------------------------- key dates
    def set_event(self, ctx: WriteContext, cycle_id: str, event: EventDate) -> str:
        values = {
            "cycle_id": cycle_id,
            "event": event.event.value,
            "day": event.date.isoformat(),
            "norm": event.provenance.norm,
            "published": event.provenance.published.isoformat() if event.provenance.published else None,
            "changed_by": event.provenance.changed_by,
            "note": event.provenance.note,
        }
        with self._db.transaction():
            row = self._db.first(
                "SELECT id FROM cycle_event WHERE cycle_id = ? AND event = ?", (cycle_id, event.event.value)
            )
            if row is None:
                return EVENTS.insert(self._db, ctx, values, audit_detail=event.event.value)
            EVENTS.update(self._db, ctx, row["id"], values, audit_detail=event.event.value)
            return row["id"]

    def events(self, cycle_id: str) -> dict[KeyEvent, EventDate]:
        out = {}
        for r in self._db.all("SELECT * FROM cycle_event WHERE cycle_id = ?", (cycle_id,)):
            provenance = Provenance(
                norm=r["norm"],
                published=date.fromisoformat(r["published"]) if r["published"] else None,
                changed_by=r["changed_by"],
                note=r["note"],
            )
            out[KeyEvent(r["event"])] = EventDate(
                KeyEvent(r["event"]), date.fromisoformat(r["day"]), provenance
            )
        return out

    # ------------------------------------------------------------- items
    def add_item(self, ctx: WriteContext, item: CycleItem, *, audit_detail: str = "") -> str:
        return ITEMS.insert(self._db, ctx, item_values(item), record_id=item.id, audit_detail=audit_detail)

    def item(self, item_id: str) -> CycleItem | None:
        row = ITEMS.get(self._db, item_id)
        return None if row is None else _item(row)

    def items(self, cycle_id: str) -> list[CycleItem]:
        rows = self._db.all(
            "SELECT * FROM cycle_item WHERE cycle_id = ? ORDER BY section_order, section_code, position",
            (cycle_id,),
        )
        return [_item(r) for r in rows]

    def update_item(
        self,
        ctx: WriteContext,
        item_id: str,
        changes: dict[str, Any],
        *,
        expected_revision: int | None = None,
        audit_detail: str = "",
    ) -> tuple[str, ...]:
        return ITEMS.update(
            self._db, ctx, item_id, changes, expected_revision=expected_revision, audit_detail=audit_detail
        )

    def carried_ids(self, item_ids: Iterable[str]) -> set[str]:
        """Which of ``item_ids`` already have a copy carried over to another cycle."""
        ids = list(item_ids)
        if not ids:
            return set()
        marks = ",".join("?" * len(ids))
        rows = self._db.all(
            f"SELECT carried_from_item_id FROM cycle_item WHERE carried_from_item_id IN ({marks})", ids
        )
        return {r[0] for r in rows}

    def next_position(self, cycle_id: str, section_code: str) -> int:
        value = self._db.scalar(
            "SELECT max(position) FROM cycle_item WHERE cycle_id = ? AND section_code = ?",
            (cycle_id, section_code),
        )
        return (value or 0) + 1

    # ------------------------------------------------------------- attachments
    def add_attachment(
        self,
        ctx: WriteContext,
        item_id: str,
        *,
        sha256: str,
        name: str,
        media_type: str,
        size: int,
        audit_detail: str = "",
    ) -> str:
        return ATTACHMENTS.insert(
            self._db,
            ctx,
            {
                "cycle_item_id": item_id,
                "sha256": sha256,
                "file_name": name,
                "media_type": media_type,
                "size": size,
            },
            audit_detail=audit_detail,
        )

    def attachment(self, attachment_id: str) -> AttachmentRow | None:
        row = ATTACHMENTS.get(self._db, attachment_id)
        return None if row is None else _attachment(row)

    def attachments(self, item_ids: Iterable[str]) -> list[AttachmentRow]:
        ids = list(item_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._db.all(
            f"SELECT * FROM attachments WHERE cycle_item_id IN ({marks}) ORDER BY created_at, file_name", ids
        )
        return [_attachment(r) for r in rows]

    def remove_attachment(self, ctx: WriteContext, attachment_id: str, *, audit_detail: str = "") -> None:
        ATTACHMENTS.delete(self._db, ctx, attachment_id, audit_detail=audit_detail)

    def attachment_count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM attachments"))

    def referenced_hashes(self) -> set[str]:
        """Every stored file the database points at: evidence and the coat of arms."""
        hashes = {row[0] for row in self._db.all("SELECT DISTINCT sha256 FROM attachments")}
        hashes |= {
            row[0]
            for row in self._db.all(
                "SELECT coat_of_arms_sha256 FROM municipality WHERE coat_of_arms_sha256 IS NOT NULL"
            )
        }
        return hashes

    def sha256_in_use(self, sha256: str) -> bool:
        used = self._db.scalar("SELECT count(*) FROM attachments WHERE sha256 = ?", (sha256,))
        coat = self._db.scalar("SELECT count(*) FROM municipality WHERE coat_of_arms_sha256 = ?", (sha256,))
        return bool(used or coat)


def _attachment(row: sqlite3.Row) -> AttachmentRow:
    # Attachment rows are never updated, so the last writer is the one who attached the file.
    return AttachmentRow(
        id=row["id"],
        cycle_item_id=row["cycle_item_id"],
        sha256=row["sha256"],
        file_name=row["file_name"],
        media_type=row["media_type"],
        size=row["size"],
        created_at=row["created_at"],
        created_by=row["updated_by"],
    )
