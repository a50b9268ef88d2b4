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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "shots-password-2021"
SIZE = (1366, 768)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    from PySide6.QtWidgets import QApplication, QWidget

    from app.tools import translations
    from app.ui import ops
    from app.ui.fonts import register_app_font
    from app.ui.i18n import install_translators

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "qsettings"))
    app = QApplication.instance() or QApplication([])
    register_app_font(app)
    translations.build(quiet=True)
    install_translators(app, args.lang)
    ops.set_synchronous(True)

    shots: list[Path] = []

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    def grab(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        shots.append(path)

    # --- set-up wizard ----------------------------------------------------------------
    from app.ui.setup_wizard import SetupWizard

    wizard = SetupWizard(tmp / "wizard-office")
    wizard.resize(760, 540)
    wizard.show()
    grab(wizard, "01-wizard-start")
    wizard.next()
    grab(wizard, "02-wizard-office")
    wizard.next()
    admin = wizard.admin_page
    admin.display_name.setText("马建国")
    admin.password.setText("xiangshui-2021")
    admin.repeat.setText("xiangshui-2021")
    grab(wizard, "03-wizard-admin")
    wizard.next()
    grab(wizard, "04-wizard-recovery-code")
    wizard.code_page.confirmed.setChecked(True)
    wizard.session.close()
    wizard.accept()

    # --- demo office, sign-in -----------------------------------------------------------
    from app.services.demo import create_demo
    from app.ui.sign_in import RecoveryDialog, SignInDialog

    data_dir = tmp / "demo"
    session, _code, _counts = create_demo(data_dir, PASSWORD, profile="small")
    session.close()
    sign_in = SignInDialog(data_dir, username="admin", hint="演示单位：用户 admin。其中的人和数据都是虚构的。")
    sign_in.show()
    grab(sign_in, "05-sign-in")
    sign_in.password.setText("wrong-password")
    sign_in.sign_in()
    grab(sign_in, "06-sign-in-wrong-password")
    recovery = RecoveryDialog(data_dir, "admin", sign_in)
    recovery.show()
    grab(recovery, "07-recovery")
    recovery.close()
    sign_in.password.setText(PASSWORD)
    sign_in.sign_in()
    admin_session = sign_in.session
    # The screens below are shown as the township's reviewer, who may do everything a clerk does
    # and approve, with this month's roster built and the monitoring rules run.
    from datetime import date

    from app.services.office import open_session

    admin_session.users.add("lizhuren", "reviewer", PASSWORD, display_name="李主任")
    admin_session.close()
    session = open_session(data_dir, "lizhuren", PASSWORD)
    month = date.today().strftime("%Y-%m")
    session.payments.build(month)
    session.monitoring.run(month)

    # --- main window ----------------------------------------------------------------------
    from app.ui.main_window import MainWindow

    window = MainWindow(session)
    window.resize(*SIZE)
    window.show()
    grab(window, "10-dashboard")
    window.nav.setCurrentRow(1)
    grab(window, "11-households")
    try:
        from app.ui.household_editor import HouseholdEditor  # the other helper's editor, when it exists
    except ImportError:
        HouseholdEditor = None
    if HouseholdEditor is not None:
        first = session.db.scalar("SELECT id FROM households WHERE deleted = 0 ORDER BY village_code, head_name")
        try:
            editor = HouseholdEditor(session, first, window)
        except TypeError:
            editor = HouseholdEditor(session, household_id=first, parent=window)
        editor.show()
        grab(editor, "12-household-editor")
        if getattr(editor, "programmes", None) is not None:
            editor.tabs.setCurrentWidget(editor.programmes)
            grab(editor, "12b-household-editor-assistance")
        editor.close()
    window.nav.setCurrentRow(2)
    grab(window, "13-visits")
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
        grab(window, name)
    window.nav.setCurrentRow(0)
    window.idle_lock.lock()
    lock = window.idle_lock.dialog
    lock.password.setText("wrong")
    lock.try_unlock()
    grab(lock, "20-lock")
    lock.password.setText(PASSWORD)
    lock.try_unlock()
    window.idle_lock.stop()
    window.close()
    session.close()
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
