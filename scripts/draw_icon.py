"""Draw the extension's and the task's icon: a magnifying glass over a stack of disk layers, on a blue tile.

Standard library only (zlib for the PNG). Each pixel is the average of 4x4 samples, so edges are smooth.
    python scripts/draw_icon.py            writes extension/icon.png and task/icon.png (128x128, RGBA)
"""

import math
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

SIZE = 128
SAMPLES = 4
BLUE = (0, 120, 212)
WHITE = (255, 255, 255)
PALE = (168, 208, 240)

Shape = Callable[[float, float], bool]


def rounded_square(x: float, y: float, radius: float = 22.0) -> bool:
    dx = max(radius - x, x - (SIZE - radius), 0.0)
    dy = max(radius - y, y - (SIZE - radius), 0.0)
    return dx * dx + dy * dy <= radius * radius


def layer(top: float) -> Shape:
    """A flat rhombus, one layer of a disk image, its upper corner at `top`."""
    return lambda x, y: abs(x - 52) / 34 + abs(y - (top + 14)) / 14 <= 1.0


def ring(x: float, y: float) -> bool:
    distance = math.hypot(x - 74, y - 70)
    return 20 <= distance <= 29


def lens(x: float, y: float) -> bool:
    return math.hypot(x - 74, y - 70) < 20


def handle(x: float, y: float) -> bool:
    # A thick segment from the ring towards the lower right corner.
    ax, ay, bx, by = 94.0, 90.0, 112.0, 108.0
    t = max(0.0, min(1.0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)))
    return math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= 7


# Painted in order: later shapes cover earlier ones.
LAYERS: list[tuple[Shape, tuple[int, int, int]]] = [
    (rounded_square, BLUE),
    (layer(54), PALE),
    (layer(40), WHITE),
    (layer(26), PALE),
    (lens, BLUE),
    (ring, WHITE),
    (handle, WHITE),
]


def pixel(px: int, py: int) -> bytes:
    red = green = blue = alpha = 0.0
    for sx in range(SAMPLES):
        for sy in range(SAMPLES):
            x, y = px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES
            color = None
            for inside, paint in LAYERS:
                if inside(x, y):
                    color = paint
            if color is not None:
                red, green, blue, alpha = red + color[0], green + color[1], blue + color[2], alpha + 1
    if not alpha:
        return bytes(4)
    return bytes((round(red / alpha), round(green / alpha), round(blue / alpha), round(255 * alpha / SAMPLES**2)))


def png(width: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, len(rows), 8, 6, 0, 0, 0)  # 8-bit RGBA
    raw = b"".join(b"\0" + row for row in rows)  # filter type 0 on each row
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    image = png(SIZE, [b"".join(pixel(x, y) for x in range(SIZE)) for y in range(SIZE)])
    for target in (root / "extension" / "icon.png", root / "task" / "icon.png"):
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(image)
        print(f"{target.relative_to(root)}: {len(image)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
