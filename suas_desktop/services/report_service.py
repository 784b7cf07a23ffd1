"""Reports: gathers the data of the other services into the plain inputs of documents/reports and renders.

``generate`` returns the PDF bytes (with empty signature fields where the report has them); ``write``
also saves them atomically. Refusals are :class:`UserError` in pt-BR: no municipality, no cycle of
the kind asked, an unknown cycle, an output folder that does not exist.

Everything is sorted here or in the renderers, so the same data give the same content. Personal data
stay out: staff, unmet demand and people in care outside the municipality become counts; contract
inspectors and CPFs are never read into a report.
"""

from __future__ import annotations

import io
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from suas_desktop import log
from suas_desktop.atomic_files import atomic_write_bytes
from suas_desktop.documents.report_pdf import ReportMeta, gc_paused
from suas_desktop.documents.reports import (
    SETTLED_ACCOUNTABILITY,
    AccountabilityRow,
    AccountRow,
    ChecklistItemRow,
    MunicipalityInfo,
    ResolutionRow,
    SectionProgressRow,
    ServiceRow,
    document_code,
)
from suas_desktop.documents.reports.closing_report import ClosingReportData, render_closing_report
from suas_desktop.documents.reports.pending_report import (
    PendingItem,
    PendingReportData,
    render_pending_report,
)
from suas_desktop.documents.reports.regional_report import (
    AccountabilityStatusCount,
    CycleSummary,
    DemandSummary,
    MunicipalitySummary,
    RegionalReportData,
    render_regional_report,
)
from suas_desktop.documents.reports.transition_dossier import (
    AgendaRow,
    AssetCategoryRow,
    AuditDigest,
    BenefitRow,
    ContractRow,
    CouncilMemberRow,
    DemandRow,
    EvidenceRow,
    KeyDateRow,
    LegislationRow,
    LiabilityRow,
    OutsideCareRow,
    PartnershipRow,
    RegionalReferenceRow,
    StaffCountRow,
    StockRow,
    SystemAccessRow,
    TeamRequirementRow,
    TeamRow,
    TransitionDossierData,
    UnitRow,
    VehicleRow,
    render_transition_dossier,
)
from suas_desktop.domain.audit import AuditEntry
from suas_desktop.domain.clock import today_local
from suas_desktop.domain.cycle import Cycle, ItemState, Progress, progress
from suas_desktop.domain.deadlines import (
    EVENT_LABELS,
    DeadlineContext,
    KeyEvent,
    compute_due,
    default_events,
)
from suas_desktop.domain.municipality import Municipality, format_cnpj
from suas_desktop.domain.permissions import Permission
from suas_desktop.domain.reference_teams import TeamMember, compare_team
from suas_desktop.domain.register_fields import RegisterRecord, RegisterSpec
from suas_desktop.domain.registers import DEMAND_SERVICES, REGISTERS
from suas_desktop.domain.template import CycleKind, roles_text
from suas_desktop.errors import KnownError, UserError
from suas_desktop.services.authorization import require
from suas_desktop.services.checklist_service import ChecklistService
from suas_desktop.services.holiday_calendar import LocalHoliday, build_calendar
from suas_desktop.services.local_settings import LocalSettingsService
from suas_desktop.services.municipality_service import MunicipalityService
from suas_desktop.services.register_service import RegisterService, UnitTeam
from suas_desktop.services.template_catalog import TemplateCatalog
from suas_desktop.services.workspace import SYSTEM_ACTOR, Workspace
from suas_desktop.storage.audit_repository import AuditRepository

#: (done, total, what is happening now) — may raise Cancelled to stop.
ProgressCallback = Callable[[int, int, str], None]

KINDS = ("transition", "closing", "pending", "regional")

REPORT_TITLES = {
    "transition": "Dossiê de Transição da Assistência Social",
    "closing": "Relatório de Encerramento do Exercício",
    "pending": "Pendências",
    "regional": "Relatório Regional",
}
_CODES = {"transition": "TR", "closing": "EN", "pending": "PE", "regional": "RG"}
_KIND_NAMES = {CycleKind.CLOSING: "encerramento do exercício", CycleKind.TRANSITION: "transição de mandato"}

#: Short names of the funding blocks for narrow table columns (the full name is in the block totals).
BLOCK_SHORT = {
    "bloco_psb": "PSB",
    "bloco_pse_media": "PSE Média Complexidade",
    "bloco_pse_alta": "PSE Alta Complexidade",
    "bloco_gestao_suas": "IGDSUAS",
    "bloco_gestao_pbf": "IGD-PBF",
    "programa": "Programa federal",
    "emenda": "Emenda parlamentar",
    "feas": "FEAS / Piso Mineiro",
    "proprio": "Recursos próprios",
    "outro": "Outra fonte",
}

#: The agenda of the dossier covers the posse and the following days.
AGENDA_DAYS = 100
#: Staff contracts ending within this many days are counted in the dossier.
CONTRACT_HORIZON_DAYS = 365
#: Unmet-demand situations in which a case is still waiting for the service.
WAITING = ("aguardando", "encaminhado_regional")
NO_UNIT = "Sem unidade definida"

_STEPS = 4


@dataclass(frozen=True)
class GeneratedReport:
    pdf: bytes
    title: str
    suggested_file_name: str
    page_count: int


# ---------------------------------------------------------------------- small helpers


def _date(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


#: (register, field) → {code: label}: a report labels thousands of values of a few fields.
_CHOICE_LABELS: dict[tuple[str, str], dict[str, str]] = {}


def _label(spec: RegisterSpec, field_name: str, value: Any) -> str:
    """``spec.field(field_name).choice_label(value)``, or "" without a value."""
    if not value:
        return ""
    labels = _CHOICE_LABELS.get((spec.name, field_name))
    if labels is None:
        labels = _CHOICE_LABELS[spec.name, field_name] = dict(spec.field(field_name).choices)
    return labels.get(value, value)


def _order(spec: RegisterSpec, field_name: str, value: Any) -> int:
    codes = [code for code, _ in spec.field(field_name).choices]
    return codes.index(value) if value in codes else len(codes)


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("→", "-")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60] or "relatorio"


def _section_row(p: Progress) -> SectionProgressRow:
    return SectionProgressRow(
        p.code, p.title, p.total, p.done, p.not_applicable, p.in_progress, p.blocked, p.overdue, p.percent
    )


def _page_count(pdf: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"])


def _mean(values: Sequence[int]) -> int | None:
    return round(sum(values) / len(values)) if values else None


class ReportService:
    def __init__(self, ws: Workspace, catalog: TemplateCatalog) -> None:
        self._ws = ws
        self._catalog = catalog
        self._checklists = ChecklistService(ws, catalog)
        self._registers = RegisterService(ws)
        self._municipalities = MunicipalityService(ws)
        self._settings = LocalSettingsService(ws)
        #: While a report is made: each register's records, read once (see _records).
        self._memo: dict[str, list[RegisterRecord]] | None = None

    # ================================================================== public API
    def _audit_digest(self, cycle_id: str) -> AuditDigest | None:
        from suas_desktop.errors import UserError
        from suas_desktop.services.audit_service import AuditService

        try:
            summary = AuditService(self._ws).cycle_summary(cycle_id)
        except UserError:
            return None
        since = f"{summary.since.astimezone():%d/%m/%Y}" if summary.since else "início"
        until = f"{summary.until.astimezone():%d/%m/%Y}" if summary.until else "hoje"
        rows = tuple(
            (u.actor, tuple(u.by_category.get(c, 0) for c in summary.categories), u.total)
            for u in sorted(summary.users, key=lambda u: (-u.total, u.actor))
        )
        return AuditDigest(f"{since} a {until}", summary.categories, rows, summary.total, summary.chain_ok)

    def generate(
        self, kind: str, cycle_id: str | None = None, *, progress: ProgressCallback | None = None
    ) -> GeneratedReport:
        """Gather the data and render the report ``kind`` (transition, closing, pending, regional).

        Without ``cycle_id``: the newest cycle of the matching kind (pending: the newest open cycle of
        any kind; regional: no cycle). Raises UserError when the report cannot be made.
        """
        require(self._ws, Permission.REPORTS)
        if kind not in KINDS:
            raise UserError(
                f"Tipo de relatório desconhecido: “{kind}”.",
                hint="Use transition, closing, pending ou regional.",
            )
        self._memo = {}
        try:
            with gc_paused():
                return self._generate(kind, cycle_id, progress)
        finally:
            self._memo = None

    def _generate(
        self, kind: str, cycle_id: str | None, progress: ProgressCallback | None
    ) -> GeneratedReport:
        started = time.perf_counter()

        def step(index: int, label: str) -> None:
            if progress is not None:
                progress(index, _STEPS, label)

        step(0, "Lendo o cadastro do município")
        profile = self._municipalities.profile()
        if profile is None:
            raise UserError(
                "Nenhum município está cadastrado nesta pasta de dados.",
                hint="Cadastre o município em Configurações › Município antes de gerar relatórios.",
            )
        cycle = self._cycle_for(kind, cycle_id)
        now = self._ws.clock.now().astimezone()
        today = today_local(self._ws.clock)
        info = self._municipality_info(profile, today)
        year = cycle.reference_year if cycle else today.year
        code = document_code(profile.ibge_code, _CODES[kind], year, now)
        title = REPORT_TITLES[kind]
        step(1, "Lendo o checklist e os cadastros")
        if kind == "transition":
            assert cycle is not None
            data: Any = self._transition_data(cycle, info, profile, today, code)
            renderer: Any = render_transition_dossier
            cycle_title = cycle.title
            file_name = f"dossie-transicao-{cycle.reference_year}-{cycle.reference_year + 1}"
        elif kind == "closing":
            assert cycle is not None
            data = self._closing_data(cycle, info, today, code)
            renderer = render_closing_report
            cycle_title = cycle.title
            file_name = f"encerramento-{cycle.reference_year}"
        elif kind == "pending":
            assert cycle is not None
            data = self._pending_data(cycle, info, today)
            renderer = render_pending_report
            cycle_title = cycle.title
            file_name = f"pendencias-{_slug(cycle.title)}"
        else:
            data = self._regional_data(profile, info, today, code)
            renderer = render_regional_report
            cycle_title = f"Situação em {today:%d/%m/%Y}"
            file_name = f"relatorio-regional-{today:%Y-%m-%d}"
        step(2, "Montando as páginas do relatório")
        meta = ReportMeta(
            title=title,
            municipality=info.display,
            cycle_title=cycle_title,
            document_code=code,
            generated_at=now,
            subject=f"{title} — {info.display} — {cycle_title}",
            keywords=("SUAS", "Assistência Social", info.name, info.uf, title, cycle_title),
            author=self._author(profile),
            demo=self._settings.is_demo,
            coat_of_arms=self._municipalities.coat_of_arms_path(),
        )
        rendered = renderer(data, meta)
        step(3, "Conferindo o arquivo")
        pages = _page_count(rendered.pdf)
        step(4, "Relatório pronto")
        log.services.info(
            "report %s rendered: %d pages, %d bytes in %.1fs",
            kind,
            pages,
            len(rendered.pdf),
            time.perf_counter() - started,
        )
        return GeneratedReport(rendered.pdf, title, f"{file_name}-{_slug(profile.name)}.pdf", pages)

    def write(
        self,
        kind: str,
        out: Path,
        cycle_id: str | None = None,
        *,
        progress: ProgressCallback | None = None,
    ) -> GeneratedReport:
        """Generate and save atomically to ``out`` (the folder must exist)."""
        require(self._ws, Permission.REPORTS)
        out = Path(out)
        if out.is_dir():
            raise UserError(
                f"“{out}” é uma pasta.", hint="Informe o nome do arquivo PDF, por exemplo relatorio.pdf."
            )
        if not out.parent.is_dir():
            raise UserError(
                f"A pasta “{out.parent}” não existe.",
                hint="Crie a pasta ou escolha outra para salvar o relatório.",
            )
        report = self.generate(kind, cycle_id, progress=progress)
        try:
            atomic_write_bytes(out, report.pdf)
        except OSError as exc:
            raise KnownError(
                f"Não foi possível gravar o relatório em “{out}”.",
                hint="Verifique se o arquivo está aberto em outro programa e se há espaço no disco.",
            ) from exc
        session = self._ws.session
        ctx = self._ws.write_context(session.name if session else SYSTEM_ACTOR)
        AuditRepository(self._ws.db).append(
            AuditEntry(
                at=ctx.at,
                actor=ctx.actor,
                action="report.export",
                origin=ctx.origin,
                entity="cycle" if cycle_id else "",
                record_id=cycle_id or "",
                detail=f"{kind}; {report.page_count} páginas",
            )
        )
        return report

    # ================================================================== cycles
    def _cycle_for(self, kind: str, cycle_id: str | None) -> Cycle | None:
        if kind == "regional":
            return None
        wanted = {"transition": CycleKind.TRANSITION, "closing": CycleKind.CLOSING}.get(kind)
        if cycle_id:
            try:
                cycle = self._checklists.cycle(cycle_id)
            except UserError:
                raise UserError(
                    f"Não existe ciclo com o identificador “{cycle_id}”.",
                    hint="Confira o identificador na lista de ciclos ou gere o relatório sem --cycle.",
                ) from None
            if wanted is not None and cycle.kind is not wanted:
                raise UserError(
                    f"O ciclo “{cycle.title}” é de {_KIND_NAMES[cycle.kind]}; o "
                    f"{REPORT_TITLES[kind]} precisa de um ciclo de {_KIND_NAMES[wanted]}.",
                    hint="Escolha outro ciclo ou gere o relatório sem --cycle.",
                )
            return cycle
        if wanted is not None:
            cycle = self._checklists.newest_cycle(wanted)
            if cycle is None:
                raise UserError(
                    f"Não há nenhum ciclo de {_KIND_NAMES[wanted]} nesta pasta de dados.",
                    hint="Inicie o ciclo em Checklists antes de gerar este relatório.",
                )
            return cycle
        open_cycles = [c for c in self._checklists.cycles() if not c.is_concluded]
        if not open_cycles:
            raise UserError(
                "Não há nenhum ciclo em aberto nesta pasta de dados.",
                hint="As pendências são dos ciclos em aberto; para um ciclo concluído, informe --cycle.",
            )
        return open_cycles[0]

    @staticmethod
    def _cycle_state(cycle: Cycle) -> str:
        if cycle.is_concluded:
            when = _date(cycle.concluded_at)
            return f"Concluído em {when:%d/%m/%Y}" if when else "Concluído"
        return "Em andamento"

    def _author(self, profile: Municipality) -> str:
        session = self._ws.session
        if session is not None:
            return f"{session.name} ({session.job_title})" if session.job_title else session.name
        user = self._settings.current_user()
        if user is None:
            return profile.managing_body
        return f"{user.name} ({user.role})" if user.role else user.name

    # ================================================================== shared pieces
    def _municipality_info(self, m: Municipality, today: date) -> MunicipalityInfo:
        return MunicipalityInfo(
            name=m.name,
            uf=m.uf,
            ibge_code=m.ibge_code,
            population=m.population,
            size_class=m.size_class.value,
            managing_body=m.managing_body,
            fmas_cnpj=format_cnpj(m.fmas_cnpj),
            prefeitura_cnpj=format_cnpj(m.prefeitura_cnpj),
            fmas_has_budget_unit=m.fmas_has_budget_unit,
            fmas_has_own_resources=m.fmas_has_own_resources,
            manager_name=m.manager.holder_name if m.manager else "",
            manager_start=m.manager.start if m.manager else None,
            manager_end=m.manager.end if m.manager else None,
            cmas_president_name=m.cmas_president.holder_name if m.cmas_president else "",
            cmas_president_start=m.cmas_president.start if m.cmas_president else None,
            cmas_president_end=m.cmas_president.end if m.cmas_president else None,
            warnings=tuple(m.warnings(today)),
        )

    def _states(self, cycle: Cycle, today: date) -> list[ItemState]:
        return self._checklists.item_states(cycle.id, today=today)

    @staticmethod
    def _item_row(st: ItemState, *, person: bool = False) -> ChecklistItemRow:
        item = st.item
        return ChecklistItemRow(
            key=item.item_key,
            title=item.title,
            section_code=item.section_code,
            section_title=item.section_title,
            section_order=item.section_order,
            position=item.position,
            status=item.status.label,
            status_code=item.status.value,
            due=st.due.date,
            due_text="" if st.due.date else st.due.describe(),
            days_left=st.days_left if item.status.is_open else None,
            overdue=st.overdue,
            reason=item.status_reason,
            responsible=item.responsible if person else roles_text(item.roles),
        )

    def _progress(
        self, states: Iterable[ItemState]
    ) -> tuple[SectionProgressRow, tuple[SectionProgressRow, ...]]:
        overall, sections = progress(states)
        return _section_row(overall), tuple(_section_row(s) for s in sections)

    def _records(self, name: str) -> list[RegisterRecord]:
        """A register's records, read once per report (units and assets feed several tables)."""
        if self._memo is None:
            return self._registers.list(name)
        if name not in self._memo:
            self._memo[name] = self._registers.list(name)
        return self._memo[name]

    def _unit_names(self) -> dict[str, str]:
        return {r.id: r["name"] for r in self._records("units")}

    def _accounts(self) -> tuple[AccountRow, ...]:
        spec = REGISTERS["accounts"]
        rows = [
            AccountRow(
                bank=r["bank"],
                branch=r["branch"],
                account=r["account"],
                block=_label(spec, "block", r["block"]),
                block_order=_order(spec, "block", r["block"]),
                description=r["description"] or "",
                balance_dec31=r["balance_dec31"],
                cutoff_date=_date(r["cutoff_date"]),
                balance_cutoff=r["balance_cutoff"],
                yields=r["yields"],
                amount_to_reprogram=r["amount_to_reprogram"],
                reconciled=None if r["reconciled"] is None else bool(r["reconciled"]),
                block_short=BLOCK_SHORT.get(r["block"], ""),
            )
            for r in self._records("accounts")
        ]
        return tuple(sorted(rows, key=lambda a: (a.block_order, a.bank, a.branch, a.account)))

    @staticmethod
    def _cutoff(accounts: Sequence[AccountRow]) -> date | None:
        counts = Counter(a.cutoff_date for a in accounts if a.cutoff_date)
        if not counts:
            return None
        return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]

    def _accountability(self) -> tuple[AccountabilityRow, ...]:
        spec = REGISTERS["accountability"]
        rows = [
            AccountabilityRow(
                fiscal_year=r["fiscal_year"],
                source=_label(spec, "source", r["source"]),
                source_order=_order(spec, "source", r["source"]),
                description=r["description"] or "",
                status=_label(spec, "status", r["status"]),
                status_code=r["status"],
                deadline=_date(r["deadline"]),
                submitted_on=_date(r["submitted_on"]),
                council_deadline=_date(r["council_deadline"]),
                council_opinion_on=_date(r["council_opinion_on"]),
                notes=r["notes"] or "",
            )
            for r in self._records("accountability")
        ]
        return tuple(sorted(rows, key=lambda r: (r.fiscal_year, r.source_order, r.description)))

    def _resolutions(self, years: range) -> tuple[ResolutionRow, ...]:
        spec = REGISTERS["council_resolutions"]
        rows = []
        for r in self._records("council_resolutions"):
            issued = _date(r["issued_on"])
            if issued and issued.year in years:
                rows.append(ResolutionRow(r["number"], issued, r["subject"], _label(spec, "kind", r["kind"])))
        return tuple(sorted(rows, key=lambda r: (r.issued_on, r.number)))

    def _services(self, years: range) -> tuple[ServiceRow, ...]:
        spec = REGISTERS["unit_services"]
        units = self._unit_names()
        rows = [
            ServiceRow(
                unit=units.get(r["unit_id"], NO_UNIT),
                service=_label(spec, "service", r["service"]),
                year=r["year"],
                capacity=r["capacity"],
                target=r["target"],
                attendances=r["attendances"],
            )
            for r in self._records("unit_services")
            if r["year"] in years
        ]
        return tuple(sorted(rows, key=lambda s: (s.unit, s.service, s.year)))

    def _demand(self, today: date) -> tuple[DemandRow, ...]:
        by_service: dict[str, list[RegisterRecord]] = {}
        for r in self._records("unmet_demand"):
            by_service.setdefault(r["service"], []).append(r)
        labels = dict(DEMAND_SERVICES)
        rows = []
        for code, _ in DEMAND_SERVICES:
            cases = by_service.get(code)
            if not cases:
                continue
            status = Counter(r["status"] for r in cases)
            waits = [
                (today - _date(r["received_on"])).days
                for r in cases
                if r["status"] in WAITING and _date(r["received_on"])
            ]
            waits = [max(0, w) for w in waits]
            rows.append(
                DemandRow(
                    service=labels[code],
                    waiting=status.get("aguardando", 0),
                    referred_regional=status.get("encaminhado_regional", 0),
                    in_care=status.get("em_atendimento", 0),
                    served=status.get("atendido", 0),
                    withdrawn=status.get("desistencia", 0),
                    average_wait_days=_mean(waits),
                    longest_wait_days=max(waits) if waits else None,
                )
            )
        return tuple(rows)

    def _outside_care(self) -> tuple[OutsideCareRow, ...]:
        spec = REGISTERS["outside_care"]
        groups: dict[tuple[str, str], list[RegisterRecord]] = {}
        for r in self._records("outside_care"):
            key = (_label(spec, "service", r["service"]), " ".join(str(r["host_municipality"]).split()))
            groups.setdefault(key, []).append(r)
        return tuple(
            OutsideCareRow(
                service=service,
                host_municipality=host,
                count=len(cases),
                arrangements="; ".join(sorted({c["arrangement"] for c in cases if c["arrangement"]})),
            )
            for (service, host), cases in sorted(groups.items())
        )

    # ================================================================== transition
    def _transition_data(
        self, cycle: Cycle, info: MunicipalityInfo, profile: Municipality, today: date, code: str
    ) -> TransitionDossierData:
        year = cycle.reference_year
        mandate = range(year - 3, year + 1)
        states = self._states(cycle, today)
        overall, sections = self._progress(states)
        events = self._checklists.events(cycle.id)
        posse_event = events.get(KeyEvent.POSSE)
        posse = posse_event.date if posse_event else date(year + 1, 1, 1)
        accounts = self._accounts()
        staff = self._records("staff")
        staff_spec = REGISTERS["staff"]
        units = self._unit_names()
        staff_counter = Counter(
            (
                units.get(s["unit_id"], NO_UNIT) if s["unit_id"] else NO_UNIT,
                _label(staff_spec, "profession", s["profession"]),
                _label(staff_spec, "bond", s["bond"]),
            )
            for s in staff
        )
        bonds = Counter(s["bond"] for s in staff)
        bond_choices = staff_spec.field("bond").choices
        horizon = today + timedelta(days=CONTRACT_HORIZON_DAYS)
        ends = Counter(
            _date(s["contract_end"]).replace(day=1)
            for s in staff
            if s["contract_end"] and today <= _date(s["contract_end"]) <= horizon
        )
        return TransitionDossierData(
            municipality=info,
            cycle_title=cycle.title,
            cycle_state=self._cycle_state(cycle),
            template_version=cycle.template_version,
            reference_year=year,
            outgoing_mandate=f"{year - 3}–{year}",
            incoming_mandate=f"{year + 1}–{year + 4}",
            posse=posse,
            data_date=today,
            cutoff_date=self._cutoff(accounts),
            document_code=code,
            key_dates=tuple(
                KeyDateRow(EVENT_LABELS[e.event], e.date, e.provenance.describe())
                for e in sorted(events.values(), key=lambda e: (e.date, e.event.value))
            ),
            overall=overall,
            sections=sections,
            items=tuple(sorted((self._item_row(s) for s in states), key=lambda i: i.sort_key)),
            legislation=self._legislation(),
            accounts=accounts,
            accountability=self._accountability(),
            units=self._units(),
            services=self._services(mandate),
            demand=self._demand(today),
            outside_care=self._outside_care(),
            regional_references=self._regional_references(),
            staff_total=len(staff),
            staff_by_bond=tuple((label, bonds[code_]) for code_, label in bond_choices if bonds.get(code_)),
            staff_counts=tuple(StaffCountRow(u, p, b, n) for (u, p, b), n in sorted(staff_counter.items())),
            staff_contract_ends=tuple(sorted(ends.items())),
            teams=self._teams(profile),
            partnerships=self._partnerships(),
            contracts=self._contracts(),
            asset_categories=self._asset_categories(),
            vehicles=self._vehicles(units),
            stock=self._stock(),
            council_members=self._council_members(),
            resolutions=self._resolutions(mandate),
            resolutions_period=f"{mandate.start} a {mandate.stop - 1}",
            benefits=self._benefits(mandate),
            systems=self._systems(),
            liabilities=self._liabilities(),
            agenda=self._agenda(cycle, states, posse, profile, today),
            evidence=self._evidence(states),
            audit=self._audit_digest(cycle.id),
        )

    def _legislation(self) -> tuple[LegislationRow, ...]:
        spec = REGISTERS["legislation"]
        rows = sorted(
            self._records("legislation"),
            key=lambda r: (_order(spec, "kind", r["kind"]), r["issued_on"] or "", r["number"]),
        )
        return tuple(
            LegislationRow(
                _label(spec, "kind", r["kind"]),
                r["number"],
                _date(r["issued_on"]),
                r["summary"] or "",
                r["link"] or "",
            )
            for r in rows
        )

    def _units(self) -> tuple[UnitRow, ...]:
        spec = REGISTERS["units"]
        rows = [
            UnitRow(
                kind=_label(spec, "kind", r["kind"]),
                name=r["name"],
                address=r["address"] or "",
                building=_label(spec, "building", r["building"]),
                opening_hours=r["opening_hours"] or "",
                referenced_families=r["referenced_families"],
                cadsuas_id=r["cadsuas_id"] or "",
            )
            for r in self._records("units")
        ]
        return tuple(sorted(rows, key=lambda u: (u.kind, u.name)))

    def _regional_references(self) -> tuple[RegionalReferenceRow, ...]:
        spec = REGISTERS["regional_references"]
        rows = [
            RegionalReferenceRow(
                _label(spec, "kind", r["kind"]),
                r["name"],
                r["seat_municipality"] or "",
                r["services"] or "",
                r["agreement"] or "",
            )
            for r in self._records("regional_references")
        ]
        return tuple(sorted(rows, key=lambda r: (r.kind, r.name)))

    def _teams(self, profile: Municipality) -> tuple[TeamRow, ...]:
        rows = [
            TeamRow(
                unit=team.unit["name"],
                reference=team.comparison.reference,
                requirements=tuple(
                    TeamRequirementRow(req.label, req.required, req.counted)
                    for req in team.comparison.requirements
                ),
                notes=tuple(team.comparison.notes),
            )
            for team in self._team_comparisons(profile)
        ]
        return tuple(sorted(rows, key=lambda t: t.unit))

    def _team_comparisons(self, profile: Municipality) -> list[UnitTeam]:
        """:meth:`RegisterService.team_comparisons` from the staff and units this report already read."""
        staff_by_unit: dict[str, list[TeamMember]] = {}
        for s in self._records("staff"):
            values = s.values
            if values.get("unit_id"):
                staff_by_unit.setdefault(values["unit_id"], []).append(
                    TeamMember(
                        profession=values.get("profession"),
                        education=values.get("education"),
                        bond=values.get("bond"),
                        is_coordinator=bool(values.get("is_coordinator")),
                        weekly_hours=values.get("weekly_hours"),
                    )
                )
        out = []
        for unit in self._records("units"):
            comparison = compare_team(
                unit["kind"],
                profile.size_class,
                staff_by_unit.get(unit.id, []),
                referenced_families=unit["referenced_families"],
            )
            if comparison is not None:
                out.append(UnitTeam(unit, comparison))
        return out

    def _partnerships(self) -> tuple[PartnershipRow, ...]:
        spec = REGISTERS["partnerships"]
        rows = [
            PartnershipRow(
                organization=r["organization"],
                instrument=_label(spec, "instrument", r["instrument"]),
                number=r["number"] or "",
                purpose=r["purpose"],
                amount=r["amount"],
                start=_date(r["start"]),
                end=_date(r["end"]),
                status=_label(spec, "status", r["status"]),
            )
            for r in self._records("partnerships")
        ]
        return tuple(sorted(rows, key=lambda p: (p.organization, p.number)))

    def _contracts(self) -> tuple[ContractRow, ...]:
        rows = [
            ContractRow(
                number=r["number"],
                supplier=r["supplier"],
                purpose=r["purpose"],
                amount=r["amount"],
                start=_date(r["start"]),
                end=_date(r["end"]),
                continues_next_year=bool(r["continues_next_year"]),
            )
            for r in self._records("contracts")
        ]
        return tuple(sorted(rows, key=lambda c: (c.end or date.max, c.number)))

    def _asset_categories(self) -> tuple[AssetCategoryRow, ...]:
        spec = REGISTERS["assets"]
        counts: Counter[str] = Counter()
        values: Counter[str] = Counter()
        for r in self._records("assets"):
            label = _label(spec, "category", r["category"])
            counts[label] += 1
            values[label] += r["value"] or 0
        return tuple(AssetCategoryRow(c, counts[c], values[c]) for c in sorted(counts))

    def _vehicles(self, units: dict[str, str]) -> tuple[VehicleRow, ...]:
        spec = REGISTERS["assets"]
        rows = [
            VehicleRow(
                tag=r["tag"] or "",
                description=r["description"],
                plate=r["plate"] or "",
                unit=units.get(r["unit_id"], "") if r["unit_id"] else "",
                acquired_on=_date(r["acquired_on"]),
                value=r["value"],
                condition=_label(spec, "condition", r["condition"]),
                source=_label(spec, "source", r["source"]),
            )
            for r in self._records("assets")
            if r["category"] == "veiculo"
        ]
        return tuple(sorted(rows, key=lambda v: (v.plate, v.tag, v.description)))

    def _stock(self) -> tuple[StockRow, ...]:
        spec = REGISTERS["stock"]
        rows = [
            StockRow(
                item=r["item"],
                quantity=r["quantity"],
                measure=r["measure"] or "",
                location=r["location"] or "",
                expires_on=_date(r["expires_on"]),
                source=_label(spec, "source", r["source"]),
            )
            for r in self._records("stock")
        ]
        return tuple(sorted(rows, key=lambda s: (s.item, s.location)))

    def _council_members(self) -> tuple[CouncilMemberRow, ...]:
        spec = REGISTERS["council_members"]
        rows = [
            CouncilMemberRow(
                segment=_label(spec, "segment", r["segment"]),
                segment_order=_order(spec, "segment", r["segment"]),
                name=r["name"],
                represents=r["represents"] or "",
                seat=_label(spec, "seat", r["seat"]),
                mandate_start=_date(r["mandate_start"]),
                mandate_end=_date(r["mandate_end"]),
                is_president=bool(r["is_president"]),
            )
            for r in self._records("council_members")
        ]
        return tuple(sorted(rows, key=lambda c: (c.segment_order, c.seat != "Titular", c.name)))

    def _benefits(self, years: range) -> tuple[BenefitRow, ...]:
        spec = REGISTERS["eventual_benefits"]
        rows = [
            BenefitRow(
                year=r["year"],
                kind=_label(spec, "kind", r["kind"]),
                quantity=r["quantity"],
                amount=r["amount"],
                source=_label(spec, "source", r["source"]),
            )
            for r in self._records("eventual_benefits")
            if r["year"] in years
        ]
        return tuple(sorted(rows, key=lambda b: (b.year, b.kind, b.source)))

    def _systems(self) -> tuple[SystemAccessRow, ...]:
        spec = REGISTERS["system_access"]
        rows = [
            SystemAccessRow(
                system=_label(spec, "system", r["system"]),
                profile=r["profile"],
                holder=r["holder"],
                holder_role=r["holder_role"] or "",
                transfer_procedure=r["transfer_procedure"] or "",
                reviewed_on=_date(r["reviewed_on"]),
            )
            for r in self._records("system_access")
        ]
        return tuple(sorted(rows, key=lambda s: (s.system, s.profile, s.holder)))

    def _liabilities(self) -> tuple[LiabilityRow, ...]:
        spec = REGISTERS["liabilities"]
        rows = [
            LiabilityRow(
                kind=_label(spec, "kind", r["kind"]),
                reference=r["reference"] or "",
                description=r["description"],
                amount=r["amount"],
                deadline=_date(r["deadline"]),
                status=_label(spec, "status", r["status"]),
                is_resolved=r["status"] == "resolvido",
            )
            for r in self._records("liabilities")
        ]
        return tuple(sorted(rows, key=lambda r: (r.is_resolved, r.deadline or date.max, r.kind, r.reference)))

    def _agenda(
        self, cycle: Cycle, states: list[ItemState], posse: date, profile: Municipality, today: date
    ) -> tuple[AgendaRow, ...]:
        """Deadlines from the posse to 100 days after it: the transition items, plus the closing items of
        the outgoing mandate's last year (from its cycle, or computed from the template if not started)."""
        last = posse + timedelta(days=AGENDA_DAYS)
        rows: list[AgendaRow] = []
        seen: set[str] = set()
        for st in states:
            if st.due.date and posse <= st.due.date <= last:
                item = st.item
                seen.add(item.item_key)
                rows.append(
                    AgendaRow(
                        st.due.date,
                        item.item_key,
                        item.title,
                        cycle.title,
                        roles_text(item.roles),
                        item.status.label,
                    )
                )
        year = cycle.reference_year
        closing = next(
            (c for c in self._checklists.cycles(CycleKind.CLOSING) if c.reference_year == year), None
        )
        if closing is not None:
            for st in self._states(closing, today):
                item = st.item
                if item.item_key in seen or not st.due.date or not posse <= st.due.date <= last:
                    continue
                rows.append(
                    AgendaRow(
                        st.due.date,
                        item.item_key,
                        item.title,
                        closing.title,
                        roles_text(item.roles),
                        item.status.label,
                    )
                )
        else:
            template = self._catalog.for_cycle(CycleKind.CLOSING, cycle.uf or profile.uf)
            events = default_events(CycleKind.CLOSING.value, year)
            for y in (year, year + 1):
                events.update(self._catalog.deadlines.events_for(y))
            overrides = self._catalog.deadlines.overrides_for(year)
            local = tuple(LocalHoliday(d, n, r) for _, d, n, r in self._municipalities.holidays())
            calendar = build_calendar(cycle.uf or profile.uf, range(year - 1, year + 3), local)
            ctx = DeadlineContext(year, events, calendar, today)
            for t in template.items:
                if t.id in seen:
                    continue
                due = compute_due(t.deadline, ctx, overrides.get(t.id)).date
                if due and posse <= due <= last:
                    rows.append(
                        AgendaRow(
                            due,
                            t.id,
                            t.title,
                            f"Encerramento {year} (ciclo não iniciado)",
                            roles_text(t.roles),
                            "Ciclo não iniciado",
                        )
                    )
        return tuple(sorted(rows, key=lambda a: (a.day, a.key, a.origin)))

    def _evidence(self, states: list[ItemState]) -> tuple[EvidenceRow, ...]:
        rows = []
        for st in states:
            for a in self._checklists.attachments(st.item.id):
                rows.append(
                    EvidenceRow(
                        file_name=a.file_name,
                        media_type=a.media_type,
                        size=a.size,
                        sha256=a.sha256,
                        item_key=st.item.item_key,
                        item_title=st.item.title,
                        added_on=_date(a.created_at),
                    )
                )
        return tuple(sorted(rows, key=lambda e: (e.item_key, e.file_name, e.sha256)))

    # ================================================================== closing
    def _closing_data(
        self, cycle: Cycle, info: MunicipalityInfo, today: date, code: str
    ) -> ClosingReportData:
        year = cycle.reference_year
        states = self._states(cycle, today)
        overall, sections = self._progress(states)
        return ClosingReportData(
            municipality=info,
            cycle_title=cycle.title,
            cycle_state=self._cycle_state(cycle),
            template_version=cycle.template_version,
            reference_year=year,
            data_date=today,
            document_code=code,
            overall=overall,
            sections=sections,
            items=tuple(sorted((self._item_row(s) for s in states), key=lambda i: i.sort_key)),
            accounts=self._accounts(),
            accountability=self._accountability(),
            services=self._services(range(year, year + 1)),
            resolutions=self._resolutions(range(year, year + 1)),
            manager_name=info.manager_name,
        )

    # ================================================================== pending
    def _pending_data(self, cycle: Cycle, info: MunicipalityInfo, today: date) -> PendingReportData:
        items = []
        for st in self._states(cycle, today):
            item = st.item
            if not item.status.is_open:
                continue
            items.append(
                PendingItem(
                    responsible=item.responsible,
                    key=item.item_key,
                    title=item.title,
                    section_title=item.section_title,
                    section_order=item.section_order,
                    position=item.position,
                    status=item.status.label,
                    reason=item.status_reason,
                    due=st.due.date,
                    due_text="" if st.due.date else st.due.describe(),
                    days_left=st.days_left,
                    overdue=st.overdue,
                )
            )
        items.sort(
            key=lambda i: (i.responsible.casefold(), i.due or date.max, i.section_order, i.position, i.key)
        )
        return PendingReportData(info.display, cycle.title, today, tuple(items))

    # ================================================================== regional
    def _regional_data(
        self, profile: Municipality, info: MunicipalityInfo, today: date, code: str
    ) -> RegionalReportData:
        return RegionalReportData(
            owner=f"{info.managing_body} — {info.display}",
            data_date=today,
            document_code=code,
            municipalities=(self._local_summary(profile, info, today),),
        )

    def _local_summary(
        self, profile: Municipality, info: MunicipalityInfo, today: date
    ) -> MunicipalitySummary:
        """The single local municipality as one entry of the regional report (consolidation adds more)."""
        demand = tuple(
            DemandSummary(d.service, d.still_waiting, d.average_wait_days, d.longest_wait_days)
            for d in self._demand(today)
        )
        cycles = []
        for kind in CycleKind:
            cycle = self._checklists.newest_cycle(kind)
            if cycle is None:
                continue
            overall, _ = self._progress(self._states(cycle, today))
            cycles.append(
                CycleSummary(
                    cycle.title,
                    overall.total,
                    overall.done + overall.not_applicable,
                    overall.percent,
                    overall.overdue,
                    overall.blocked,
                )
            )
        accountability = self._accountability()
        statuses = Counter(r.status for r in accountability)
        return MunicipalitySummary(
            name=profile.name,
            uf=profile.uf,
            ibge_code=profile.ibge_code,
            size_class=info.size_class,
            population=profile.population,
            demand=demand,
            outside_care=sum(c.count for c in self._outside_care()),
            cycles=tuple(sorted(cycles, key=lambda c: c.title)),
            accountability=tuple(AccountabilityStatusCount(s, n) for s, n in sorted(statuses.items())),
            accountability_open=sum(1 for r in accountability if r.status_code not in SETTLED_ACCOUNTABILITY),
            accountability_late=sum(
                1
                for r in accountability
                if r.status_code == "nao_iniciada" and r.deadline is not None and r.deadline < today
            ),
        )
