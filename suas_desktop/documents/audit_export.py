"""The audit trail (or any plain table) as a CSV or XLSX file, written atomically.

CSV: UTF-8 with BOM and ``;`` separators (what Excel in Portuguese opens directly); cells that a
spreadsheet would run as a formula are prefixed with an apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from suas_desktop.atomic_files import atomic_write_bytes, atomic_writer

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(headers: Sequence[str], rows: Sequence[Sequence[object]], path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    atomic_write_bytes(Path(path), buffer.getvalue().encode("utf-8-sig"))


def write_xlsx(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]], path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(r[index - 1] or "")) for r in rows[:500]]) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(width, 60)
    with atomic_writer(Path(path)) as handle:
        book.save(handle)
