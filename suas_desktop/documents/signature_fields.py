"""Empty signature fields (AcroForm /Sig) placed on the boxes a report drew, added with pyHanko."""

from __future__ import annotations

import io
from collections.abc import Sequence

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields

from suas_desktop.documents.report_pdf import SignatureSlot


def add_signature_fields(pdf: bytes, slots: Sequence[SignatureSlot]) -> bytes:
    """Return ``pdf`` with one empty, named signature field per slot (an incremental update)."""
    if not slots:
        return pdf
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for slot in slots:
        fields.append_signature_field(
            writer,
            fields.SigFieldSpec(
                sig_field_name=slot.field_name, on_page=slot.page, box=tuple(round(v, 2) for v in slot.box)
            ),
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
