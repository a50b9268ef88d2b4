"""Main window: navigation, shortcuts, status bar."""

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.services.dashboard import DashboardService
from app.ui.main_window import PAGES, MainWindow, PlaceholderPage, SettingsPage, _Title


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
    from tests.factories import household, member

    clerk.households.add(household(), [member("马学军", date(1970, 3, 4))])  # something to send
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
        assert not isinstance(w.pages[key], PlaceholderPage)  # every entry is a page now, 比对 included
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


# --- backups ---------------------------------------------------------------------------


def _backups(folder):
    return sorted(p for p in folder.iterdir() if p.name.startswith("doudi-")) if folder.exists() else []


def test_signing_in_makes_the_daily_backup_once(qtbot, office):
    session, _code, data_dir = office
    w = _window(qtbot, session)
    assert len(_backups(data_dir / "backups")) == 1  # none before: due at sign-in
    w.back_up_if_due()
    assert len(_backups(data_dir / "backups")) == 1  # the last is less than a day old
    w.idle_lock.stop()


def test_settings_back_up_now_and_shows_the_last_backup(qtbot, office, tmp_path):
    session, _code, _data_dir = office
    w = _window(qtbot, session)
    page = w.page("settings")
    page.set_backup_folder(str(tmp_path / "usb"))  # as the folder chooser does
    page.refresh()
    assert page.backup_folder.text() == str((tmp_path / "usb").resolve())
    page.backup_button.click()
    made = _backups(tmp_path / "usb")
    assert len(made) == 1
    assert str(made[0]) in page.last_backup.text()
    assert page.backup_button.isEnabled()
    w.idle_lock.stop()


def test_closing_the_window_makes_a_backup(qtbot, office):
    from app.services.backup import last_backup

    session, _code, data_dir = office
    w = _window(qtbot, session)
    at_sign_in = last_backup(data_dir)
    w.close()
    at_close = last_backup(data_dir)
    assert at_sign_in is not None and at_close is not None
    assert at_close[1] != at_sign_in[1] and at_close[1].exists()
    # Rotation keeps one backup a day: the newest, the one made at the close.
    assert _backups(data_dir / "backups") == [at_close[1]]


# --- users: who is shown, lock by hand, sign out ------------------------------------------


def test_the_status_bar_names_the_user_with_the_role_in_one_pair_of_brackets(qtbot, clerk):
    w = _window(qtbot, clerk)
    assert w.user_label.text() == "User: 王经办（经办人）"
    w.idle_lock.stop()


def test_a_name_that_has_brackets_already_gets_the_role_inside_them(qtbot, office):
    admin, _code, data_dir = office
    from app.services.office import open_session

    admin.users.add("demo1", "clerk", "clerk-pass-2021", display_name="王经办（演示）")
    session = open_session(data_dir, "demo1", "clerk-pass-2021")
    try:
        w = _window(qtbot, session)
        assert w.user_label.text() == "User: 王经办（演示，经办人）"
        assert w.page("settings").who.text() == "王经办（演示，经办人）"
        w.idle_lock.lock()
        assert "王经办（演示，经办人，demo1）" in w.idle_lock.dialog.message.text()
        w.idle_lock.dialog._unlocked = True
        w.idle_lock.dialog.close()
        w.idle_lock.stop()
    finally:
        session.close()


def test_ctrl_l_locks_at_once_and_says_it_was_locked_by_hand(qtbot, clerk):
    w = _window(qtbot, clerk)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = w.idle_lock.dialog
    assert dialog is not None and dialog.by_hand
    assert "Locked by hand" in dialog.message.text() and "without use" not in dialog.message.text()
    dialog._unlocked = True
    dialog.close()
    w.idle_lock.stop()


def test_signing_out_closes_the_window_after_its_backup(qtbot, office):
    from app.services.backup import last_backup

    session, _code, data_dir = office
    w = _window(qtbot, session)
    at_sign_in = last_backup(data_dir)
    assert w.sign_out_action.text() == "Sign out / switch user"
    w.sign_out_action.trigger()
    assert w.signing_out and not w.isVisible()
    at_close = last_backup(data_dir)
    assert at_sign_in is not None and at_close is not None and at_close[1] != at_sign_in[1]


def test_settings_offers_signing_out(qtbot, clerk):
    w = _window(qtbot, clerk)
    page = w.page("settings")
    assert page.sign_out_button.isEnabled()
    page.sign_out_button.click()
    assert w.signing_out and not w.isVisible()


# --- text size, language, help ----------------------------------------------------------


@pytest.fixture
def restore_app_font(qapp):
    font = qapp.font()
    yield
    qapp.setFont(font)


def test_text_size_changes_the_whole_application_and_is_remembered(qtbot, clerk, restore_app_font):
    from app.ui import fonts

    w = _window(qtbot, clerk)
    page = w.page("settings")
    base = fonts.base_point_size()
    page.font_size.setCurrentIndex(page.font_size.findData("xlarge"))
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.45, abs=0.1)
    # Every widget follows (Qt posts the change), the navigation and headings included.
    qtbot.waitUntil(lambda: page.minutes.font().pointSizeF() == pytest.approx(base * 1.45, abs=0.1))
    qtbot.waitUntil(lambda: w.nav.font().pointSizeF() == pytest.approx(base * 1.45 * 1.1, abs=0.1))
    assert page.findChild(_Title).font().pointSizeF() == pytest.approx(base * 1.45 * 1.4, abs=0.1)
    assert fonts.saved_font_size() == "xlarge"  # and kept for the next start on this PC
    page.font_size.setCurrentIndex(page.font_size.findData("standard"))
    assert QApplication.font().pointSizeF() == pytest.approx(base, abs=0.1)
    assert fonts.saved_font_size() == "standard"
    w.idle_lock.stop()


def test_language_choice_is_remembered_for_the_next_start(qtbot, clerk, monkeypatch):
    from app.ui import i18n

    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    w = _window(qtbot, clerk)
    page = w.page("settings")
    assert [page.language.itemText(i) for i in range(page.language.count())] == ["中文", "English"]
    assert "next time" in page.language_note.text()
    page.language.setCurrentIndex(page.language.findData("en"))
    assert i18n.saved_language() == "en" and i18n.start_language() == "en"
    page.language.setCurrentIndex(page.language.findData("zh_CN"))
    assert i18n.start_language() == "zh_CN"
    w.idle_lock.stop()
