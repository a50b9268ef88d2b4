"""An unexpected error shows what to do and where the log is (no traceback, no data), and crashes leave a trace."""

import faulthandler
import os
import stat
import sys

from PySide6.QtWidgets import QLabel

from app.ui import errors
from app.ui.help import crash


def test_an_unexpected_error_shows_what_to_do_never_the_traceback_or_the_data(qtbot, zh_translators, monkeypatch):
    monkeypatch.setattr(errors, "_present", crash.show_crash)  # as crash.install() sets it at start-up
    try:
        raise ValueError("bad ID 640424197001011234 in row 3, phone 13912345678, name=马学军")
    except ValueError as exc:
        dialog = errors.show_exception(exc)
    assert isinstance(dialog, crash.CrashDialog)
    shown = "\n".join(label.text() for label in dialog.findChildren(QLabel))
    assert "已经保存的数据是安全的" in shown and "doudi support bundle" in shown
    assert "640424197001011234" not in shown and "13912345678" not in shown and "马学军" not in shown
    assert "Traceback" not in shown and "ValueError" not in shown

    # A second error while the dialog is open is counted in it, not stacked.
    try:
        raise KeyError("again")
    except KeyError as exc:
        again = errors.show_exception(exc)
    assert again is dialog and dialog.count == 2
    dialog.close()


def test_excepthook_and_faulthandler(qtbot, tmp_path):
    path = errors.install_excepthook(tmp_path)
    errors.set_presenter(crash.show_crash)
    try:
        assert sys.excepthook is errors._excepthook
        assert path == tmp_path / errors.FAULT_LOG_NAME and path.exists()
        if os.name == "posix":  # a crash trace may hold rows: owner-only like every log
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700
        assert faulthandler.is_enabled()
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        dialog = crash._open
        assert dialog is not None and dialog.isVisible()
        dialog.close()
    finally:
        errors.set_presenter(None)
        errors.uninstall_excepthook()
        # pytest keeps the real stderr, so the fallback is for a Python run without one.
        faulthandler.enable(sys.__stderr__ or sys.stderr)
    assert sys.excepthook is sys.__excepthook__
