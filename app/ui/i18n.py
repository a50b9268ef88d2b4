"""Install the UI language: Chinese by default, English on request.

Language choice, first match wins: the *lang* argument, the ``DOUDI_LANG`` environment variable,
then ``zh_CN``. The GUI start passes ``DOUDI_LANG`` if set, else the language chosen in Settings on
this PC (:func:`saved_language`); a choice made in Settings takes effect at the next start, since
every screen already built keeps the words it was built with.
English is the source language, so "en" simply installs no translator of ours.

For Chinese two translators are installed: ``app/resources/i18n/doudi_zh_CN.qm`` (ours,
built by ``python -m app.tools.translations build``) and Qt's own ``qtbase_zh_CN.qm`` from
PySide6's translations folder, so standard dialogs and buttons (确定, 取消, 打开文件…)
are Chinese too. Qt 6 changed a few source strings that its zh_CN file still has only in the old
spelling (the file dialog's "&Look in:" and "Files of &type:"); :class:`QtGaps` supplies those.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.resource_files import resource_path

from .ui_settings import ui_settings

__all__ = [
    "DEFAULT_LANG",
    "ENV_VAR",
    "LANGUAGES",
    "LANG_KEY",
    "QT_TRANSLATE_NOOP",
    "current_language",
    "install_translators",
    "normalize_lang",
    "remove_translators",
    "save_language",
    "saved_language",
    "start_language",
]

log = logging.getLogger(__name__)

DEFAULT_LANG = "zh_CN"
ENV_VAR = "DOUDI_LANG"
LANG_KEY = "ui/language"
# The languages offered in Settings, each named in its own language (a reader of the other one
# must still find theirs).
LANGUAGES: dict[str, str] = {"zh_CN": "中文", "en": "English"}


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark *source* for translation under *context* and return it unchanged (translated later,
    where it is shown). PySide6's own is typed as returning ``object``; this one says ``str``."""
    del context
    return source


# Qt strings that qtbase_zh_CN.qm lacks (Qt 6 added mnemonics; the old "Look in:" is translated,
# "&Look in:" is not), by (context, source). Checked by a test that opens the non-native file dialog.
QT_GAPS: dict[str, dict[tuple[str, str], str]] = {
    "zh_CN": {
        ("QFileDialog", "&Look in:"): "查找范围(&L)：",
        ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    },
}


class QtGaps(QTranslator):
    """A translator for the few Qt strings missing from Qt's own translation (see QT_GAPS)."""

    def __init__(self, table: dict[tuple[str, str], str], parent: QCoreApplication | None = None):
        super().__init__(parent)
        self.table = table

    def isEmpty(self) -> bool:
        return not self.table

    def translate(self, context, source_text, disambiguation=None, n=-1):
        # None (a null QString) lets Qt ask the next translator; "" would blank the text.
        return self.table.get((context, source_text))


# Python references keep the translators alive (a collected QTranslator silently
# stops translating).
_installed: list[QTranslator] = []
_current: str | None = None


def normalize_lang(lang: str | None) -> str:
    """Map user spellings to a supported code: "zh", "zh-CN", "zh_Hans" -> "zh_CN"; "en*" -> "en"."""
    if not lang:
        return DEFAULT_LANG
    code = lang.strip().replace("-", "_").split(".")[0].lower()
    if code.startswith("en") or code in ("c", "posix"):
        return "en"
    if code.startswith("zh"):
        return "zh_CN"
    log.warning("unsupported UI language %r; using %s", lang, DEFAULT_LANG)
    return DEFAULT_LANG


def current_language() -> str | None:
    """The language last installed by :func:`install_translators`, or None."""
    return _current


def remove_translators(app: QCoreApplication | None = None) -> None:
    """Uninstall every translator this module installed."""
    global _current
    app = app or QCoreApplication.instance()
    for translator in _installed:
        if app is not None:
            app.removeTranslator(translator)
    _installed.clear()
    _current = None


def _load(app: QCoreApplication, path: Path) -> bool:
    translator = QTranslator(app)
    if not translator.load(str(path)):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def install_translators(app: QCoreApplication | None = None, lang: str | None = None) -> str:
    """Install the translators for *lang* (see module doc); return the language used.

    May be called again to switch language; previous translators are removed first.
    A missing ``.qm`` is logged, not fatal: the UI then shows the English source strings.
    """
    global _current
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_translators() needs a QApplication")
    code = normalize_lang(lang or os.environ.get(ENV_VAR))
    remove_translators(app)
    if code == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        ours = resource_path("i18n", f"doudi_{code}.qm")
        if not _load(app, ours):
            log.warning("translation %s missing; run `python -m app.tools.translations build`", ours)
        qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        if not _load(app, qt_dir / f"qtbase_{code}.qm"):
            log.warning("Qt translation qtbase_%s.qm not found in %s", code, qt_dir)
        if code in QT_GAPS:
            gaps = QtGaps(QT_GAPS[code], app)
            app.installTranslator(gaps)
            _installed.append(gaps)
    _current = code
    return code


def saved_language() -> str | None:
    """The language chosen in Settings on this PC, or None when none was chosen."""

    value = ui_settings().value(LANG_KEY, "")
    return normalize_lang(value) if isinstance(value, str) and value else None


def save_language(lang: str) -> None:
    """Remember *lang* for this PC; it is installed at the next start."""

    settings = ui_settings()
    settings.setValue(LANG_KEY, normalize_lang(lang))
    settings.sync()


def start_language() -> str | None:
    """What the GUI start installs: ``DOUDI_LANG`` when set (one run, e.g. screenshots), else the
    choice saved on this PC, else None (the default)."""
    return os.environ.get(ENV_VAR) or saved_language()
