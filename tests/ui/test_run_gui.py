"""`make run` end to end: no office yet → demo office → sign-in as the demo clerk → main window."""

from PySide6.QtWidgets import QApplication, QDialog

from app.demo_defaults import DEFAULT_DEMO_PASSWORD
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
