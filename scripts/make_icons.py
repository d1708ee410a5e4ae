"""Draw the app's icons (PNG, no image library): a white cross on the theme's green.

.venv/bin/python scripts/make_icons.py
"""

import struct
import zlib
from pathlib import Path

GREEN = (11, 93, 75)
WHITE = (255, 255, 255)
ICONS = Path(__file__).resolve().parents[1] / "pwa" / "icons"


def png(width: int, pixels: list[bytes]) -> bytes:
    """An RGB PNG from rows of pixel bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + row for row in pixels)
    header = struct.pack(">IIBBBBB", width, len(pixels), 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def icon(size: int, cross: float, rounded: bool) -> bytes:
    """A cross `cross` × size wide, on a rounded (or full-bleed, for maskable) green square."""
    radius = size * 0.22 if rounded else 0
    arm, half = size * cross / 2, size * cross / 6
    centre = size / 2
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            dx, dy = abs(x + 0.5 - centre), abs(y + 0.5 - centre)
            inside = _inside_rounded(x, y, size, radius)
            on_cross = (dx <= half and dy <= arm) or (dy <= half and dx <= arm)
            colour = (WHITE if on_cross else GREEN) if inside else (255, 255, 255)
            row += bytes(colour)
        rows.append(bytes(row))
    return png(size, rows)


def _inside_rounded(x: int, y: int, size: int, radius: float) -> bool:
    """True inside a square with rounded corners."""
    if radius == 0:
        return True
    cx = min(max(x + 0.5, radius), size - radius)
    cy = min(max(y + 0.5, radius), size - radius)
    return (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius**2


def main() -> None:
    """Write icon-192, icon-512 and the maskable 512 (its cross inside the 80 % safe zone)."""
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "icon-192.png").write_bytes(icon(192, 0.56, rounded=True))
    (ICONS / "icon-512.png").write_bytes(icon(512, 0.56, rounded=True))
    (ICONS / "maskable-512.png").write_bytes(icon(512, 0.44, rounded=False))


if __name__ == "__main__":
    main()
