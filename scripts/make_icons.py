#!/usr/bin/env python3
"""Draw mikiwame's app icons as PNG files (standard library only: zlib + struct).

    python3 scripts/make_icons.py            writes web/icons/icon-192.png, icon-512.png, maskable-512.png

The icon is a white magnifying glass with a yellow tick inside, on the app's blue. Shapes are signed
distance functions, so every pixel is anti-aliased from one evaluation (no supersampling needed).
"maskable" fills the whole square and keeps the drawing inside the central safe circle (radius 40 %).
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

BLUE = (31, 78, 140)
WHITE = (255, 255, 255)
YELLOW = (255, 216, 77)
OUT = Path(__file__).resolve().parent.parent / "web" / "icons"


def png(width: int, height: int, rgba: bytes) -> bytes:
    """Encode 8-bit RGBA pixels (row-major) as a PNG file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    stride = width * 4
    raw = b"".join(b"\x00" + rgba[y * stride:(y + 1) * stride] for y in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def sd_round_rect(x: float, y: float, cx: float, cy: float, half: float, r: float) -> float:
    qx = abs(x - cx) - (half - r)
    qy = abs(y - cy) - (half - r)
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - r


def sd_segment(x: float, y: float, ax: float, ay: float, bx: float, by: float, r: float) -> float:
    px, py, dx, dy = x - ax, y - ay, bx - ax, by - ay
    h = max(0.0, min(1.0, (px * dx + py * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - dx * h, py - dy * h) - r


def coverage(d: float) -> float:
    """Signed distance in pixels -> coverage 0..1 (a one-pixel anti-aliased edge)."""
    return max(0.0, min(1.0, 0.5 - d))


def draw(size: int, maskable: bool) -> bytes:
    s = size
    # The drawing lives in a unit box; maskable icons shrink it into the safe zone.
    scale = 0.72 if maskable else 0.86
    off = (1 - scale) / 2

    def u(v: float) -> float:  # unit coordinate -> pixels
        return (off + v * scale) * s

    ring_c, ring_r, ring_w = (u(0.42), u(0.42)), 0.27 * scale * s, 0.085 * scale * s
    handle = (u(0.62), u(0.62), u(0.86), u(0.86), 0.075 * scale * s)
    tick_w = 0.055 * scale * s
    tick = [(u(0.29), u(0.43)), (u(0.39), u(0.53)), (u(0.56), u(0.32))]

    out = bytearray()
    for py in range(s):
        y = py + 0.5
        for px in range(s):
            x = px + 0.5
            if maskable:
                bg_a = 1.0
            else:
                bg_a = coverage(sd_round_rect(x, y, s / 2, s / 2, s / 2 - 0.5, s * 0.2))
            r, g, b = BLUE
            d_ring = abs(math.hypot(x - ring_c[0], y - ring_c[1]) - ring_r) - ring_w / 2
            d_handle = sd_segment(x, y, *handle)
            white = coverage(min(d_ring, d_handle))
            d_tick = min(sd_segment(x, y, *tick[0], *tick[1], tick_w), sd_segment(x, y, *tick[1], *tick[2], tick_w))
            yellow = coverage(d_tick)
            for color, a in ((WHITE, white), (YELLOW, yellow)):
                r = r + (color[0] - r) * a
                g = g + (color[1] - g) * a
                b = b + (color[2] - b) * a
            out += bytes((round(r), round(g), round(b), round(255 * bg_a)))
    return png(s, s, bytes(out))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False), ("maskable-512.png", 512, True)):
        (OUT / name).write_bytes(draw(size, maskable))
        print(f"wrote {OUT / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
