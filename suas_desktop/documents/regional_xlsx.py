"""The association's consolidation spreadsheet: one sheet per aspect, one row per municipality."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from suas_desktop.atomic_files import atomic_writer
from suas_desktop.domain.regional import RegionalSummary
from suas_desktop.domain.registers import ACCOUNTABILITY_STATUS, REGISTERS

_BOLD = Font(bold=True)
_STATES = {"concluded": "Concluído", "open": "Em andamento"}


def _sheet(
    book: openpyxl.Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    sheet = book.create_sheet(title)
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = _BOLD
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(r[index - 1] or "")) for r in rows[:200]]) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(width, 60)


def write_consolidation(summaries: Sequence[RegionalSummary], path: Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    statuses = [code for code, _ in ACCOUNTABILITY_STATUS]
    _sheet(
        book,
        "Municípios",
        [
            "Município", "UF", "Código IBGE", "População", "Dados de", "Casos aguardando",
            "Maior espera (dias)", *[f"Prestações: {label}" for _, label in ACCOUNTABILITY_STATUS],
        ],
        [
            [
                s.name, s.uf, s.ibge_code, s.population, s.data_date.strftime("%d/%m/%Y"), s.waiting_total,
                s.longest_wait_days, *[s.accountability_by_status().get(code, 0) for code in statuses],
            ]
            for s in summaries
        ],
    )  # fmt: skip
    _sheet(
        book,
        "Demanda reprimida",
        ["Município", "UF", "Serviço", "Situação", "Casos", "Maior espera (dias)"],
        [
            [s.name, s.uf, d.service_label, d.status_label, d.count, d.longest_wait_days]
            for s in summaries
            for d in s.unmet_demand
        ],
    )
    _sheet(
        book,
        "Checklists",
        ["Município", "UF", "Ciclo", "Situação", "Itens", "Concluídos", "Não se aplica", "Em andamento",
         "Bloqueados", "Atrasados", "% concluído"],
        [
            [s.name, s.uf, c.title, _STATES.get(c.state, c.state), c.total, c.done, c.not_applicable,
             c.in_progress, c.blocked, c.overdue, c.percent]
            for s in summaries
            for c in s.cycles
        ],
    )  # fmt: skip
    _sheet(
        book,
        "Prestações de contas",
        ["Município", "UF", "Exercício", "Situação", "Quantidade"],
        [[s.name, s.uf, a.fiscal_year, a.status_label, a.count] for s in summaries for a in s.accountability],
    )
    names = sorted({name for s in summaries for name in s.registers})
    _sheet(
        book,
        "Cadastros",
        ["Município", "UF", *[REGISTERS[n].label if n in REGISTERS else n for n in names]],
        [[s.name, s.uf, *[s.registers.get(n, 0) for n in names]] for s in summaries],
    )
    with atomic_writer(Path(path)) as handle:
        book.save(handle)
