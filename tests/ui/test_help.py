"""The 帮助 menu (issue 14 point 5): the user guide offline, 关于, the support bundle; the upgrade
message after sign-in; and what a crash shows — never a traceback."""

from __future__ import annotations

import faulthandler
import json
import logging
import sys
import zipfile

import pytest
from PySide6.QtCore import QObject, QSettings, QTimer, Signal, qVersion
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QLabel

from app.build_info import build_info
from app.db import schema
from app.db.migrations import MIGRATIONS
from app.services.backup import backup_folder
from app.ui import errors
from app.ui.help import crash
from app.ui.help.support_bundle import last_message
from app.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


def _window(qtbot, session):
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


def _help_menu(w):
    return next(a.menu() for a in w.menuBar().actions() if a.text() == "&Help")


def test_the_help_menu_opens_the_guide_offline_with_the_shortcuts_and_quits(qtbot, clerk, tmp_path):
    w = _window(qtbot, clerk)
    assert [a.text() for a in _help_menu(w).actions() if not a.isSeparator()] == [
        "User guide…",
        "Make a support bundle…",
        "About Doudi…",
        "Quit",
    ]
    assert w.instructions_action.shortcut().toString() == "F1"
    guide = w.show_instructions()
    text = guide.browser.toPlainText()
    for part in ("第一次使用", "每个月的工作", "U 盘", "备份和恢复", "出了问题怎么办", "doudi support bundle"):
        assert part in text, part
    assert not guide.browser.openLinks() and not guide.browser.openExternalLinks()
    keys = {guide.table.item(i, 0).text(): guide.table.item(i, 1).text() for i in range(guide.table.rowCount())}
    assert keys["Ctrl+2"] == "Open Households" and "F1" in keys
    guide.resize(1366, 768)
    guide.grab().save(str(tmp_path / "guide.png"))
    guide.close()
    w.idle_lock.stop()
    w.quit_action.trigger()  # 退出 closes the window (its backup on close runs) and does not sign out
    assert not w.isVisible() and not w.signing_out


def test_about_shows_version_schema_build_date_data_and_backup_folders(qtbot, clerk):
    w = _window(qtbot, clerk)
    about = w.show_about()
    info = build_info()
    shown = about.text() + "\n" + about.informativeText()
    assert info["version"] in about.text() and about.windowTitle() == "About Doudi"
    assert f"Database version: {schema.latest_version()}" in shown
    assert f"Build date: {info['build_date']}" in shown
    assert str(clerk.paths.data_dir) in shown
    assert str(backup_folder(clerk.paths.data_dir)) in shown
    about.close()
    w.idle_lock.stop()


def test_the_support_bundle_from_the_help_menu_checks_the_open_office(qtbot, clerk, tmp_path):
    w = _window(qtbot, clerk)
    out = tmp_path / "support.zip"
    w.make_support_bundle(str(out))
    with zipfile.ZipFile(out) as z:
        assert json.loads(z.read("check.json"))["ok"] is True
        assert json.loads(z.read("summary.json"))["qt"] == qVersion()
        assert "office.db" not in z.namelist()
    message = last_message()
    assert message is not None and str(out) in message.text()
    message.close()
    w.idle_lock.stop()


def test_after_an_upgrade_the_window_says_so_and_where_the_backup_is(qtbot, office, monkeypatch):
    from app.services.office import open_session

    session, _code, data = office
    session.close()
    older = MIGRATIONS[-1][0]
    monkeypatch.setattr(schema, "MIGRATIONS", [*MIGRATIONS, (older + 1, "CREATE TABLE later_feature (x TEXT);")])
    upgraded = open_session(data, "admin", "admin-pass-2021")
    try:
        w = _window(qtbot, upgraded)
        box = w.say_upgrade()
        assert box is not None and box.isVisible()
        backup = next(p for p in backup_folder(data).iterdir() if p.name.endswith(f"-from-v{older}"))
        assert str(backup) in box.text() and f"version {older} to version {older + 1}" in box.text()
        box.close()
        from app.tools import translations
        from app.ui import i18n

        translations.build(quiet=True)
        i18n.install_translators(QApplication.instance(), "zh_CN")
        try:
            box = w.say_upgrade()
            label = box.findChild(QLabel, "qt_msgbox_label")
            first_line = box.text().splitlines()[0]
            assert first_line.startswith("为配合") and f"版本 {older + 1}" in first_line
            # A Han character is one em wide in any Chinese font: the ~29 em of the first line fit.
            assert label.width() >= 30 * QFontInfo(label.font()).pixelSize()  # no "版本\n12"
            box.close()
        finally:
            i18n.remove_translators(QApplication.instance())
        w.idle_lock.stop()
    finally:
        upgraded.close()


def test_a_window_on_a_current_office_says_nothing_about_upgrades(qtbot, clerk):
    w = _window(qtbot, clerk)
    assert w.say_upgrade() is None
    w.idle_lock.stop()


class _Raiser(QObject):
    fired = Signal()


@pytest.mark.qt_no_exception_capture
def test_a_crash_in_a_slot_shows_what_to_do_and_the_log_folder_never_the_traceback(qtbot, tmp_path):
    from app import logs

    log_dir = tmp_path / "logs"
    log_path = logs.setup_logging(log_dir)
    try:
        assert crash.install(log_dir) == log_dir and crash.log_folder() == log_dir
        assert sys.excepthook is errors._excepthook

        def slot():
            raise ValueError("bad ID 640424197001011234 for name=马学军")

        raiser = _Raiser()
        raiser.fired.connect(slot)
        QTimer.singleShot(0, raiser.fired.emit)
        qtbot.waitUntil(lambda: crash._open is not None and crash._open.isVisible())
        dialog = crash._open
        assert dialog is not None
        shown = "\n".join(label.text() for label in dialog.findChildren(QLabel))
        assert str(log_dir) in shown and "doudi support bundle" in shown
        assert "Traceback" not in shown and "ValueError" not in shown and "640424197001011234" not in shown
        dialog.resize(1366, 768)
        dialog.grab().save(str(tmp_path / "crash.png"))

        QTimer.singleShot(0, raiser.fired.emit)  # again: counted, not a second dialog
        qtbot.waitUntil(lambda: dialog.count == 2)
        assert [w for w in QApplication.topLevelWidgets() if isinstance(w, crash.CrashDialog) and w.isVisible()] == [
            dialog
        ]
        dialog.close()
        for handler in logging.getLogger().handlers:
            handler.flush()
        written = log_path.read_text(encoding="utf-8")
        assert "Traceback" in written and "ValueError" in written
        assert "640424197001011234" not in written  # the log is masked as always
    finally:
        errors.uninstall_excepthook()
        faulthandler.enable(sys.__stderr__ or sys.stderr)
        for handler in logs._installed:
            logging.getLogger().removeHandler(handler)
            handler.close()
        logs._installed.clear()


def test_at_sign_in_the_crash_dialog_still_offers_a_bundle_made_without_the_check(qtbot, office, tmp_path, monkeypatch):
    from app.ui.help import support_bundle
    from app.ui.sign_in import SignInDialog

    session, _code, data = office
    session.close()
    sign_in = SignInDialog(data)
    qtbot.addWidget(sign_in)
    sign_in.show()
    dialog = crash.CrashDialog(tmp_path / "logs", crash._bundle_maker())
    qtbot.addWidget(dialog)
    assert dialog.bundle_button is not None
    out = tmp_path / "技术支持包.zip"
    monkeypatch.setattr(support_bundle.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    dialog.bundle_button.click()
    with zipfile.ZipFile(out) as z:
        check = json.loads(z.read("check.json"))
        assert check["run"] is False and "没有用户登录" in check["reason"]
        assert "office.db" in z.read("files.txt").decode()  # the sign-in window's data folder
    message = last_message()
    assert message is not None
    message.close()


def test_the_installed_program_names_its_own_command_by_full_path(qtbot, monkeypatch, tmp_path):
    assert crash.support_command() == "doudi support bundle --out 技术支持包.zip"  # from source: on PATH
    program_dir = tmp_path / "Program Files" / "兜底"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program_dir / "doudi-gui"))
    assert crash.support_command() == f'"{program_dir / "doudi"}" support bundle --out 技术支持包.zip'
    dialog = crash.CrashDialog(tmp_path / "logs")
    qtbot.addWidget(dialog)
    assert str(program_dir / "doudi") in dialog.where.text()
