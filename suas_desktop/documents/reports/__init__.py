"""The four reports (Dossiê de Transição, Encerramento do Exercício, Pendências, Relatório Regional).

Each module takes a frozen dataclass of plain values (strings, numbers, dates, tuples), prepared by
``services/report_service.py``, and describes the pages with the vocabulary of
:class:`~suas_desktop.documents.report_pdf.ReportBuilder`. This package never opens the database.

This file holds what the reports share: the input rows used by more than one report, pt-BR
formatting (R$ 1.234,56, dd/mm/aaaa, "ATRASADO há 5 dias"), a few tables drawn the same way in the
dossier and in the closing report, and :func:`finish`, which renders and adds the empty signature
fields.

Privacy (LGPD): the rows here carry no CPF, no staff names and no case codes. Unmet demand reaches
this package only as counts per service.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph

from suas_desktop.documents.report_pdf import (
    BORDER,
    CONTENT_W,
    FONT_CONDENSED,
    RenderedReport,
    ReportBuilder,
    text_width,
)
from suas_desktop.documents.signature_fields import add_signature_fields
from suas_desktop.domain.register_fields import format_money

#: Printed where a value is missing: tables never have empty cells (ux.md, "Table").
MISSING = "—"

#: Accountability statuses after which nothing more is expected from the municipality.
SETTLED_ACCOUNTABILITY = frozenset({"aprovada", "rejeitada"})


# ====================================================================== formatting


def money(centavos: int | None) -> str:
    return MISSING if centavos is None else format_money(centavos)


def day(value: date | None) -> str:
    return MISSING if value is None else f"{value:%d/%m/%Y}"


def number(value: int | None) -> str:
    return MISSING if value is None else f"{value:,}".replace(",", ".")


def percent(value: int | float) -> str:
    return f"{round(value)}%"


def yes_no(value: bool | None) -> str:
    return MISSING if value is None else ("Sim" if value else "Não")


def text(value: str | None) -> str:
    value = (value or "").strip()
    return value or MISSING


def period(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return MISSING
    return f"{day(start)} a {day(end)}"


def plural(count: int, singular: str, many: str) -> str:
    return f"{number(count)} {singular if count == 1 else many}"


def deadline_words(days_left: int | None, *, is_open: bool = True) -> str:
    """The deadline in words for people reading on paper: "ATRASADO há 5 dias", "Vence hoje"…"""
    if days_left is None:
        return "Sem prazo definido"
    if not is_open:
        return MISSING
    if days_left < 0:
        late = -days_left
        return f"ATRASADO há {plural(late, 'dia', 'dias')}"
    if days_left == 0:
        return "Vence hoje"
    if days_left == 1:
        return "Vence amanhã"
    return f"Vence em {number(days_left)} dias"


def document_code(ibge_code: str, kind_code: str, year: int, generated: date | object) -> str:
    """``SUAS-3199908-TR-2028-202611251430``: municipality, report kind, year and generation minute."""
    stamp = generated.strftime("%Y%m%d%H%M")  # type: ignore[attr-defined]
    return f"SUAS-{ibge_code}-{kind_code}-{year}-{stamp}"


# ====================================================================== shared input rows


@dataclass(frozen=True)
class MunicipalityInfo:
    """The municipality as the reports print it (the profile, already formatted where it matters)."""

    name: str
    uf: str
    ibge_code: str
    population: int
    size_class: str  # "Pequeno Porte I"
    managing_body: str
    fmas_cnpj: str  # formatted: 12.345.678/0001-95
    prefeitura_cnpj: str
    fmas_has_budget_unit: bool
    fmas_has_own_resources: bool
    manager_name: str = ""
    manager_start: date | None = None
    manager_end: date | None = None
    cmas_president_name: str = ""
    cmas_president_start: date | None = None
    cmas_president_end: date | None = None
    warnings: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        return f"{self.name} – {self.uf}"


@dataclass(frozen=True)
class ChecklistItemRow:
    """One item of a cycle as of the report day. ``responsible`` is a role (dossier, closing report)
    or the person written in the item (pending report)."""

    key: str
    title: str
    section_code: str
    section_title: str
    section_order: int
    position: int
    status: str  # pt-BR label: "Pendente", "Concluído"…
    status_code: str  # "pending", "in_progress", "done", "not_applicable", "blocked"
    due: date | None
    due_text: str  # the due date in words when there is no date ("Aguardando a data da posse")
    days_left: int | None
    overdue: bool
    reason: str = ""  # justification ("Não se aplica") or what blocks the item ("Bloqueado")
    responsible: str = ""

    @property
    def is_open(self) -> bool:
        return self.status_code in ("pending", "in_progress", "blocked")

    @property
    def sort_key(self) -> tuple:
        return (self.section_order, self.section_code, self.position, self.key)


@dataclass(frozen=True)
class SectionProgressRow:
    code: str
    title: str
    total: int
    done: int
    not_applicable: int
    in_progress: int
    blocked: int
    overdue: int
    percent: int

    @property
    def pending(self) -> int:
        return self.total - self.done - self.not_applicable - self.in_progress - self.blocked


@dataclass(frozen=True)
class AccountRow:
    bank: str
    branch: str
    account: str
    block: str  # pt-BR label of the funding block / source
    block_order: int  # position of the block in the register's list (for grouping)
    description: str
    balance_dec31: int | None  # centavos
    cutoff_date: date | None
    balance_cutoff: int | None
    yields: int | None
    amount_to_reprogram: int | None
    reconciled: bool | None
    block_short: str = ""  # a short name for narrow columns ("PSB", "IGD-PBF"…)


@dataclass(frozen=True)
class AccountabilityRow:
    fiscal_year: int
    source: str  # pt-BR label
    source_order: int
    description: str
    status: str  # pt-BR label
    status_code: str  # register code: "enviada", "aprovada"…
    deadline: date | None
    submitted_on: date | None
    council_deadline: date | None
    council_opinion_on: date | None
    notes: str = ""


@dataclass(frozen=True)
class ResolutionRow:
    number: str
    issued_on: date
    subject: str
    kind: str  # pt-BR label


@dataclass(frozen=True)
class ServiceRow:
    unit: str
    service: str
    year: int
    capacity: int | None
    target: int | None
    attendances: int | None


# ====================================================================== layout helpers


class RuledLines(Flowable):
    """Lined space to write by hand (reservations on the handover term)."""

    def __init__(self, lines: int, gap: float = 0.85 * cm, width: float = CONTENT_W) -> None:
        super().__init__()
        self.lines, self.gap, self.width = lines, gap, width
        self.height = lines * gap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(BORDER)
        c.setLineWidth(0.6)
        for index in range(self.lines):
            y = self.height - (index + 1) * self.gap
            c.line(0, y, self.width, y)


def subheading(builder: ReportBuilder, title: str, *, room: float = 4 * cm, toc: bool = True) -> None:
    """A level-2 heading that never stays alone at the bottom of a page; ``toc=False`` keeps repeated
    headings ("Itens do checklist da transição") out of the table of contents."""
    builder.story.append(CondPageBreak(room))
    if toc:
        builder.heading(title, 2)
    else:
        builder.paragraph(title, "h2")


#: Tables up to this many rows are never split across pages (nor separated from their heading).
KEEP_TOGETHER_ROWS = 12

#: Cells made only of digits, money, dates and percentages are never broken across lines.
_UNBREAKABLE = re.compile(r"^[-+R$\s\d.,/%:]{1,30}$")
FONT_CONDENSED_BOLD = "DejaVuSansCondensed-Bold"
_PADDING = 12  # reportlab's default left + right cell padding


def fit_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    weights: Sequence[float],
    *,
    numeric: Iterable[int] = (),
    total: Sequence[Any] | None = None,
    font: str = FONT_CONDENSED,
    bold: str = FONT_CONDENSED_BOLD,
    size: float = 8,
) -> list[float]:
    """Column widths (points, summing to the page width) that never split a word of a header, a number,
    a date or an amount: each column gets at least its longest such word, the rest of the width is
    shared by ``weights``. Falls back to plain proportions when even the minimums do not fit."""
    numeric = set(numeric)
    minimum = []
    every_row = [*rows, *([total] if total else [])]
    for index, header in enumerate(headers):
        need = max((text_width(w, bold, size) for w in str(header).split()), default=0)
        is_numeric = index in numeric
        for row in every_row:
            value = str(row[index]) if index < len(row) else ""
            need = max(need, _room_needed(value, is_numeric, row is total, font, size))
        minimum.append(need + _PADDING + 1)
    scale = CONTENT_W / sum(weights)
    if sum(minimum) > CONTENT_W:
        return [w * scale for w in weights]
    fixed: dict[int, float] = {}
    while True:
        free = CONTENT_W - sum(fixed.values())
        share = sum(w for i, w in enumerate(weights) if i not in fixed)
        widths = [fixed.get(i, free * w / share if share else 0) for i, w in enumerate(weights)]
        short = [i for i, w in enumerate(widths) if i not in fixed and w < minimum[i]]
        if not short:
            return widths
        for i in short:
            fixed[i] = minimum[i]


@functools.lru_cache(maxsize=1 << 14)
def _room_needed(value: str, numeric: bool, total: bool, font: str, size: float) -> float:
    """The width a cell's text needs on one line in :func:`fit_widths`: all of it for a number (the
    total row's in bold), else its longest word up to 4.2 cm. Remembered: tables repeat values."""
    if numeric or _UNBREAKABLE.match(value):
        return text_width(value, FONT_CONDENSED_BOLD if total else FONT_CONDENSED, 8)
    longest = max((text_width(w, font, size) for w in value.split()), default=0)
    return min(longest, 4.2 * cm)


def table(
    builder: ReportBuilder,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    widths: Sequence[float],
    numeric: Iterable[int] = (),
    empty: str = "",
    none: str = "",
    total: Sequence[Any] | None = None,
) -> None:
    """:meth:`ReportBuilder.table` with widths from :func:`fit_widths` (``widths`` are the weights).

    An empty table prints ``Nenhum registro de <empty> cadastrado…`` (a register) or the sentence
    ``none`` (anything else). A short table is kept on one page with the heading just before it.
    """
    if not rows:
        if none:
            builder.paragraph(none, "muted")
        elif empty:
            builder.empty(empty)
        return
    numeric = tuple(numeric)
    fitted = fit_widths(headers, rows, widths, numeric=numeric, total=total)
    builder.table(headers, rows, widths=fitted, numeric=numeric, total=total)
    if len(rows) <= KEEP_TOGETHER_ROWS:
        story = builder.story
        start = len(story) - 2  # the table; the engine adds a spacer after it
        if start > 0 and isinstance(story[start - 1], Paragraph) and story[start - 1].style.name == "h2":
            start -= 1
        story[start:-1] = [KeepTogether(story[start:-1])]


def finish(builder: ReportBuilder) -> RenderedReport:
    """Render the PDF and add one empty, named signature field per signature box drawn."""
    pdf = builder.render()
    slots = builder.signature_slots
    return RenderedReport(add_signature_fields(pdf, slots), list(slots))


# ====================================================================== tables shared by reports


def item_status_text(item: ChecklistItemRow) -> str:
    if item.overdue:
        return f"{item.status} — em atraso"
    return item.status


def item_due_text(item: ChecklistItemRow) -> str:
    return day(item.due) if item.due else text(item.due_text)


def item_title_text(item: ChecklistItemRow) -> str:
    if item.reason and item.status_code == "not_applicable":
        return f"{item.title} (Justificativa: {item.reason})"
    if item.reason and item.status_code == "blocked":
        return f"{item.title} (Motivo do bloqueio: {item.reason})"
    return item.title


def checklist_items_table(
    builder: ReportBuilder, items: Iterable[ChecklistItemRow], *, none: str, responsible: bool = True
) -> None:
    rows = []
    for item in sorted(items, key=lambda i: i.sort_key):
        row = [item.key, item_title_text(item), item_status_text(item), item_due_text(item)]
        if responsible:
            row.append(text(item.responsible))
        rows.append(row)
    headers = ["Código", "Item", "Situação", "Prazo"]
    widths = [1.7, 8.4, 2.6, 2.4]
    if responsible:
        headers.append("Responsável")
        widths = [1.6, 6.6, 2.4, 2.3, 3.2]
    table(builder, headers, rows, widths=widths, none=none)


def progress_table(
    builder: ReportBuilder, sections: Sequence[SectionProgressRow], overall: SectionProgressRow
) -> None:
    rows = [
        [
            s.title,
            number(s.total),
            number(s.done),
            number(s.not_applicable),
            number(s.in_progress),
            number(s.blocked),
            number(s.pending),
            number(s.overdue),
            percent(s.percent),
        ]
        for s in sections
    ]
    total = [
        "Total",
        number(overall.total),
        number(overall.done),
        number(overall.not_applicable),
        number(overall.in_progress),
        number(overall.blocked),
        number(overall.pending),
        number(overall.overdue),
        percent(overall.percent),
    ]
    table(
        builder,
        [
            "Seção",
            "Itens",
            "Concluídos",
            "Não se aplica",
            "Em andamento",
            "Bloqueados",
            "Pendentes",
            "Em atraso",
            "%",
        ],
        rows,
        widths=[5.2, 1.2, 1.6, 1.5, 1.7, 1.6, 1.6, 1.5, 1.7],
        numeric=range(1, 9),
        none="Este ciclo não tem itens.",
        total=total if rows else None,
    )


def short_label(label: str, limit: int = 38) -> str:
    """Chart labels are cut at 38 characters by the engine: cut at a word and say so with "…"."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1].rsplit(" ", 1)[0].rstrip(" —-–,")
    return f"{cut}…"


def progress_chart(builder: ReportBuilder, sections: Sequence[SectionProgressRow], title: str) -> None:
    builder.bar_chart(title, [(short_label(s.title), s.percent) for s in sections], unit="%", maximum=100)


def _account_label(a: AccountRow) -> str:
    return f"{a.bank} · Ag. {a.branch} · C/C {a.account}"


def accounts_tables(builder: ReportBuilder, accounts: Sequence[AccountRow]) -> None:
    """Every account (grouped by block) with totals, then the totals per block."""
    if not accounts:
        builder.empty("conta bancária")
        return
    ordered = sorted(accounts, key=lambda a: (a.block_order, a.block, a.bank, a.branch, a.account))
    rows = [
        [
            f"{a.block_short or a.block}: {_account_label(a)}"
            + (f" — {a.description}" if a.description else ""),
            money(a.balance_dec31),
            money(a.balance_cutoff),
            money(a.yields),
            money(a.amount_to_reprogram),
            yes_no(a.reconciled),
        ]
        for a in ordered
    ]

    def total(values: Iterable[int | None]) -> str:
        return money(sum(v or 0 for v in values))

    table(
        builder,
        [
            "Bloco ou fonte e conta",
            "Saldo em 31/12",
            "Saldo na data de corte",
            "Rendimentos",
            "A reprogramar",
            "Conciliada",
        ],
        rows,
        widths=[6.0, 2.3, 2.6, 2.0, 2.3, 1.5],
        numeric=(1, 2, 3, 4),
        total=[
            f"Total ({plural(len(ordered), 'conta', 'contas')})",
            total(a.balance_dec31 for a in ordered),
            total(a.balance_cutoff for a in ordered),
            total(a.yields for a in ordered),
            total(a.amount_to_reprogram for a in ordered),
            f"{sum(1 for a in ordered if a.reconciled)} de {len(ordered)}",
        ],
    )
    blocks: dict[tuple[int, str], list[AccountRow]] = {}
    for a in ordered:
        blocks.setdefault((a.block_order, a.block), []).append(a)
    subheading(builder, "Totais por bloco de financiamento ou fonte")
    block_rows = [
        [
            block,
            number(len(items)),
            total(a.balance_dec31 for a in items),
            total(a.balance_cutoff for a in items),
            total(a.yields for a in items),
            total(a.amount_to_reprogram for a in items),
            number(sum(1 for a in items if not a.reconciled)),
        ]
        for (_, block), items in sorted(blocks.items())
    ]
    table(
        builder,
        [
            "Bloco ou fonte",
            "Contas",
            "Saldo em 31/12",
            "Saldo na data de corte",
            "Rendimentos",
            "A reprogramar",
            "Não conciliadas",
        ],
        block_rows,
        widths=[5.0, 1.3, 2.4, 2.4, 2.1, 2.4, 1.8],
        numeric=(1, 2, 3, 4, 5, 6),
        total=[
            "Total",
            number(len(ordered)),
            total(a.balance_dec31 for a in ordered),
            total(a.balance_cutoff for a in ordered),
            total(a.yields for a in ordered),
            total(a.amount_to_reprogram for a in ordered),
            number(sum(1 for a in ordered if not a.reconciled)),
        ],
    )
    cutoffs = sorted({a.cutoff_date for a in ordered if a.cutoff_date})
    if len(cutoffs) > 1:
        builder.paragraph(
            "As contas têm datas de corte diferentes: "
            + "; ".join(
                f"{day(c)} ({', '.join(_account_label(a) for a in ordered if a.cutoff_date == c)})"
                for c in cutoffs
            )
            + ".",
            "small",
        )
    not_reconciled = [a for a in ordered if not a.reconciled]
    if not_reconciled:
        builder.notice(
            f"{plural(len(not_reconciled), 'conta não está conciliada', 'contas não estão conciliadas')}: "
            + "; ".join(_account_label(a) for a in not_reconciled)
            + ". A conciliação bancária (extrato × razão) deve ser feita antes do encerramento."
        )


def accountability_tables(
    builder: ReportBuilder, rows: Sequence[AccountabilityRow], today: date, *, matrix: bool = True
) -> None:
    """The matrix exercício × fonte, the full list and the deadlines still ahead."""
    if not rows:
        builder.empty("prestação de contas")
        return
    ordered = sorted(rows, key=lambda r: (r.fiscal_year, r.source_order, r.source, r.description))
    if matrix:
        sources = sorted({(r.source_order, r.source) for r in ordered})
        years = sorted({r.fiscal_year for r in ordered})
        cells: dict[tuple[int, str], list[str]] = {}
        for r in ordered:
            cells.setdefault((r.fiscal_year, r.source), []).append(r.status)
        matrix_rows = [
            [str(y), *["; ".join(cells.get((y, s), [])) or "Não cadastrada" for _, s in sources]]
            for y in years
        ]
        subheading(builder, "Matriz exercício × fonte")
        table(
            builder, ["Exercício", *[s for _, s in sources]], matrix_rows, widths=[1.6] + [3.0] * len(sources)
        )
        subheading(builder, "Prestações de contas cadastradas")
    table(
        builder,
        [
            "Exercício",
            "Fonte",
            "Descrição",
            "Situação",
            "Prazo",
            "Enviada em",
            "Prazo do CMAS",
            "Parecer do CMAS",
        ],
        [
            [
                str(r.fiscal_year),
                r.source,
                text(r.description) + (f" — {r.notes}" if r.notes else ""),
                r.status,
                day(r.deadline),
                day(r.submitted_on),
                day(r.council_deadline),
                day(r.council_opinion_on),
            ]
            for r in ordered
        ],
        widths=[1.4, 2.2, 5.0, 2.0, 1.75, 1.75, 1.75, 1.75],
    )
    ahead: list[tuple[date, str, AccountabilityRow]] = []
    for r in ordered:
        if r.status_code in SETTLED_ACCOUNTABILITY:
            continue
        if r.deadline and r.deadline >= today and r.status_code == "nao_iniciada":
            ahead.append((r.deadline, "Envio pelo gestor", r))
        if r.council_deadline and r.council_deadline >= today and r.council_opinion_on is None:
            ahead.append((r.council_deadline, "Parecer do CMAS", r))
    subheading(builder, "Prazos que ainda vão vencer")
    table(
        builder,
        ["Data", "Etapa", "Exercício", "Fonte", "Descrição", "Situação atual"],
        [
            [day(d), step, str(r.fiscal_year), r.source, text(r.description), r.status]
            for d, step, r in sorted(ahead, key=lambda x: (x[0], x[2].fiscal_year, x[2].source, x[1]))
        ],
        widths=[1.8, 2.4, 1.5, 2.5, 6.2, 2.6],
    )
    if not ahead:
        builder.paragraph("Nenhum prazo de prestação de contas a vencer.", "muted")
    late = [
        r
        for r in ordered
        if r.status_code == "nao_iniciada" and r.deadline is not None and r.deadline < today
    ]
    if late:
        builder.notice(
            f"{plural(len(late), 'prestação de contas está', 'prestações de contas estão')} com o prazo "
            "vencido e não foram enviadas: "
            + "; ".join(f"{r.source} {r.fiscal_year} (prazo {day(r.deadline)})" for r in late)
            + ". A omissão pode suspender os repasses e levar à Tomada de Contas Especial."
        )


def resolutions_table(builder: ReportBuilder, rows: Sequence[ResolutionRow], *, empty: str) -> None:
    table(
        builder,
        ["Número", "Data", "Tipo", "Assunto"],
        [
            [r.number, day(r.issued_on), text(r.kind), r.subject]
            for r in sorted(rows, key=lambda r: (r.issued_on, r.number))
        ],
        widths=[1.8, 2.0, 3.2, 10.0],
        empty=empty,
    )


def services_table(builder: ReportBuilder, rows: Sequence[ServiceRow], *, empty: str) -> None:
    def reached(r: ServiceRow) -> str:
        if not r.target or r.attendances is None:
            return MISSING
        return percent(100 * r.attendances / r.target)

    table(
        builder,
        ["Unidade", "Serviço tipificado", "Ano", "Capacidade", "Meta pactuada", "Atendimentos", "% da meta"],
        [
            [
                r.unit,
                r.service,
                str(r.year),
                number(r.capacity),
                number(r.target),
                number(r.attendances),
                reached(r),
            ]
            for r in sorted(rows, key=lambda r: (r.unit, r.service, r.year))
        ],
        widths=[3.4, 5.0, 1.2, 1.8, 1.8, 1.9, 1.6],
        numeric=(2, 3, 4, 5, 6),
        empty=empty,
    )
