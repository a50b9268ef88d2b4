"""The CJK font that PDF reports embed.

reportlab can embed only fonts with TrueType (glyf) outlines; CFF-based CJK fonts such as
Noto Sans CJK are refused. We ship WenQuanYi Micro Hei (``app/resources/fonts/wqy-microhei.ttc``,
Apache-2.0), a TrueType collection: face 0 is the proportional "WenQuanYi Micro Hei",
face 1 the monospaced one.

Report builders call :func:`register_pdf_fonts` once, use the returned name in their
styles, and call :func:`missing_glyphs` on text that came from people (names with rare
characters, 生僻字) so that they can warn instead of printing a blank.
"""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

from app.resource_files import resource_path

__all__ = [
    "FONT_FILE",
    "PDF_FONT_NAME",
    "PDF_MONO_FONT_NAME",
    "font_path",
    "fonts_dir",
    "missing_glyphs",
    "register_pdf_fonts",
]

FONT_FILE = "wqy-microhei.ttc"
PDF_FONT_NAME = "WenQuanYiMicroHei"
PDF_MONO_FONT_NAME = "WenQuanYiMicroHeiMono"

_LATIN1_END = 0x100

_lock = threading.Lock()


def fonts_dir() -> Path:
    """The bundled fonts folder (``app/resources/fonts``), as a path reportlab and Qt can open."""
    return resource_path("fonts")


def font_path() -> Path:
    """Path of the bundled CJK font collection."""
    return resource_path("fonts", FONT_FILE)


def register_pdf_fonts() -> str:
    """Register the bundled font with reportlab (idempotent, thread-safe); return its name.

    Registers ``PDF_FONT_NAME`` (face 0) and ``PDF_MONO_FONT_NAME`` (face 1), and a font
    family so ``<b>``/``<i>`` in Paragraph markup map to the same face instead of failing.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with _lock:
        registered = pdfmetrics.getRegisteredFontNames()
        if PDF_FONT_NAME not in registered:
            path = font_path()
            if not path.is_file():
                raise FileNotFoundError(f"bundled CJK font missing: {path}")
            pdfmetrics.registerFont(TTFont(PDF_FONT_NAME, str(path), subfontIndex=0))
            pdfmetrics.registerFont(TTFont(PDF_MONO_FONT_NAME, str(path), subfontIndex=1))
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(PDF_FONT_NAME, bold, italic, PDF_FONT_NAME)
                    addMapping(PDF_MONO_FONT_NAME, bold, italic, PDF_MONO_FONT_NAME)
    return PDF_FONT_NAME


def _needs_glyph(ch: str) -> bool:
    # Whitespace, control and format characters (ZWJ, BOM, …) never need a visible glyph.
    if ch.isspace():
        return False
    return unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")


def missing_glyphs(text: str, font_name: str | None = None) -> list[str]:
    """Characters of *text* that the font cannot draw, each once, in order of appearance.

    *font_name* defaults to the bundled font (registered on demand). Characters that only
    control layout (spaces, newlines, zero-width joiners) are ignored.
    """
    from reportlab.pdfbase import pdfmetrics

    name = font_name or register_pdf_fonts()
    font = pdfmetrics.getFont(name)
    face = getattr(font, "face", None)
    char_to_glyph = getattr(face, "charToGlyph", None)
    # A standard Type 1 font has no glyph map: it covers about Latin-1.
    covered = char_to_glyph if char_to_glyph is not None else range(_LATIN1_END)
    seen: set[str] = set()
    missing: list[str] = []
    for ch in text:
        if ch in seen or not _needs_glyph(ch):
            continue
        seen.add(ch)
        if ord(ch) not in covered:
            missing.append(ch)
    return missing
