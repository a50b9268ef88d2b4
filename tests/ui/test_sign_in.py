"""Sign-in: wrong then right password, back-off, missing device secret, recovery."""

import json
import threading

import pytest
from PySide6.QtCore import QSettings

from app.db import device_secret
from app.services.office import LoginThrottle, OfficePaths, open_session
from app.services.session import Session
from app.ui import ops
from app.ui.ops import Op
from app.ui.sign_in import LAST_USER_KEY, ChangePasswordDialog, RecoveryDialog, SignInDialog, ui_settings
from tests.conftest import ADMIN_PASSWORD


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def closed_office(office):
    session, code, data_dir = office
    session.close()
    return code, data_dir


def _try(dialog, password):
    dialog.password.setText(password)
    dialog.sign_in_button.click()


def test_wrong_then_right_password(qtbot, closed_office):
    _code, data_dir = closed_office
    dialog = SignInDialog(data_dir, username="admin")
    qtbot.addWidget(dialog)
    assert "香水镇" in dialog.office_label.text()
    _try(dialog, "not-the-password")
    assert dialog.session is None and dialog.error.isVisibleTo(dialog)
    assert "密码" in dialog.error.text()
    assert dialog.password.text() == ""
    _try(dialog, ADMIN_PASSWORD)
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    session = dialog.session
    assert session is not None and session.user.username == "admin"
    session.close()
    assert ui_settings().value(LAST_USER_KEY) == "admin"
    # The next time the last user is filled in.
    again = SignInDialog(data_dir)
    qtbot.addWidget(again)
    assert again.user.text() == "admin"


def test_empty_fields_say_what_is_missing(qtbot, closed_office):
    _code, data_dir = closed_office
    dialog = SignInDialog(data_dir, username="")
    qtbot.addWidget(dialog)
    dialog.user.clear()
    dialog.sign_in_button.click()
    assert "user name" in dialog.error.text()


def test_back_off_disables_the_button_for_the_wait(qtbot, closed_office):
    _code, data_dir = closed_office
    dialog = SignInDialog(data_dir, username="admin")
    qtbot.addWidget(dialog)
    for _ in range(LoginThrottle.FREE_TRIES):
        _try(dialog, "wrong-password")
    assert not dialog.sign_in_button.isEnabled()
    assert "2 seconds" in dialog.error.text()
    # Trying anyway (Enter in the field) does nothing while the wait lasts.
    _try(dialog, ADMIN_PASSWORD)
    assert dialog.session is None
    # Once the wait is over the button comes back.
    state_path = OfficePaths(data_dir).login_state
    state = json.loads(state_path.read_text())
    state["admin"]["last"] -= 60
    state_path.write_text(json.dumps(state))
    dialog._tick_wait()
    assert dialog.sign_in_button.isEnabled() and not dialog.error.isVisibleTo(dialog)
    _try(dialog, ADMIN_PASSWORD)
    assert dialog.session is not None
    dialog.session.close()


def test_service_back_off_message_is_shown(qtbot, closed_office):
    _code, data_dir = closed_office
    throttle = LoginThrottle(OfficePaths(data_dir).login_state)
    for _ in range(LoginThrottle.FREE_TRIES + 2):
        throttle.failed("admin")
    dialog = SignInDialog(data_dir, username="admin")
    qtbot.addWidget(dialog)
    assert not dialog.sign_in_button.isEnabled()
    assert "seconds" in dialog.error.text()


def test_missing_device_secret_offers_recovery(qtbot, closed_office):
    _code, data_dir = closed_office
    from app.db.keyslots import KeySlotFile

    device_secret.forget(KeySlotFile.load(OfficePaths(data_dir).slots).store_id)
    dialog = SignInDialog(data_dir, username="admin")
    qtbot.addWidget(dialog)
    _try(dialog, ADMIN_PASSWORD)
    assert dialog.session is None
    assert "recovery code" in dialog.error.text()
    assert dialog.forgot_button.isDefault()


def test_recovery_dialog_sets_a_new_password(qtbot, closed_office):
    code, data_dir = closed_office
    dialog = RecoveryDialog(data_dir, "admin")
    qtbot.addWidget(dialog)
    dialog.code.setText("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    dialog.new.password.setText("brand-new-pass-1")
    dialog.new.repeat.setText("brand-new-pass-2")
    dialog.ok_button.click()
    assert "not the same" in dialog.error.text()
    dialog.new.repeat.setText("brand-new-pass-1")
    dialog.ok_button.click()
    assert dialog.session is None and dialog.error.text()  # wrong code: the service's sentence
    dialog.code.setText(code)
    dialog.ok_button.click()
    assert dialog.session is not None
    dialog.session.close()
    open_session(data_dir, "admin", "brand-new-pass-1").close()


def _change(dialog, old, new):
    dialog.old.setText(old)
    dialog.new.password.setText(new)
    dialog.new.repeat.setText(new)
    dialog.ok_button.click()


def test_change_password(qtbot, office):
    session, _code, data_dir = office
    dialog = ChangePasswordDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    _change(dialog, "wrong-old-password", "another-pass-2022")
    # Refused: the dialog stays open with the service's one sentence, the current password marked.
    assert dialog.isVisible() and dialog.result() != ChangePasswordDialog.DialogCode.Accepted
    assert "原密码不正确" in dialog.error.text()
    assert dialog.old.styleSheet() and dialog.ok_button.isEnabled()
    assert dialog.new.password.text() == "another-pass-2022"  # nothing typed is lost
    dialog.old.setText(ADMIN_PASSWORD)
    dialog.ok_button.click()
    assert dialog.result() == ChangePasswordDialog.DialogCode.Accepted and not dialog.isVisible()
    open_session(data_dir, "admin", "another-pass-2022").close()


def test_a_new_password_that_does_not_match_is_marked_before_anything_is_written(qtbot, office):
    session, _code, _dir = office
    dialog = ChangePasswordDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.old.setText(ADMIN_PASSWORD)
    dialog.new.password.setText("another-pass-2022")
    dialog.new.repeat.setText("another-pass-2023")
    with qtbot.assertNotEmitted(ops.changes().changed):
        dialog.ok_button.click()
    assert dialog.isVisible() and "not the same" in dialog.error.text()
    assert dialog.new.repeat.styleSheet()
    assert session.verify_password(ADMIN_PASSWORD)


def test_changing_the_password_is_a_write_op(qtbot, office):
    session, _code, _dir = office
    dialog = ChangePasswordDialog(session)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(ops.changes().changed) as blocker:
        _change(dialog, ADMIN_PASSWORD, "another-pass-2022")
    assert dialog.result() == ChangePasswordDialog.DialogCode.Accepted
    assert blocker.args[0].touches("users")  # the users page refreshes from it
    last = session.db.query("SELECT username, action, row_id FROM audit_log ORDER BY seq DESC LIMIT 1")
    assert last == [("admin", "设置密码", "admin")]


@pytest.mark.real_threads
def test_changing_the_password_runs_on_the_writer_thread(qtbot, office, monkeypatch):
    session, _code, data_dir = office
    ran_on = {}
    change = Session.change_password

    def recording(s, old, new):
        ran_on["thread"] = threading.get_ident()
        ran_on["own_connection"] = s is not session
        return change(s, old, new)

    monkeypatch.setattr(Session, "change_password", recording)
    dialog = ChangePasswordDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    _change(dialog, ADMIN_PASSWORD, "another-pass-2022")
    assert not dialog.ok_button.isEnabled()  # Argon2id takes a moment; the window is not frozen
    qtbot.waitUntil(lambda: dialog.result() == ChangePasswordDialog.DialogCode.Accepted, timeout=20000)
    writer: dict[str, int] = {}
    Op(None, lambda s, _p: threading.get_ident(), write=True, session=session).success(
        lambda ident: writer.setdefault("thread", ident)
    ).run()
    qtbot.waitUntil(lambda: "thread" in writer, timeout=10000)
    assert ran_on["thread"] != threading.get_ident() and ran_on["own_connection"]
    assert ran_on["thread"] == writer["thread"]  # the one database-write thread
    open_session(data_dir, "admin", "another-pass-2022").close()


# --- 从备份恢复 ------------------------------------------------------------------------


def _backup_of(office, folder):
    from app.services.backup import BackupService

    session, _code, _data_dir = office
    made = BackupService(session).backup_now(folder=folder)
    session.close()
    return made.path / "manifest.json"


def test_restore_from_a_backup_with_the_password_keeps_the_old_office_aside(qtbot, office, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    manifest = _backup_of(office, tmp_path / "usb")
    data_dir = office[2]
    dialog = SignInDialog(data_dir, username="admin")
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(manifest), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (ADMIN_PASSWORD, True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    dialog.restore_button.click()
    assert shown and "restored" in shown[0]
    assert list(data_dir.parent.glob("office.before-restore-*"))  # kept, not deleted
    _try(dialog, ADMIN_PASSWORD)
    assert dialog.session is not None and dialog.session.office.code == "640424100000"
    dialog.session.close()


def test_a_tampered_backup_is_refused_in_the_dialog(qtbot, office, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    manifest = _backup_of(office, tmp_path / "usb")
    db = manifest.parent / "office.db"
    raw = bytearray(db.read_bytes())
    raw[-10] ^= 0xFF
    db.write_bytes(bytes(raw))
    asked: list[int] = []

    def ask(*_a: object, **_k: object) -> tuple[str, bool]:
        asked.append(1)
        return "x", True

    monkeypatch.setattr(QInputDialog, "getText", ask)
    dialog = SignInDialog(office[2], username="admin")
    qtbot.addWidget(dialog)
    dialog.restore_backup(manifest)
    assert "与清单不符" in dialog.error.text()
    assert not asked  # refused before any secret is asked
    assert not list(office[2].parent.glob("office.before-restore-*"))


def test_the_last_user_is_offered_and_after_switching_the_new_one(qtbot, closed_office):
    from app.services.office import open_session

    _code, data_dir = closed_office
    first = SignInDialog(data_dir)
    qtbot.addWidget(first)
    assert first.user.text() == ""  # nobody signed in here yet
    admin = open_session(data_dir, "admin", ADMIN_PASSWORD)
    admin.users.add("clerk1", "clerk", "clerk-pass-2021", display_name="王经办")
    admin.close()
    first.user.setText("clerk1")
    _try(first, "clerk-pass-2021")
    assert first.session is not None
    first.session.close()
    # Switching user: the last user is offered but selected, so typing another name replaces it.
    switch = SignInDialog(data_dir, choose_user=True)
    qtbot.addWidget(switch)
    switch.show()
    qtbot.waitExposed(switch)
    assert switch.user.text() == "clerk1" and switch.user.selectedText() == "clerk1"
    assert switch.focusWidget() is switch.user
    qtbot.keyClicks(switch.user, "admin")
    _try(switch, ADMIN_PASSWORD)
    assert switch.session is not None
    switch.session.close()
    # The next start offers the user who signed in last, ready for the password.
    again = SignInDialog(data_dir)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.user.text() == "admin" and again.focusWidget() is again.password


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("王经办", "王经办（经办人）"),
        ("王经办（演示）", "王经办（演示，经办人）"),
        ("王经办 (demo)", "王经办（demo，经办人）"),
        ("（经办）", "（经办）（经办人）"),
    ],
)
def test_name_with_role_never_doubles_the_brackets(name, shown):
    from app.ui.sign_in import name_with_role

    assert name_with_role(name, "经办人") == shown
