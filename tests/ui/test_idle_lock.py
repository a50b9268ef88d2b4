"""The idle lock covers the program after the idle time and keeps unsaved input."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMainWindow, QVBoxLayout, QWidget

from app.ui.idle_lock import IdleLock, idle_minutes, set_idle_minutes
from tests.conftest import ADMIN_PASSWORD


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


class EditorWindow(QMainWindow):
    """A main window whose one field holds the clerk's unsaved draft."""

    def __init__(self) -> None:
        super().__init__()
        self.editor = QLineEdit()
        self.setCentralWidget(self.editor)


class FieldDialog(QDialog):
    """A modal dialog with one half-typed field."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.field = QLineEdit(self)
        QVBoxLayout(self).addWidget(self.field)


@pytest.fixture
def window(qtbot) -> EditorWindow:
    w = EditorWindow()
    w.resize(800, 600)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_locks_after_idle_time_and_unlocks_with_password(qtbot, office, window):
    session, _code, _dir = office
    qtbot.keyClicks(window.editor, "draft ")
    window.editor.insert("马建国 未保存")
    lock = IdleLock(session, window, minutes=0.4 / 60)  # 0.4 s
    qtbot.waitUntil(lambda: lock.is_locked, timeout=5000)
    dialog = lock.dialog
    assert dialog is not None
    assert dialog.isVisible() and dialog.isModal()
    assert dialog.geometry().contains(window.frameGeometry().center())  # it covers the window
    # Escape does not unlock; a wrong password says so and stays locked.
    dialog.reject()
    assert lock.is_locked
    dialog.password.setText("not-my-password")
    dialog.unlock_button.click()
    assert lock.is_locked and dialog.error.isVisibleTo(dialog) and dialog.password.text() == ""
    with qtbot.waitSignal(lock.unlocked):
        dialog.password.setText(ADMIN_PASSWORD)
        dialog.unlock_button.click()
    assert not lock.is_locked
    assert window.isVisible() and window.editor.text() == "draft 马建国 未保存"
    lock.stop()


def test_activity_postpones_the_lock(qtbot, office, window):
    session, _code, _dir = office
    now = [1000.0]
    lock = IdleLock(session, window, minutes=1, clock=lambda: now[0])
    now[0] += 50
    qtbot.mouseMove(window.editor)
    qtbot.keyClick(window.editor, "a")
    now[0] += 50  # 100 s since start, but only 50 s since the last input
    lock.check()
    assert not lock.is_locked
    now[0] += 11
    lock.check()
    assert lock.is_locked
    lock.dialog._unlocked = True
    lock.dialog.close()
    lock.stop()


def test_lock_works_over_an_open_modal_dialog(qtbot, office, window):
    session, _code, _dir = office
    modal = FieldDialog(window)
    modal.setModal(True)
    modal.show()
    qtbot.waitExposed(modal)
    qtbot.keyClicks(modal.field, "half-typed")
    now = [0.0]
    lock = IdleLock(session, window, minutes=1, clock=lambda: now[0])
    now[0] += 61
    lock.check()
    assert lock.is_locked
    dialog = lock.dialog
    assert dialog is not None
    assert QApplication.activeModalWidget() is dialog
    assert dialog.parent() is modal
    dialog.password.setText(ADMIN_PASSWORD)
    dialog.unlock_button.click()
    assert not lock.is_locked
    assert modal.isVisible() and modal.field.text() == "half-typed"
    lock.stop()


def test_minutes_setting_round_trip():
    assert idle_minutes() == 10
    set_idle_minutes(3)
    assert idle_minutes() == 3


def test_a_lock_by_hand_says_so_and_the_idle_lock_says_why_it_locked(qtbot, office, window):
    session, _code, _dir = office
    lock = IdleLock(session, window, minutes=1)
    lock.lock(by_hand=True)
    by_hand = lock.dialog
    assert by_hand is not None and "Locked by hand (Ctrl+L)" in by_hand.message.text()
    by_hand.password.setText(ADMIN_PASSWORD)
    by_hand.unlock_button.click()
    assert not lock.is_locked
    lock.lock()  # as the timer does
    idle = lock.dialog
    assert idle is not None and "after a time without use" in idle.message.text()
    assert idle.message.text() != by_hand.message.text()
    idle.password.setText(ADMIN_PASSWORD)
    idle.unlock_button.click()
    lock.stop()
