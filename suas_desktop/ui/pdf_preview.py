"""PDF pages as images with pypdfium2; ``init_forms()`` shows signature boxes, which QtPdf does not draw."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PySide6.QtGui import QImage


def page_count(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def render_pages(pdf: bytes, *, dpi: float = 96, first: int = 0, last: int | None = None) -> list[QImage]:
    """Render pages ``first..last`` (inclusive, 0-based) to QImages at ``dpi``."""
    document = pdfium.PdfDocument(pdf)
    try:
        document.init_forms()
        end = len(document) - 1 if last is None else min(last, len(document) - 1)
        images = []
        for index in range(first, end + 1):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, may_draw_forms=True)
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG")
            images.append(QImage.fromData(buffer.getvalue(), "PNG"))
            page.close()
        return images
    finally:
        document.close()
