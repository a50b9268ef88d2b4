"""`make run` end to end: no office yet → demo office → sign-in as the demo clerk → main window;
and where there is no screen, one sentence instead of Qt aborting the process."""

import os
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from app.demo_defaults import DEFAULT_DEMO_PASSWORD
from app.errors import NoDisplay
from app.ui import main as gui_main
from app.ui.main_window import MainWindow


def test_first_start_opens_a_demo_office_and_signs_in(qtbot, tmp_path, monkeypatch):
    from app.ui import sign_in

    monkeypatch.setattr("app.logs.setup_logging", lambda *a, **k: tmp_path / "doudi.log")
    monkeypatch.setattr("app.ui.errors.install_excepthook", lambda *a, **k: tmp_path)
    seen = {}

    def sign_in_exec(dialog):
        seen["user"] = dialog.user.text()
        dialog.password.setText(DEFAULT_DEMO_PASSWORD)
        dialog.sign_in()
        return QDialog.DialogCode.Accepted if dialog.session else QDialog.DialogCode.Rejected

    def app_exec(_app=None):
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        seen["window"] = window.windowTitle()
        seen["user_label"] = window.statusBar().currentMessage() or " ".join(
            w.text() for w in window.statusBar().findChildren(type(window.deadline_label))
        )
        window.idle_lock.stop()
        window.close()
        return 0

    monkeypatch.setattr(sign_in.SignInDialog, "exec", sign_in_exec)
    monkeypatch.setattr(QApplication, "exec", app_exec)
    data = tmp_path / "demo-data"
    try:
        assert gui_main.run_gui(data, demo_if_empty=True) == 0
    finally:
        from app.ui.i18n import remove_translators

        remove_translators()  # the GUI installs Chinese; the other tests expect the source strings
    assert (data / "office.db").exists()
    assert seen["user"] == "clerk"
    assert "经办" in seen["user_label"] or "clerk" in seen["user_label"]


@pytest.mark.parametrize(
    ("env", "refused"),
    [
        ({}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, True),
        ({"DISPLAY": ":0"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"QT_QPA_PLATFORM": "minimal"}, False),
    ],
)
def test_display_problem_on_linux(env, refused):
    assert bool(gui_main.display_problem(env, "linux")) is refused


def test_windows_and_macos_always_have_a_screen():
    assert gui_main.display_problem({}, "win32") == "" and gui_main.display_problem({}, "darwin") == ""


def test_run_gui_refuses_before_qt_without_a_screen(monkeypatch, tmp_path):
    monkeypatch.setattr(gui_main, "display_problem", lambda: "没有显示器。")
    monkeypatch.setattr(QApplication, "instance", staticmethod(lambda: None))
    with pytest.raises(NoDisplay):
        gui_main.run_gui(tmp_path / "data")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="DISPLAY decides only on Linux")
def test_doudi_without_a_display_says_so_with_exit_14(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update({"XDG_STATE_HOME": str(tmp_path / "state"), "DOUDI_KEYRING": "file"})
    r = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert r.returncode == 14, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "显示器" in lines[0] and "Traceback" not in r.stderr


# --- switching user without quitting -------------------------------------------------------


def test_switching_from_admin_to_clerk_opens_a_window_for_the_clerk(qtbot, office, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from app.ui import sign_in
    from tests.conftest import ADMIN_PASSWORD

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    admin, _code, data_dir = office
    admin.users.add("clerk1", "clerk", "clerk-pass-2021", display_name="王经办")
    admin.close()
    monkeypatch.setattr("app.logs.setup_logging", lambda *a, **k: tmp_path / "doudi.log")
    monkeypatch.setattr("app.ui.errors.install_excepthook", lambda *a, **k: tmp_path)
    credentials = iter([("admin", ADMIN_PASSWORD), ("clerk1", "clerk-pass-2021")])
    offered, windows = [], []

    def sign_in_exec(dialog):
        offered.append(dialog.user.text())
        try:
            username, password = next(credentials)
        except StopIteration:
            return QDialog.DialogCode.Rejected
        dialog.user.setText(username)
        dialog.password.setText(password)
        dialog.sign_in()
        return QDialog.DialogCode.Accepted if dialog.session else QDialog.DialogCode.Rejected

    def app_exec(_app=None):
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        windows.append((window, window.session, window.user_label.text()))
        if len(windows) == 1:
            window.sign_out_action.trigger()  # as from the User menu
        else:
            window.idle_lock.stop()
            window.close()
        return 0

    monkeypatch.setattr(sign_in.SignInDialog, "exec", sign_in_exec)
    monkeypatch.setattr(QApplication, "exec", app_exec)
    try:
        assert gui_main.run_gui(data_dir, user="admin") == 0
    finally:
        from app.ui.i18n import remove_translators

        remove_translators()
    (first, admin_session, admin_label), (second, clerk_session, clerk_label) = windows
    assert first is not second and first.signing_out and not second.signing_out
    assert "管理员" in admin_label and clerk_label.endswith("王经办（经办人）")
    assert clerk_session.user.username == "clerk1"
    assert offered == ["admin", "admin"]  # after signing out, the last user is offered (selected)
    with pytest.raises(Exception, match="closed"):
        admin_session.db.execute("SELECT 1")  # the admin's session was closed when they signed out
    assert sign_in.last_user() == "clerk1"  # the next start offers the clerk


# --- Qt's X11 libraries -------------------------------------------------------------------

MISSING = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}


def test_missing_xcb_libraries_are_named_by_their_package():
    sentence = gui_main.xcb_problem({"DISPLAY": ":0"}, "linux", present=lambda soname: soname not in MISSING)
    assert "libxcb-icccm4" in sentence and "libxcb-keysyms1" in sentence
    assert "cursor" not in sentence  # not Qt's misleading guess
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1" in sentence and sentence.count("。") == 1


@pytest.mark.parametrize(
    "env",
    [
        {"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"},
        {"QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": "wayland-0"},
        {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"},
        {"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"},
    ],
)
def test_xcb_libraries_are_not_asked_for_off_x11(env):
    assert gui_main.xcb_problem(env, "linux", present=lambda soname: False) == ""


def test_all_xcb_libraries_present_is_no_problem():
    assert gui_main.xcb_problem({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}, "linux", present=lambda s: True) == ""
    assert gui_main.xcb_problem({}, "win32", present=lambda s: False) == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_run_gui_names_the_missing_package_before_qt_starts(monkeypatch, tmp_path):
    monkeypatch.setenv("DISPLAY", ":0")
    for name in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(gui_main, "library_present", lambda soname: soname not in MISSING)
    monkeypatch.setattr(QApplication, "instance", staticmethod(lambda: None))
    with pytest.raises(NoDisplay, match="libxcb-icccm4、libxcb-keysyms1"):
        gui_main.run_gui(tmp_path / "data")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the dynamic loader is Linux's")
def test_the_library_finder_asks_the_dynamic_loader():
    assert gui_main.library_present("libc.so.6")
    assert not gui_main.library_present("libdoudi-no-such-library.so.7")
