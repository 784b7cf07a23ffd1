"""Draw the app icon: ``resources/icons/suas-desktop.{svg,png,ico}`` from one list of shapes.

The icon is a gov.br-blue (#1351B4) rounded tile with a white house and a blue heart inside it:
"care at home", the social-assistance office. No Federal Government brand is used.

The SVG and the raster files come from the SAME shape list (rounded rectangle, polygons, circles), so
they never drift apart. Pillow draws the rasters at 4x and scales down for smooth edges; the ``.ico``
carries 16, 20, 24, 32, 40, 48, 64, 128 and 256 px images, each drawn at its own size.

Run from the repository root (``make icons`` is not needed; run it after changing a shape)::

    .venv/bin/python build/make_icons.py
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
NAME = "suas-desktop"

#: Design grid: every coordinate below is in a 256 x 256 box.
GRID = 256
BLUE = "#1351B4"
WHITE = "#FFFFFF"
#: Rasters are drawn this many times larger, then scaled down (anti-aliasing).
SUPERSAMPLE = 4
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
PNG_SIZE = 256

# A heart is a square turned 45 degrees plus two circles on its upper sides.
_HEART_CX, _HEART_CY, _HEART_H = 128.0, 170.0, 34.0
_HEART_R = _HEART_H / math.sqrt(2)

#: (kind, fill, geometry) in painting order.
SHAPES: list[tuple[str, str, tuple]] = [
    # tile: x0, y0, x1, y1, corner radius
    ("rounded_rect", BLUE, (8, 8, 248, 248, 52)),
    # house: roof apex, eaves, walls
    ("polygon", WHITE, ((128, 42), (222, 124), (196, 124), (196, 214), (60, 214), (60, 124), (34, 124))),
    # heart: diamond + two circles (cx, cy, r)
    (
        "polygon",
        BLUE,
        (
            (_HEART_CX, _HEART_CY - _HEART_H),
            (_HEART_CX + _HEART_H, _HEART_CY),
            (_HEART_CX, _HEART_CY + _HEART_H),
            (_HEART_CX - _HEART_H, _HEART_CY),
        ),
    ),
    ("circle", BLUE, (_HEART_CX - _HEART_H / 2, _HEART_CY - _HEART_H / 2, _HEART_R)),
    ("circle", BLUE, (_HEART_CX + _HEART_H / 2, _HEART_CY - _HEART_H / 2, _HEART_R)),
]


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def svg() -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{GRID}" height="{GRID}" '
        f'viewBox="0 0 {GRID} {GRID}">',
        "  <title>SUAS Desktop</title>",
    ]
    for kind, fill, geo in SHAPES:
        if kind == "rounded_rect":
            x0, y0, x1, y1, r = geo
            parts.append(
                f'  <rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{r}" fill="{fill}"/>'
            )
        elif kind == "polygon":
            points = " ".join(f"{_num(x)},{_num(y)}" for x, y in geo)
            parts.append(f'  <polygon points="{points}" fill="{fill}"/>')
        else:
            cx, cy, r = geo
            parts.append(f'  <circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(r)}" fill="{fill}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def raster(size: int) -> Image.Image:
    big = size * SUPERSAMPLE
    scale = big / GRID
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for kind, fill, geo in SHAPES:
        if kind == "rounded_rect":
            x0, y0, x1, y1, r = geo
            draw.rounded_rectangle(
                (x0 * scale, y0 * scale, x1 * scale - 1, y1 * scale - 1), radius=r * scale, fill=fill
            )
        elif kind == "polygon":
            draw.polygon([(x * scale, y * scale) for x, y in geo], fill=fill)
        else:
            cx, cy, r = geo
            draw.ellipse(((cx - r) * scale, (cy - r) * scale, (cx + r) * scale, (cy + r) * scale), fill=fill)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{NAME}.svg").write_text(svg(), encoding="utf-8")
    raster(PNG_SIZE).save(OUT / f"{NAME}.png", optimize=True)
    images = [raster(size) for size in ICO_SIZES]
    largest = images[-1]
    largest.save(OUT / f"{NAME}.ico", sizes=[(s, s) for s in ICO_SIZES], append_images=images[:-1])
    for suffix in ("svg", "png", "ico"):
        path = OUT / f"{NAME}.{suffix}"
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
