"""GUI entry point: Qt, logging, fonts, translations, the error hook; then set-up or sign-in,
then the main window.

Whether there is a screen is asked before Qt is: without one, Qt aborts the whole process
(exit 134, a core-dump message and no sentence), so :func:`require_display` refuses first with
:class:`NoDisplay` (exit 14). The same goes for the X11 libraries of Qt's xcb plugin: without
libxcb-icccm4, say, Qt dies blaming xcb-cursor0, so the package really missing is named first.
Core dumps are already off (the command line's main turns them off before anything else, and
``python -m app`` goes through it).

An unhandled exception shows :class:`app.ui.help.crash.CrashDialog` (what to do, where the log is,
the support-bundle command), never a traceback: that goes to the log.

Signing out (or switching user) closes the main window and its session and goes back to the
sign-in dialog in the same process: :func:`run_gui` loops over sign-ins.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Callable, Mapping
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


# What Qt's xcb platform plugin (plugins/platforms/libqxcb.so and libQt6XcbQpa.so.6) links to,
# found with ldd, and the Debian package of each; UOS and Kylin use the same package names.
# Plain libxcb comes first so that a library failing only for want of it is not blamed.
XCB_LIBRARIES = (
    ("libxcb.so.1", "libxcb1"),
    ("libX11.so.6", "libx11-6"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxcb-util.so.1", "libxcb-util1"),
    ("libxcb-render.so.0", "libxcb-render0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-shm.so.0", "libxcb-shm0"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-sync.so.1", "libxcb-sync1"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
)


def library_present(soname: str) -> bool:
    """Whether the dynamic loader finds *soname* (as Qt's plugin will look for it)."""
    try:
        ctypes.CDLL(soname)
    except OSError as exc:
        # The library is there but one it needs is not: that one is reported on its own.
        return soname not in str(exc)
    return True


def uses_xcb(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether Qt will draw through X11 (its xcb plugin) here."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    qpa = env.get("QT_QPA_PLATFORM", "").split(";", 1)[0].split(":", 1)[0].strip().lower()
    if qpa:
        return qpa == "xcb"
    wayland = bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE", "").lower() == "wayland"
    return bool(env.get("DISPLAY")) and not wayland


def missing_xcb_packages(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    present: Callable[[str], bool] | None = None,
) -> list[str]:
    """The packages whose libraries the xcb plugin needs and the loader cannot find ([] off xcb)."""
    if not uses_xcb(environ, platform):
        return []
    present = present or library_present
    return [package for soname, package in XCB_LIBRARIES if not present(soname)]


def xcb_problem(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    present: Callable[[str], bool] | None = None,
) -> str:
    """One sentence naming the missing X11 packages, or "" when none is missing."""
    missing = missing_xcb_packages(environ, platform, present)
    if not missing:
        return ""
    return (
        f"无法打开窗口：这台电脑缺少图形界面所需的系统软件包 {'、'.join(missing)}，"
        f"请让管理员运行 sudo apt install {' '.join(missing)}（Debian、统信 UOS 和麒麟的包名相同）后再启动兜底。"
    )


def require_display() -> None:
    problem = display_problem() or xcb_problem()
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


def _first_start(data_dir: Path, demo_if_empty: bool, user: str | None) -> int | tuple[str | None, str]:
    """No office in *data_dir* yet: make the demo office or run the set-up wizard.

    Returns the user to offer at sign-in and a hint for the sign-in dialog, or the exit code when
    no office was made."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QDialog

    demo_hint = QCoreApplication.translate(
        "Main", "Demo office: users clerk, reviewer and admin, password doudi-demo-2021. Nothing in it is real."
    )
    if demo_if_empty:
        if not _create_demo_office(data_dir):
            return 1
        return user or "clerk", demo_hint
    from .setup_wizard import SetupWizard

    wizard = SetupWizard(data_dir)
    if wizard.exec() != QDialog.DialogCode.Accepted or wizard.session is None:
        if wizard.session is not None:
            wizard.session.close()
        return 0
    # Sign in once with the new password: the clerk shows they remember it.
    wizard.session.close()
    return wizard.username, demo_hint if wizard.is_demo else ""


def run_gui(data_dir: Path, demo_if_empty: bool = False, user: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QDialog

    from ..logs import setup_logging
    from ..services.office import OfficePaths
    from . import ops
    from .fonts import apply_font_size, register_app_font, saved_font_size
    from .help import crash
    from .i18n import install_translators, start_language

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
    apply_font_size(saved_font_size(), app)  # the text size chosen in Settings on this PC
    install_translators(app, start_language())
    crash.install()  # a crash shows what to do and where the log is; the traceback goes to the log
    log.info("GUI start, data folder %s", data_dir)

    from .main_window import MainWindow
    from .sign_in import SignInDialog

    session = None
    hint = ""
    try:
        if not OfficePaths(data_dir).exists():
            first = _first_start(data_dir, demo_if_empty, user)
            if isinstance(first, int):
                return first
            user, hint = first
        switching = False
        while True:
            dialog = SignInDialog(data_dir, username=user, hint=hint, choose_user=switching)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.session is None:
                return 0
            session = dialog.session
            window = MainWindow(session)
            if window.geometry_restored:
                window.show()
            else:
                window.showMaximized()  # 1366×768 screens: every pixel counts
            window.say_upgrade()  # a newer program upgraded the database at sign-in: say so, and where the backup is
            code = app.exec()
            switching = window.signing_out
            # The backup made as the window closed runs on the writer thread: let it finish
            # before the session it works on is closed.
            ops.shutdown()
            session.close()
            session = None
            window.deleteLater()
            if not switching:
                return code
            log.info("signed out; back to sign-in")
            user = None  # the sign-in dialog offers the last user, remembered in the settings
    finally:
        ops.shutdown()
        if session is not None:
            session.close()
        log.info("GUI end")
