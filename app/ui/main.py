"""GUI entry point: Qt, logging, fonts, translations, the error hook; then set-up or sign-in,
then the main window.

Whether there is a screen is asked before Qt is: without one, Qt aborts the whole process
(exit 134, a core-dump message and no sentence), so :func:`require_display` refuses first with
:class:`NoDisplay` (exit 14). Core dumps are already off (the command line's main turns them
off before anything else, and ``python -m app`` goes through it).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from ..errors import NoDisplay

log = logging.getLogger(__name__)

# Qt platforms that draw without a screen (tests, screenshots, remote frame buffers).
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "vnc", "eglfs", "linuxfb"})


def display_problem(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str:
    """Why no window can be shown here (a sentence), or "" when one can."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return ""  # Windows and macOS always have their window system
    qpa = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if qpa in HEADLESS_PLATFORMS:
        return ""
    if qpa.startswith("wayland"):
        has_screen = bool(env.get("WAYLAND_DISPLAY"))
    elif qpa == "xcb":
        has_screen = bool(env.get("DISPLAY"))
    else:
        has_screen = bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    if has_screen:
        return ""
    return (
        "这里没有可用的显示器（没有设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开窗口；"
        "请在桌面上运行兜底，或使用命令行子命令（doudi --help）。"
    )


def require_display() -> None:
    problem = display_problem()
    if problem:
        raise NoDisplay(problem)


def _create_demo_office(data_dir: Path) -> bool:
    """Create the demo office in an Op with a progress dialog; True when it worked."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from ..demo_defaults import DEFAULT_DEMO_PASSWORD
    from ..services.demo import create_demo
    from .errors import show_exception
    from .ops import Task

    loop = QEventLoop()
    outcome: dict[str, object] = {}

    def work(progress):
        session, _code, counts = create_demo(
            data_dir, DEFAULT_DEMO_PASSWORD, progress=lambda n: progress.update(n, 300)
        )
        session.close()
        return counts

    def finished(key: str, value: object) -> None:
        outcome[key] = value
        loop.quit()

    op = (
        Task(None, work, write=True)
        .with_progress(
            QCoreApplication.translate("Main", "Creating a demo office with made-up households…"),
            cancellable=False,
            delay_ms=0,
        )
        .success(lambda counts: finished("ok", counts))
        .failure(lambda exc: finished("error", exc))
        .run()
    )
    if not op.is_done:
        loop.exec()
    if "error" in outcome:
        exc = outcome["error"]
        assert isinstance(exc, BaseException), "only the failure callback stores an error"
        dialog = show_exception(exc)
        if dialog is not None:
            dialog.exec()
        return False
    return True


def run_gui(data_dir: Path, demo_if_empty: bool = False, user: str | None = None) -> int:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QDialog

    from ..logs import setup_logging
    from ..services.office import OfficePaths
    from . import ops
    from .errors import install_excepthook
    from .fonts import register_app_font
    from .i18n import install_translators

    data_dir = Path(data_dir)
    if QApplication.instance() is None:
        require_display()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if not isinstance(app, QApplication):  # a console-only QCoreApplication cannot show windows
        raise RuntimeError("run_gui() needs a QApplication, not a QCoreApplication")
    app.setApplicationName("Doudi")
    app.setOrganizationName("Doudi")
    setup_logging()
    register_app_font(app)
    install_translators(app)
    install_excepthook()
    log.info("GUI start, data folder %s", data_dir)

    from .main_window import MainWindow
    from .sign_in import SignInDialog

    session = None
    hint = ""
    try:
        if not OfficePaths(data_dir).exists():
            if demo_if_empty:
                if not _create_demo_office(data_dir):
                    return 1
                user = user or "clerk"
                hint = QCoreApplication.translate(
                    "Main",
                    "Demo office: users clerk, reviewer and admin, password doudi-demo-2021. Nothing in it is real.",
                )
            else:
                from .setup_wizard import SetupWizard

                wizard = SetupWizard(data_dir)
                if wizard.exec() != QDialog.DialogCode.Accepted or wizard.session is None:
                    if wizard.session is not None:
                        wizard.session.close()
                    return 0
                user = wizard.username
                if wizard.is_demo:
                    hint = QCoreApplication.translate(
                        "Main",
                        "Demo office: users clerk, reviewer and admin, "
                        "password doudi-demo-2021. Nothing in it is real.",
                    )
                # Sign in once with the new password: the clerk shows they remember it.
                wizard.session.close()
        dialog = SignInDialog(data_dir, username=user, hint=hint)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.session is None:
            return 0
        session = dialog.session
        window = MainWindow(session)
        if window.geometry_restored:
            window.show()
        else:
            window.showMaximized()  # 1366×768 screens: every pixel counts
        return app.exec()
    finally:
        ops.shutdown()
        if session is not None:
            session.close()
        log.info("GUI end")
