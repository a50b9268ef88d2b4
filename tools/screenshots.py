"""Render the main screens on a synthetic demo office to PNG files (offscreen), for review.

    .venv/bin/python tools/screenshots.py [--out screenshots] [--lang zh_CN|en]

Creates a throw-away demo office (profile "small") in a temporary folder, with a
file-kept device secret and the fast test KDF, so nothing touches the user's data or
credential store. The main window is rendered at 1366×768, the clerks' usual screen.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from app.services.session import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "shots-password-2021"
SIZE = (1366, 768)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--lang", default="zh_CN")
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)

    tmp = Path(tempfile.mkdtemp(prefix="doudi-shots-"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DOUDI_KEYRING"] = "file"
    os.environ["DOUDI_CONFIG_DIR"] = str(tmp / "config")
    os.environ["DOUDI_KDF_PROFILE"] = "fast"

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.tools import translations
    from app.ui import ops
    from app.ui.fonts import register_app_font
    from app.ui.i18n import install_translators

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "qsettings"))
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    register_app_font(app)
    translations.build(quiet=True)
    install_translators(app, args.lang)
    ops.set_synchronous(True)

    camera = _Camera(app, out)
    _wizard(camera, tmp / "wizard-office")
    data_dir = tmp / "demo"
    _sign_in(camera, data_dir)
    _main_window(camera, data_dir)
    for path in camera.shots:
        print(path)
    return 0


class _Camera:
    """Saves each screen as a PNG once Qt has painted it, and remembers the files written."""

    def __init__(self, app: QApplication, out: Path) -> None:
        self.app = app
        self.out = out
        self.shots: list[Path] = []

    def grab(self, widget: QWidget, name: str) -> None:
        for _ in range(3):
            self.app.processEvents()
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        self.shots.append(path)


def _wizard(camera: _Camera, office_dir: Path) -> None:
    """The set-up wizard, page by page."""
    from app.ui.setup_wizard import SetupWizard

    wizard = SetupWizard(office_dir)
    wizard.resize(760, 540)
    wizard.show()
    camera.grab(wizard, "01-wizard-start")
    wizard.next()
    camera.grab(wizard, "02-wizard-office")
    wizard.next()
    admin = wizard.admin_page
    admin.display_name.setText("马建国")
    admin.password.setText("xiangshui-2021")
    admin.repeat.setText("xiangshui-2021")
    camera.grab(wizard, "03-wizard-admin")
    wizard.next()
    camera.grab(wizard, "04-wizard-recovery-code")
    wizard.code_page.confirmed.setChecked(True)
    assert wizard.session is not None  # the admin page created the office
    wizard.session.close()
    wizard.accept()


def _sign_in(camera: _Camera, data_dir: Path) -> None:
    """A demo office, its sign-in and recovery dialogs; adds the reviewer the main window is shown as."""
    from app.services.demo import create_demo
    from app.ui.sign_in import RecoveryDialog, SignInDialog

    session, _code, _counts = create_demo(data_dir, PASSWORD, profile="small")
    session.close()
    sign_in = SignInDialog(data_dir, username="admin", hint="演示单位：用户 admin。其中的人和数据都是虚构的。")
    sign_in.show()
    camera.grab(sign_in, "05-sign-in")
    sign_in.password.setText("wrong-password")
    sign_in.sign_in()
    camera.grab(sign_in, "06-sign-in-wrong-password")
    recovery = RecoveryDialog(data_dir, "admin", sign_in)
    recovery.show()
    camera.grab(recovery, "07-recovery")
    recovery.close()
    sign_in.password.setText(PASSWORD)
    sign_in.sign_in()
    admin_session = sign_in.session
    assert admin_session is not None  # signed in with the right password
    admin_session.users.add("lizhuren", "reviewer", PASSWORD, display_name="李主任")
    admin_session.close()


def _main_window(camera: _Camera, data_dir: Path) -> None:
    """Every page of the main window, the household editor and the lock screen."""
    # The screens are shown as the township's reviewer, who may do everything a clerk does
    # and approve, with this month's roster built and the monitoring rules run.
    from datetime import date

    from app.services.office import open_session
    from app.ui.main_window import MainWindow

    session = open_session(data_dir, "lizhuren", PASSWORD)
    month = date.today().strftime("%Y-%m")
    session.payments.build(month)
    session.monitoring.run(month)

    window = MainWindow(session)
    window.resize(*SIZE)
    window.show()
    camera.grab(window, "10-dashboard")
    window.nav.setCurrentRow(1)
    camera.grab(window, "11-households")
    _household_editor(camera, session, window)
    window.nav.setCurrentRow(2)
    camera.grab(window, "13-visits")
    for row, name in (
        (3, "14-programmes"),
        (4, "15-alerts"),
        (5, "16-monthly-close"),
        (6, "17-care"),
        (7, "17b-policy"),
        (8, "17c-users"),
        (9, "18-placeholder-comparison"),
        (12, "19-settings"),
    ):
        window.nav.setCurrentRow(row)
        camera.grab(window, name)
    window.nav.setCurrentRow(0)
    window.idle_lock.lock()
    lock = window.idle_lock.dialog
    assert lock is not None  # lock() shows the dialog
    lock.password.setText("wrong")
    lock.try_unlock()
    camera.grab(lock, "20-lock")
    lock.password.setText(PASSWORD)
    lock.try_unlock()
    window.idle_lock.stop()
    window.close()
    session.close()


def _household_editor(camera: _Camera, session: Session, window: QWidget) -> None:
    from app.ui.household_editor import HouseholdEditor

    first = session.db.scalar("SELECT id FROM households WHERE deleted = 0 ORDER BY village_code, head_name")
    editor = HouseholdEditor(session, first, window)
    editor.show()
    camera.grab(editor, "12-household-editor")
    if editor.programmes is not None:
        editor.tabs.setCurrentWidget(editor.programmes)
        camera.grab(editor, "12b-household-editor-assistance")
    visits = getattr(editor, "visits", None)
    if visits is not None:
        editor.tabs.setCurrentWidget(visits)
        camera.grab(editor, "12c-household-editor-visits")
    editor.close()


if __name__ == "__main__":
    raise SystemExit(main())
