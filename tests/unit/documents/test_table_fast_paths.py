"""The layout shortcuts of report_pdf write the very same page content as reportlab's own code paths:
cell styles shared by alike cells, row heights of string rows worked out beforehand, the first-subset
text split, the per-document memory of formatted cell lines, one-line cells placed without _drawCell
and each text of a column made into a cell once."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.platypus import Paragraph, Table

from suas_desktop.documents import report_pdf
from suas_desktop.documents.report_pdf import CONTENT_W, DataTable, ReportBuilder, ReportMeta


def _render() -> list[bytes]:
    b = ReportBuilder(
        ReportMeta(
            title="Relatório de teste",
            municipality="Vereda Pequena – MG",
            cycle_title="Ciclo de teste",
            document_code="SUAS-TESTE",
            generated_at=datetime(2026, 11, 25, 14, 30),
        )
    )
    rows = [
        [
            f"GOV-{i:02d}",
            "Texto curto"
            if i % 3
            else "Um texto bem mais longo que precisa de duas ou três linhas nesta "
            "coluna estreita do relatório, com acentuação: ação, órgão, çãõ — e símbolos ≥ ≤ ✓ Ω",
            "" if i % 7 == 0 else f"R$ {i * 1234},56",
        ]
        for i in range(1, 120)
    ]
    b.table(
        ["Código", "Item", "Valor"],
        rows,
        widths=[60, 250, CONTENT_W - 310],
        numeric=(2,),
        total=["", "", "1"],
    )
    b.key_values([("Município", "Vereda Pequena – MG"), ("Situação", "Em andamento " * 12)])
    reader = PdfFileReader(io.BytesIO(b.render()), strict=False)
    out = []

    def walk(node) -> None:
        node = node.get_object()
        if node["/Type"] == "/Pages":
            for kid in node["/Kids"]:
                walk(kid)
        else:
            contents = node["/Contents"]
            parts = contents if isinstance(contents, list) else [contents]
            out.append(b"".join(part.get_object().data for part in parts))

    walk(reader.root["/Pages"])
    return out


def test_shortcuts_write_the_same_pages_as_reportlab(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _render()
    assert len(fast) > 1  # the table splits across pages
    for name in ("__init__", "setStyle", "_addCommand", "_calc_height"):
        monkeypatch.setattr(DataTable, name, getattr(Table, name))
    monkeypatch.setattr(report_pdf, "_first_subset_split", lambda state, text: None)
    monkeypatch.setattr(report_pdf, "_remembers_lines", lambda font: False)
    monkeypatch.setattr(report_pdf, "_top_plan", lambda style: None)  # every cell through _drawCell
    monkeypatch.setattr(
        report_pdf, "_column_cells", lambda style, width: lambda v: report_pdf.cell(v, style, width)
    )
    string_cell = report_pdf.cell

    def paragraph_when_empty(value, style, width, *, bold=False):  # as before empty string cells
        text = "" if value is None else str(value)
        return Paragraph(text, style) if not text.strip(" ") else string_cell(value, style, width, bold=bold)

    monkeypatch.setattr(report_pdf, "cell", paragraph_when_empty)
    slow = _render()
    assert fast == [_EMPTY_PARAGRAPHS.sub(b"", page) for page in slow]


#: What an empty Paragraph cell writes (its fill colour, a translation in a saved graphics state)
#: and an empty string cell does not: nothing that prints.
_EMPTY_PARAGRAPHS = re.compile(rb"[\d. ]+ rg\n(?:q\n1 0 0 1 [-\d.]+ [-\d.]+ cm\nQ\n)+")


@pytest.mark.parametrize("spans", [False, True])
def test_empty_string_cells_are_as_high_as_empty_paragraphs(spans: bool) -> None:
    """Rows of strings (worked out beforehand), rows with Paragraphs (left to reportlab), rows of
    nothing but empty cells, and tables reportlab lays out alone (spans)."""
    report_pdf.register_fonts()
    style = report_pdf._styles()["cell"]
    long = "Um texto longo que precisa de duas ou três linhas nesta coluna estreita, ação ≥ ✓"
    rows = [
        ["a", "", "b"],
        ["", "", ""],
        [Paragraph(long, style), "", "c"],
        ["", "", Paragraph("curto", style)],
        ["", "x\ny\nz", ""],
    ]

    def heights(empty) -> list[float]:
        data = [[empty() if v == "" else v for v in row] for row in rows]
        table = DataTable(data, colWidths=[60, 60, 60])
        commands = [
            ("FONT", (0, 0), (-1, -1), "DejaVuSansCondensed", 8, 10),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
        ]
        if spans:
            commands.append(("SPAN", (0, 4), (1, 4)))
        table.setStyle(commands)
        table.wrap(200, 1000)
        if empty is str:  # put back after reportlab's part
            assert [row[1] for row in table._cellvalues] == ["", "", "", "", "x\ny\nz"]
        return table._rowHeights

    assert heights(str) == heights(lambda: Paragraph("", style))


def test_alike_cells_share_one_style_and_others_do_not() -> None:
    table = DataTable([["a", "b"], ["c", "d"], ["e", "f"]], colWidths=[50, 50])
    table.setStyle([("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9, 11), ("ALIGN", (1, 1), (1, -1), "RIGHT")])
    styles = table._cellStyles
    assert styles[0][0] is styles[0][1] and styles[0][0].fontname == "Helvetica-Bold"
    assert styles[0][0].leading == 11
    assert styles[1][1] is styles[2][1] and styles[1][1].alignment == "RIGHT"
    assert styles[1][0].alignment == "LEFT" and styles[1][0] is not styles[1][1]
    table.setStyle([("TEXTCOLOR", (0, 2), (-1, 2), "red")])  # a second call builds on the first
    assert styles[2][1].alignment == "RIGHT" and styles[2][1].color != styles[1][1].color


def test_column_cells_are_the_cells_of_each_value() -> None:
    """A column's cells made once per text: the same string as cell() (a Paragraph each time)."""
    style = ReportBuilder(
        ReportMeta(
            title="t", municipality="m", cycle_title="c", document_code="d", generated_at=datetime(2026, 1, 1)
        )
    ).styles["cell"]
    make = report_pdf._column_cells(style, 80)
    values = ["Sim", "Sim", None, "", 12, "12", 1.5, "palavra" * 20, "a  b", "duas palavras " * 6, "Sim"]
    for value in values:
        made, expected = make(value), report_pdf.cell(value, style, 80)
        if isinstance(expected, str):
            assert made == expected, value
        else:
            assert isinstance(made, Paragraph) and made.text == expected.text
    assert make("a  b") is not make("a  b")  # a Paragraph (spaces to collapse), made anew
