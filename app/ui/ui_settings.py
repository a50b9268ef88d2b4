"""Per-PC preferences of the screens (window state, text size, language, the last user), kept by Qt.

Business settings live in the database; these are the few that belong to the PC. In a module of
their own so that the fonts, the translators and the sign-in all read them without importing each
other.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings


def ui_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Doudi", "doudi-ui")
