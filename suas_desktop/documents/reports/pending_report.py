"""Pendências: the open items of a cycle, one page per responsible person, to print and pin on a wall.

Large type, the deadline in words ("ATRASADO há 5 dias", "Vence em 3 dias"), overdue rows shaded
(the words carry the meaning; the shade only helps). Items without a responsible person are grouped
under "Sem responsável definido", last. No cover and no table of contents: the first page is the
overview, each following page is one person's list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from suas_desktop.documents.report_pdf import (
    BORDER,
    CELL_PADDING_X,
    FONT,
    FONT_BOLD,
    HEADER_BG,
    NAVY,
    TEXT,
    DataTable,
    RenderedReport,
    ReportBuilder,
    ReportMeta,
    cell,
    cell_style,
)
from suas_desktop.documents.reports import day, deadline_words, finish, fit_widths, number, plural

NO_RESPONSIBLE = "Sem responsável definido"

#: Type size of the wall list: readable from a step away.
_SIZE = 11
_LATE_BG = colors.HexColor("#FDE0DB")
_LATE_TEXT = colors.HexColor("#8B0A03")


@dataclass(frozen=True)
class PendingItem:
    responsible: str  # as written in the item; "" when nobody was assigned
    key: str
    title: str
    section_title: str
    section_order: int
    position: int
    status: str  # "Pendente", "Em andamento", "Bloqueado"
    reason: str  # what blocks it, for "Bloqueado"
    due: date | None
    due_text: str  # when there is no date: "Aguardando a data da posse", "Informe a data…"
    days_left: int | None
    overdue: bool


@dataclass(frozen=True)
class PendingReportData:
    municipality: str  # "Vereda Grande – MG"
    cycle_title: str
    data_date: date
    items: tuple[PendingItem, ...]


def group_by_responsible(items: tuple[PendingItem, ...]) -> list[tuple[str, list[PendingItem]]]:
    """People in alphabetical order (accents ignored by casefold), "Sem responsável definido" last;
    each person's items by due date (undated last), then by their place in the checklist."""
    groups: dict[str, list[PendingItem]] = {}
    for item in items:
        name = " ".join(item.responsible.split()) or NO_RESPONSIBLE
        groups.setdefault(name, []).append(item)
    for group in groups.values():
        group.sort(key=lambda i: (i.due or date.max, i.section_order, i.position, i.key))
    return sorted(groups.items(), key=lambda g: (g[0] == NO_RESPONSIBLE, g[0].casefold(), g[0]))


def render_pending_report(data: PendingReportData, meta: ReportMeta) -> RenderedReport:
    b = ReportBuilder(meta)
    styles = _styles()
    groups = group_by_responsible(data.items)
    late = sum(1 for i in data.items if i.overdue)
    b.heading(f"Pendências — {data.cycle_title}", 1)
    b.paragraph(
        f"{data.municipality}. Situação em {day(data.data_date)}: "
        f"{plural(len(data.items), 'item em aberto', 'itens em aberto')}, "
        f"{plural(late, 'atrasado', 'atrasados')}. Cada página seguinte traz a lista de uma pessoa "
        "responsável, em ordem de prazo."
    )
    if not groups:
        b.paragraph(
            "Nenhuma pendência: todos os itens deste ciclo estão concluídos ou não se aplicam.", "body"
        )
        return finish(b)
    head = ["Responsável", "Em aberto", "Atrasados", "Próximo prazo"]
    rows = []
    for name, items in groups:
        dated = [i for i in items if i.due]
        rows.append(
            [
                name,
                number(len(items)),
                number(sum(1 for i in items if i.overdue)),
                day(dated[0].due) if dated else "Sem prazo definido",
            ]
        )
    b.story.append(_table(styles, head, rows, [9.0, 2.4, 2.4, 3.2], late_rows=(), numeric=(1, 2)))
    for name, items in groups:
        b.section(name)
        b.paragraph(
            f"{plural(len(items), 'item em aberto', 'itens em aberto')}, "
            f"{plural(sum(1 for i in items if i.overdue), 'atrasado', 'atrasados')} — situação em "
            f"{day(data.data_date)}.",
            "muted",
        )
        item_rows = []
        late_rows = []
        for index, item in enumerate(items, start=1):
            what = f"{item.key} — {item.title}"
            if not item.due and item.due_text:
                what += f" (prazo: {item.due_text[:1].lower()}{item.due_text[1:]})"
            status = item.status + (f": {item.reason}" if item.reason else "")
            when = day(item.due) if item.due else "Sem data"
            words = deadline_words(item.days_left) if item.due else "Sem prazo definido"
            item_rows.append([when, words, what, status])
            if item.overdue:
                late_rows.append(index)
        b.story.append(
            _table(
                styles,
                ["Prazo", "Situação do prazo", "O que fazer", "Situação"],
                item_rows,
                [2.7, 3.4, 7.6, 3.3],
                late_rows=tuple(late_rows),
            )
        )
    return finish(b)


def _styles() -> dict[str, ParagraphStyle]:
    cell = ParagraphStyle(
        "wall_cell", fontName=FONT, fontSize=11, leading=14, textColor=TEXT, alignment=TA_LEFT
    )
    return {
        "cell": cell,
        "right": ParagraphStyle("wall_right", parent=cell, alignment=2),
        "head": ParagraphStyle("wall_head", parent=cell, fontName=FONT_BOLD, textColor=NAVY),
        "late": ParagraphStyle("wall_late", parent=cell, fontName=FONT_BOLD, textColor=_LATE_TEXT),
    }


def _table(
    styles: dict[str, ParagraphStyle],
    headers: list[str],
    rows: list[list[str]],
    widths: list[float],
    *,
    late_rows: tuple[int, ...],
    numeric: tuple[int, ...] = (),
) -> DataTable:
    fitted = fit_widths(headers, rows, widths, numeric=numeric, font=FONT, bold=FONT_BOLD, size=_SIZE)
    room = [w - CELL_PADDING_X for w in fitted]
    data: list[list[Any]] = [[cell(h, styles["head"], room[i]) for i, h in enumerate(headers)]]
    for index, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row):
            style = "right" if column in numeric else "cell"
            if index in late_rows and column == 1:
                style = "late"
            cells.append(cell(value, styles[style], room[column]))
        data.append(cells)
    table = DataTable(data, colWidths=fitted, repeatRows=1)
    # Cells that fit on one line are plain strings drawn with these (same look as the Paragraphs).
    commands = cell_style(styles["cell"], (0, 1), (-1, -1))
    for column in numeric:
        commands += cell_style(styles["right"], (column, 1), (column, -1))
    for index in late_rows:
        commands += cell_style(styles["late"], (1, index), (1, index))
    commands += cell_style(styles["head"], (0, 0), (-1, 0))
    commands += [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, NAVY),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, BORDER),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]
    for index in late_rows:
        commands.append(("BACKGROUND", (0, index), (-1, index), _LATE_BG))
    table.setStyle(TableStyle(commands))
    return table
