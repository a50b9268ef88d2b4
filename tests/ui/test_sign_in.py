"""Sign-in: wrong then right password, back-off, missing device secret, recovery."""
import json

import pytest
from PySide6.QtCore import QSettings

from app.db import device_secret
from app.services.office import LoginThrottle, OfficePaths, open_session
from app.ui.sign_in import ChangePasswordDialog, RecoveryDialog, SignInDialog, ui_settings, LAST_USER_KEY
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
    assert dialog.session.user.username == "admin"
    dialog.session.close()
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
    code, data_dir = closed_office
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
    assert dialog.session is None and dialog.error.text()      # wrong code: the service's sentence
    dialog.code.setText(code)
    dialog.ok_button.click()
    assert dialog.session is not None
    dialog.session.close()
    open_session(data_dir, "admin", "brand-new-pass-1").close()


def test_change_password(qtbot, office):
    session, _code, data_dir = office
    dialog = ChangePasswordDialog(session)
    qtbot.addWidget(dialog)
    dialog.old.setText("wrong-old-password")
    dialog.new.password.setText("another-pass-2022")
    dialog.new.repeat.setText("another-pass-2022")
    dialog.ok_button.click()
    assert dialog.error.text() and dialog.result() != ChangePasswordDialog.DialogCode.Accepted
    dialog.old.setText(ADMIN_PASSWORD)
    dialog.ok_button.click()
    assert dialog.result() == ChangePasswordDialog.DialogCode.Accepted
    open_session(data_dir, "admin", "another-pass-2022").close()
