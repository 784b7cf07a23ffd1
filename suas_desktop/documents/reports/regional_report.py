"""Relatório Regional: unmet medium/high-complexity demand, checklist progress and accountability for
the municipalities an association consolidates (the AMAMS request of domain.md §0 and §5).

The input is a LIST of municipality summaries: today the service passes the single local
municipality; the consolidation of packages from many municipalities will pass all of them. Only
aggregates: counts and waiting times per service, never a case or a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from suas_desktop.documents.report_pdf import RenderedReport, ReportBuilder, ReportMeta
from suas_desktop.documents.reports import (
    MISSING,
    day,
    finish,
    number,
    percent,
    plural,
    subheading,
    table,
    text,
)


@dataclass(frozen=True)
class DemandSummary:
    service: str
    waiting: int  # cases still waiting: "Aguardando" plus "Encaminhado à referência regional"
    average_wait_days: int | None
    longest_wait_days: int | None


@dataclass(frozen=True)
class CycleSummary:
    title: str  # "Encerramento 2026"
    total: int
    finished: int  # done + not applicable
    percent: int
    overdue: int
    blocked: int


@dataclass(frozen=True)
class AccountabilityStatusCount:
    status: str  # pt-BR label
    count: int


@dataclass(frozen=True)
class MunicipalitySummary:
    name: str
    uf: str
    ibge_code: str
    size_class: str
    population: int
    demand: tuple[DemandSummary, ...] = ()
    outside_care: int = 0  # people in care outside the municipality
    cycles: tuple[CycleSummary, ...] = ()
    accountability: tuple[AccountabilityStatusCount, ...] = ()
    accountability_open: int = 0  # not yet approved or rejected
    accountability_late: int = 0  # not sent and past the deadline

    @property
    def display(self) -> str:
        return f"{self.name} – {self.uf}"

    @property
    def waiting(self) -> int:
        return sum(d.waiting for d in self.demand)


@dataclass(frozen=True)
class RegionalReportData:
    owner: str  # the association, or the municipality while there is no consolidation
    data_date: date
    document_code: str
    municipalities: tuple[MunicipalitySummary, ...]


def render_regional_report(data: RegionalReportData, meta: ReportMeta) -> RenderedReport:
    b = ReportBuilder(meta)
    towns = sorted(data.municipalities, key=lambda m: (m.name.casefold(), m.uf, m.ibge_code))
    many = len(towns) > 1
    b.cover(
        [
            ("Responsável pelo relatório", data.owner),
            ("Abrangência", plural(len(towns), "município", "municípios")),
            ("População somada", f"{number(sum(m.population for m in towns))} habitantes"),
            ("Dados registrados até", day(data.data_date)),
            ("Código do documento", data.document_code),
        ],
        subtitle="Demanda reprimida, checklists e prestações de contas",
    )
    b.section("1. Municípios")
    b.paragraph(
        "Este relatório traz somente números agregados, sem nomes, códigos de caso ou outros dados pessoais "
        "(Lei Geral de Proteção de Dados — LGPD). "
        + (
            "Reúne os municípios consolidados pela associação."
            if many
            else "Enquanto não houver consolidação regional, traz apenas o município desta pasta de dados."
        )
    )
    table(
        b,
        ["Município", "UF", "Código IBGE", "Porte", "População"],
        [[m.name, m.uf, m.ibge_code, m.size_class, number(m.population)] for m in towns],
        widths=[6.0, 1.2, 2.6, 4.0, 3.2],
        numeric=(4,),
        empty="município",
        total=["Total", "", "", "", number(sum(m.population for m in towns))] if towns else None,
    )
    _demand(b, towns, many)
    _checklists(b, towns, many)
    _accountability(b, towns)
    return finish(b)


def _demand(b: ReportBuilder, towns: list[MunicipalitySummary], many: bool) -> None:
    b.heading("2. Demanda reprimida de média e alta complexidade", 1)
    b.paragraph(
        "Casos à espera (aguardando atendimento ou encaminhados à referência regional) por município e "
        "serviço, com a espera média e a maior espera em dias."
    )
    rows = []
    for m in towns:
        for d in sorted((d for d in m.demand if d.waiting), key=lambda d: d.service):
            rows.append(
                [
                    m.display,
                    d.service,
                    number(d.waiting),
                    number(d.average_wait_days),
                    number(d.longest_wait_days),
                ]
            )
    longest = max((d.longest_wait_days or 0 for m in towns for d in m.demand), default=0)
    table(
        b,
        ["Município", "Serviço", "Casos à espera", "Espera média (dias)", "Maior espera (dias)"],
        rows,
        widths=[4.6, 5.4, 2.2, 2.4, 2.4],
        numeric=(2, 3, 4),
        none="Nenhum caso à espera de atendimento.",
        total=["Total", "", number(sum(m.waiting for m in towns)), "", number(longest)] if rows else None,
    )
    if rows:
        if many:
            b.bar_chart(
                "Casos à espera por município",
                sorted(((m.display, m.waiting) for m in towns), key=lambda x: (-x[1], x[0])),
                unit="",
            )
        by_service: dict[str, int] = {}
        longest_by_service: dict[str, int] = {}
        for m in towns:
            for d in m.demand:
                by_service[d.service] = by_service.get(d.service, 0) + d.waiting
                longest_by_service[d.service] = max(
                    longest_by_service.get(d.service, 0), d.longest_wait_days or 0
                )
        b.bar_chart(
            "Casos à espera por serviço",
            sorted(((s, n) for s, n in by_service.items() if n), key=lambda x: (-x[1], x[0])),
            unit="",
        )
        b.bar_chart(
            "Maior espera por serviço (dias)",
            sorted(((s, n) for s, n in longest_by_service.items() if n), key=lambda x: (-x[1], x[0])),
            unit=" dias",
        )
    subheading(b, "Acolhidos fora do município")
    care = [m for m in towns if m.outside_care]
    table(
        b,
        ["Município", "Pessoas acolhidas em outro município"],
        [[m.display, number(m.outside_care)] for m in care],
        widths=[11, 6],
        numeric=(1,),
        empty="acolhimento fora do município",
    )


def _checklists(b: ReportBuilder, towns: list[MunicipalitySummary], many: bool) -> None:
    b.heading("3. Progresso dos checklists", 1)
    b.paragraph(
        "Itens finalizados (concluídos ou que não se aplicam, com justificativa) sobre o total de itens de "
        "cada ciclo de encerramento do exercício e de transição de mandato."
    )
    rows = []
    chart = []
    for m in towns:
        for c in sorted(m.cycles, key=lambda c: c.title):
            rows.append(
                [
                    m.display,
                    c.title,
                    number(c.total),
                    number(c.finished),
                    percent(c.percent),
                    number(c.overdue),
                    number(c.blocked),
                ]
            )
            chart.append((f"{m.name} · {c.title}" if many else c.title, c.percent))
    table(
        b,
        ["Município", "Ciclo", "Itens", "Finalizados", "Finalizados (%)", "Em atraso", "Bloqueados"],
        rows,
        widths=[4.4, 3.8, 1.4, 1.9, 2.0, 1.7, 1.8],
        numeric=(2, 3, 4, 5, 6),
        none="Nenhum ciclo de checklist foi iniciado.",
    )
    b.bar_chart("Itens finalizados por ciclo (%)", chart, unit="%", maximum=100)


def _accountability(b: ReportBuilder, towns: list[MunicipalitySummary]) -> None:
    b.heading("4. Prestações de contas", 1)
    b.paragraph(
        "Situação das prestações de contas cadastradas (federal, IGD-PBF, FEAS/Piso Mineiro, emendas e "
        "convênios). “Não finalizadas” são as que ainda não foram aprovadas nem rejeitadas; “vencidas sem "
        "envio”, as não iniciadas com o prazo já passado."
    )
    rows = []
    for m in towns:
        counts = sorted(m.accountability, key=lambda a: a.status)
        rows.append(
            [
                m.display,
                number(sum(a.count for a in counts)),
                number(m.accountability_open),
                number(m.accountability_late),
                "; ".join(f"{a.status}: {a.count}" for a in counts) or MISSING,
            ]
        )
    table(
        b,
        ["Município", "Cadastradas", "Não finalizadas", "Vencidas sem envio", "Por situação"],
        rows,
        widths=[4.2, 2.0, 2.2, 2.2, 6.4],
        numeric=(1, 2, 3),
        empty="município",
    )
    chart = [(m.display, m.accountability_open) for m in towns if m.accountability_open]
    if chart:
        b.bar_chart(
            "Prestações de contas não finalizadas por município",
            sorted(chart, key=lambda x: (-x[1], x[0])),
            unit="",
        )
    else:
        b.paragraph(text("Nenhuma prestação de contas em aberto."), "muted")
