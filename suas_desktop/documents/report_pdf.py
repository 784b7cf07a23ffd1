"""The report engine: A4 pages, embedded fonts, running header and footer "Página N de M", table of
contents, tables that split with repeated headers, bar charts, watermark, signature boxes, metadata.

Report modules describe *what* goes in a report with the small vocabulary of :class:`ReportBuilder`;
this module decides *how* it looks, so every report shares one look (light tokens of ux.md §B1:
PDFs never use the dark palette).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from suas_desktop.paths import resources_dir

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_CONDENSED = "DejaVuSansCondensed"

# Light tokens (ux.md §B1). Print must read in black and white too: status always in words.
NAVY = colors.HexColor("#071D41")
BLUE = colors.HexColor("#1351B4")
TEXT = colors.HexColor("#333333")
MUTED = colors.HexColor("#555555")
BORDER = colors.HexColor("#CCCCCC")
ZEBRA = colors.HexColor("#F8F8F8")
HEADER_BG = colors.HexColor("#DBE8FB")
WATERMARK = colors.Color(0.75, 0.1, 0.1, alpha=0.12)

PAGE_W, PAGE_H = A4
MARGIN_X = 2 * cm
MARGIN_TOP = 2.6 * cm
MARGIN_BOTTOM = 2.2 * cm
CONTENT_W = PAGE_W - 2 * MARGIN_X


def register_fonts() -> None:
    """Embed DejaVu (shipped in resources/fonts, covers Portuguese fully); done once per process."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = resources_dir() / "fonts"
    for name, file in (
        (FONT, "DejaVuSans.ttf"),
        (FONT_BOLD, "DejaVuSans-Bold.ttf"),
        (FONT_ITALIC, "DejaVuSans-Oblique.ttf"),
        ("DejaVuSans-BoldOblique", "DejaVuSans-BoldOblique.ttf"),
        (FONT_CONDENSED, "DejaVuSansCondensed.ttf"),
        ("DejaVuSansCondensed-Bold", "DejaVuSansCondensed-Bold.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    # Charts draw with reportlab.graphics, whose default font is a non-embedded Helvetica.
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = FONT
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic="DejaVuSans-BoldOblique"
    )
    pdfmetrics.registerFontFamily(
        FONT_CONDENSED,
        normal=FONT_CONDENSED,
        bold="DejaVuSansCondensed-Bold",
        italic=FONT_CONDENSED,
        boldItalic="DejaVuSansCondensed-Bold",
    )


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13.5, textColor=TEXT, spaceAfter=4)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        "muted": ParagraphStyle("muted", parent=base, textColor=MUTED),
        "cell": ParagraphStyle(
            "cell", parent=base, fontName=FONT_CONDENSED, fontSize=8, leading=10, spaceAfter=0
        ),
        "cell_right": ParagraphStyle(
            "cell_right", fontName=FONT_CONDENSED, fontSize=8, leading=10, textColor=TEXT, alignment=TA_RIGHT
        ),
        "cell_head": ParagraphStyle(
            "cell_head", fontName="DejaVuSansCondensed-Bold", fontSize=8, leading=10, textColor=NAVY
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=15,
            leading=19,
            textColor=NAVY,
            spaceBefore=6,
            spaceAfter=8,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=11.5,
            leading=15,
            textColor=NAVY,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "cover_title": ParagraphStyle(
            "cover_title",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=24,
            leading=30,
            textColor=NAVY,
            alignment=TA_CENTER,
            spaceAfter=12,
        ),
        "cover_sub": ParagraphStyle(
            "cover_sub", parent=base, fontSize=13, leading=18, alignment=TA_CENTER, textColor=TEXT
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=10, leading=15, leftIndent=0),
        "toc2": ParagraphStyle("toc2", parent=base, fontSize=9, leading=13, leftIndent=14, textColor=MUTED),
        "notice": ParagraphStyle(
            "notice",
            parent=base,
            backColor=colors.HexColor("#FFF5C2"),
            borderPadding=6,
            textColor=colors.HexColor("#5C4809"),
            spaceBefore=6,
            spaceAfter=10,
        ),
    }


@dataclass(frozen=True)
class ReportMeta:
    title: str  # "Dossiê de Transição da Assistência Social"
    municipality: str  # "Vereda Grande – MG"
    cycle_title: str  # "Transição 2028→2029"
    document_code: str  # "SUAS-3199990-TR-2028-20261125"
    generated_at: datetime
    subject: str = ""
    keywords: tuple[str, ...] = ()
    author: str = "SUAS Desktop"
    demo: bool = False
    coat_of_arms: Path | None = None


@dataclass(frozen=True)
class SignatureSlot:
    """Where an empty signature field goes: PDF field name, page (0-based) and box in points."""

    field_name: str
    page: int
    box: tuple[float, float, float, float]
    signer_name: str
    signer_role: str


def p(text: Any) -> str:
    """Escape text for a Paragraph (user data may contain &, < and >)."""
    return escape("" if text is None else str(text))


class _NumberedCanvas(pdfcanvas.Canvas):
    """Defers page output to ``save()`` so the footer can say "Página N de M"."""

    def __init__(self, *args: Any, builder: ReportBuilder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._builder = builder
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._builder._decorate(self, total)
            super().showPage()
        super().save()


class _SignatureBox(Flowable):
    """A signature rectangle with the signer's name and role printed under it; records its position."""

    def __init__(self, builder: ReportBuilder, field_name: str, name: str, role: str, width: float) -> None:
        super().__init__()
        self.builder, self.field_name, self.name, self.role = builder, field_name, name, role
        self.width, self.box_h = width, 2.2 * cm
        self.height = self.box_h + 1.3 * cm

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(BORDER)
        c.setDash(3, 2)
        c.rect(0, 1.3 * cm, self.width, self.box_h)
        c.setDash()
        c.setFillColor(MUTED)
        c.setFont(FONT, 7)
        c.drawString(4, 1.3 * cm + self.box_h - 9, "Assinatura digital")
        c.setFillColor(TEXT)
        c.setFont(FONT_BOLD, 9)
        c.drawCentredString(self.width / 2, 0.75 * cm, self.name or "____________________________")
        c.setFont(FONT, 8)
        c.drawCentredString(self.width / 2, 0.35 * cm, self.role)
        x, y = c.absolutePosition(0, 1.3 * cm)
        self.builder._record_slot(
            SignatureSlot(
                self.field_name,
                c.getPageNumber() - 1,
                (x, y, x + self.width, y + self.box_h),
                self.name,
                self.role,
            )
        )


class _TocDoc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, builder: ReportBuilder, **kwargs: Any) -> None:
        super().__init__(buffer, **kwargs)
        self.builder = builder

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, "_toc_level", None)
        if level is not None:
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=level > 0)
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page, key))


class ReportBuilder:
    """Collects flowables for one report and renders it to PDF bytes."""

    def __init__(self, meta: ReportMeta) -> None:
        register_fonts()
        self.meta = meta
        self.styles = _styles()
        self.story: list[Flowable] = []
        self._slots: dict[str, SignatureSlot] = {}
        self._has_cover = False
        self._toc: TableOfContents | None = None

    # ------------------------------------------------------------------ vocabulary
    def cover(self, lines: Sequence[tuple[str, str]], *, subtitle: str = "") -> None:
        """A cover page: coat of arms, title, municipality, cycle and a key/value block."""
        self._has_cover = True
        self.story.append(Spacer(1, 1.5 * cm))
        if self.meta.coat_of_arms and self.meta.coat_of_arms.is_file():
            image = Image(str(self.meta.coat_of_arms))
            image._restrictSize(3.2 * cm, 3.2 * cm)
            self.story += [image, Spacer(1, 0.6 * cm)]
        self.story.append(Paragraph(p(self.meta.municipality), self.styles["cover_sub"]))
        self.story.append(Spacer(1, 1.2 * cm))
        self.story.append(Paragraph(p(self.meta.title), self.styles["cover_title"]))
        if subtitle:
            self.story.append(Paragraph(p(subtitle), self.styles["cover_sub"]))
        self.story.append(Spacer(1, 1.5 * cm))
        rows = [
            [Paragraph(p(k), self.styles["cell_head"]), Paragraph(p(v), self.styles["body"])]
            for k, v in lines
        ]
        table = Table(rows, colWidths=[5.5 * cm, 10 * cm], hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, BORDER),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        self.story.append(table)
        self.story.append(NextPageTemplate("body"))
        self.story.append(PageBreak())

    def table_of_contents(self) -> None:
        toc = TableOfContents()
        toc.tableStyle = TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        toc.levelStyles = [self.styles["toc1"], self.styles["toc2"]]
        toc.dotsMinLevel = 0
        self._toc = toc
        self.story += [Paragraph("Sumário", self.styles["h1"]), toc, PageBreak()]

    def heading(self, text: str, level: int = 1) -> None:
        style = self.styles["h1" if level <= 1 else "h2"]
        para = Paragraph(p(text), style)
        para._toc_level = 0 if level <= 1 else 1
        if level <= 1:
            self.story.append(CondPageBreak(6 * cm))
        self.story.append(para)

    def section(self, text: str) -> None:
        """A level-1 heading that starts on a new page."""
        if self.story and not isinstance(self.story[-1], PageBreak):
            self.story.append(PageBreak())
        self.heading(text, 1)

    def paragraph(self, text: str, style: str = "body", *, markup: bool = False) -> None:
        self.story.append(Paragraph(text if markup else p(text), self.styles[style]))

    def notice(self, text: str) -> None:
        self.story.append(Paragraph(p(text), self.styles["notice"]))

    def empty(self, what: str) -> None:
        """A register with no data still says so, so the reader knows it was not forgotten."""
        self.story.append(
            Paragraph(p(f"Nenhum registro de {what} cadastrado no SUAS Desktop."), self.styles["muted"])
        )

    def key_values(self, rows: Sequence[tuple[str, Any]], *, key_width: float = 5.5 * cm) -> None:
        data = [
            [Paragraph(p(k), self.styles["cell_head"]), Paragraph(p(v), self.styles["cell"])] for k, v in rows
        ]
        if not data:
            return
        table = Table(data, colWidths=[key_width, CONTENT_W - key_width])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, BORDER),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (0, -1), ZEBRA),
                ]
            )
        )
        self.story += [table, Spacer(1, 6)]

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        widths: Sequence[float] | None = None,
        numeric: Sequence[int] = (),
        empty: str = "",
        total: Sequence[Any] | None = None,
    ) -> None:
        """A data table that splits across pages repeating its header; numeric columns right-aligned."""
        if not rows:
            if empty:
                self.empty(empty)
            return
        head = [Paragraph(p(h), self.styles["cell_head"]) for h in headers]
        body = [
            [
                Paragraph(p(value), self.styles["cell_right" if i in numeric else "cell"])
                for i, value in enumerate(row)
            ]
            for row in rows
        ]
        data = [head, *body]
        if total is not None:
            data.append(
                [
                    Paragraph(f"<b>{p(v)}</b>", self.styles["cell_right" if i in numeric else "cell"])
                    for i, v in enumerate(total)
                ]
            )
        if widths is None:
            widths = [CONTENT_W / len(headers)] * len(headers)
        else:
            scale = CONTENT_W / sum(widths)
            widths = [w * scale for w in widths]
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
        for index in range(2, len(data), 2):
            style.append(("BACKGROUND", (0, index), (-1, index), ZEBRA))
        if total is not None:
            style.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY))
        table.setStyle(TableStyle(style))
        self.story += [table, Spacer(1, 8)]

    def bar_chart(
        self, title: str, items: Sequence[tuple[str, float]], *, unit: str = "%", maximum: float | None = None
    ) -> None:
        """Horizontal bars with the value printed at the end of each (ux.md: no pies, direct labels)."""
        if not items:
            return
        row_h = 16
        height = row_h * len(items) + 36
        drawing = Drawing(CONTENT_W, height)
        chart = HorizontalBarChart()
        chart.x, chart.y = 5.2 * cm, 10
        chart.width, chart.height = CONTENT_W - 5.2 * cm - 1.6 * cm, row_h * len(items)
        values = [v for _, v in items][::-1]
        chart.data = [values]
        chart.categoryAxis.categoryNames = [label[:38] for label, _ in items][::-1]
        chart.categoryAxis.labels.fontName = FONT_CONDENSED
        chart.categoryAxis.labels.fontSize = 7.5
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -4
        chart.categoryAxis.strokeColor = BORDER
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = maximum if maximum is not None else max(*values, 1) * 1.1
        chart.valueAxis.visible = False
        chart.bars[0].fillColor = BLUE
        chart.bars[0].strokeColor = None
        chart.barLabelFormat = (lambda v: f"{v:.0f}{unit}") if unit else "%.0f"
        chart.barLabels.fontName = FONT_CONDENSED
        chart.barLabels.fontSize = 7.5
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
        drawing.add(chart)
        drawing.add(String(0, height - 12, title, fontName=FONT_BOLD, fontSize=9, fillColor=NAVY))
        self.story += [KeepTogether([drawing]), Spacer(1, 8)]

    def signature_boxes(self, signers: Sequence[tuple[str, str, str]], *, per_row: int = 2) -> None:
        """Empty boxes for digital signatures: (field name, signer name, role)."""
        gap = 1 * cm
        width = (CONTENT_W - gap * (per_row - 1)) / per_row
        cells = [_SignatureBox(self, field_name, name, role, width) for field_name, name, role in signers]
        rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
        rows = [[*row, *([""] * (per_row - len(row)))] for row in rows]
        table = Table(rows, colWidths=[width + gap] * per_row, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        self.story += [KeepTogether([table])]

    def spacer(self, height_mm: float = 4) -> None:
        self.story.append(Spacer(1, height_mm * mm))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    # ------------------------------------------------------------------ rendering
    def _record_slot(self, slot: SignatureSlot) -> None:
        self._slots[slot.field_name] = slot  # the last pass of multiBuild wins

    @property
    def signature_slots(self) -> list[SignatureSlot]:
        return list(self._slots.values())

    def render(self) -> bytes:
        buffer = io.BytesIO()
        meta = self.meta
        doc = _TocDoc(
            buffer,
            self,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=meta.title,
            author=meta.author,
            subject=meta.subject or f"{meta.title} — {meta.municipality} — {meta.cycle_title}",
            keywords=", ".join(meta.keywords),
            creator="SUAS Desktop",
            producer="SUAS Desktop (reportlab)",
            lang="pt-BR",
            initialFontName=FONT,
        )
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body")
        cover_frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, PAGE_H - 2 * MARGIN_BOTTOM, id="cover")
        templates = [PageTemplate("body", frames=[frame])]
        if self._has_cover:
            templates.insert(0, PageTemplate("cover", frames=[cover_frame]))
        doc.addPageTemplates(templates)
        story = list(self.story)
        if self._toc is not None:
            doc.multiBuild(story, canvasmaker=lambda *a, **k: _NumberedCanvas(*a, builder=self, **k))
        else:
            doc.build(story, canvasmaker=lambda *a, **k: _NumberedCanvas(*a, builder=self, **k))
        return buffer.getvalue()

    def _decorate(self, c: pdfcanvas.Canvas, total: int) -> None:
        """Header, footer and watermark, drawn when the page count is known."""
        page = c.getPageNumber()
        meta = self.meta
        c.saveState()
        if meta.demo:
            c.setFillColor(WATERMARK)
            c.setFont(FONT_BOLD, 64)
            c.translate(PAGE_W / 2, PAGE_H / 2)
            c.rotate(45)
            c.drawCentredString(0, -20, "DEMONSTRAÇÃO")
            c.rotate(-45)
            c.translate(-PAGE_W / 2, -PAGE_H / 2)
        is_cover = self._has_cover and page == 1
        if not is_cover:
            y = PAGE_H - 1.5 * cm
            x = MARGIN_X
            if meta.coat_of_arms and meta.coat_of_arms.is_file():
                c.drawImage(
                    str(meta.coat_of_arms),
                    x,
                    y - 4,
                    width=0.9 * cm,
                    height=0.9 * cm,
                    preserveAspectRatio=True,
                    mask="auto",
                )
                x += 1.1 * cm
            c.setFillColor(NAVY)
            c.setFont(FONT_BOLD, 8.5)
            c.drawString(x, y + 8, meta.municipality)
            c.setFont(FONT, 8)
            c.setFillColor(MUTED)
            c.drawString(x, y - 2, f"{meta.title} · {meta.cycle_title}")
            if meta.demo:
                c.setFillColor(colors.HexColor("#B50909"))
                c.setFont(FONT_BOLD, 8)
                c.drawRightString(PAGE_W - MARGIN_X, y + 8, "DEMONSTRAÇÃO — dados fictícios")
            c.setStrokeColor(BORDER)
            c.setLineWidth(0.5)
            c.line(MARGIN_X, y - 8, PAGE_W - MARGIN_X, y - 8)
        c.setStrokeColor(BORDER)
        c.line(MARGIN_X, 1.5 * cm, PAGE_W - MARGIN_X, 1.5 * cm)
        c.setFont(FONT, 7.5)
        c.setFillColor(MUTED)
        c.drawString(
            MARGIN_X,
            1.05 * cm,
            f"Documento {meta.document_code} — gerado em {meta.generated_at:%d/%m/%Y %H:%M}",
        )
        c.drawRightString(PAGE_W - MARGIN_X, 1.05 * cm, f"Página {page} de {total}")
        c.restoreState()


@dataclass
class RenderedReport:
    pdf: bytes
    signature_slots: list[SignatureSlot] = field(default_factory=list)
