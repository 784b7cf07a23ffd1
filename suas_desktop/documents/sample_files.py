"""Tiny but real PDF and PNG files, made with the standard library only.

Used by the demonstration data (``services/demo.py``) as checklist evidence and coat of arms, and by
tests that need a file a viewer really opens. Not a report generator: one page of plain text, or a
flat image.
"""

from __future__ import annotations

import struct
import textwrap
import zlib

# ------------------------------------------------------------------ PDF

#: A4 portrait in points (1/72 inch).
_PAGE_WIDTH, _PAGE_HEIGHT = 595, 842
_MARGIN = 56
_TITLE_SIZE, _BODY_SIZE = 14, 10
_LEADING = 14
#: Helvetica at 10 pt averages about 5 pt per character, so 88 characters fill the text width.
_WRAP_AT = 88
_MAX_BODY_LINES = (_PAGE_HEIGHT - 2 * _MARGIN - 2 * _LEADING) // _LEADING


def _pdf_text(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (cp1252), with ( ) \\ escaped; unknown characters as '?'."""
    raw = text.encode("cp1252", errors="replace")
    out = bytearray(b"(")
    for byte in raw:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32:
            out += b" "  # tabs and control characters would break the line layout
        else:
            out.append(byte)
    out += b")"
    return bytes(out)


def _pdf_utf16(text: str) -> bytes:
    """A PDF text string for the document information (UTF-16BE with BOM, hex), any character."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _wrap(lines: list[str]) -> list[str]:
    wrapped: list[str] = []
    for line in lines:
        if not line.strip():
            wrapped.append("")
            continue
        wrapped.extend(textwrap.wrap(line, _WRAP_AT, break_long_words=True) or [""])
    return wrapped


def minimal_pdf(title: str, lines: list[str]) -> bytes:
    """A valid PDF 1.4 with one A4 page: ``title`` in bold and ``lines`` below it, in Helvetica.

    Text is encoded in WinAnsiEncoding, so Portuguese accents show; long lines are wrapped and lines
    that do not fit on the page are dropped (the last visible line says so).
    """
    body = _wrap(list(lines))
    if len(body) > _MAX_BODY_LINES:
        hidden = len(body) - (_MAX_BODY_LINES - 1)
        body = [*body[: _MAX_BODY_LINES - 1], f"(... mais {hidden} linha(s) omitidas)"]
    top = _PAGE_HEIGHT - _MARGIN
    ops = [
        b"BT",
        b"/F2 %d Tf" % _TITLE_SIZE,
        b"%d %d Td" % (_MARGIN, top),
        _pdf_text(title) + b" Tj",
        b"/F1 %d Tf" % _BODY_SIZE,
        b"%d TL" % _LEADING,
        b"T*",  # a blank line between the title and the text
    ]
    for line in body:
        ops.append(b"T* " + _pdf_text(line) + b" Tj")
    ops.append(b"ET")
    content = b"\n".join(ops) + b"\n"

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>" % (_PAGE_WIDTH, _PAGE_HEIGHT),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Title " + _pdf_utf16(title) + b" /Producer (SUAS Desktop) >>",
    ]
    # The binary comment line tells transfer tools the file is binary (PDF 1.4, 7.5.2).
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"  # each entry is exactly 20 bytes, end of line included
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


# ------------------------------------------------------------------ PNG

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def minimal_png(
    width: int, height: int, rgb: tuple[int, int, int], *, stripes: int = 0, text: str = ""
) -> bytes:
    """A valid 8-bit RGB PNG of ``width`` × ``height`` filled with ``rgb``.

    ``stripes`` > 0 paints that many horizontal bands alternating ``rgb`` and white; ``text`` (Latin-1)
    goes into a ``tEXt`` comment chunk, which makes otherwise equal images differ byte for byte.
    """
    if not (1 <= width <= 10_000 and 1 <= height <= 10_000):
        raise ValueError(f"image size must be 1..10000 pixels, got {width}x{height}")
    if len(rgb) != 3 or not all(0 <= c <= 255 for c in rgb):
        raise ValueError(f"rgb must be three values 0..255, got {rgb!r}")
    if stripes < 0:
        raise ValueError("stripes must not be negative")
    color_row = b"\x00" + bytes(rgb) * width  # filter byte 0 (None) starts every scanline
    white_row = b"\x00" + b"\xff\xff\xff" * width
    rows = []
    for y in range(height):
        band = y * stripes // height if stripes else 0
        rows.append(white_row if band % 2 else color_row)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, truecolour, no interlace
    chunks = [_chunk(b"IHDR", ihdr)]
    if text:
        chunks.append(_chunk(b"tEXt", b"Comment\x00" + text.encode("latin-1", errors="replace")))
    chunks.append(_chunk(b"IDAT", zlib.compress(b"".join(rows), 9)))
    chunks.append(_chunk(b"IEND", b""))
    return _PNG_SIGNATURE + b"".join(chunks)
