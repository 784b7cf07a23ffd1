"""Cycles: one run of a checklist template (a year's closing, a mandate transition) and its items."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from suas_desktop.domain.deadlines import DeadlineRule, DueDate, DueOverride
from suas_desktop.domain.template import CycleKind
from suas_desktop.errors import ValidationError


class Status(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


STATUS_LABELS = {
    Status.PENDING: "Pendente",
    Status.IN_PROGRESS: "Em andamento",
    Status.DONE: "Concluído",
    Status.NOT_APPLICABLE: "Não se aplica",
    Status.BLOCKED: "Bloqueado",
}
OPEN_STATUSES = frozenset({Status.PENDING, Status.IN_PROGRESS, Status.BLOCKED})

#: A justification shorter than this says nothing an auditor can use.
MIN_REASON_CHARS = 10


class CycleState(StrEnum):
    OPEN = "open"
    CONCLUDED = "concluded"


def check_status_reason(status: Status, reason: str) -> str:
    """ "Não se aplica" needs a justification and "Bloqueado" a reason; other statuses keep none."""
    reason = (reason or "").strip()
    if status is Status.NOT_APPLICABLE and len(reason) < MIN_REASON_CHARS:
        raise ValidationError(
            {"reason": "Para marcar como “Não se aplica”, escreva a justificativa (pelo menos 10 letras)."}
        )
    if status is Status.BLOCKED and len(reason) < MIN_REASON_CHARS:
        raise ValidationError(
            {"reason": "Para marcar como “Bloqueado”, diga o que impede o item (pelo menos 10 letras)."}
        )
    return reason if status in (Status.NOT_APPLICABLE, Status.BLOCKED) else ""


def cycle_title(kind: CycleKind, reference_year: int) -> str:
    if kind is CycleKind.CLOSING:
        return f"Encerramento {reference_year}"
    return f"Transição {reference_year}→{reference_year + 1}"


@dataclass(frozen=True)
class Cycle:
    id: str
    kind: CycleKind
    title: str
    reference_year: int
    template_id: str
    template_version: str
    state: CycleState
    uf: str | None = None
    concluded_at: str | None = None
    concluded_by: str | None = None
    carried_from_cycle_id: str | None = None
    revision: int = 1

    @property
    def is_concluded(self) -> bool:
        return self.state is CycleState.CONCLUDED


@dataclass(frozen=True)
class CycleItem:
    id: str
    cycle_id: str
    item_key: str
    section_code: str
    section_title: str
    section_order: int
    position: int
    title: str
    guidance: str
    legal_basis: str
    evidence: str
    roles: tuple[str, ...]
    scope: str
    source: str
    deadline: DeadlineRule
    status: Status = Status.PENDING
    status_reason: str = ""
    responsible: str = ""
    notes: str = ""
    due_override: DueOverride | None = None
    due_override_by_user: bool = False
    election_warning: str | None = None
    template_notes: str = ""
    is_custom: bool = False
    carried_from_item_id: str | None = None
    revision: int = 1


@dataclass(frozen=True)
class ItemState:
    """An item with its computed deadline as of a day."""

    item: CycleItem
    due: DueDate
    today: date
    warnings: tuple[str, ...] = ()

    @property
    def overdue(self) -> bool:
        return self.item.status.is_open and self.due.date is not None and self.due.date < self.today

    @property
    def days_left(self) -> int | None:
        return None if self.due.date is None else (self.due.date - self.today).days

    def due_within(self, days: int) -> bool:
        left = self.days_left
        return self.item.status.is_open and left is not None and 0 <= left <= days


@dataclass
class Progress:
    code: str
    title: str
    total: int = 0
    done: int = 0
    not_applicable: int = 0
    in_progress: int = 0
    blocked: int = 0
    overdue: int = 0
    counts: dict[Status, int] = field(default_factory=dict)

    @property
    def finished(self) -> int:
        """Items that need nothing more: concluded or justified as not applicable."""
        return self.done + self.not_applicable

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 0


def progress(states: Iterable[ItemState]) -> tuple[Progress, list[Progress]]:
    """Overall progress and one entry per section (in template order)."""
    overall = Progress("", "Total")
    sections: dict[str, Progress] = {}
    order: dict[str, tuple[int, int]] = {}
    for st in states:
        item = st.item
        section = sections.setdefault(item.section_code, Progress(item.section_code, item.section_title))
        order.setdefault(item.section_code, (item.section_order, item.position))
        for p in (overall, section):
            p.total += 1
            p.counts[item.status] = p.counts.get(item.status, 0) + 1
            p.done += item.status is Status.DONE
            p.not_applicable += item.status is Status.NOT_APPLICABLE
            p.in_progress += item.status is Status.IN_PROGRESS
            p.blocked += item.status is Status.BLOCKED
            p.overdue += st.overdue
    ordered = sorted(sections.values(), key=lambda p: order[p.code])
    return overall, ordered


def sort_by_due(states: Sequence[ItemState]) -> list[ItemState]:
    far = date.max
    return sorted(states, key=lambda s: (s.due.date or far, s.item.section_order, s.item.position))
