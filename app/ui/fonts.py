"""Make Chinese render on a PC that has no Chinese font installed.

:func:`register_app_font` adds the bundled WenQuanYi Micro Hei to Qt's font database and
makes it the application's default family, with the usual system CJK families after it
as fallbacks (Qt falls back per character through the family list).
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from app.reports.fonts import font_path

__all__ = ["FALLBACK_FAMILIES", "bundled_families", "register_app_font"]

log = logging.getLogger(__name__)

# After the bundled font: the CJK families found on Windows, UOS/Kylin and other Linuxes.
FALLBACK_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "SimSun",
    "sans-serif",
)

_font_id: int | None = None
_families: list[str] = []


def bundled_families() -> list[str]:
    """Family names of the bundled font once registered (empty before, or if loading failed)."""
    return list(_families)


def register_app_font(app: QGuiApplication | None = None, point_size: float | None = None) -> str | None:
    """Register the bundled font and make it the default family of *app*.

    Idempotent. Returns the family now used as default, or ``None`` if the font file could
    not be loaded (the app then keeps the system default and logs a warning).
    Keeps the platform's default point size unless *point_size* is given.
    """
    global _font_id
    if app is None:
        instance = QGuiApplication.instance()
        if not isinstance(instance, QGuiApplication):  # none yet, or a console-only QCoreApplication
            raise RuntimeError("register_app_font() needs a QApplication")
        app = instance
    if _font_id is None:
        path = font_path()
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load bundled font %s", path)
            return None
        _font_id = font_id
        _families[:] = QFontDatabase.applicationFontFamilies(font_id)
    if not _families:
        return None
    # Proportional face first (the .ttc also holds "… Mono").
    family = next((f for f in _families if "mono" not in f.lower()), _families[0])
    font = QFont(app.font())
    families = [family] + [f for f in FALLBACK_FAMILIES if f != family]
    font.setFamilies(families)
    if point_size:
        font.setPointSizeF(point_size)
    app.setFont(font)
    return family
