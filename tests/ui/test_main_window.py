"""Main window: navigation, shortcuts, status bar."""

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from app.services.dashboard import DashboardService
from app.ui.main_window import PAGES, MainWindow, PlaceholderPage, SettingsPage


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


class FakeHouseholds(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.refreshed = 0

    def refresh(self):
        self.refreshed += 1

    def focus_search(self):
        self.search.setFocus()


def _window(qtbot, session, today=date(2026, 3, 20), **kw):
    w = MainWindow(session, today=lambda: today, **kw)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_status_bar(qtbot, clerk):
    w = _window(qtbot, clerk)
    assert "王经办" in w.user_label.text() and "经办人" in w.user_label.text()
    assert "香水镇" in w.office_label.text()
    assert "5 days" in w.deadline_label.text() and "2026-03-25" in w.deadline_label.text()
    unsent = DashboardService(clerk).unsent_changes()
    assert w.unsent_label.text().endswith(str(unsent)) and unsent > 0
    w.idle_lock.stop()


@pytest.mark.parametrize(
    ("today", "text"),
    [
        (date(2026, 3, 26), "Close of 2026-03 overdue by 1 days (due 2026-03-25)"),  # March not closed yet
        (date(2026, 3, 25), "today (2026-03-25)"),
        (date(2026, 3, 20), "5 days until the 25th (2026-03-25)"),
    ],
)
def test_deadline_text(qtbot, office, today, text):
    w = _window(qtbot, office[0], today=today)
    assert text in w.deadline_label.text()
    w.idle_lock.stop()


def test_navigation_and_shortcuts(qtbot, office):
    session = office[0]
    w = _window(qtbot, session, page_factories={"households": FakeHouseholds})
    assert w.current_key() == "dashboard" and w.nav.count() == len(PAGES) == 13
    assert list(w.pages) == ["dashboard"]  # the other pages are built on first use
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert w.current_key() == "visits"
    qtbot.keyClick(w, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert w.current_key() == "monthly_close"
    qtbot.keyClick(w, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert w.current_key() == "settings" and isinstance(w.pages["settings"], SettingsPage)
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    households = w.pages["households"]
    assert w.current_key() == "households" and households.refreshed == 1
    assert households.search.hasFocus()
    for i, (key, _label, _d) in enumerate(PAGES):
        w.nav.setCurrentRow(i)
        assert w.current_key() == key
        if key in ("comparison", "reports", "exchange"):
            assert isinstance(w.pages[key], PlaceholderPage)
    w.idle_lock.stop()


def test_settings_page_shows_storage_and_sets_idle_minutes(qtbot, office, monkeypatch):
    from app.db import device_secret

    session = office[0]
    w = _window(qtbot, session)
    monkeypatch.setattr(device_secret, "storage_kind", lambda: "file")
    page = w.page("settings")
    page.refresh()
    assert "weaker" in page.storage.text()
    page.minutes.setValue(3)
    assert w.idle_lock.timeout_s == 180
    w.idle_lock.stop()


def test_after_the_close_the_status_bar_counts_to_the_next_25th(qtbot, office, monkeypatch):
    session = office[0]
    monkeypatch.setattr(type(session.monthly_close), "closed", lambda self, month: object())
    w = _window(qtbot, session, today=date(2026, 3, 26))
    assert "30 days until the 25th (2026-04-25)" in w.deadline_label.text()
    w.idle_lock.stop()
