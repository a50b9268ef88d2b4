"""Install the UI language: Chinese by default, English on request.

Language choice, first match wins: the *lang* argument (the caller passes the user's
setting from the database), the ``DOUDI_LANG`` environment variable, then ``zh_CN``.
English is the source language, so "en" simply installs no translator of ours.

For Chinese two translators are installed: ``app/resources/i18n/doudi_zh_CN.qm`` (ours,
built by ``python -m app.tools.translations build``) and Qt's own ``qtbase_zh_CN.qm`` from
PySide6's translations folder, so standard dialogs and buttons (确定, 取消, 打开文件…)
are Chinese too.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.resource_files import resource_path

__all__ = [
    "DEFAULT_LANG",
    "ENV_VAR",
    "QT_TRANSLATE_NOOP",
    "current_language",
    "install_translators",
    "normalize_lang",
    "remove_translators",
]

log = logging.getLogger(__name__)

DEFAULT_LANG = "zh_CN"
ENV_VAR = "DOUDI_LANG"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark *source* for translation under *context* and return it unchanged (translated later,
    where it is shown). PySide6's own is typed as returning ``object``; this one says ``str``."""
    del context
    return source


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
    _current = code
    return code
