"""Relatório de Encerramento do Exercício (domain.md §8, last paragraph).

Cover, table of contents, summary, checklist status per section with a bar chart, items that do not
apply (with their justification), blocked and overdue items, financial summary, accountability,
targets × attendances of the year, CMAS resolutions of the year and the signature page with three
empty fields: ``gestor``, ``contador`` and ``controle_interno`` (interfaces.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import cm

from suas_desktop.documents.report_pdf import RenderedReport, ReportBuilder, ReportMeta
from suas_desktop.documents.reports import (
    SETTLED_ACCOUNTABILITY,
    AccountabilityRow,
    AccountRow,
    ChecklistItemRow,
    MunicipalityInfo,
    ResolutionRow,
    SectionProgressRow,
    ServiceRow,
    accountability_tables,
    accounts_tables,
    checklist_items_table,
    day,
    deadline_words,
    finish,
    item_due_text,
    money,
    number,
    plural,
    progress_chart,
    progress_table,
    resolutions_table,
    services_table,
    subheading,
    table,
    text,
)

SIGNATURE_FIELDS = ("gestor", "contador", "controle_interno")


@dataclass(frozen=True)
class ClosingReportData:
    municipality: MunicipalityInfo
    cycle_title: str  # "Encerramento 2026"
    cycle_state: str
    template_version: str
    reference_year: int
    data_date: date
    document_code: str
    overall: SectionProgressRow
    sections: tuple[SectionProgressRow, ...]
    items: tuple[ChecklistItemRow, ...]
    accounts: tuple[AccountRow, ...] = ()
    accountability: tuple[AccountabilityRow, ...] = ()
    services: tuple[ServiceRow, ...] = ()  # of the reference year
    resolutions: tuple[ResolutionRow, ...] = ()  # of the reference year
    manager_name: str = ""
    accountant_name: str = ""
    internal_control_name: str = ""


def render_closing_report(data: ClosingReportData, meta: ReportMeta) -> RenderedReport:
    b = ReportBuilder(meta)
    m = data.municipality
    b.cover(
        [
            ("Município", m.display),
            ("Porte", f"{m.size_class} ({number(m.population)} habitantes)"),
            ("Órgão gestor", m.managing_body),
            ("CNPJ do FMAS", m.fmas_cnpj),
            ("Exercício", str(data.reference_year)),
            ("Gestor(a)", text(m.manager_name)),
            ("Checklist", f"{data.cycle_title} — {data.cycle_state}"),
            ("Dados registrados até", day(data.data_date)),
            ("Código do documento", data.document_code),
        ],
        subtitle=f"Exercício de {data.reference_year}",
    )
    b.table_of_contents()
    _summary(b, data)
    _checklist(b, data)
    _finance(b, data)
    b.section("4. Prestações de contas")
    accountability_tables(b, data.accountability, data.data_date)
    b.section(f"5. Metas e atendimentos de {data.reference_year}")
    b.paragraph(
        "Capacidade, meta pactuada e atendimentos de cada serviço no exercício, conforme o cadastro de "
        "serviços (compare com o Registro Mensal de Atendimentos — RMA)."
    )
    services_table(b, data.services, empty=f"serviço com dados de {data.reference_year}")
    b.section(f"6. Resoluções do CMAS de {data.reference_year}")
    resolutions_table(b, data.resolutions, empty=f"resolução do CMAS de {data.reference_year}")
    _signatures(b, data)
    return finish(b)


def _summary(b: ReportBuilder, data: ClosingReportData) -> None:
    m, o = data.municipality, data.overall
    b.section("1. Resumo")
    accounts = data.accounts
    open_accountability = [r for r in data.accountability if r.status_code not in SETTLED_ACCOUNTABILITY]
    b.paragraph(
        f"Situação do encerramento do exercício de {data.reference_year} do órgão gestor da Assistência "
        f"Social de {m.display} em {day(data.data_date)}: "
        f"{plural(o.done + o.not_applicable, 'item finalizado', 'itens finalizados')} "
        f"de {number(o.total)} ({o.percent}%)."
    )
    b.key_values(
        [
            ("Itens do checklist", number(o.total)),
            ("Concluídos", number(o.done)),
            ("Não se aplica (com justificativa)", number(o.not_applicable)),
            ("Em andamento", number(o.in_progress)),
            ("Bloqueados", number(o.blocked)),
            ("Pendentes", number(o.pending)),
            ("Em atraso", number(o.overdue)),
            ("Finalizados", f"{o.percent}%"),
            ("Contas bancárias do FMAS", number(len(accounts))),
            ("Saldo total em 31/12", money(sum(a.balance_dec31 or 0 for a in accounts))),
            ("Saldo total a reprogramar", money(sum(a.amount_to_reprogram or 0 for a in accounts))),
            ("Contas não conciliadas", number(sum(1 for a in accounts if not a.reconciled))),
            ("Prestações de contas não finalizadas", number(len(open_accountability))),
            (f"Resoluções do CMAS em {data.reference_year}", number(len(data.resolutions))),
        ],
        key_width=7 * cm,
    )
    for warning in m.warnings:
        b.notice(warning)


def _checklist(b: ReportBuilder, data: ClosingReportData) -> None:
    b.section("2. Situação do checklist")
    b.paragraph(
        f"Checklist “{data.cycle_title}” ({data.cycle_state.lower()}), modelo {data.template_version}. "
        "“Finalizados” soma os itens concluídos e os que não se aplicam ao município, com justificativa."
    )
    progress_table(b, data.sections, data.overall)
    progress_chart(b, data.sections, "Itens finalizados por seção (%)")
    items = sorted(data.items, key=lambda i: i.sort_key)
    subheading(b, "Itens que não se aplicam ao município")
    table(
        b,
        ["Código", "Item", "Seção", "Justificativa"],
        [
            [i.key, i.title, i.section_title, text(i.reason)]
            for i in items
            if i.status_code == "not_applicable"
        ],
        widths=[1.6, 5.6, 3.4, 6.4],
        none="Nenhum item foi marcado como “Não se aplica”.",
    )
    subheading(b, "Itens bloqueados")
    table(
        b,
        ["Código", "Item", "O que impede", "Prazo", "Responsável"],
        [
            [i.key, i.title, text(i.reason), item_due_text(i), text(i.responsible)]
            for i in items
            if i.status_code == "blocked"
        ],
        widths=[1.6, 5.0, 5.4, 2.0, 3.0],
        none="Nenhum item está bloqueado.",
    )
    subheading(b, "Itens em atraso")
    late = sorted((i for i in items if i.overdue), key=lambda i: (i.due or date.max, i.sort_key))
    table(
        b,
        ["Código", "Item", "Situação", "Prazo", "Atraso", "Responsável"],
        [
            [i.key, i.title, i.status, item_due_text(i), deadline_words(i.days_left), text(i.responsible)]
            for i in late
        ],
        widths=[1.6, 5.4, 2.0, 1.9, 2.6, 3.0],
        none="Nenhum item está em atraso.",
    )


def _finance(b: ReportBuilder, data: ClosingReportData) -> None:
    b.section("3. Resumo financeiro")
    b.paragraph(
        "Contas do FMAS por bloco de financiamento ou fonte: saldo em 31/12 (conta corrente mais aplicação), "
        "saldo na data de corte, rendimentos do ano, saldo a reprogramar e conciliação bancária."
    )
    accounts_tables(b, data.accounts)
    if not data.municipality.fmas_has_own_resources:
        b.notice(
            "O município não aplica recursos próprios no FMAS. A LOAS (art. 30, parágrafo único) condiciona "
            "os repasses à comprovação da alocação de recursos próprios no fundo."
        )
    subheading(b, "Itens financeiros do checklist")
    fin = [i for i in data.items if i.section_code in ("FIN", "CONTA")]
    checklist_items_table(b, fin, none="O checklist não tem itens financeiros.")


def _signatures(b: ReportBuilder, data: ClosingReportData) -> None:
    m = data.municipality
    b.section("7. Assinaturas")
    b.paragraph(
        f"Declaramos que as informações deste relatório correspondem à situação do encerramento do exercício "
        f"de {data.reference_year} registrada no SUAS Desktop em {day(data.data_date)} "
        f"(documento {data.document_code})."
    )
    b.paragraph(f"{m.name} – {m.uf}, ______ de ____________________ de {data.reference_year + 1}.")
    b.spacer(6)
    b.signature_boxes(
        [
            ("gestor", data.manager_name or m.manager_name, "Gestor(a) da Assistência Social"),
            ("contador", data.accountant_name, "Contador(a) responsável"),
            ("controle_interno", data.internal_control_name, "Controle interno"),
        ]
    )
    b.spacer(4)
    b.paragraph(
        "Ciência do CMAS: o relatório deve ser apresentado ao Conselho Municipal de Assistência Social "
        "na reunião seguinte à sua assinatura.",
        "small",
    )
