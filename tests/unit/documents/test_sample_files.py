"""The tiny PDF and PNG generators make files that real readers open (poppler for PDF, zlib for PNG)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib

import pytest

from suas_desktop.documents.sample_files import minimal_pdf, minimal_png

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdfinfo) not installed",
)


def _pdf(tmp_path, data: bytes):
    path = tmp_path / "amostra.pdf"
    path.write_bytes(data)
    return path


@needs_poppler
def test_pdf_opens_in_poppler_with_accents_and_escaped_characters(tmp_path):
    title = "Relatório de Gestão — São João (teste)"
    lines = ["Ação (parênteses) e barra \\ invertida: coordenação, ônibus, 100 €", "", "Última linha"]
    path = _pdf(tmp_path, minimal_pdf(title, lines))

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert info.stderr == ""  # poppler reports xref or syntax problems on stderr
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M)
    assert re.search(r"^PDF version:\s+1\.4$", info.stdout, re.M)
    assert "595 x 842" in info.stdout  # A4
    assert title in info.stdout  # the Info dictionary title, in UTF-16

    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    assert text.stderr == ""
    assert title in text.stdout
    assert lines[0] in text.stdout
    assert "Última linha" in text.stdout


@needs_poppler
def test_pdf_wraps_long_lines_and_keeps_to_one_page(tmp_path):
    lines = [f"Linha {n}: " + "palavra " * 30 for n in range(80)]
    path = _pdf(tmp_path, minimal_pdf("Muitas linhas", lines))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Linha 0:" in text
    assert "linha(s) omitidas" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_pdf_xref_offsets_point_at_their_objects():
    data = minimal_pdf("Título", ["conteúdo"])
    assert data.startswith(b"%PDF-1.4\n")
    assert data.endswith(b"%%EOF\n")
    startxref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert data[startxref:].startswith(b"xref\n")
    table = data[startxref:].split(b"trailer", 1)[0].split(b"\n")
    count = int(table[1].split()[1])
    entries = table[2 : 2 + count]
    assert all(len(entry) == 19 for entry in entries)  # 20 bytes with the newline
    for number, entry in enumerate(entries[1:], start=1):
        offset = int(entry[:10])
        assert data[offset:].startswith(b"%d 0 obj\n" % number)


def test_pdf_bytes_are_deterministic_and_differ_with_the_text():
    assert minimal_pdf("A", ["1"]) == minimal_pdf("A", ["1"])
    assert minimal_pdf("A", ["1"]) != minimal_pdf("A", ["2"])


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        chunks.append((kind, body))
        pos += 12 + length
    return chunks


def test_png_is_valid_and_decodes_to_the_colour_and_stripes():
    data = minimal_png(7, 6, (10, 20, 30), stripes=3, text="anexo nº 1")
    chunks = _chunks(data)
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR"
    assert kinds[-1] == b"IEND"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (width, height, depth, colour, interlace) == (7, 6, 8, 2, 0)
    assert dict(chunks)[b"tEXt"] == b"Comment\x00" + "anexo nº 1".encode("latin-1")
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = 1 + 3 * width
    assert len(raw) == stride * height
    rows = [raw[y * stride : (y + 1) * stride] for y in range(height)]
    assert all(row[0] == 0 for row in rows)  # filter type None
    assert rows[0][1:4] == bytes((10, 20, 30))
    assert rows[2][1:4] == b"\xff\xff\xff"  # second of three bands is white
    assert rows[5][1:4] == bytes((10, 20, 30))


def test_png_text_makes_equal_images_differ():
    assert minimal_png(4, 4, (1, 2, 3)) == minimal_png(4, 4, (1, 2, 3))
    assert minimal_png(4, 4, (1, 2, 3), text="1") != minimal_png(4, 4, (1, 2, 3), text="2")


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((0, 5, (0, 0, 0)), {}), ((5, 5, (0, 0, 256)), {}), ((5, 5, (0, 0, 0)), {"stripes": -1})],
)
def test_png_rejects_bad_arguments(args, kwargs):
    with pytest.raises(ValueError):
        minimal_png(*args, **kwargs)
