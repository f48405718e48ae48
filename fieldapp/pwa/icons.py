"""Draw the PWA PNG icons from the shapes of static/img/icon.svg, with no imaging library.

Run `python -m fieldapp.pwa.icons` after changing the design; the PNGs are committed.
"""

import struct
import zlib
from pathlib import Path

BLUE, WHITE = (0x0B, 0x5D, 0x8A, 255), (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
# icon.svg on its 64-unit grid: a rounded square (rx 14) and the house outline.
HOUSE = [(14, 34), (32, 18), (50, 34), (50, 50), (38, 50), (38, 40), (26, 40), (26, 50), (14, 50)]
RADIUS = 14
SAMPLES = 4  # per axis: 16 samples per pixel smooth the edges


def _inside_polygon(x: float, y: float, poly) -> bool:
    """Even-odd rule."""
    inside = False
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _inside_rounded_square(x: float, y: float) -> bool:
    cx = min(max(x, RADIUS), 64 - RADIUS)
    cy = min(max(y, RADIUS), 64 - RADIUS)
    return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2


def _pixel(px: int, py: int, scale: float) -> tuple[int, int, int, int]:
    """Average colour of the samples in one pixel (premultiplied mix over transparency)."""
    acc = [0, 0, 0, 0]
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            x = (px + (sx + 0.5) / SAMPLES) / scale
            y = (py + (sy + 0.5) / SAMPLES) / scale
            if not _inside_rounded_square(x, y):
                colour = CLEAR
            else:
                colour = WHITE if _inside_polygon(x, y, HOUSE) else BLUE
            for i in range(3):
                acc[i] += colour[i] * colour[3]
            acc[3] += colour[3]
    n = SAMPLES * SAMPLES
    alpha = acc[3] / n
    if alpha == 0:
        return CLEAR
    return tuple(round(acc[i] / acc[3]) for i in range(3)) + (round(alpha),)


def png(size: int) -> bytes:
    """The icon as an RGBA PNG of size x size pixels."""
    scale = size / 64
    rows = bytearray()
    for py in range(size):
        rows.append(0)  # filter type: none
        for px in range(size):
            rows.extend(_pixel(px, py, scale))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def main() -> None:
    """Write static/img/icon-192.png and icon-512.png."""
    img = Path(__file__).resolve().parents[2] / "static" / "img"
    for size in (192, 512):
        (img / f"icon-{size}.png").write_bytes(png(size))
        print(f"icon-{size}.png written")


if __name__ == "__main__":
    main()
