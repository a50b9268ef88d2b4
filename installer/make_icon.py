"""Draws the program's icon (a white 兜 on a rounded red square) instead of shipping downloaded art.

The bundled WenQuanYi Micro Hei draws the character, so the icon is made from files the project
already carries under their licence. The spec (Windows .exe and installer) and tools/build_deb.sh
(the desktop entry's icon) call it at build time; nothing binary is committed.

    python installer/make_icon.py OUT_DIR     -> OUT_DIR/doudi.png (256 px) and OUT_DIR/doudi.ico
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "app" / "resources" / "fonts" / "wqy-microhei.ttc"
SIZE = 256
BACKGROUND = (192, 41, 43, 255)  # the red of an official seal, readable on light and dark panels
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = SIZE) -> Image.Image:
    # Drawn four times larger and scaled down: Pillow's shapes have no anti-aliasing of their own.
    big = size * 4
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(img)
    pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 6, fill=BACKGROUND)
    font = ImageFont.truetype(str(FONT), int(big * 0.72))
    pen.text((big / 2, big / 2), "兜", font=font, fill="white", anchor="mm")
    return img.resize((size, size), Image.Resampling.LANCZOS)


def make_icons(out_dir: Path) -> tuple[Path, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    png, ico = out_dir / "doudi.png", out_dir / "doudi.ico"
    img = draw()
    img.save(png)
    img.save(ico, sizes=ICO_SIZES)
    return png, ico


if __name__ == "__main__":
    for made in make_icons(Path(sys.argv[1] if len(sys.argv) > 1 else ".")):
        sys.stdout.write(f"{made}\n")
