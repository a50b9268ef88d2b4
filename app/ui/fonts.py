"""Make Chinese render on a PC that has no Chinese font installed.

:func:`register_app_font` adds the bundled WenQuanYi Micro Hei to Qt's font database and
makes it the application's default family, with the usual system CJK families after it
as fallbacks (Qt falls back per character through the family list).

The clerk picks a text size (标准 / 大 / 特大) in Settings for older eyes or a small, dense
screen: :func:`apply_font_size` scales the platform's default size for the whole application at
once and remembers the choice in the per-PC UI settings; the GUI start (app/ui/main.py)
applies the remembered one.

Qt passes a new application font on to widgets that inherit it, but not to those that set a size
of their own (headings, the dashboard's figures): :func:`follow_text_size` gives such a widget a
size relative to the application's and keeps it relative whenever the text size changes.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QWidget

from app.reports.fonts import font_path

from .ui_settings import ui_settings

__all__ = [
    "DEFAULT_FONT_SIZE",
    "FALLBACK_FAMILIES",
    "FONT_SIZES",
    "FONT_SIZE_KEY",
    "apply_font_size",
    "base_point_size",
    "bundled_families",
    "follow_text_size",
    "register_app_font",
    "saved_font_size",
]

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

# Text sizes offered in Settings: key stored in the settings -> scale of the platform's default size.
FONT_SIZES: dict[str, float] = {"standard": 1.0, "large": 1.2, "xlarge": 1.45}
DEFAULT_FONT_SIZE = "standard"
FONT_SIZE_KEY = "ui/font_size"

_font_id: int | None = None
_families: list[str] = []
# The platform's default point size, taken before any scaling so that sizes never compound.
_base_size: float | None = None


def _app(app: QGuiApplication | None) -> QGuiApplication:
    if app is not None:
        return app
    instance = QGuiApplication.instance()
    if not isinstance(instance, QGuiApplication):  # none yet, or a console-only QCoreApplication
        raise RuntimeError("fonts need a QApplication")
    return instance


def base_point_size(app: QGuiApplication | None = None) -> float:
    """The platform's default point size (what 标准 shows)."""
    global _base_size
    if _base_size is None:
        size = _app(app).font().pointSizeF()
        _base_size = size if size > 0 else 9.0
    return _base_size


def saved_font_size() -> str:
    """The text size chosen on this PC (a key of FONT_SIZES)."""

    value = ui_settings().value(FONT_SIZE_KEY, DEFAULT_FONT_SIZE)
    return value if isinstance(value, str) and value in FONT_SIZES else DEFAULT_FONT_SIZE


def apply_font_size(size: str, app: QGuiApplication | None = None, remember: bool = False) -> float:
    """Set the whole application's text to *size* (a key of FONT_SIZES) and return the point size.

    Every widget without a font of its own follows at once (Qt sends them ApplicationFontChange).
    With *remember* the choice is kept in this PC's UI settings for the next start.
    """
    app = _app(app)
    scale = FONT_SIZES.get(size, 1.0)
    point_size = round(base_point_size(app) * scale, 1)
    font = QFont(app.font())
    font.setPointSizeF(point_size)
    app.setFont(font)
    if remember:
        settings = ui_settings()
        settings.setValue(FONT_SIZE_KEY, size if size in FONT_SIZES else DEFAULT_FONT_SIZE)
        settings.sync()
    return point_size


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
    app = _app(app)
    base_point_size(app)
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


class _RelativeSize(QObject):
    """Keeps its parent widget's font at *scale* times the application's size.

    A child of the widget, so Qt drops the connection to ``fontChanged`` when the widget goes.
    """

    def __init__(self, widget: QWidget, scale: float, bold: bool | None, family: str | None) -> None:
        super().__init__(widget)
        self.widget = widget
        self.scale = scale
        self.bold = bold
        self.family = family
        self.fit()
        _app(None).fontChanged.connect(self.fit)

    @Slot()
    def fit(self) -> None:
        font = QFont(QGuiApplication.font())
        if self.family:
            font.setFamilies([self.family, *font.families()])
        font.setPointSizeF(QGuiApplication.font().pointSizeF() * self.scale)
        if self.bold is not None:
            font.setBold(self.bold)
        self.widget.setFont(font)


def follow_text_size(widget: QWidget, scale: float, bold: bool | None = None, family: str | None = None) -> QWidget:
    """Size *widget*'s text at *scale* times the application's text size, now and after every change
    of the text size in Settings (no restart). *family* puts a family before the application's.
    Returns *widget*."""
    for old in widget.findChildren(_RelativeSize):  # sized again: the last call wins
        if old.parent() is widget:
            old.setParent(None)
            old.deleteLater()
    _RelativeSize(widget, scale, bold, family)
    return widget
