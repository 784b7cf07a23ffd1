"""The report engine: A4 pages, embedded fonts, running header and footer "Página N de M", table of
contents, tables that split with repeated headers, bar charts, watermark, signature boxes, metadata.

Report modules describe *what* goes in a report with the small vocabulary of :class:`ReportBuilder`;
this module decides *how* it looks, so every report shares one look (light tokens of ux.md §B1:
PDFs never use the dark palette).

Speed (benchmarks/README.md, "Reports"), with the same look to the point:

* ONE layout pass. Numbers only known at the end — each table-of-contents entry's page and the M of
  "Página N de M" — leave a mark (a PDF comment line) in their page's content, which
  :class:`_NumberedCanvas` replaces by their drawing just before saving (reportlab keeps the pages'
  content as text until it writes the file). The table of contents has its final height from the
  start: its entries, the story's headings, are known.
* Table cells are plain strings (with "\n" where a Paragraph would break the line) drawn by the
  table in the cell style's font and colour; Paragraphs only where a string cannot print the same
  (:func:`cell`). :class:`DataTable` draws a table's strings in one text object.
* Fonts remember how each text maps to their subsets (:class:`_TTFont`); the garbage collector
  waits until the report is done (:func:`gc_paused`).
"""

from __future__ import annotations

import functools
import gc
import io
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import tt2ps
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
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
from reportlab.platypus.tables import _SPECIALROWS, CellStyle, _setCellStyle

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


class _TTFont(TTFont):
    """A TrueType font that remembers, per document, how each text it drew maps to its subsets.

    reportlab maps every character of every string to a subset code in Python each time it is drawn
    (``splitString``), the largest single cost of drawing a report; a report repeats the same cell
    texts ("—", "Sim", dates, statuses) thousands of times. A character's code never changes once
    assigned in a document, so the answer for a text seen before is the same: the PDF is identical.
    """

    def splitString(self, text: str | bytes, doc: Any, encoding: str = "utf-8") -> list:
        state = self.state.get(doc)
        seen = getattr(state, "suas_split", None)
        if seen is not None:
            found = seen.get(text)
            if found is not None:
                return found
        found = _first_subset_split(state, text) if state is not None else None
        if found is None:
            found = super().splitString(text, doc, encoding)
        state = self.state[doc]
        if seen is None:
            seen = state.suas_split = {}
        seen[text] = found
        return found


def _first_subset_split(state: Any, text: object) -> list | None:
    """``TTFont.splitString`` of a text whose characters all have a code in the first subset
    already (most texts once a document is under way), by two ``str.translate`` instead of a
    Python loop over the characters; None for any other text (reportlab's loop then assigns codes).

    Same answer: an assigned character keeps its code, a non-breaking space is the space's.
    """
    if type(text) is not str or not text:
        return None
    assignments = state.assignments
    tables = getattr(state, "suas_first_subset", None)
    if tables is None or tables[0] != len(assignments):  # codes are only ever added
        to_code = {char: code for char, code in assignments.items() if code < 256}
        if 32 in to_code:
            to_code[0xA0] = to_code[32]
        tables = state.suas_first_subset = (len(assignments), to_code, dict.fromkeys(to_code))
    if text.translate(tables[2]):  # a character without a code in the first subset
        return None
    return [(0, text.translate(tables[1]).encode("latin-1"))]


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
        pdfmetrics.registerFont(_TTFont(name, str(folder / file)))
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


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run a burst of allocations (gathering a report's data, laying it out) without the cyclic
    garbage collector: its passes walk every object of the process again and again, 10–15 % of a
    large dossier's time. Reference counting still frees almost everything; the collector resumes
    afterwards (nested use is fine: only the outermost one turns it back on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# ---------------------------------------------------------------------- table cells
#: reportlab's default left + right cell padding (no table here changes them).
CELL_PADDING_X = 12
_ALIGN = {TA_LEFT: "LEFT", TA_RIGHT: "RIGHT", TA_CENTER: "CENTER"}
#: A plain string must fit with this much to spare (floating-point sums of glyph widths).
_FIT_SLACK = 0.01


def bold_font(font: str) -> str:
    """The font a Paragraph uses for ``<b>`` in ``font`` (the registered family's bold)."""
    return tt2ps(font, 1, 0)


@functools.lru_cache(maxsize=1 << 16)
def text_width(text: str, font: str, size: float) -> float:
    """``pdfmetrics.stringWidth``, remembered: table cells repeat the same words and values, and each
    is measured for the column widths and again for its line breaks."""
    return pdfmetrics.stringWidth(text, font, size)


def _plain_text(text: str) -> bool:
    """True when a Paragraph would print ``text`` exactly as it is: no markup to interpret (the caller
    escapes), no line break, tab, non-breaking, soft-hyphen or zero-width character, no space to
    collapse."""
    return bool(text) and text.isprintable() and text[0] != " " and text[-1] != " " and "  " not in text


def _simple_style(style: ParagraphStyle) -> bool:
    """A style whose line breaking :func:`wrap_lines` reproduces (no indents, no hyphenation)."""
    return not (
        style.leftIndent
        or style.rightIndent
        or style.firstLineIndent
        or style.hyphenationLang
        or style.uriWasteReduce
        or style.embeddedHyphenation
        or style.wordWrap
        or style.shaping
        or style.endDots
        or getattr(style, "bulletText", None)
    )


def wrap_lines(
    text: str, font: str, size: float, width: float, shrinkage: float, *, split_long_words: bool = False
) -> list[str] | None:
    """The lines a Paragraph breaks plain ``text`` into at ``width`` (reportlab's ``breakLines``
    for one fragment, same arithmetic: greedy, a line may run ``shrinkage`` × a space per word
    over; with ``split_long_words``, a word wider than the line is cut into pieces that fit, the
    first one ending the current line, as ``_splitWord`` does). None when a string cannot print the
    same: a word wider than the line (unless split) or a line that runs over (reportlab narrows its
    spaces to make it fit)."""
    space = text_width(" ", font, size)
    shrink = shrinkage * space
    lines: list[str] = []
    line: list[str] = []
    current = -space
    stack = [(word, False) for word in reversed(text.split())]  # (text, a piece of a split word)
    forced = False  # the line ends after this word (reportlab's forcedSplit)
    while stack:
        word, piece = stack.pop()
        word_w = text_width(word, font, size)
        new = current + space + word_w
        limit = width + shrink * len(line)
        if new > limit and word_w > width and not (piece or forced):
            if not split_long_words:
                return None
            pieces = _split_word(word, current + space, width, font, size)
            if pieces is None:
                return None
            stack += [(p, True) for p in reversed(pieces)]
            forced = True
            continue
        if new <= limit or not line or forced:
            if word:
                line.append(word)
            if forced:
                forced = False
                if new > width:
                    return None
                lines.append(" ".join(line))
                line, current = [], -space
            else:
                current = new
        else:
            if current > width:
                return None
            lines.append(" ".join(line))
            line, current = [word], word_w
    if current > width:
        return None
    if line:
        lines.append(" ".join(line))
    return lines


def _split_word(word: str, line_width: float, width: float, font: str, size: float) -> list[str] | None:
    """reportlab's ``_splitWord`` for one line width: ``word`` cut, character by character, into
    pieces that fit, the first in what is left of the current line (it may be empty), the others in
    whole lines. None for a character wider than a line (reportlab then keeps it where it is)."""
    pieces: list[str] = []
    piece = ""
    for char in word:
        char_w = text_width(char, font, size)
        if char_w > width:
            return None
        new = line_width + char_w
        if new > width:
            pieces.append(piece)
            new = char_w
            piece = ""
        piece += char
        line_width = new
    pieces.append(piece)
    return pieces


def cell(value: Any, style: ParagraphStyle, width: float, *, bold: bool = False) -> str | Paragraph:
    """One table cell: a plain string (lines joined by "\n" when it wraps) when it prints exactly as
    a Paragraph of ``style`` would at ``width`` (the column minus its paddings), else that Paragraph
    (``<b>`` when ``bold``).

    A string cell is drawn by the table itself, so the table's style must give its cell the font
    (:func:`bold_font` when ``bold``), size, leading, colour and alignment of ``style``
    (:func:`cell_style`). Then a string and a Paragraph print at the same place: reportlab puts both
    first baselines ``fontSize`` under the top padding (rl_settings.paraFontSizeHeightOffset), the
    next ones a leading apart, and a row is ``leading`` × lines high either way. Paragraphs are most
    of the layout time (benchmarks/README.md); strings are drawn by the table directly.
    """
    text = "" if value is None else str(value)
    if not text.strip(" "):
        return ""  # prints nothing, as an empty Paragraph (DataTable gives it no height either)
    if _plain_text(text) and _simple_style(style):
        font = bold_font(style.fontName) if bold else style.fontName
        if text_width(text, font, style.fontSize) <= width - _FIT_SLACK:
            return text
        # Where a word is split the first piece's line is as long as a Paragraph measures it only
        # if the line is left-aligned (its width then matters only when it runs over).
        split = bool(style.splitLongWords) and style.alignment == TA_LEFT
        lines = wrap_lines(text, font, style.fontSize, width, style.spaceShrinkage, split_long_words=split)
        if lines is not None:
            return "\n".join(lines)
    return Paragraph(f"<b>{p(text)}</b>" if bold else p(text), style)


def _column_cells(style: ParagraphStyle, width: float) -> Callable[[Any], str | Paragraph]:
    """:func:`cell` for the values of one column (same style and width): a column repeats its
    values ("—", "Sim", dates, statuses), and a string cell depends only on the text, so each text
    is worked out once (a Paragraph is made anew each time: a flowable is laid out in one place)."""
    made: dict[str, str] = {}

    def make(value: Any) -> str | Paragraph:
        text = "" if value is None else str(value)
        found = made.get(text)
        if found is None:
            result = cell(text, style, width)
            if type(result) is not str:
                return result
            found = made[text] = result
        return found

    return make


def cell_style(
    style: ParagraphStyle, start: tuple[int, int], stop: tuple[int, int], *, bold: bool = False
) -> list[tuple]:
    """TableStyle commands that draw the string cells from ``start`` to ``stop`` like ``style``."""
    font = bold_font(style.fontName) if bold else style.fontName
    return [
        ("FONT", start, stop, font, style.fontSize, style.leading),
        ("TEXTCOLOR", start, stop, style.textColor),
        ("ALIGN", start, stop, _ALIGN[style.alignment]),
    ]


def _remembers_lines(font: str) -> bool:
    """Whether DataTable may reuse the operators written for a line of ``font`` (a TrueType font:
    what textLine writes then depends on the subset selected before, which the memory keys on)."""
    return bool(pdfmetrics.getFont(font)._dynamicFont)


#: The TableStyle commands that set cell attributes (reportlab's ``_setCellStyle``).
_CELL_OPS = frozenset(
    (
        "FONT",
        "FONTNAME",
        "FACE",
        "SIZE",
        "FONTSIZE",
        "LEADING",
        "TEXTCOLOR",
        "ALIGN",
        "ALIGNMENT",
        "VALIGN",
        "LEFTPADDING",
        "RIGHTPADDING",
        "TOPPADDING",
        "BOTTOMPADDING",
        "HREF",
        "DESTINATION",
        "DIRECTION",
        "SHAPING",
    )
)


#: What an empty cell is while reportlab works out a row's height: no height, no width, as an
#: empty Paragraph (its space before and after are a cell style's: 0).
_NO_CONTENT = Spacer(0, 0)


class DataTable(Table):
    """A Table that draws all its string cells in one PDF text object, after the cells' backgrounds
    and before the rules, instead of one text object (and one ``drawString``) per cell: drawing the
    strings is half of a large report's layout time. Same text, font, colour and position for every
    cell as reportlab's ``Table._drawCell`` computes them; anything else (flowables, links, bidi,
    shaping, decimal alignment) is left to reportlab."""

    def __init__(self, data: Any, *args: Any, cellStyles: Any = None, **kwargs: Any) -> None:
        if cellStyles is None and data:
            # One style object for all cells until setStyle gives each group of alike cells its own
            # (reportlab makes one per cell and sets every command on every cell it covers).
            shared = CellStyle("")
            cellStyles = [[shared] * len(row) for row in data]
        super().__init__(data, *args, cellStyles=cellStyles, **kwargs)

    def setStyle(self, tblstyle: Any) -> None:
        self._cell_commands: list[tuple] | None = []
        try:
            super().setStyle(tblstyle)
            commands = self._cell_commands
        finally:
            self._cell_commands = None
        if commands:
            self._apply_cell_commands(commands)

    def _addCommand(self, cmd: Any) -> None:
        commands = getattr(self, "_cell_commands", None)
        if (
            commands is not None
            and cmd[0] in _CELL_OPS
            and cmd[1][1] not in _SPECIALROWS
            and cmd[2][1] not in _SPECIALROWS
        ):
            commands.append(cmd)  # applied together by _apply_cell_commands
        else:
            super()._addCommand(cmd)

    def _apply_cell_commands(self, commands: list[tuple]) -> None:
        """What reportlab's ``_addCommand`` does for these cell commands, in order, without setting
        them cell by cell: the commands covering a cell are those of its row and of its column
        (each command covers a rectangle), so cells alike in both share one style, made once from
        the style the cell had and each command in turn (``_setCellStyle``, as reportlab)."""
        row_masks = [0] * self._nrows
        col_masks = [0] * self._ncols
        for k, cmd in enumerate(commands):
            (_, (sc, sr), (ec, er)) = cmd[:3]
            sc, ec, sr, er = self.normCellRange(sc, ec, sr, er)
            bit = 1 << k
            for i in range(sr, er + 1):
                row_masks[i] |= bit
            for j in range(sc, ec + 1):
                col_masks[j] |= bit
        made: dict[tuple[int, int], CellStyle] = {}
        styles = self._cellStyles
        for i, row_mask in enumerate(row_masks):
            row = list(styles[i])
            for j, col_mask in enumerate(col_masks):
                mask = row_mask & col_mask
                if not mask:
                    continue
                base = row[j]
                style = made.get((id(base), mask))
                if style is None:
                    style = CellStyle(base.name)
                    style.__dict__.update(base.__dict__)
                    for k, cmd in enumerate(commands):
                        if mask >> k & 1:
                            _setCellStyle([[style]], 0, 0, cmd[0], cmd[3:])
                    made[id(base), mask] = style
                row[j] = style
            styles[i] = row

    def _calc_height(self, availHeight: float, availWidth: float, H: Any = None, W: Any = None) -> None:
        """reportlab's, with the height of every row made only of strings worked out beforehand (the
        same arithmetic, without its per-cell checks for spans and flowables): rows of Paragraphs,
        spans and minimum heights are still left to reportlab."""
        argH = self._argH
        if None not in argH:
            super()._calc_height(availHeight, availWidth, H, W)
            return
        filled = list(argH)
        if not self._spanCmds and not self._minRowHeights:
            for i, height in enumerate(filled):
                if height is not None:
                    continue
                row = self._cellvalues[i]
                if not all(type(v) is str for v in row):
                    continue
                h = 0
                for v, s in zip(row, self._cellStyles[i], strict=False):
                    # An empty cell (see cell()) has no height, as the empty Paragraph it stands for.
                    t = (s.leading or 1.2 * s.fontsize) * (v.count("\n") + 1) if v else 0
                    t += s.bottomPadding + s.topPadding
                    h = max(h, t)
                filled[i] = h
        # The rows left to reportlab see an empty cell as the empty flowable it stands for (reportlab
        # gives an empty string a line); the strings are put back for drawing.
        emptied = [
            (row, j)
            for i, height in enumerate(filled)
            if height is None
            for row in (self._cellvalues[i],)
            for j, v in enumerate(row)
            if type(v) is str and not v
        ]
        for row, j in emptied:
            row[j] = _NO_CONTENT
        # reportlab copies _argH into _rowHeights only when a height is missing.
        self._argH = self._rowHeights = filled
        try:
            super()._calc_height(availHeight, availWidth, H, W)
        finally:
            self._argH = argH
            for row, j in emptied:
                row[j] = ""

    def draw(self) -> None:
        self._strings: list[tuple[str, float, float, Any, float, float, str]] = []
        if self._spanCmds or self._renderCB:
            super().draw()  # backgrounds, cells, then _drawLines (below), inside saveState/restoreState
            return
        # reportlab's Table.draw without spans or callbacks, with the commonest cell — one line of
        # text at the top — placed here (as _drawCell would) instead of in a call per cell.
        c = self.canv
        c.saveState()
        self._curweight = self._curcolor = self._curcellstyle = None
        self._makeShadow()
        self._makeRoundedCornersClip()
        self._drawBkgrnd()
        strings = self._strings
        add = strings.append
        draw_cell = self._drawCell
        plans: dict[int, tuple | None] = {}
        col_positions = self._colpositions[:-1]
        col_widths = self._colWidths
        for row, row_styles, row_pos, row_height in zip(
            self._cellvalues, self._cellStyles, self._rowpositions[1:], self._rowHeights, strict=False
        ):
            cells = zip(row, row_styles, col_positions, col_widths, strict=False)
            for value, style, col_pos, col_width in cells:
                if type(value) is str:
                    key = id(style)
                    plan = plans.get(key, False)
                    if plan is False:
                        plan = plans[key] = _top_plan(style)
                    if plan is not None:
                        if not value:
                            continue  # an empty cell prints nothing
                        if "\n" not in value:
                            font, size, leading, color, just, left, right, top = plan
                            y = row_pos + row_height - top - size
                            if just == "LEFT":
                                x = col_pos + left
                            elif just == "RIGHT":
                                x = col_pos + col_width - right - text_width(value, font, size)
                            else:
                                x = col_pos + (col_width + left - right) * 0.5
                                x -= 0.5 * text_width(value, font, size)
                            add((font, size, leading, color, x, y, value))
                            continue
                draw_cell(value, style, (col_pos, row_pos), (col_width, row_height))
        self._drawLines()
        c.restoreState()
        if self._roundingRectDef:
            self._restoreRoundingObscuredLines()

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: tuple, size: tuple) -> None:
        strings = getattr(self, "_strings", None)
        just, valign = cellstyle.alignment, cellstyle.valign
        if (
            strings is None
            or type(cellval) is not str
            or just not in ("LEFT", "RIGHT", "CENTRE", "CENTER")
            or valign not in ("TOP", "BOTTOM", "MIDDLE")
            or cellstyle.href
            or cellstyle.destination
            or cellstyle.direction
            or cellstyle.shaping
        ):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if not cellval:
            return  # an empty cell prints nothing
        colpos, rowpos = pos
        colwidth, rowheight = size
        font, font_size, leading = cellstyle.fontname, cellstyle.fontsize, cellstyle.leading
        lines = cellval.split("\n")
        if valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - font_size
        elif valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + len(lines) * leading - font_size
        else:
            y = (
                rowpos
                + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding + len(lines) * leading) / 2.0
                - font_size
            )
        for line in lines:
            if just == "LEFT":
                x = colpos + cellstyle.leftPadding
            elif just == "RIGHT":
                x = colpos + colwidth - cellstyle.rightPadding - text_width(line, font, font_size)
            else:
                x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) * 0.5
                x -= 0.5 * text_width(line, font, font_size)
            strings.append((font, font_size, leading, cellstyle.color, x, y, line))
            y -= leading

    def _drawLines(self) -> None:
        strings = getattr(self, "_strings", None)
        if strings:
            canv = self.canv
            tx = canv.beginText()
            code = tx._code  # textLine appends its operators here
            add = code.append
            # The operators textLine writes for a line depend only on the font, size, leading, the
            # font subset selected before it and the text (and select a subset in turn): remembered
            # per document (subset names are), a repeated cell text is not formatted again. The
            # text object's code is joined with spaces: a line's origin (setTextOrigin) and its text
            # go in as one piece.
            written: dict[tuple, tuple[str, Any]] = canv.__dict__.setdefault("_suas_lines", {})
            bottom_up = canv.bottomup
            doc, escape_text = canv._doc, canv._escape
            current_font = current_color = None
            dynamic = False
            subset = font_object = select = None
            for font, font_size, leading, color, x, y, line in strings:
                if (font, font_size, leading) != current_font:
                    tx.setFont(font, font_size, leading)
                    current_font = (font, font_size, leading)
                    font_object = pdfmetrics.getFont(font)
                    dynamic = _remembers_lines(font)
                    select = f"{fp_str(font_size)} Tf {fp_str(leading)} TL"
                    subset = tx._curSubset
                if color is not current_color:
                    tx.setFillColor(color)
                    current_color = color
                if not (dynamic and bottom_up):
                    tx._curSubset = subset
                    tx.setTextOrigin(x, y)
                    tx.textLine(line)
                    subset = tx._curSubset
                    continue
                key = (current_font, subset, line)
                found = written.get(key)
                if found is None:
                    # textLine's operators for a TrueType font (PDFTextObject._formatText): each
                    # run of one subset, the subset selected when it changes, then T*.
                    parts = []
                    for run_subset, run in font_object.splitString(line, doc):
                        if run_subset != subset:
                            parts.append(f"{font_object.getSubsetInternalName(run_subset, doc)} {select}")
                            subset = run_subset
                        parts.append(f"({escape_text(run)}) Tj")
                    found = written[key] = (f"{' '.join(parts)} T*", subset)
                add(f"1 0 0 1 {fp_str(x, y)} Tm {found[0]}")
                subset = found[1]
            tx._curSubset = subset
            canv.drawText(tx)
        self._strings = []
        super()._drawLines()


def _top_plan(style: Any) -> tuple | None:
    """For string cells of ``style`` at the top of their cell, drawn in the table's text object as
    :meth:`DataTable._drawCell` draws them: (font, size, leading, colour, alignment, left, right and
    top paddings); None for any other style (_drawCell, or reportlab, draws those)."""
    if (
        style.alignment not in ("LEFT", "RIGHT", "CENTRE", "CENTER")
        or style.valign != "TOP"
        or style.href
        or style.destination
        or style.direction
        or style.shaping
    ):
        return None
    return (
        style.fontname,
        style.fontsize,
        style.leading,
        style.color,
        style.alignment,
        style.leftPadding,
        style.rightPadding,
        style.topPadding,
    )


# ---------------------------------------------------------------------- numbers known at the end
#: Generous bounding box of the forms below (a form is clipped to its box).
_FORM_BOX = (-PAGE_W, -PAGE_H, PAGE_W, PAGE_H)


#: The mark :meth:`ReportBuilder._decorate` leaves where the page's "Página N de M" goes: a comment
#: line of the page's content, which no drawing makes (text strings escape line breaks).
_PAGE_MARK = "\n%suas:pagina\n"
#: Start of the mark of a table-of-contents entry's page number (a line: this, the key, line break).
_TOC_MARK = "\n%suas:toc:"


def _fill_toc_marks(content: str, drawn: dict[str, str]) -> str:
    """``content`` with the marks of the table-of-contents entries replaced by their drawing."""
    pieces = content.split(_TOC_MARK)
    for i in range(1, len(pieces)):
        key, rest = pieces[i].split("\n", 1)
        pieces[i] = "\n" + drawn[key] + "\n" + rest
    return "".join(pieces)


def _decoration_form(is_cover: bool) -> str:
    return "decoracao_capa" if is_cover else "decoracao"


def _give_form_its_resources(c: pdfcanvas.Canvas, name: str) -> None:
    """The resources of form ``name`` as reportlab makes them (fonts, procedure sets, images), plus
    the graphics states it uses (the watermark's transparency): reportlab's forms leave them out."""
    form = c._doc.idToObject[pdfdoc.xObjectName(name)]
    resources = pdfdoc.PDFResourceDictionary()
    resources.basicFonts()
    resources.allProcs()
    if form.XObjects:
        resources.XObject = form.XObjects
    if form.ExtGState:
        resources.ExtGState = form.ExtGState
    form.Resources = resources


class _NumberedCanvas(pdfcanvas.Canvas):
    """Draws each page's header, footer and watermark when the page ends, over its content.

    The footer's "Página N de M" and the page numbers of the table of contents are drawn in
    :meth:`save`, once known, in place of the marks left in the pages' content (reportlab holds it
    as text until it writes the file); the rest of the header, footer and watermark is one form, the
    same on every page but the cover, drawn once. The pages are not replayed at the end and the
    document is laid out once.
    """

    def __init__(self, *args: Any, builder: ReportBuilder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._builder = builder
        self._pages_done = 0

    def showPage(self) -> None:
        self._builder._decorate(self)
        self._pages_done += 1
        super().showPage()

    def save(self) -> None:
        if self._code:
            self.showPage()
        total = self._pages_done
        footers = [
            self.drawn(self._draw_page_number, f"Página {page} de {total}") for page in range(1, total + 1)
        ]
        builder = self._builder
        builder._define_decoration_forms(
            self, {builder._has_cover and page == 1 for page in range(1, total + 1)}
        )
        toc = builder._draw_toc_numbers(self)
        toc_pages = builder._toc_drawn_on
        for number, (page, footer) in enumerate(zip(self._doc.Pages.pages, footers, strict=True), 1):
            content = page.stream
            at = content.rindex(_PAGE_MARK)
            content = content[:at] + "\n" + footer + content[at + len(_PAGE_MARK) - 1 :]
            if number in toc_pages:
                content = _fill_toc_marks(content, toc)
            page.stream = content
        super().save()

    @staticmethod
    def _draw_page_number(c: pdfcanvas.Canvas, text: str) -> None:
        c.setFont(FONT, 7.5)
        c.setFillColor(MUTED)
        c.drawRightString(0, 0, text)

    def drawn(self, draw: Callable[..., None], *args: Any) -> str:
        """The content ``draw(self, *args)`` makes, as a form would: from the initial graphics state,
        kept out of the current page."""
        self.push_state_stack()
        self.init_graphics_state()
        code, self._code = self._code, []
        draw(self, *args)
        made, self._code = self._code, code
        self.pop_state_stack()
        return "\n".join(made)


def _draw_toc_number(
    c: pdfcanvas.Canvas, x: float, style: ParagraphStyle, font_size: float, text: str
) -> None:
    tx = c.beginText(x, 0)
    tx.setFont(style.fontName, font_size)
    tx.setFillColor(style.textColor)
    tx.textLine(text)
    c.drawText(tx)


class _TableOfContents(TableOfContents):
    """reportlab's table of contents, laid out from the headings known before the layout, with each
    page number (and its dot leader, whose length depends on the number's width) in a form defined at
    the end. Same look as :class:`TableOfContents` after its last ``multiBuild`` pass."""

    def __init__(self, builder: ReportBuilder) -> None:
        super().__init__()
        # The builder holds its story, this among it: a weak reference leaves no cycle, so a report's
        # flowables are freed when it is done, not by a pass of the garbage collector.
        self.builder = weakref.proxy(builder)

    def isIndexing(self) -> int:
        return 0  # not a multiBuild participant: its entries come from ReportBuilder

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        entries = self.builder._toc_entries
        callback = f"suasTocEnd{id(self)}"

        def entry_end(canvas: pdfcanvas.Canvas, kind: str, label: str) -> None:
            level, index = (int(v) for v in label.split(","))
            key = entries[index][2]
            info = canvas._curr_tx_info
            x, y = info["cur_x"], info["cur_y"]
            style = self.getLevelStyle(level)
            dot = " . " if 0 <= self.dotsMinLevel <= level else ""
            self.builder._toc_marks[key] = (x, availWidth, style, dot)
            canvas.saveState()
            canvas.translate(x, y)
            # The dot leader and number go here (ReportBuilder._draw_toc_numbers).
            canvas._code.append(_TOC_MARK[1:] + key)
            canvas.restoreState()
            self.builder._toc_drawn_on.add(canvas.getPageNumber())
            # The number's width is not known yet: the link covers the dot leader and the number.
            canvas.linkRect("", key, (x, y, availWidth, y + style.leading), relative=1)

        self.canv.setNamedCB(callback, entry_end)
        data: list[list[Flowable]] = []
        for index, (level, text, key) in enumerate(entries):
            style = self.getLevelStyle(level)
            markup = f'<a href="#{key}">{p(text)}</a><onDraw name="{callback}" label="{level},{index}"/>'
            if style.spaceBefore:
                data.append([Spacer(1, style.spaceBefore)])
            data.append([Paragraph(markup, style)])
        if not data:
            self._table = Spacer(availWidth, 0)
        else:
            self._table = Table(data, colWidths=(availWidth,), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height


class _SignatureBox(Flowable):
    """A signature rectangle with the signer's name and role printed under it; records its position."""

    def __init__(self, builder: ReportBuilder, field_name: str, name: str, role: str, width: float) -> None:
        super().__init__()
        self.builder = weakref.proxy(builder)  # in the builder's story (see _TableOfContents)
        self.field_name, self.name, self.role = field_name, name, role
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
            key = flowable._toc_key
            text = flowable.getPlainText()
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
            self.builder._toc_found.append((level, text, key))
            self.builder._toc_pages[key] = self.page


def _headings(flowables: Sequence[Flowable]) -> list[Flowable]:
    """The headings of a story in order, including those inside KeepTogether (``_content``)."""
    found = []
    for flowable in flowables:
        if getattr(flowable, "_toc_level", None) is not None:
            found.append(flowable)
        content = getattr(flowable, "_content", None)
        if isinstance(content, list | tuple):
            found += _headings(content)
    return found


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
        self._headings = 0
        # One layout pass: the table of contents' entries (level, text, key), the pages where the
        # headings landed, and where each entry's page number goes (x, width, style, dot leader).
        self._toc_entries: list[tuple[int, str, str]] = []
        self._toc_found: list[tuple[int, str, str]] = []
        self._toc_pages: dict[str, int] = {}
        self._toc_marks: dict[str, tuple[float, float, ParagraphStyle, str]] = {}
        #: Layout passes of the last render (1 unless a heading did not land as planned).
        self.passes = 0

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
        toc = _TableOfContents(self)
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
        self._headings += 1
        para._toc_key = f"h{self._headings}"
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
        if not rows:
            return
        key_style, value_style = self.styles["cell_head"], self.styles["cell"]
        widths = [key_width, CONTENT_W - key_width]
        key_room, value_room = (w - CELL_PADDING_X for w in widths)
        data = [[cell(k, key_style, key_room), cell(v, value_style, value_room)] for k, v in rows]
        table = DataTable(data, colWidths=widths)
        table.setStyle(
            TableStyle(
                [
                    *cell_style(value_style, (0, 0), (-1, -1)),
                    *cell_style(key_style, (0, 0), (0, -1)),
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
        if widths is None:
            widths = [CONTENT_W / len(headers)] * len(headers)
        else:
            scale = CONTENT_W / sum(widths)
            widths = [w * scale for w in widths]
        room = [w - CELL_PADDING_X for w in widths]
        head_style = self.styles["cell_head"]
        column_styles = [self.styles["cell_right" if i in numeric else "cell"] for i in range(len(headers))]
        data: list[list[Any]] = [[cell(h, head_style, room[i]) for i, h in enumerate(headers)]]
        makers = [_column_cells(column_styles[i], room[i]) for i in range(len(headers))]
        data += [[make(v) for make, v in zip(makers, row, strict=False)] for row in rows]
        if total is not None:
            data.append([cell(v, column_styles[i], room[i], bold=True) for i, v in enumerate(total)])
        table = DataTable(data, colWidths=widths, repeatRows=1)
        style = [*cell_style(self.styles["cell"], (0, 1), (-1, -1))]
        for i in numeric:
            style += cell_style(self.styles["cell_right"], (i, 1), (i, -1))
        if total is not None:
            style.append(("FONTNAME", (0, -1), (-1, -1), bold_font(self.styles["cell"].fontName)))
        style += [
            *cell_style(head_style, (0, 0), (-1, 0)),
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
        self._slots[slot.field_name] = slot  # the last pass wins

    @property
    def signature_slots(self) -> list[SignatureSlot]:
        return list(self._slots.values())

    def render(self) -> bytes:
        """Lay the story out once (see the module docstring). Another pass is made only when the
        headings did not all land as listed beforehand (a heading split across pages is not
        reported, as with ``multiBuild``): then the table of contents is laid out again with the
        headings that did land, until they agree (at most 5 passes)."""
        self._toc_entries = [(f._toc_level, f.getPlainText(), f._toc_key) for f in _headings(self.story)]
        self.passes = 0
        with gc_paused():
            while True:
                self.passes += 1
                pdf = self._build()
                if self._toc is None or self._toc_found == self._toc_entries or self.passes >= 5:
                    return pdf
                self._toc_entries = list(self._toc_found)

    def _build(self) -> bytes:
        self._slots = {}
        self._toc_found, self._toc_pages, self._toc_marks = [], {}, {}
        self._toc_drawn_on: set[int] = set()
        buffer = io.BytesIO()
        meta = self.meta
        # reportlab's document and canvas refer to each other: holding the builder (and its story)
        # weakly, they leave it out of their cycle, so it is freed as soon as the report is done.
        me = weakref.proxy(self)
        doc = _TocDoc(
            buffer,
            me,
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
        doc.build(list(self.story), canvasmaker=lambda *a, **k: _NumberedCanvas(*a, builder=me, **k))
        return buffer.getvalue()

    def _draw_toc_numbers(self, c: _NumberedCanvas) -> dict[str, str]:
        """The dot leader and page number of every table-of-contents entry drawn (by its key), now
        that the pages are known: the same text at the same place as reportlab's ``drawPageNumbers``."""
        drawn = {}
        for key, (x, avail, style, dot) in self._toc_marks.items():
            page = self._toc_pages.get(key)
            text = str(page) if page is not None else ""
            font_size = style.fontSize
            text_w = pdfmetrics.stringWidth(text, style.fontName, font_size)
            while text_w > avail - x and font_size >= 1.0:
                font_size *= 0.9
                text_w = pdfmetrics.stringWidth(text, style.fontName, font_size)
            dot_w = pdfmetrics.stringWidth(dot, style.fontName, font_size) if dot else 0
            dots = int((avail - x - text_w) / dot_w) if dot_w else 0
            drawn[key] = c.drawn(
                _draw_toc_number, avail - dots * dot_w - text_w - x, style, font_size, dots * dot + text
            )
        return drawn

    def _decorate(self, c: pdfcanvas.Canvas) -> None:
        """Header, footer and watermark, drawn over the page's content when it ends: all but the page
        number is the same on every page (but the cover), so it is one form drawn once
        (:meth:`_define_decoration_forms`) and placed on each page; "Página N de M" is drawn at save."""
        page = c.getPageNumber()
        c.saveState()
        c.doForm(_decoration_form(self._has_cover and page == 1))
        c.translate(PAGE_W - MARGIN_X, 1.05 * cm)
        c._code.append(_PAGE_MARK.strip("\n"))  # "Página N de M", right-aligned here (at save)
        c.restoreState()

    def _define_decoration_forms(self, c: pdfcanvas.Canvas, used: set[bool]) -> None:
        """The forms :meth:`_decorate` placed (``used``: whether on the cover): what was drawn on
        every page, in the same order and at the same place. A form runs in the graphics state of
        the page where it is placed, as the drawing did."""
        for is_cover in sorted(used):
            name = _decoration_form(is_cover)
            c.beginForm(name, *_FORM_BOX)
            self._draw_decorations(c, is_cover)
            c.endForm()
            _give_form_its_resources(c, name)

    def _draw_decorations(self, c: pdfcanvas.Canvas, is_cover: bool) -> None:
        """Watermark (demo), header (but on the cover) and footer text, without the page number."""
        meta = self.meta
        if meta.demo:
            c.setFillColor(WATERMARK)
            c.setFont(FONT_BOLD, 64)
            c.translate(PAGE_W / 2, PAGE_H / 2)
            c.rotate(45)
            c.drawCentredString(0, -20, "DEMONSTRAÇÃO")
            c.rotate(-45)
            c.translate(-PAGE_W / 2, -PAGE_H / 2)
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


@dataclass
class RenderedReport:
    pdf: bytes
    signature_slots: list[SignatureSlot] = field(default_factory=list)
