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
