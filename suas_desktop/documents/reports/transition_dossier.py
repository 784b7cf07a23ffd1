"""Dossiê de Transição da Assistência Social (domain.md §8).

Cover, table of contents, the Termo de Transmissão e Recebimento with three empty signature fields
(``gestor_saida``, ``gestor_entrada``, ``presidente_cmas``, interfaces.md) and lined space for
reservations, then sections 1 to 15 of the outline. Every register section says "Nenhum registro…"
when the register is empty, so the reader knows it was not forgotten.

LGPD: staff appear only as counts; unmet demand and people in care outside the municipality only as
counts per service; names are printed only for public office holders (manager, council members and
the holders of system profiles, whose transfer is the point of that section).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import cm

from suas_desktop.documents.report_pdf import RenderedReport, ReportBuilder, ReportMeta
from suas_desktop.documents.reports import (
    MISSING,
    AccountabilityRow,
    AccountRow,
    ChecklistItemRow,
    MunicipalityInfo,
    ResolutionRow,
    RuledLines,
    SectionProgressRow,
    ServiceRow,
    accountability_tables,
    accounts_tables,
    checklist_items_table,
    day,
    finish,
    item_due_text,
    money,
    number,
    period,
    plural,
    progress_chart,
    progress_table,
    resolutions_table,
    services_table,
    subheading,
    table,
    text,
    yes_no,
)

#: Signature fields of the Termo de Transmissão e Recebimento (interfaces.md).
SIGNATURE_FIELDS = ("gestor_saida", "gestor_entrada", "presidente_cmas")

#: Which checklist sections are listed in which dossier section.
_SECTION_ITEMS = {
    2: ("GOV",),
    3: ("FIN", "CONTA"),
    4: ("PCF", "MG"),
    5: ("PLAN",),
    6: ("REDE",),
    7: ("PSE",),
    8: ("RH",),
    9: ("PARC", "PAT"),
    10: ("CMAS",),
    11: ("CAD", "BE"),
    12: ("SIS",),
}
_MAPPED = {code for codes in _SECTION_ITEMS.values() for code in codes}


# ====================================================================== input


@dataclass(frozen=True)
class KeyDateRow:
    label: str  # "posse (01/01)"
    day: date
    origin: str


@dataclass(frozen=True)
class LegislationRow:
    kind: str
    number: str
    issued_on: date | None
    summary: str
    link: str = ""


@dataclass(frozen=True)
class UnitRow:
    kind: str
    name: str
    address: str
    building: str
    opening_hours: str
    referenced_families: int | None
    cadsuas_id: str


@dataclass(frozen=True)
class DemandRow:
    """Unmet demand of one service: counts per situation and waiting times (never a case)."""

    service: str
    waiting: int  # "Aguardando"
    referred_regional: int  # "Encaminhado à referência regional"
    in_care: int  # "Em atendimento"
    served: int  # "Atendido"
    withdrawn: int  # "Desistência"
    average_wait_days: int | None  # over the cases still waiting (first two columns)
    longest_wait_days: int | None

    @property
    def still_waiting(self) -> int:
        return self.waiting + self.referred_regional


@dataclass(frozen=True)
class OutsideCareRow:
    service: str
    host_municipality: str
    count: int
    arrangements: str  # the distinct arrangements, joined


@dataclass(frozen=True)
class RegionalReferenceRow:
    kind: str
    name: str
    seat_municipality: str
    services: str
    agreement: str


@dataclass(frozen=True)
class StaffCountRow:
    unit: str
    profession: str
    bond: str
    count: int


@dataclass(frozen=True)
class TeamRequirementRow:
    label: str
    required: int
    counted: int

    @property
    def missing(self) -> int:
        return max(0, self.required - self.counted)


@dataclass(frozen=True)
class TeamRow:
    """A CRAS/CREAS team against its NOB-RH reference team."""

    unit: str
    reference: str
    requirements: tuple[TeamRequirementRow, ...]
    notes: tuple[str, ...] = ()

    @property
    def missing(self) -> int:
        return sum(r.missing for r in self.requirements)


@dataclass(frozen=True)
class PartnershipRow:
    organization: str
    instrument: str
    number: str
    purpose: str
    amount: int | None
    start: date | None
    end: date | None
    status: str


@dataclass(frozen=True)
class ContractRow:
    number: str
    supplier: str
    purpose: str
    amount: int | None
    start: date | None
    end: date | None
    continues_next_year: bool


@dataclass(frozen=True)
class AssetCategoryRow:
    category: str
    count: int
    value: int  # centavos


@dataclass(frozen=True)
class VehicleRow:
    tag: str
    description: str
    plate: str
    unit: str
    acquired_on: date | None
    value: int | None
    condition: str
    source: str


@dataclass(frozen=True)
class StockRow:
    item: str
    quantity: int
    measure: str
    location: str
    expires_on: date | None
    source: str


@dataclass(frozen=True)
class CouncilMemberRow:
    segment: str
    segment_order: int
    name: str
    represents: str
    seat: str
    mandate_start: date | None
    mandate_end: date | None
    is_president: bool


@dataclass(frozen=True)
class BenefitRow:
    year: int
    kind: str
    quantity: int
    amount: int | None
    source: str


@dataclass(frozen=True)
class SystemAccessRow:
    system: str
    profile: str
    holder: str
    holder_role: str
    transfer_procedure: str
    reviewed_on: date | None


@dataclass(frozen=True)
class LiabilityRow:
    kind: str
    reference: str
    description: str
    amount: int | None
    deadline: date | None
    status: str
    is_resolved: bool


@dataclass(frozen=True)
class AgendaRow:
    day: date
    key: str
    title: str
    origin: str  # which checklist the date comes from
    responsible: str
    status: str


@dataclass(frozen=True)
class EvidenceRow:
    file_name: str
    media_type: str
    size: int
    sha256: str
    item_key: str
    item_title: str
    added_on: date | None = None


@dataclass(frozen=True)
class TransitionDossierData:
    municipality: MunicipalityInfo
    cycle_title: str  # "Transição 2028→2029"
    cycle_state: str  # "Em andamento" / "Concluído"
    template_version: str
    reference_year: int
    outgoing_mandate: str  # "2025–2028"
    incoming_mandate: str  # "2029–2032"
    posse: date
    data_date: date  # the day the data were read
    cutoff_date: date | None  # the balances' cut-off date (accounts register)
    document_code: str
    key_dates: tuple[KeyDateRow, ...]
    overall: SectionProgressRow
    sections: tuple[SectionProgressRow, ...]
    items: tuple[ChecklistItemRow, ...]
    legislation: tuple[LegislationRow, ...] = ()
    accounts: tuple[AccountRow, ...] = ()
    accountability: tuple[AccountabilityRow, ...] = ()
    units: tuple[UnitRow, ...] = ()
    services: tuple[ServiceRow, ...] = ()
    demand: tuple[DemandRow, ...] = ()
    outside_care: tuple[OutsideCareRow, ...] = ()
    regional_references: tuple[RegionalReferenceRow, ...] = ()
    staff_total: int = 0
    staff_by_bond: tuple[tuple[str, int], ...] = ()
    staff_counts: tuple[StaffCountRow, ...] = ()
    staff_contract_ends: tuple[tuple[date, int], ...] = ()  # (first day of the month, workers)
    teams: tuple[TeamRow, ...] = ()
    partnerships: tuple[PartnershipRow, ...] = ()
    contracts: tuple[ContractRow, ...] = ()
    asset_categories: tuple[AssetCategoryRow, ...] = ()
    vehicles: tuple[VehicleRow, ...] = ()
    stock: tuple[StockRow, ...] = ()
    council_members: tuple[CouncilMemberRow, ...] = ()
    resolutions: tuple[ResolutionRow, ...] = ()
    resolutions_period: str = ""  # "2025 a 2028"
    benefits: tuple[BenefitRow, ...] = ()
    systems: tuple[SystemAccessRow, ...] = ()
    liabilities: tuple[LiabilityRow, ...] = ()
    agenda: tuple[AgendaRow, ...] = ()
    evidence: tuple[EvidenceRow, ...] = ()
    incoming_manager_name: str = ""
    audit: AuditDigest | None = None


@dataclass(frozen=True)
class AuditDigest:
    """Who did what during the cycle (counts per person and kind of action); is the trail intact?"""

    period: str  # "25/11/2026 a 20/12/2028"
    categories: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...], int], ...]  # (person, counts per category, total)
    total: int
    chain_ok: bool


# ====================================================================== rendering


def render_transition_dossier(data: TransitionDossierData, meta: ReportMeta) -> RenderedReport:
    b = ReportBuilder(meta)
    m = data.municipality
    b.cover(
        [
            ("Município", m.display),
            ("Porte", f"{m.size_class} ({number(m.population)} habitantes)"),
            ("Órgão gestor", m.managing_body),
            ("CNPJ do FMAS", m.fmas_cnpj),
            ("Mandato", f"{data.outgoing_mandate} → {data.incoming_mandate}"),
            ("Posse da nova gestão", day(data.posse)),
            ("Data de corte dos saldos", day(data.cutoff_date)),
            ("Dados registrados até", day(data.data_date)),
            ("Checklist", f"{data.cycle_title} — {data.cycle_state}"),
            ("Código do documento", data.document_code),
        ],
        subtitle=f"Mandato {data.outgoing_mandate} → {data.incoming_mandate}",
    )
    b.table_of_contents()
    _handover_term(b, data)
    _identification(b, data)
    _transition_process(b, data)
    _finance(b, data)
    _accountability(b, data)
    _planning(b, data)
    _network(b, data)
    _special_protection(b, data)
    _staff(b, data)
    _partnerships_assets(b, data)
    _council(b, data)
    _cadunico_benefits(b, data)
    _systems(b, data)
    _liabilities(b, data)
    _agenda(b, data)
    _evidence(b, data)
    _audit(b, data)
    return finish(b)


def _items(data: TransitionDossierData, codes: Iterable[str]) -> list[ChecklistItemRow]:
    wanted = set(codes)
    return [i for i in data.items if i.section_code in wanted]


def _items_block(b: ReportBuilder, data: TransitionDossierData, number_: int) -> None:
    codes = _SECTION_ITEMS[number_]
    items = _items(data, codes)
    subheading(b, "Itens do checklist da transição", toc=False)
    checklist_items_table(b, items, none="O checklist da transição não tem itens para esta seção.")


def _handover_term(b: ReportBuilder, data: TransitionDossierData) -> None:
    m = data.municipality
    b.section("Termo de Transmissão e Recebimento")
    cutoff = f" e saldos bancários com data de corte em {day(data.cutoff_date)}" if data.cutoff_date else ""
    b.paragraph(
        f"Pelo presente termo, o(a) gestor(a) da Assistência Social do Município de {m.display}, que "
        f"encerra o mandato {data.outgoing_mandate}, transmite ao(à) gestor(a) que assume o mandato "
        f"{data.incoming_mandate} a gestão do órgão gestor ({m.managing_body}) e do Fundo Municipal de "
        f"Assistência Social (FMAS), CNPJ {m.fmas_cnpj}, com as informações e os documentos descritos "
        f"neste Dossiê de Transição da Assistência Social, documento {data.document_code}, com dados "
        f"registrados até {day(data.data_date)}{cutoff}."
    )
    b.paragraph(
        "O(A) gestor(a) que assume declara ter recebido este dossiê e os documentos nele indexados. "
        "A conferência será feita em até 30 dias da posse, e as divergências encontradas serão "
        "comunicadas por escrito ao(à) gestor(a) que sai (item GOV-07 do checklist de transição)."
    )
    b.paragraph(
        "O(A) presidente do Conselho Municipal de Assistência Social (CMAS) assina para ciência do "
        "conselho. As assinaturas podem ser feitas digitalmente, nos campos abaixo, ou à mão, na via "
        "impressa."
    )
    b.paragraph(f"{m.name} – {m.uf}, ______ de ____________________ de {data.posse.year}.")
    b.spacer(2)
    b.paragraph("Ressalvas", "h2")
    b.paragraph(
        "Divergências, documentos não entregues ou informações a confirmar (em branco se não houver):",
        "small",
    )
    b.story.append(RuledLines(6, gap=0.8 * cm))
    b.spacer(6)
    b.signature_boxes(
        [
            ("gestor_saida", m.manager_name, f"Gestor(a) que sai — mandato {data.outgoing_mandate}"),
            (
                "gestor_entrada",
                data.incoming_manager_name,
                f"Gestor(a) que entra — mandato {data.incoming_mandate}",
            ),
            ("presidente_cmas", m.cmas_president_name, "Presidente do CMAS"),
        ]
    )


def _identification(b: ReportBuilder, data: TransitionDossierData) -> None:
    m = data.municipality
    b.section("1. Identificação e base legal")
    manager = text(m.manager_name)
    if m.manager_name and (m.manager_start or m.manager_end):
        manager += f" (mandato de {period(m.manager_start, m.manager_end)})"
    president = text(m.cmas_president_name)
    if m.cmas_president_name and (m.cmas_president_start or m.cmas_president_end):
        president += f" (mandato de {period(m.cmas_president_start, m.cmas_president_end)})"
    b.key_values(
        [
            ("Município", m.display),
            ("Código IBGE", m.ibge_code),
            ("População", f"{number(m.population)} habitantes"),
            ("Porte", m.size_class),
            ("Órgão gestor", m.managing_body),
            ("CNPJ da prefeitura", m.prefeitura_cnpj),
            ("CNPJ do FMAS (matriz)", m.fmas_cnpj),
            ("FMAS é unidade orçamentária e gestora própria (UO/UG)", yes_no(m.fmas_has_budget_unit)),
            ("Município aplica recursos próprios no FMAS", yes_no(m.fmas_has_own_resources)),
            ("Gestor(a) da Assistência Social", manager),
            ("Presidente do CMAS", president),
        ],
        key_width=6.5 * cm,
    )
    for warning in m.warnings:
        b.notice(warning)
    subheading(b, "Legislação municipal")
    table(
        b,
        ["Tipo", "Número", "Data", "Ementa"],
        [
            [r.kind, r.number, day(r.issued_on), text(r.summary) + (f" — {r.link}" if r.link else "")]
            for r in data.legislation
        ],
        widths=[3.4, 2.2, 2.0, 9.4],
        empty="norma municipal",
    )


def _transition_process(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("2. Processo de transição")
    o = data.overall
    b.paragraph(
        f"Checklist “{data.cycle_title}” ({data.cycle_state.lower()}), modelo {data.template_version}: "
        f"{plural(o.done + o.not_applicable, 'item finalizado', 'itens finalizados')} de {number(o.total)} "
        f"({o.percent}%), {plural(o.in_progress, 'em andamento', 'em andamento')}, "
        f"{plural(o.blocked, 'bloqueado', 'bloqueados')} e {plural(o.overdue, 'em atraso', 'em atraso')} "
        f"em {day(data.data_date)}. “Finalizados” soma os itens concluídos e os que não se aplicam ao "
        "município, com justificativa."
    )
    subheading(b, "Datas-chave")
    table(
        b,
        ["Evento-chave", "Data", "Origem da data"],
        [[k.label[:1].upper() + k.label[1:], day(k.day), text(k.origin)] for k in data.key_dates],
        widths=[4.5, 2.2, 10.3],
        none="Nenhuma data-chave registrada no ciclo.",
    )
    subheading(b, "Situação do checklist por seção", room=8 * cm)
    progress_table(b, data.sections, data.overall)
    progress_chart(b, data.sections, "Itens finalizados por seção (%)")
    _items_block(b, data, 2)
    others = [i for i in data.items if i.section_code not in _MAPPED]
    if others:
        subheading(b, "Outros itens do checklist")
        checklist_items_table(b, others, none="")


def _finance(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("3. Situação financeira")
    cutoff = day(data.cutoff_date) if data.cutoff_date else "a data informada em cada conta"
    b.paragraph(
        f"Contas do FMAS por bloco de financiamento ou fonte: saldo em 31/12 (conta corrente mais "
        f"aplicação), saldo na data de corte ({cutoff}), rendimentos do ano, saldo a reprogramar e "
        "conciliação bancária. Valores conforme cadastrados pelo município."
    )
    accounts_tables(b, data.accounts)
    if not data.municipality.fmas_has_own_resources:
        b.notice(
            "O município não aplica recursos próprios no FMAS. A LOAS (art. 30, parágrafo único) condiciona "
            "os repasses à comprovação da alocação de recursos próprios no fundo."
        )
    _items_block(b, data, 3)


def _accountability(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("4. Prestações de contas")
    b.paragraph(
        "Situação das prestações de contas por exercício e fonte (federal, IGD-PBF, FEAS/Piso Mineiro, "
        "emendas e convênios), com os prazos do gestor e do CMAS. No Estado de Minas Gerais, o gestor que "
        "assume deve prestar as contas do FEAS não prestadas pelo antecessor ou adotar as medidas legais "
        "(Decreto estadual nº 48.269/2021, art. 16, § 4º)."
    )
    accountability_tables(b, data.accountability, data.data_date)
    _items_block(b, data, 4)


def _planning(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("5. Planejamento")
    b.paragraph(
        "Plano Municipal de Assistência Social, Plano de Ação, Plano de Serviços do Piso Mineiro, Pacto de "
        "Aprimoramento da Gestão, proposta orçamentária do FMAS e Relatório de Gestão: a situação de cada "
        "instrumento é a do item correspondente do checklist, e os documentos estão no índice de "
        "evidências (seção 15)."
    )
    _items_block(b, data, 5)


def _network(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("6. Rede e serviços")
    subheading(b, "Unidades")
    table(
        b,
        ["Tipo", "Nome", "Endereço", "Imóvel", "Horário", "Famílias referenciadas", "Código CadSUAS"],
        [
            [
                u.kind,
                u.name,
                text(u.address),
                text(u.building),
                text(u.opening_hours),
                number(u.referenced_families),
                text(u.cadsuas_id),
            ]
            for u in sorted(data.units, key=lambda u: (u.kind, u.name))
        ],
        widths=[2.2, 3.2, 3.6, 1.5, 2.5, 1.9, 2.1],
        numeric=(5,),
        empty="unidade",
    )
    subheading(b, "Serviços: capacidade, metas e atendimentos")
    services_table(b, data.services, empty="serviço")
    _items_block(b, data, 6)


def _special_protection(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("7. Proteção Social Especial e demanda reprimida")
    b.paragraph(
        "Somente números agregados por serviço: este dossiê não traz códigos de caso, nomes nem outros "
        "dados pessoais (Lei Geral de Proteção de Dados — LGPD). Os dias de espera contam da data de "
        f"recebimento até {day(data.data_date)}, para os casos ainda à espera (aguardando ou encaminhados "
        "à referência regional)."
    )
    subheading(b, "Demanda reprimida por serviço e situação")
    demand = sorted(data.demand, key=lambda d: d.service)
    if demand:
        table(
            b,
            [
                "Serviço",
                "Aguardando",
                "Encaminhado à referência regional",
                "Em atendimento",
                "Atendido",
                "Desistência",
                "Espera média (dias)",
                "Maior espera (dias)",
            ],
            [
                [
                    d.service,
                    number(d.waiting),
                    number(d.referred_regional),
                    number(d.in_care),
                    number(d.served),
                    number(d.withdrawn),
                    number(d.average_wait_days),
                    number(d.longest_wait_days),
                ]
                for d in demand
            ],
            widths=[4.4, 1.7, 2.4, 1.8, 1.6, 1.7, 1.7, 1.7],
            numeric=range(1, 8),
            total=[
                "Total",
                number(sum(d.waiting for d in demand)),
                number(sum(d.referred_regional for d in demand)),
                number(sum(d.in_care for d in demand)),
                number(sum(d.served for d in demand)),
                number(sum(d.withdrawn for d in demand)),
                "",
                number(max((d.longest_wait_days or 0 for d in demand), default=0)),
            ],
        )
        waiting = [(d.service, d.still_waiting) for d in demand if d.still_waiting]
        b.bar_chart("Casos à espera por serviço", sorted(waiting, key=lambda x: (-x[1], x[0])), unit="")
    else:
        b.empty("demanda reprimida")
    subheading(b, "Acolhidos fora do município")
    care = sorted(data.outside_care, key=lambda c: (c.service, c.host_municipality))
    table(
        b,
        ["Serviço", "Município que acolhe", "Pessoas acolhidas", "Forma de custeio ou acordo"],
        [[c.service, c.host_municipality, number(c.count), text(c.arrangements)] for c in care],
        widths=[4.2, 3.4, 2.2, 7.2],
        numeric=(2,),
        empty="acolhimento fora do município",
        total=["Total", "", number(sum(c.count for c in care)), ""] if care else None,
    )
    subheading(b, "Referências regionais")
    table(
        b,
        ["Tipo", "Nome", "Município-sede", "Serviços oferecidos", "Instrumento"],
        [
            [r.kind, r.name, text(r.seat_municipality), text(r.services), text(r.agreement)]
            for r in sorted(data.regional_references, key=lambda r: (r.kind, r.name))
        ],
        widths=[2.6, 4.2, 2.4, 4.0, 3.8],
        empty="referência regional",
    )
    _items_block(b, data, 7)


def _staff(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("8. Gestão do trabalho")
    b.paragraph(
        "Quadro de pessoal em números, por unidade, profissão e vínculo, sem nomes nem CPF, e comparação das "
        "equipes dos CRAS e CREAS com a equipe de referência da NOB-RH/SUAS para o porte do município."
    )
    b.key_values(
        [("Total de trabalhadores", number(data.staff_total))]
        + [(f"Vínculo: {bond}", number(count)) for bond, count in data.staff_by_bond],
        key_width=6.5 * cm,
    )
    subheading(b, "Trabalhadores por unidade, profissão e vínculo")
    counts = sorted(data.staff_counts, key=lambda r: (r.unit, r.profession, r.bond))
    table(
        b,
        ["Unidade", "Profissão", "Vínculo", "Trabalhadores"],
        [[r.unit, r.profession, r.bond, number(r.count)] for r in counts],
        widths=[5.5, 5.5, 3.5, 2.5],
        numeric=(3,),
        empty="trabalhador",
        total=["Total", "", "", number(sum(r.count for r in counts))] if counts else None,
    )
    if data.staff_contract_ends:
        subheading(b, "Contratos de trabalho que terminam nos próximos meses")
        ends = sorted(data.staff_contract_ends)
        table(
            b,
            ["Mês de término", "Trabalhadores"],
            [[f"{month:%m/%Y}", number(count)] for month, count in ends],
            widths=[8, 4],
            numeric=(1,),
            total=["Total", number(sum(c for _, c in ends))],
        )
    subheading(b, "Equipes de referência (NOB-RH/SUAS)", room=6 * cm)
    if data.teams:
        rows = []
        for team in sorted(data.teams, key=lambda t: t.unit):
            for index, req in enumerate(team.requirements):
                rows.append(
                    [
                        team.unit if index == 0 else "",
                        team.reference if index == 0 else "",
                        req.label,
                        number(req.required),
                        number(req.counted),
                        number(req.missing) if req.missing else "Completo",
                    ]
                )
        table(
            b,
            ["Unidade", "Equipe de referência", "Função", "Exigido", "Existente", "Faltam"],
            rows,
            widths=[2.8, 5.2, 4.2, 1.5, 1.6, 1.7],
            numeric=(3, 4, 5),
            total=["Total", "", "", "", "", number(sum(t.missing for t in data.teams))],
        )
        for team in sorted(data.teams, key=lambda t: t.unit):
            for note in team.notes:
                b.paragraph(f"{team.unit}: {note}", "small")
    else:
        b.paragraph("Não há CRAS nem CREAS cadastrados para comparar com a NOB-RH/SUAS.", "muted")
    _items_block(b, data, 8)


def _partnerships_assets(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("9. Parcerias, contratos e patrimônio")
    subheading(b, "Parcerias com organizações da sociedade civil (MROSC)")
    table(
        b,
        ["Organização", "Instrumento", "Objeto", "Valor total", "Vigência", "Situação"],
        [
            [
                p.organization,
                f"{p.instrument}{' nº ' + p.number if p.number else ''}",
                p.purpose,
                money(p.amount),
                period(p.start, p.end),
                text(p.status),
            ]
            for p in sorted(data.partnerships, key=lambda p: (p.organization, p.number))
        ],
        widths=[3.6, 2.6, 4.0, 2.1, 2.7, 2.0],
        numeric=(3,),
        empty="parceria",
    )
    _contracts(b, data.contracts)
    subheading(b, "Bens patrimoniais por categoria")
    categories = sorted(data.asset_categories, key=lambda c: c.category)
    table(
        b,
        ["Categoria", "Quantidade", "Valor total"],
        [[c.category, number(c.count), money(c.value)] for c in categories],
        widths=[9, 3, 5],
        numeric=(1, 2),
        empty="bem patrimonial",
        total=["Total", number(sum(c.count for c in categories)), money(sum(c.value for c in categories))]
        if categories
        else None,
    )
    subheading(b, "Veículos")
    table(
        b,
        ["Plaqueta", "Descrição", "Placa", "Unidade", "Aquisição", "Valor", "Estado", "Fonte do recurso"],
        [
            [
                text(v.tag),
                v.description,
                text(v.plate),
                text(v.unit),
                day(v.acquired_on),
                money(v.value),
                text(v.condition),
                text(v.source),
            ]
            for v in sorted(data.vehicles, key=lambda v: (v.plate, v.tag, v.description))
        ],
        widths=[1.5, 3.2, 1.7, 2.6, 1.8, 2.0, 1.5, 2.7],
        numeric=(5,),
        empty="veículo",
    )
    subheading(b, "Estoque (almoxarifado)")
    table(
        b,
        ["Item", "Quantidade", "Unidade de medida", "Local", "Validade", "Fonte do recurso"],
        [
            [s.item, number(s.quantity), text(s.measure), text(s.location), day(s.expires_on), text(s.source)]
            for s in sorted(data.stock, key=lambda s: (s.item, s.location))
        ],
        widths=[3.8, 1.8, 2.2, 3.8, 1.9, 3.5],
        numeric=(1,),
        empty="item de estoque",
    )
    _items_block(b, data, 9)


def _contracts(b: ReportBuilder, contracts: Sequence[ContractRow]) -> None:
    def rows(items: Iterable[ContractRow]) -> list[list[str]]:
        return [
            [c.number, c.supplier, c.purpose, money(c.amount), period(c.start, c.end)]
            for c in sorted(items, key=lambda c: (c.end or date.max, c.number))
        ]

    headers = ["Número", "Contratado(a)", "Objeto", "Valor", "Vigência"]
    widths = [1.8, 4.2, 5.6, 2.4, 3.0]
    continuing = [c for c in contracts if c.continues_next_year]
    others = [c for c in contracts if not c.continues_next_year]
    subheading(b, "Contratos que continuam no próximo exercício")
    if continuing:
        b.notice(
            f"{plural(len(continuing), 'contrato continua', 'contratos continuam')} em vigor no mandato "
            "seguinte: a nova gestão deve designar fiscal e acompanhar a execução e os pagamentos."
        )
    table(
        b,
        headers,
        rows(continuing),
        widths=widths,
        numeric=(3,),
        empty="contrato que continue no próximo exercício",
    )
    subheading(b, "Demais contratos")
    table(b, headers, rows(others), widths=widths, numeric=(3,), empty="outro contrato")


def _council(b: ReportBuilder, data: TransitionDossierData) -> None:
    m = data.municipality
    b.section("10. Controle social — CMAS")
    members = sorted(
        data.council_members,
        key=lambda c: (c.segment_order, c.segment, c.seat != "Titular", c.name),
    )
    presidents = [c for c in members if c.is_president]
    president = presidents[0] if presidents else None
    segments: dict[str, int] = {}
    for c in members:
        if c.seat == "Titular":
            segments[c.segment] = segments.get(c.segment, 0) + 1
    b.key_values(
        [
            (
                "Presidente",
                f"{president.name} (mandato de {period(president.mandate_start, president.mandate_end)})"
                if president
                else text(m.cmas_president_name),
            ),
            ("Conselheiros cadastrados", number(len(members))),
            ("Paridade entre os titulares", _parity(members)),
            (
                "Titulares por segmento",
                "; ".join(f"{s}: {n}" for s, n in segments.items()) or MISSING,
            ),
        ],
        key_width=5.5 * cm,
    )
    b.paragraph(
        "Os conselheiros exercem função pública e por isso são identificados pelo nome. Em Minas Gerais, o "
        "parecer do CMAS sobre as contas do FEAS deve ser assinado por presidente com mandato vigente.",
        "small",
    )
    subheading(b, "Composição")
    table(
        b,
        ["Segmento", "Nome", "Representa", "Titular ou suplente", "Início", "Fim", "Presidente"],
        [
            [
                c.segment,
                c.name,
                text(c.represents),
                text(c.seat),
                day(c.mandate_start),
                day(c.mandate_end),
                yes_no(c.is_president),
            ]
            for c in members
        ],
        widths=[2.4, 3.4, 4.2, 1.7, 1.8, 1.8, 1.6],
        empty="conselheiro(a)",
    )
    subheading(
        b, f"Resoluções do CMAS ({data.resolutions_period})" if data.resolutions_period else "Resoluções"
    )
    resolutions_table(b, data.resolutions, empty="resolução do CMAS no período")
    _items_block(b, data, 10)


def _parity(members: Sequence[CouncilMemberRow]) -> str:
    """LOAS art. 16: the council is paritário, as many government seats as civil-society ones."""
    titulares = [c for c in members if c.seat == "Titular"]
    if not titulares:
        return MISSING
    government = sum(1 for c in titulares if c.segment == "Governo")
    society = len(titulares) - government
    verdict = "paritário" if government == society else "NÃO paritário"
    return f"{government} do governo e {society} da sociedade civil — {verdict}"


def _cadunico_benefits(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("11. Cadastro Único, Bolsa Família e benefícios eventuais")
    subheading(b, "Cadastro Único e Programa Bolsa Família")
    checklist_items_table(
        b, _items(data, ("CAD",)), none="O checklist da transição não tem itens do Cadastro Único."
    )
    subheading(b, "Benefícios eventuais concedidos")
    years = sorted({r.year for r in data.benefits}, reverse=True)
    if not years:
        b.empty("benefício eventual")
    for year in years:
        rows = sorted((r for r in data.benefits if r.year == year), key=lambda r: (r.kind, r.source))
        b.paragraph(f"<b>{year}</b>", markup=True)
        table(
            b,
            ["Tipo", "Fonte do recurso", "Quantidade", "Valor total"],
            [[r.kind, text(r.source), number(r.quantity), money(r.amount)] for r in rows],
            widths=[5.5, 5.5, 2.5, 3.5],
            numeric=(2, 3),
            total=[
                f"Total de {year}",
                "",
                number(sum(r.quantity for r in rows)),
                money(sum(r.amount or 0 for r in rows)),
            ],
        )
    subheading(b, "Itens do checklist da transição", toc=False)
    checklist_items_table(
        b, _items(data, ("BE",)), none="O checklist da transição não tem itens de benefícios eventuais."
    )


def _systems(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("12. Sistemas e acessos")
    b.notice(
        "Este dossiê não contém senhas. Cada acesso deve ser transferido pelo procedimento do próprio "
        "sistema; depois da posse, desative os acessos de quem deixou a gestão."
    )
    table(
        b,
        ["Sistema", "Perfil", "Titular", "Cargo do titular", "Como transferir o acesso", "Conferido em"],
        [
            [
                s.system,
                s.profile,
                s.holder,
                text(s.holder_role),
                text(s.transfer_procedure),
                day(s.reviewed_on),
            ]
            for s in sorted(data.systems, key=lambda s: (s.system, s.profile, s.holder))
        ],
        widths=[2.8, 2.4, 2.7, 2.7, 4.6, 1.8],
        empty="acesso a sistema",
    )
    _items_block(b, data, 12)


def _liabilities(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("13. Pendências, riscos e passivos")
    liabilities = sorted(
        data.liabilities, key=lambda r: (r.is_resolved, r.deadline or date.max, r.kind, r.reference)
    )
    open_ = [r for r in liabilities if not r.is_resolved]
    subheading(b, "Passivos e riscos")
    table(
        b,
        ["Tipo", "Processo ou ofício", "Descrição", "Valor envolvido", "Prazo", "Situação"],
        [
            [r.kind, text(r.reference), r.description, money(r.amount), day(r.deadline), r.status]
            for r in liabilities
        ],
        widths=[2.6, 3.0, 5.6, 2.2, 1.8, 1.8],
        numeric=(3,),
        empty="passivo ou risco",
        total=[
            "Em aberto",
            plural(len(open_), "registro", "registros"),
            "",
            money(sum(r.amount or 0 for r in open_)),
            "",
            "",
        ]
        if liabilities
        else None,
    )
    subheading(b, "Itens bloqueados do checklist")
    checklist_items_table(
        b,
        [i for i in data.items if i.status_code == "blocked"],
        none="Nenhum item do checklist está bloqueado.",
    )
    subheading(b, "Itens em atraso do checklist")
    late = sorted((i for i in data.items if i.overdue), key=lambda i: (i.due or date.max, i.sort_key))
    table(
        b,
        ["Código", "Item", "Situação", "Prazo", "Responsável"],
        [[i.key, i.title, i.status, item_due_text(i), text(i.responsible)] for i in late],
        widths=[1.6, 6.6, 2.4, 2.3, 3.2],
        none="Nenhum item do checklist está em atraso.",
    )


def _agenda(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("14. Agenda dos primeiros 100 dias")
    b.paragraph(
        f"Prazos que vencem entre a posse ({day(data.posse)}) e os 100 dias seguintes, pelas regras de prazo "
        "dos checklists de transição e de encerramento do exercício, em ordem de data."
    )
    table(
        b,
        ["Data", "Código", "O que fazer", "Checklist", "Responsável", "Situação"],
        [
            [day(a.day), a.key, a.title, a.origin, text(a.responsible), a.status]
            for a in sorted(data.agenda, key=lambda a: (a.day, a.key, a.origin))
        ],
        widths=[1.8, 1.5, 6.0, 2.6, 3.2, 2.0],
        none="Nenhum prazo dos checklists vence nos primeiros 100 dias.",
    )


def _evidence(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("15. Índice de evidências")
    evidence = sorted(data.evidence, key=lambda e: (e.item_key, e.file_name, e.sha256))
    total = sum(e.size for e in evidence)
    if evidence:
        b.paragraph(
            f"Arquivos anexados aos itens do checklist “{data.cycle_title}”: "
            f"{plural(len(evidence), 'arquivo', 'arquivos')}, {_size(total)} no total. "
            "O resumo SHA-256 identifica cada arquivo: qualquer alteração no arquivo muda o resumo. "
            "A coluna Item traz o código do item do checklist, listado na seção correspondente."
        )
    table(
        b,
        ["Arquivo", "Tipo", "Tamanho", "Resumo SHA-256", "Item"],
        [
            [
                e.file_name,
                _media(e.media_type),
                _size(e.size),
                _sha(e.sha256),
                e.item_key,
            ]
            for e in evidence
        ],
        widths=[5.0, 1.2, 1.6, 5.6, 1.6],
        numeric=(2,),
        none="Nenhum arquivo foi anexado aos itens deste checklist.",
    )


def _sha(value: str) -> str:
    return " ".join(value[i : i + 32] for i in range(0, len(value), 32))


_MEDIA = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "text/plain": "Texto",
    "text/csv": "CSV",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Planilha",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Documento",
    "application/zip": "ZIP",
}


def _media(media_type: str) -> str:
    return _MEDIA.get(media_type, media_type.rsplit("/", maxsplit=1)[-1].upper()[:10] or MISSING)


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _audit(b: ReportBuilder, data: TransitionDossierData) -> None:
    b.section("16. Trilha de auditoria do ciclo")
    digest = data.audit
    if digest is None:
        b.paragraph(
            "O resumo da trilha de auditoria não estava disponível para quem gerou este relatório.", "muted"
        )
        return
    b.paragraph(
        f"Registros da trilha de auditoria do SUAS Desktop no período {digest.period}: "
        f"{plural(digest.total, 'ação registrada', 'ações registradas')}, por pessoa e tipo de ação. "
        "A trilha guarda quem fez o quê e quando, nunca os valores dos dados pessoais."
    )
    if digest.chain_ok:
        b.paragraph("Verificação da trilha: íntegra — nenhum registro alterado, apagado ou fora de ordem.")
    else:
        b.notice(
            "Verificação da trilha: ADULTERADA — há registros alterados, apagados ou fora de ordem. "
            "Rode a verificação dos dados e guarde este relatório."
        )
    b.table(
        ["Pessoa", *digest.categories, "Total"],
        [[person, *counts, total] for person, counts, total in digest.rows],
        widths=[4, *([1.6] * len(digest.categories)), 1.2],
        numeric=list(range(1, len(digest.categories) + 2)),
        empty="ações na trilha de auditoria neste período",
    )
