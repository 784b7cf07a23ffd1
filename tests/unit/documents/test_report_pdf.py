"""The report engine's speed devices keep the look: string cells print exactly where Paragraph cells
did, the table of contents and "Página N de M" get their numbers in one layout pass (drawn at the
end in place of marks left in the pages' content), and the outline and the contents' links point to
the pages of the headings."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.platypus import Paragraph, Table, TableStyle

from suas_desktop.documents import report_pdf
from suas_desktop.documents.report_pdf import (
    BORDER,
    CELL_PADDING_X,
    CONTENT_W,
    FONT,
    HEADER_BG,
    NAVY,
    ZEBRA,
    ReportBuilder,
    ReportMeta,
    cell,
    p,
    register_fonts,
    wrap_lines,
)

needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("pdftotext", "qpdf")),
    reason="poppler-utils and qpdf are needed to inspect the PDFs",
)


def meta(*, demo: bool = False) -> ReportMeta:
    return ReportMeta(
        title="Relatório de teste",
        municipality="Vereda Pequena – MG",
        cycle_title="Ciclo de teste",
        document_code="SUAS-TESTE",
        generated_at=datetime(2026, 11, 25, 14, 30),
        demo=demo,
    )


def builder(*, demo: bool = False) -> ReportBuilder:
    return ReportBuilder(meta(demo=demo))


def write(tmp_path: Path, name: str, pdf: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def pages_text(path: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def word_boxes(path: Path) -> list[tuple[str, float, float, float, float]]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(pattern, html)]


def page_refs(reader: PdfFileReader) -> dict[int, int]:
    """Object number of each page → page number (1-based)."""
    refs: list[int] = []

    def walk(ref) -> None:
        node = ref.get_object()
        if node["/Type"] == "/Pages":
            for kid in node.raw_get("/Kids"):
                walk(kid)
        else:
            refs.append(ref.idnum)

    walk(reader.root.raw_get("/Pages"))
    return {idnum: index + 1 for index, idnum in enumerate(refs)}


# ---------------------------------------------------------------------- cells


@pytest.fixture(scope="module")
def styles():
    return builder().styles


def test_a_cell_that_fits_is_a_plain_string(styles):
    assert cell("Concluído", styles["cell"], 100) == "Concluído"
    assert cell(1234, styles["cell_right"], 100) == "1234"
    # Not markup: printed as written, no escaping (a Paragraph would need &amp;).
    assert cell("A & B <c>", styles["cell"], 100) == "A & B <c>"


def test_a_cell_that_does_not_fit_wraps_into_lines_like_a_paragraph(styles):
    text = "Situação das metas do Pacto de Aprimoramento da Gestão do SUAS no município"
    value = cell(text, styles["cell"], 120)
    assert isinstance(value, str) and "\n" in value
    para = Paragraph(p(text), styles["cell"])
    para.wrap(120, 1000)
    assert value.split("\n") == [" ".join(words) for _, words in para.blPara.lines]


def test_cells_a_string_cannot_print_the_same_stay_paragraphs(styles):
    assert isinstance(cell("a\tb", styles["cell"], 100), Paragraph)  # whitespace a Paragraph collapses
    assert isinstance(cell("dois  espaços", styles["cell"], 100), Paragraph)
    assert isinstance(cell("nbsp\u00a0aqui", styles["cell"], 100), Paragraph)
    long_word = "GOV-01_ata-de-reuniao-da-comissao-de-transicao_1931.pdf"
    # reportlab splits the word: a string too where the lines are left-aligned.
    assert cell(long_word, styles["cell"], 60).split("\n")[0] == "GOV-01_ata-de-"
    assert isinstance(cell(long_word, styles["cell_right"], 60), Paragraph)
    bold = cell("Total", styles["cell"], 100, bold=True)
    assert bold == "Total"


def test_an_empty_cell_is_an_empty_string(styles):
    # Printed as nothing and, in a DataTable, no height: an empty Paragraph (test_table_fast_paths).
    assert cell("", styles["cell"], 100) == ""
    assert cell(None, styles["cell"], 100) == ""
    assert cell("   ", styles["cell_right"], 100) == ""
    assert cell("", styles["cell"], 100, bold=True) == ""


_WORDS = st.sampled_from(
    "a de do da Situação metas Pacto Aprimoramento Gestão — R$ 1.234,56 31/12/2026 CRAS CREAS "  # noqa: SIM905
    "Assistência Social WWWW iiii (prazo: Responder às diligências e notificações FNAS)".split()
)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(_WORDS, min_size=1, max_size=25), width=st.floats(40, 300), bold=st.booleans())
def test_wrap_lines_breaks_where_a_paragraph_breaks(words, width, bold):
    _check_wrap_lines(words, width, bold)


_LONG_WORDS = st.sampled_from(
    [
        "GOV-01_ata-de-reuniao-da-comissao-de-transicao_1931.pdf",
        "GOV-02_oficio-de-pedido-de-informacoes_1947.pdf",
        "Desenvolvimento",
        "WWWWWWWWWWWWWWWWWWWWWWWW",
        "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
        "informações-órgão-gestor-ação",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(st.one_of(_WORDS, _LONG_WORDS), min_size=1, max_size=12),
    width=st.floats(30, 200),
    bold=st.booleans(),
)
def test_wrap_lines_splits_long_words_where_a_paragraph_splits_them(words, width, bold):
    _check_wrap_lines(words, width, bold, split=True)


def _check_wrap_lines(words, width, bold, *, split=False):
    register_fonts()
    style = report_pdf._styles()["cell"]
    text = " ".join(words)
    font = report_pdf.bold_font(style.fontName) if bold else style.fontName
    lines = wrap_lines(text, font, style.fontSize, width, style.spaceShrinkage, split_long_words=split)
    para = Paragraph(f"<b>{p(text)}</b>" if bold else p(text), style)
    para.wrap(width, 10_000)
    expected = [" ".join(str(w) for w in words_) for _, words_ in para.blPara.lines]
    if lines is None:
        # Only when reportlab narrows the spaces of a line that runs over (or, not splitting, when
        # it splits a word).
        splits = para._splitLongWordCount and not split
        overflow = any(extra < 0 for extra, _ in para.blPara.lines)
        assert splits or overflow
    else:
        assert lines == expected
        assert all(extra >= 0 for extra, _ in para.blPara.lines)


def _paragraph_table(b: ReportBuilder, headers, rows, widths, numeric) -> Table:
    """The table as the engine built it before string cells: a Paragraph in every cell."""
    s = b.styles
    data = [[Paragraph(p(h), s["cell_head"]) for h in headers]]
    data += [
        [Paragraph(p(v), s["cell_right" if i in numeric else "cell"]) for i, v in enumerate(row)]
        for row in rows
    ]
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, BORDER),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(data), 2)]
    table.setStyle(TableStyle(style))
    return table


@needs_poppler
def test_string_cells_print_exactly_where_paragraph_cells_did(tmp_path):
    headers = ["Código", "Item com um título de coluna longo", "Valor"]
    rows = [
        [f"GOV-{i:02d}", "Texto curto" if i % 3 else "Um texto bem mais longo que precisa de duas ou três "
         "linhas nesta coluna estreita do relatório", f"R$ {i * 1234},56"]
        for i in range(1, 80)
    ]  # fmt: skip
    widths = [60, 250, CONTENT_W - 310]
    new = builder()
    new.table(headers, rows, widths=widths, numeric=(2,))
    assert any(isinstance(c, str) and "\n" in c for row in new.story[0]._cellvalues for c in row)  # wrapped
    old = builder()
    old.story += [_paragraph_table(old, headers, rows, widths, (2,))]
    a = word_boxes(write(tmp_path, "new.pdf", new.render()))
    b = word_boxes(write(tmp_path, "old.pdf", old.render()))
    assert [w[0] for w in a] == [w[0] for w in b]
    assert (
        max(abs(x - y) for wa, wb in zip(a, b, strict=True) for x, y in zip(wa[1:], wb[1:], strict=True))
        < 0.01
    )
    assert len(pages_text(tmp_path / "new.pdf")) > 1  # the header repeats on the next page
    assert sum("Item com um título" in page for page in pages_text(tmp_path / "new.pdf")) > 1


def test_key_values_cells_are_strings_when_they_fit():
    note = (
        "A unidade funciona em prédio alugado e precisa de reforma no telhado antes do período de chuvas, "
        "conforme o laudo da Defesa Civil de março"
    )
    b = builder()
    b.key_values([("Município", "Vereda Pequena – MG"), ("Observação", note)])
    table = b.story[0]
    assert table._cellvalues[0] == ["Município", "Vereda Pequena – MG"]
    assert table._cellvalues[1][1] == note.replace(" do período", " do\nperíodo")
    assert CELL_PADDING_X == 12  # reportlab's default paddings, which the widths above rely on


# ---------------------------------------------------------------------- one pass: contents and pages


def long_report(*, demo: bool = False) -> ReportBuilder:
    b = builder(demo=demo)
    b.cover([("Município", "Vereda Pequena – MG")])
    b.table_of_contents()
    for n in range(1, 9):
        b.section(f"{n}. Seção número {n} & companhia")
        b.paragraph("Texto de abertura da seção. " * 10)
        b.heading(f"Subseção {n}.1", 2)
        b.table(
            ["Código", "Descrição", "Valor"],
            [[f"X-{i}", "Linha " * (i % 7 + 1), str(i)] for i in range(n * 25)],
        )
    return b


@needs_poppler
def test_contents_page_numbers_are_the_pages_of_the_headings(tmp_path):
    b = long_report()
    path = write(tmp_path, "sumario.pdf", b.render())
    assert b.passes == 1  # one layout pass, no multiBuild
    pages = pages_text(path)
    contents = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "3", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    entries = [
        (line.split(" . ")[0].strip(), int(line.split()[-1]))
        for line in contents.splitlines()
        if " . . " in line
    ]
    assert [title for title, _ in entries] == [text for _, text, _ in b._toc_entries]
    assert len(entries) == 16
    for title, page in entries:
        assert title in pages[page - 1].splitlines(), (title, page)
        assert all(title not in other.splitlines() for other in pages[3 : page - 1]), title  # first time
    assert [page for _, page in entries] == sorted(page for _, page in entries)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


@needs_poppler
def test_footer_says_page_n_of_m(tmp_path):
    b = builder()
    b.heading("Um relatório de três páginas")
    b.paragraph("Primeira página.")
    b.page_break()
    b.paragraph("Segunda página.")
    b.page_break()
    b.paragraph("Terceira página.")
    pages = pages_text(write(tmp_path, "tres.pdf", b.render()))
    assert len(pages) == 3
    for n, page in enumerate(pages, start=1):
        assert f"Página {n} de 3" in page
        assert "Documento SUAS-TESTE — gerado em 25/11/2026 14:30" in page


def test_outline_and_contents_links_point_to_the_headings_pages():
    b = long_report()
    reader = PdfFileReader(io.BytesIO(b.render()))
    number = page_refs(reader)
    outline = []
    node = reader.root["/Outlines"].get("/First")
    while node is not None:
        node = node.get_object()
        outline.append((str(node["/Title"]), number[node["/Dest"].raw_get(0).idnum]))
        child = node.get("/First")
        while child is not None:
            child = child.get_object()
            outline.append((str(child["/Title"]), number[child["/Dest"].raw_get(0).idnum]))
            child = child.get("/Next")
        node = node.get("/Next")
    assert len(outline) == 16
    assert outline == [(text, b._toc_pages[key]) for _, text, key in b._toc_entries]
    assert len({page for _, page in outline}) >= 8  # not all on one page (the old bug: all on page 1)
    targets = set()
    for ref in (reader.root["/Pages"]["/Kids"][1], reader.root["/Pages"]["/Kids"][2]):
        for annot in ref.get_object().get("/Annots", []):
            link = annot.get_object()
            if link.get("/Subtype") == "/Link":
                targets.add(number[link["/Dest"].raw_get(0).idnum])
    assert targets == {page for _, page in outline}


def test_a_second_pass_when_the_headings_were_not_known_beforehand(monkeypatch):
    monkeypatch.setattr(report_pdf, "_headings", lambda story: [])
    b = long_report()
    b.render()
    assert b.passes == 2
    assert len(b._toc_entries) == 16 and b._toc_found == b._toc_entries


def test_headings_inside_keep_together_are_listed():
    from reportlab.platypus import KeepTogether

    b = builder()
    b.heading("Fora", 1)
    b.heading("Dentro", 2)
    b.story[-1:] = [KeepTogether([b.story[-1]])]
    assert [h.getPlainText() for h in report_pdf._headings(b.story)] == ["Fora", "Dentro"]


@needs_poppler
def test_demo_header_on_every_page_but_the_cover(tmp_path):
    pages = pages_text(write(tmp_path, "demo.pdf", long_report(demo=True).render()))
    assert "DEMONSTRAÇÃO — dados fictícios" not in pages[0]
    assert all("DEMONSTRAÇÃO — dados fictícios" in page for page in pages[1:])


@needs_poppler
def test_header_footer_and_watermark_are_one_form_placed_on_every_page(tmp_path):
    path = write(tmp_path, "demo.pdf", long_report(demo=True).render())
    reader = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)
    pages = [reader.root["/Pages"]["/Kids"][i].get_object() for i in range(len(pages_text(path)))]
    forms = [page["/Resources"]["/XObject"] for page in pages]
    assert all("/FormXob.decoracao_capa" in f for f in forms[:1])
    assert all("/FormXob.decoracao" in f and "/FormXob.decoracao_capa" not in f for f in forms[1:])
    body = forms[1]["/FormXob.decoracao"]
    ids = {f.raw_get("/FormXob.decoracao").idnum for f in forms[1:]}
    assert len(ids) == 1  # drawn once
    # The watermark's transparency: reportlab's own forms would leave the graphics states out.
    assert "/ExtGState" in body.get_object()["/Resources"]
    # Still text on every page for search and screen readers; fonts embedded; a valid file.
    for n, page in enumerate(pages_text(path)):
        assert "Documento SUAS-TESTE — gerado em 25/11/2026 14:30" in page
        assert ("Relatório de teste · Ciclo de teste" in page) is (n > 0)  # header but on the cover
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_page_numbers_are_drawn_in_the_pages_not_in_forms_and_no_mark_is_left():
    pdf = long_report(demo=True).render()
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    kids = reader.root["/Pages"]["/Kids"]
    names = set()
    for i in range(len(kids)):
        page = kids[i].get_object()
        names.update(page["/Resources"]["/XObject"].keys())
        content = page["/Contents"].get_object().data
        assert b"%suas" not in content
        assert b"Tj" in content  # the footer's text (and the contents' numbers) in the page itself
    assert names == {"/FormXob.decoracao_capa", "/FormXob.decoracao"}
