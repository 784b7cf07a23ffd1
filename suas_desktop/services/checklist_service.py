"""Checklist use cases: start a cycle, work its items, attach evidence, conclude, reopen, carry over.

Each public method is one user action and one transaction; every change lands in the audit log.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from suas_desktop import log
from suas_desktop.domain.audit import AuditEntry
from suas_desktop.domain.business_calendar import BusinessCalendar
from suas_desktop.domain.clock import today_local
from suas_desktop.domain.cycle import (
    Cycle,
    CycleItem,
    CycleState,
    ItemState,
    Progress,
    Status,
    check_status_reason,
    cycle_title,
    progress,
    sort_by_due,
)
from suas_desktop.domain.deadlines import (
    DeadlineContext,
    DueOverride,
    Entered,
    EventDate,
    KeyEvent,
    Provenance,
    compute_due,
    default_events,
    is_municipal_election_year,
)
from suas_desktop.domain.ids import new_record_id
from suas_desktop.domain.permissions import Permission, item_permissions
from suas_desktop.domain.template import ELECTION_WARNINGS, ROLE_LABELS, CycleKind
from suas_desktop.errors import UserError, ValidationError
from suas_desktop.services.authorization import require
from suas_desktop.services.holiday_calendar import LocalHoliday, build_calendar
from suas_desktop.services.template_catalog import TemplateCatalog
from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository
from suas_desktop.storage.cycle_repository import AttachmentRow, CycleRepository, override_values
from suas_desktop.storage.municipality_repository import MunicipalityRepository
from suas_desktop.storage.signature_repository import SignatureRepository

#: "Vencem em breve" on the dashboard.
DUE_SOON_DAYS = 30
#: Local items get keys LOCAL-1, LOCAL-2… so they never clash with template ids.
LOCAL_PREFIX = "LOCAL-"


@dataclass(frozen=True)
class HistoryEntry:
    at: str
    actor: str
    action: str
    fields: tuple[str, ...]
    detail: str


@dataclass(frozen=True)
class CycleOverview:
    cycle: Cycle
    overall: Progress
    sections: list[Progress]
    overdue: list[ItemState]
    due_soon: list[ItemState]


class ChecklistService:
    def __init__(self, ws: Workspace, catalog: TemplateCatalog) -> None:
        self._ws = ws
        self._db = ws.db
        self._repo = CycleRepository(ws.db)
        self._municipalities = MunicipalityRepository(ws.db)
        self._catalog = catalog
        self._calendars: dict[tuple, BusinessCalendar] = {}

    # ================================================================== cycles
    def start_cycle(
        self,
        *,
        actor: str,
        kind: CycleKind,
        reference_year: int,
        events: dict[KeyEvent, date] | None = None,
        uf: str | None = None,
    ) -> Cycle:
        """Instantiate the template (plus the state module) for a year or a mandate change.

        ``reference_year`` is the fiscal year for a closing and the last year of the outgoing
        mandate for a transition (2028 for 2028→2029). ``events`` are dates the user knows
        (e.g. the election result); the rest come from the law and the deadline files.
        """
        require(self._ws, Permission.CYCLE_MANAGE, doing="iniciar ciclos", entity="cycle")
        if not 2000 <= reference_year <= 2100:
            raise ValidationError({"reference_year": "Informe um ano entre 2000 e 2100."})
        profile = self._municipalities.get()
        uf = (uf or (profile[1].uf if profile else None) or "").upper() or None
        title = cycle_title(kind, reference_year)
        if self._repo.find_cycle(kind, reference_year):
            raise UserError(
                f"Já existe o ciclo “{title}”.", hint="Abra o ciclo existente na lista de ciclos."
            )
        template = self._catalog.for_cycle(kind, uf)
        overrides = self._catalog.deadlines.overrides_for(reference_year)
        key_dates = default_events(kind.value, reference_year)
        for year in (reference_year, reference_year + 1):
            key_dates.update(self._catalog.deadlines.events_for(year))
        for event, day in (events or {}).items():
            key_dates[event] = EventDate(event, day, Provenance(note="Data informada ao iniciar o ciclo."))
        ctx = self._ws.write_context(actor)
        cycle = Cycle(
            id=new_record_id(),
            kind=kind,
            title=title,
            reference_year=reference_year,
            template_id=template.id,
            template_version=template.version,
            state=CycleState.OPEN,
            uf=uf,
        )
        sections = {s.code: s for s in template.sections}
        with self._db.transaction():
            self._repo.add_cycle(ctx, cycle)
            for event in key_dates.values():
                self._repo.set_event(ctx, cycle.id, event)
            positions: dict[str, int] = {}
            for t in template.items:
                positions[t.section] = positions.get(t.section, 0) + 1
                section = sections[t.section]
                self._repo.add_item(
                    ctx,
                    CycleItem(
                        id=new_record_id(),
                        cycle_id=cycle.id,
                        item_key=t.id,
                        section_code=section.code,
                        section_title=section.title,
                        section_order=section.order,
                        position=positions[t.section],
                        title=t.title,
                        guidance=t.guidance,
                        legal_basis=t.legal_basis,
                        evidence=t.evidence,
                        roles=t.roles,
                        scope=t.scope.value,
                        source=t.source,
                        deadline=t.deadline,
                        due_override=overrides.get(t.id),
                        election_warning=t.election_warning,
                        template_notes=t.notes,
                    ),
                )
        log.services.info("cycle started: %s %d (%d items)", kind.value, reference_year, len(template.items))
        return self._cycle(cycle.id)

    def cycles(self, kind: CycleKind | None = None) -> list[Cycle]:
        return self._repo.cycles(kind)

    def cycle(self, cycle_id: str) -> Cycle:
        return self._cycle(cycle_id)

    def newest_cycle(self, kind: CycleKind) -> Cycle | None:
        found = self._repo.cycles(kind)
        return found[0] if found else None

    def events(self, cycle_id: str) -> dict[KeyEvent, EventDate]:
        return self._repo.events(cycle_id)

    def set_event(
        self, *, actor: str, cycle_id: str, event: KeyEvent, day: date, provenance: Provenance | None = None
    ) -> None:
        """Enter or correct a key date (e.g. the publication of the year's portaria)."""
        require(self._ws, Permission.CHECKLIST_EDIT, entity="cycle", record_id=cycle_id)
        with self._db.transaction():
            cycle = self._open_cycle(cycle_id)
            self._check_in_cycle_range(cycle, day, "day")
            self._repo.set_event(
                self._ws.write_context(actor), cycle_id, EventDate(event, day, provenance or Provenance())
            )

    def conclude(self, *, actor: str, cycle_id: str) -> Cycle:
        require(
            self._ws, Permission.CYCLE_MANAGE, doing="concluir ciclos", entity="cycle", record_id=cycle_id
        )
        with self._db.transaction():
            cycle = self._open_cycle(cycle_id)
            items = self._repo.items(cycle_id)
            carried = self._repo.carried_ids(i.id for i in items)
            still_open = [i for i in items if i.status.is_open and i.id not in carried]
            if still_open:
                raise UserError(
                    f"Ainda há {len(still_open)} item(ns) em aberto em “{cycle.title}”.",
                    hint="Conclua-os, marque “Não se aplica” com a justificativa "
                    "ou leve-os para o próximo ciclo.",
                )
            self._repo.set_cycle_state(
                self._ws.write_context(actor),
                cycle_id,
                CycleState.CONCLUDED,
                detail="ciclo concluído",
                expected_revision=cycle.revision,
            )
        return self._cycle(cycle_id)

    def reopen(self, *, actor: str, cycle_id: str, reason: str) -> Cycle:
        require(self._ws, Permission.CYCLE_MANAGE, doing="reabrir ciclos", entity="cycle", record_id=cycle_id)
        reason = (reason or "").strip()
        if len(reason) < 10:
            raise ValidationError(
                {"reason": "Diga por que o ciclo está sendo reaberto (pelo menos 10 letras)."}
            )
        with self._db.transaction():
            cycle = self._cycle(cycle_id)
            if not cycle.is_concluded:
                raise UserError(f"O ciclo “{cycle.title}” já está aberto.")
            ctx = self._ws.write_context(actor)
            self._repo.set_cycle_state(
                ctx,
                cycle_id,
                CycleState.OPEN,
                detail=f"ciclo reaberto; motivo: {reason}",
                expected_revision=cycle.revision,
            )
            # Documents signed for the concluded cycle no longer reflect its data.
            SignatureRepository(self._db).mark_superseded(ctx, cycle_id)
        return self._cycle(cycle_id)

    def carry_over(self, *, actor: str, from_cycle_id: str, to_cycle_id: str) -> int:
        """Copy the open items of one cycle into a later one, linked to the originals (history kept).

        The copies keep status, responsible person, notes and the original due date, and are
        marked with the year they come from. Returns how many were carried.
        """
        require(
            self._ws,
            Permission.CYCLE_MANAGE,
            doing="levar pendências para outro ciclo",
            entity="cycle",
            record_id=from_cycle_id,
        )
        with self._db.transaction():
            source = self._cycle(from_cycle_id)
            target = self._open_cycle(to_cycle_id)
            if target.id == source.id or target.reference_year < source.reference_year:
                raise UserError("Escolha um ciclo posterior para receber as pendências.")
            states = self.item_states(from_cycle_id)
            carried = self._repo.carried_ids(s.item.id for s in states)
            ctx = self._ws.write_context(actor)
            count = 0
            for st in states:
                item = st.item
                if not item.status.is_open or item.id in carried:
                    continue
                due = (
                    DueOverride(
                        st.due.date,
                        Provenance(note=f"Prazo original do ciclo “{source.title}” ({st.due.provenance})."),
                    )
                    if st.due.date
                    else None
                )
                copy = replace(
                    item,
                    id=new_record_id(),
                    cycle_id=target.id,
                    item_key=f"{item.item_key}/{source.reference_year}",
                    title=f"[{source.reference_year}] {item.title}",
                    position=self._repo.next_position(target.id, item.section_code) + 1000,
                    due_override=due,
                    due_override_by_user=False,
                    carried_from_item_id=item.id,
                    revision=1,
                )
                self._repo.add_item(ctx, copy, audit_detail=f"trazido de “{source.title}”")
                AuditRepository(self._db).append(
                    AuditEntry(
                        at=ctx.at,
                        actor=actor,
                        action="cycle_item.carry_over",
                        origin=ctx.origin,
                        entity="cycle_item",
                        record_id=item.id,
                        detail=f"levado para “{target.title}”",
                    )
                )
                count += 1
        return count

    # ================================================================== items
    def item_states(self, cycle_id: str, *, today: date | None = None) -> list[ItemState]:
        cycle = self._cycle(cycle_id)
        ctx = self._deadline_context(cycle, today)
        election = is_municipal_election_year(cycle.reference_year)
        return [self._state(item, ctx, election) for item in self._repo.items(cycle_id)]

    def item_state(self, item_id: str, *, today: date | None = None) -> ItemState:
        item = self._item(item_id)
        cycle = self._cycle(item.cycle_id)
        return self._state(
            item, self._deadline_context(cycle, today), is_municipal_election_year(cycle.reference_year)
        )

    def overview(self, cycle_id: str, *, today: date | None = None) -> CycleOverview:
        states = self.item_states(cycle_id, today=today)
        overall, sections = progress(states)
        return CycleOverview(
            self._cycle(cycle_id),
            overall,
            sections,
            overdue=sort_by_due([s for s in states if s.overdue]),
            due_soon=sort_by_due([s for s in states if s.due_within(DUE_SOON_DAYS)]),
        )

    def set_status(
        self,
        *,
        actor: str,
        item_id: str,
        status: Status,
        reason: str = "",
        expected_revision: int | None = None,
    ) -> CycleItem:
        self._require_item(item_id)
        reason = check_status_reason(status, reason)
        with self._db.transaction():
            item = self._editable_item(item_id)
            detail = f"situação: {item.status.label} → {status.label}" if item.status is not status else ""
            self._repo.update_item(
                self._ws.write_context(actor),
                item_id,
                {"status": status.value, "status_reason": reason},
                expected_revision=expected_revision,
                audit_detail=detail,
            )
        return self._item(item_id)

    def assign(self, *, actor: str, item_id: str, responsible: str) -> CycleItem:
        self._require_item(item_id)
        responsible = " ".join((responsible or "").split())
        if len(responsible) > 120:
            raise ValidationError({"responsible": "O nome do responsável deve ter no máximo 120 letras."})
        with self._db.transaction():
            self._editable_item(item_id)
            self._repo.update_item(self._ws.write_context(actor), item_id, {"responsible": responsible})
        return self._item(item_id)

    def set_notes(self, *, actor: str, item_id: str, notes: str) -> CycleItem:
        self._require_item(item_id)
        with self._db.transaction():
            self._editable_item(item_id)
            self._repo.update_item(self._ws.write_context(actor), item_id, {"notes": (notes or "").strip()})
        return self._item(item_id)

    def override_due(self, *, actor: str, item_id: str, day: date | None, reason: str = "") -> CycleItem:
        """Replace the computed deadline by ``day`` (the reason is kept), or go back to the rule (None)."""
        self._require_item(item_id)
        reason = (reason or "").strip()
        with self._db.transaction():
            item = self._editable_item(item_id)
            if day is None:
                values = override_values(None, by_user=False)
                detail = "prazo volta a seguir a regra"
            else:
                if len(reason) < 10 and not isinstance(item.deadline, Entered):
                    raise ValidationError({"reason": "Diga por que o prazo mudou (a norma ou o motivo)."})
                self._check_in_cycle_range(self._cycle(item.cycle_id), day, "due_date")
                values = override_values(
                    DueOverride(day, Provenance(note=reason or "Data informada pelo município.")),
                    by_user=True,
                )
                detail = f"prazo definido para {day:%d/%m/%Y}"
            self._repo.update_item(self._ws.write_context(actor), item_id, values, audit_detail=detail)
        return self._item(item_id)

    def add_custom_item(
        self,
        *,
        actor: str,
        cycle_id: str,
        section_code: str,
        title: str,
        guidance: str = "",
        legal_basis: str = "",
        evidence: str = "",
        roles: tuple[str, ...] = ("G",),
        due: date | None = None,
    ) -> CycleItem:
        require(
            self._ws,
            Permission.CHECKLIST_EDIT,
            doing="criar itens no checklist",
            entity="cycle",
            record_id=cycle_id,
        )
        title = " ".join((title or "").split())
        errors = {}
        if len(title) < 5:
            errors["title"] = "Dê um título ao item (pelo menos 5 letras)."
        unknown = [r for r in roles if r not in ROLE_LABELS]
        if unknown or not roles:
            errors["roles"] = "Escolha pelo menos um responsável da lista."
        if errors:
            raise ValidationError(errors)
        with self._db.transaction():
            cycle = self._open_cycle(cycle_id)
            existing = [i for i in self._repo.items(cycle_id) if i.section_code == section_code]
            if not existing:
                raise ValidationError({"section_code": "Escolha uma seção deste ciclo."})
            if due is not None:
                self._check_in_cycle_range(cycle, due, "due_date")
            number = 1 + sum(1 for i in self._repo.items(cycle_id) if i.item_key.startswith(LOCAL_PREFIX))
            item = CycleItem(
                id=new_record_id(),
                cycle_id=cycle_id,
                item_key=f"{LOCAL_PREFIX}{number}",
                section_code=section_code,
                section_title=existing[0].section_title,
                section_order=existing[0].section_order,
                position=self._repo.next_position(cycle_id, section_code),
                title=title,
                guidance=(guidance or "").strip() or "Item criado pelo município.",
                legal_basis=(legal_basis or "").strip() or "Norma ou decisão local",
                evidence=(evidence or "").strip() or "Documento que comprove a realização",
                roles=tuple(roles),
                scope="E" if cycle.kind is CycleKind.CLOSING else "T",
                source="L",
                deadline=Entered(hint="Prazo definido pelo município."),
                due_override=DueOverride(due, Provenance(note="Prazo definido pelo município."))
                if due
                else None,
                due_override_by_user=due is not None,
                is_custom=True,
            )
            self._repo.add_item(self._ws.write_context(actor), item, audit_detail="item local")
        return self._item(item.id)

    def history(self, item_id: str) -> list[HistoryEntry]:
        """Every audited change of the item, of the items it was carried from, and of its evidence."""
        ids = []
        current: str | None = item_id
        while current and current not in ids:
            ids.append(current)
            found = self._repo.item(current)
            current = found.carried_from_item_id if found else None
        audit = AuditRepository(self._db)
        entries = [e for rid in ids for e in audit.entries(AuditFilter(record_id=rid))]
        tags = {f"item {i}" for i in ids}
        entries += [e for e in audit.entries(AuditFilter(entity="attachments")) if e.entry.detail in tags]
        entries.sort(key=lambda e: e.seq)
        return [
            HistoryEntry(e.entry.at, e.entry.actor, e.entry.action, e.entry.fields, e.entry.detail)
            for e in entries
        ]

    # ================================================================== evidence
    def attach(self, *, actor: str, item_id: str, path: Path) -> AttachmentRow:
        self._require_item(item_id)
        path = Path(path)
        self._editable_item(item_id)  # fail before copying a large file
        if not path.is_file():
            raise UserError(f"O arquivo “{path.name}” não foi encontrado ou não é um arquivo.")
        try:
            stored = self._ws.attachments.put(path)
        except OSError as exc:
            raise UserError(
                f"Não foi possível ler o arquivo “{path.name}”.",
                hint="Verifique se ele está aberto em outro programa ou se o pen drive foi removido.",
            ) from exc
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        try:
            with self._db.transaction():
                self._editable_item(item_id)
                # The audit entry names the item (an id, never the file name: names may be personal),
                # so the item's history finds its evidence even after the file is removed.
                attachment_id = self._repo.add_attachment(
                    self._ws.write_context(actor),
                    item_id,
                    sha256=stored.sha256,
                    name=path.name,
                    media_type=media_type,
                    size=stored.size,
                    audit_detail=f"item {item_id}",
                )
        except BaseException:
            if not self._repo.sha256_in_use(stored.sha256):
                self._ws.attachments.remove(stored.sha256)
            raise
        return self._repo.attachment(attachment_id)

    def attachments(self, item_id: str) -> list[AttachmentRow]:
        return self._repo.attachments([item_id])

    def remove_attachment(self, *, actor: str, attachment_id: str) -> None:
        """Detach a file from its item; the stored file goes only when nothing else uses it."""
        found = self._repo.attachment(attachment_id)
        self._require_item(found.cycle_item_id if found else "")
        with self._db.transaction():
            row = self._repo.attachment(attachment_id)
            if row is None:
                raise UserError("Este anexo já foi removido.")
            self._editable_item(row.cycle_item_id)
            self._repo.remove_attachment(
                self._ws.write_context(actor), attachment_id, audit_detail=f"item {row.cycle_item_id}"
            )
            in_use = self._repo.sha256_in_use(row.sha256)
        if not in_use:
            self._ws.attachments.remove(row.sha256)

    def attachment_path(self, attachment_id: str) -> Path:
        row = self._repo.attachment(attachment_id)
        if row is None:
            raise UserError("Este anexo não existe mais.")
        path = self._ws.attachments.path_for(row.sha256)
        if not path.is_file():
            raise UserError(
                f"O arquivo do anexo “{row.file_name}” está faltando na pasta de anexos.",
                hint="Rode a verificação dos dados (suas-desktop check) ou restaure uma cópia de segurança.",
            )
        return path

    # ================================================================== helpers
    def _require_item(self, item_id: str) -> None:
        """The permission to edit one item: the council may work the items it is responsible for."""
        item = self._repo.item(item_id) if item_id else None
        require(
            self._ws, *item_permissions(item.roles if item else ()), entity="cycle_item", record_id=item_id
        )

    def _cycle(self, cycle_id: str) -> Cycle:
        cycle = self._repo.cycle(cycle_id)
        if cycle is None:
            raise UserError("Este ciclo não existe (pode ter sido excluído).")
        return cycle

    def _item(self, item_id: str) -> CycleItem:
        item = self._repo.item(item_id)
        if item is None:
            raise UserError("Este item não existe (pode ter sido excluído).")
        return item

    def _open_cycle(self, cycle_id: str) -> Cycle:
        cycle = self._cycle(cycle_id)
        if cycle.is_concluded:
            raise UserError(
                f"O ciclo “{cycle.title}” está concluído e não pode ser alterado.",
                hint="Para mudar algo, reabra o ciclo informando o motivo.",
            )
        return cycle

    def _editable_item(self, item_id: str) -> CycleItem:
        item = self._item(item_id)
        self._open_cycle(item.cycle_id)
        return item

    def _check_in_cycle_range(self, cycle: Cycle, day: date, field: str) -> None:
        start = date(cycle.reference_year, 1, 1)
        if day < start:
            raise ValidationError(
                {
                    field: f"A data {day:%d/%m/%Y} é anterior ao início do ciclo “{cycle.title}” "
                    f"({start:%d/%m/%Y})."
                }
            )
        if day.year > cycle.reference_year + 3:
            raise ValidationError(
                {field: f"A data {day:%d/%m/%Y} está longe demais do ciclo “{cycle.title}”."}
            )

    def _calendar(self, cycle: Cycle) -> BusinessCalendar:
        # Keyed by the local holidays too, so a holiday added in Configurações counts at once.
        local = tuple(
            LocalHoliday(day, name, recurring) for _, day, name, recurring in self._municipalities.holidays()
        )
        key = (cycle.uf or "", cycle.reference_year, local)
        if key not in self._calendars:
            years = range(cycle.reference_year - 1, cycle.reference_year + 3)
            self._calendars[key] = build_calendar(cycle.uf or "", years, local)
        return self._calendars[key]

    def _deadline_context(self, cycle: Cycle, today: date | None) -> DeadlineContext:
        return DeadlineContext(
            reference_year=cycle.reference_year,
            events=self._repo.events(cycle.id),
            calendar=self._calendar(cycle),
            today=today or today_local(self._ws.clock),
        )

    @staticmethod
    def _state(item: CycleItem, ctx: DeadlineContext, election_year: bool) -> ItemState:
        due = compute_due(item.deadline, ctx, item.due_override)
        warnings = ()
        if election_year and item.election_warning:
            warnings = (ELECTION_WARNINGS[item.election_warning],)
        return ItemState(item, due, ctx.today, warnings)
