"""An unexpected error shows one dialog the clerk can copy from, with ID numbers masked, and crashes leave a trace."""

import faulthandler
import os
import stat
import sys

from PySide6.QtGui import QGuiApplication

from app.ui import errors


def test_dialog_copies_masked_details(qtbot, zh_translators):
    try:
        raise ValueError("bad ID 640424197001011234 in row 3, phone 13912345678, name=马学军")
    except ValueError as exc:
        dialog = errors.show_exception(exc)
    assert dialog is not None
    text = dialog.details.toPlainText()
    assert "640424********1234" in text and "640424197001011234" not in text
    assert "13912345678" not in text and "马学军" not in text
    assert "ValueError" in text
    assert dialog.copy_button.text() == "复制详情"
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == text
    assert dialog.copy_button.text() == "已复制"

    # A second error while the dialog is open is appended, not stacked.
    try:
        raise KeyError("again")
    except KeyError as exc:
        again = errors.show_exception(exc)
    assert again is dialog
    assert "KeyError" in dialog.details.toPlainText()
    dialog.close()


def test_excepthook_and_faulthandler(qtbot, tmp_path):
    path = errors.install_excepthook(tmp_path)
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
        dialog = errors._open_dialog
        assert dialog is not None and "RuntimeError: boom" in dialog.details.toPlainText()
        dialog.close()
    finally:
        errors.uninstall_excepthook()
        # pytest keeps the real stderr, so the fallback is for a Python run without one.
        faulthandler.enable(sys.__stderr__ or sys.stderr)
    assert sys.excepthook is sys.__excepthook__
