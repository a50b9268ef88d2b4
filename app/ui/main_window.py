"""The main window: navigation on the left, one page at a time, a status bar that says
who is signed in, where, how much is unsent, and how many days are left until the 25th.

Several staff share one PC, so the User menu (and Settings) can lock the program or sign out
to let someone else sign in without quitting; ``run_gui`` sees ``signing_out`` once the window
has closed (and made its backup) and shows the sign-in dialog again. The Help menu opens the user
guide with the keyboard shortcuts (the clerks work from the keyboard), makes the support bundle and
says which version is installed, which is what the county's support asks first (app/ui/help/).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QSize, Qt
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain.deadline import DEADLINE_DAY, days_until_deadline, deadline_for, overdue_days
from ..domain.entities import ROLE_NAMES
from ..services import permissions
from ..services.backup import BackupService
from ..services.office_files import device_secret_storage
from . import ops
from .exchange.hub_autosync import HubAutoSync
from .exchange.hub_status import HubStatusIndicator
from .fonts import FONT_SIZES, apply_font_size, saved_font_size
from .help.about import AboutDialog
from .help.guide import GuideDialog
from .i18n import DEFAULT_LANG, LANGUAGES, QT_TRANSLATE_NOOP, current_language, save_language, saved_language
from .idle_lock import IdleLock, idle_minutes, set_idle_minutes
from .ops import Op, OpChanges
from .pages.base import Page
from .pages.dashboard import URGENT_DAYS, DashboardPage
from .sign_in import ChangePasswordDialog, name_with_role, ui_settings

if TYPE_CHECKING:
    from ..services.reports import ReportRequest
    from ..services.session import Session

__all__ = [
    "COUNTY_PAGES",
    "PAGES",
    "AboutDialog",
    "GuideDialog",
    "MainWindow",
    "PlaceholderPage",
    "SettingsPage",
]

GEOMETRY_KEY = "main_window/geometry"
# Pages that get a Ctrl+digit shortcut (Ctrl+1 … Ctrl+9); the last page, Settings, takes Ctrl+0.
DIGIT_SHORTCUT_PAGES = 9

# (key, navigation label, what the page will do). Ctrl+1 … Ctrl+9 open the first nine; Ctrl+0 Settings.
PAGES = (
    ("dashboard", QT_TRANSLATE_NOOP("MainWindow", "Dashboard"), ""),
    ("households", QT_TRANSLATE_NOOP("MainWindow", "Households"), ""),
    ("visits", QT_TRANSLATE_NOOP("MainWindow", "Visits"), ""),
    ("programmes", QT_TRANSLATE_NOOP("MainWindow", "Programmes"), ""),
    ("alerts", QT_TRANSLATE_NOOP("MainWindow", "Alerts"), ""),
    ("monthly_close", QT_TRANSLATE_NOOP("MainWindow", "Monthly close"), ""),
    ("care", QT_TRANSLATE_NOOP("MainWindow", "Care ledgers"), ""),
    ("policy", QT_TRANSLATE_NOOP("MainWindow", "Policy parameters"), ""),
    ("users", QT_TRANSLATE_NOOP("MainWindow", "Users"), ""),
    (
        "comparison",
        QT_TRANSLATE_NOOP("MainWindow", "Comparison"),
        QT_TRANSLATE_NOOP(
            "MainWindow", "The monthly match of the register against the lists of partner departments, by ID number."
        ),
    ),
    (
        "reports",
        QT_TRANSLATE_NOOP("MainWindow", "Reports"),
        QT_TRANSLATE_NOOP(
            "MainWindow",
            "The standard monthly reports: additions and removals, payment roster, monitoring ledger, as PDF or Excel.",
        ),
    ),
    (
        "exchange",
        QT_TRANSLATE_NOOP("MainWindow", "Data exchange"),
        QT_TRANSLATE_NOOP(
            "MainWindow",
            "Signed, encrypted packages to and from the county bureau, on a USB stick or over the network.",
        ),
    ),
    ("settings", QT_TRANSLATE_NOOP("MainWindow", "Settings"), ""),
)

# The county bureau runs the same program (county mode): it sees its townships, approves, sets and
# tests the policy figures, and exchanges packages; the monthly visits, care ledgers and the close
# are the townships' work, so those pages are not offered.
_BY_KEY = {p[0]: p for p in PAGES}
COUNTY_PAGES = (
    ("county_overview", QT_TRANSLATE_NOOP("MainWindow", "Townships"), ""),
    _BY_KEY["households"],
    _BY_KEY["programmes"],
    _BY_KEY["alerts"],
    _BY_KEY["policy"],
    ("what_if", QT_TRANSLATE_NOOP("MainWindow", "Policy what-if"), ""),
    _BY_KEY["users"],
    _BY_KEY["comparison"],
    _BY_KEY["reports"],
    _BY_KEY["exchange"],
    _BY_KEY["settings"],
)


def pages_for(office_kind: str) -> tuple[tuple[str, str, str], ...]:
    """The navigation of a township office, or of the county bureau."""
    return COUNTY_PAGES if office_kind == "county" else PAGES


def _shortcut(index: int, pages: tuple[tuple[str, str, str], ...] = PAGES) -> str:
    if index == len(pages) - 1:
        return "Ctrl+0"
    return f"Ctrl+{index + 1}" if index < DIGIT_SHORTCUT_PAGES else ""


class _Title(QLabel):
    """A page heading 1.4 times the application's text size, following it when that changes."""

    def __init__(self, text: str):
        super().__init__(text)
        self.fit()

    def fit(self) -> None:
        """Size the heading from the application's text size (the main window calls this on a change)."""
        font = QFont(QGuiApplication.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.setFont(font)


def _title(text: str) -> QLabel:
    return _Title(text)


# Text sizes in Settings, in FONT_SIZES order.
FONT_SIZE_NAMES = {
    "standard": QT_TRANSLATE_NOOP("SettingsPage", "Standard"),
    "large": QT_TRANSLATE_NOOP("SettingsPage", "Large"),
    "xlarge": QT_TRANSLATE_NOOP("SettingsPage", "Extra large"),
}


def shortcuts() -> list[tuple[str, str]]:
    """(keys, what they do) for the Instructions dialog: the window's own shortcuts and the pages'."""

    def keys(seq: QKeySequence | QKeySequence.StandardKey | str) -> str:
        return QKeySequence(seq).toString(QKeySequence.SequenceFormat.NativeText)

    rows = [
        (
            keys(_shortcut(i)),
            QCoreApplication.translate("Shortcuts", "Open %1").replace(
                "%1", QCoreApplication.translate("MainWindow", label)
            ),
        )
        for i, (_key, label, _d) in enumerate(PAGES)
        if _shortcut(i)
    ]
    rows += [
        (keys(QKeySequence.StandardKey.Find), QCoreApplication.translate("Shortcuts", "Find a household")),
        (
            keys(QKeySequence.StandardKey.New),
            QCoreApplication.translate("Shortcuts", "New household (on the Households page)"),
        ),
        (keys("Ctrl+M"), QCoreApplication.translate("Shortcuts", "Add a member (in the household editor)")),
        (
            keys(QKeySequence.StandardKey.Save),
            QCoreApplication.translate("Shortcuts", "Save (household editor, visit form)"),
        ),
        (keys("Ctrl+Return"), QCoreApplication.translate("Shortcuts", "Save the visit and go to the next household")),
        (keys("Ctrl+K"), QCoreApplication.translate("Shortcuts", "Skip this household (visits)")),
        (keys("F5"), QCoreApplication.translate("Shortcuts", "Reload the dashboard")),
        (keys("Ctrl+L"), QCoreApplication.translate("Shortcuts", "Lock now")),
        (keys("F1"), QCoreApplication.translate("Shortcuts", "These instructions")),
        (keys("Ctrl+Q"), QCoreApplication.translate("Shortcuts", "Quit")),
    ]
    return rows


class PlaceholderPage(QWidget):
    """A reserved entry: what will be here, and that it comes in a later version."""

    def __init__(self, title: str, description: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(_title(title))
        box = QFrame()
        box.setObjectName("Placeholder")
        box.setStyleSheet("#Placeholder { background: palette(base); border: 1px dashed #aab7b8; border-radius: 6px; }")
        inner = QVBoxLayout(box)
        inner.setContentsMargins(20, 16, 20, 16)
        soon = QLabel(self.tr("This part comes in a later version of Doudi."))
        soon.setStyleSheet("font-weight: bold; color: #566573;")
        inner.addWidget(soon)
        if description:
            text = QLabel(description)
            text.setWordWrap(True)
            inner.addWidget(text)
        layout.addWidget(box)
        layout.addStretch(1)

    def refresh(self) -> None:
        pass


class SettingsPage(Page):
    """Settings kept for now on this PC: idle lock, where the device key is kept, own password."""

    def __init__(
        self,
        session: Session,
        idle_lock: IdleLock | None = None,
        parent: QWidget | None = None,
        sign_out: Callable[[], object] | None = None,
    ):
        super().__init__(session, parent)
        self.idle_lock = idle_lock
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(_title(self.tr("Settings")))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(12)
        # Values grow with the window, so a long path or a two-line notice is shown whole; the minutes
        # box keeps its own width through its size policy.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.minutes = QSpinBox()
        self.minutes.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.minutes.setRange(1, 240)
        self.minutes.setValue(idle_minutes())
        self.minutes.setSuffix(self.tr(" min"))
        self.minutes.valueChanged.connect(self._minutes_changed)
        form.addRow(self.tr("Lock after no use for:"), self.minutes)

        self.storage = QLabel()
        self.storage.setWordWrap(True)
        form.addRow(self.tr("Device key kept in:"), self.storage)

        pw_row = QHBoxLayout()
        self.change_password_button = QPushButton(self.tr("Change my password…"))
        self.change_password_button.clicked.connect(self.change_password)
        pw_row.addWidget(self.change_password_button)
        pw_row.addStretch(1)
        form.addRow(self.tr("Password:"), pw_row)

        user = session.user
        who_row = QHBoxLayout()
        self.who = QLabel(name_with_role(user.display_name or user.username, ROLE_NAMES.get(user.role, user.role)))
        who_row.addWidget(self.who)
        self.sign_out_button = QPushButton(self.tr("Sign out / switch user"))
        self.sign_out_button.setToolTip(self.tr("Close your session and let another user sign in, without quitting"))
        self.sign_out_button.setEnabled(sign_out is not None)
        if sign_out is not None:
            self.sign_out_button.clicked.connect(lambda _checked=False: sign_out())
        who_row.addWidget(self.sign_out_button)
        who_row.addStretch(1)
        form.addRow(self.tr("Signed in as:"), who_row)

        self.last_backup = QLabel(self.tr("…"))
        self.last_backup.setWordWrap(True)
        form.addRow(self.tr("Last backup:"), self.last_backup)
        self.backup_folder = QLabel()
        self.backup_folder.setWordWrap(True)
        self.backup_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Backup folder:"), self.backup_folder)
        backup_row = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("Back up now"))
        self.backup_button.clicked.connect(self.back_up_now)
        self.folder_button = QPushButton(self.tr("Choose folder…"))
        self.folder_button.setToolTip(self.tr("For example a folder on a USB stick"))
        self.folder_button.clicked.connect(self.choose_folder)
        backup_row.addWidget(self.backup_button)
        backup_row.addWidget(self.folder_button)
        backup_row.addStretch(1)
        form.addRow("", backup_row)

        self.font_size = QComboBox()
        self.font_size.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        for key in FONT_SIZES:
            self.font_size.addItem(QCoreApplication.translate("SettingsPage", FONT_SIZE_NAMES[key]), key)
        self.font_size.setCurrentIndex(max(0, self.font_size.findData(saved_font_size())))
        self.font_size.currentIndexChanged.connect(self._font_size_changed)
        form.addRow(self.tr("Text size:"), self.font_size)

        lang_row = QHBoxLayout()
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        chosen = saved_language() or current_language() or DEFAULT_LANG
        self.language.setCurrentIndex(max(0, self.language.findData(chosen)))
        self.language.currentIndexChanged.connect(self._language_changed)
        lang_row.addWidget(self.language)
        self.language_note = QLabel(self.tr("Takes effect the next time Doudi starts."))
        self.language_note.setStyleSheet("color: #566573;")
        lang_row.addWidget(self.language_note)
        lang_row.addStretch(1)
        form.addRow(self.tr("Language:"), lang_row)
        layout.addLayout(form)
        layout.addStretch(1)

    def refresh(self) -> None:
        kind = device_secret_storage()
        if kind == "keyring":
            self.storage.setText(self.tr("the system credential store (recommended)"))
            self.storage.setStyleSheet("")
        else:
            self.storage.setText(
                self.tr(
                    "a file in your user folder — weaker: this PC has no system credential "
                    "store. Keep the PC's user account protected by a password."
                )
            )
            self.storage.setStyleSheet("color: #b00020; font-weight: bold;")
        self.load_backup_status()

    # --- backups --------------------------------------------------------------------

    def load_backup_status(self) -> None:
        Op(self, lambda s, _p: BackupService(s).status()).success(self.show_backup_status).run()

    def show_backup_status(self, status: dict) -> None:
        at = status["last_at"]
        if at is None:
            self.last_backup.setText(self.tr("none yet"))
        else:
            self.last_backup.setText(
                self.tr("%1, in %2")
                .replace("%1", at.strftime("%Y-%m-%d %H:%M"))
                .replace("%2", str(status["last_path"]))
            )
        self.backup_folder.setText(str(status["folder"]))

    def back_up_now(self) -> None:
        self.backup_button.setEnabled(False)

        def work(s, progress):
            return BackupService(s).backup_now(progress=lambda done, total: progress.update(done, total, None))

        def done(_result) -> None:
            self.backup_button.setEnabled(True)
            self.load_backup_status()

        def failed(exc: BaseException) -> None:
            self.backup_button.setEnabled(True)
            from .errors import show_exception

            show_exception(exc, self)

        (
            Op(self, work, write=True)
            .with_progress(self.tr("Backing up…"))
            .success(done)
            .failure(failed)
            .on_cancelled(lambda: self.backup_button.setEnabled(True))
            .run()
        )

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for backups"), self.backup_folder.text())
        if folder:
            self.set_backup_folder(folder)

    def set_backup_folder(self, folder: str) -> None:
        Op(self, lambda s, _p: BackupService(s).set_folder(folder), write=True).success(
            lambda _path: self.load_backup_status()
        ).run()

    def _font_size_changed(self, _index: int) -> None:
        apply_font_size(self.font_size.currentData(), remember=True)

    def _language_changed(self, _index: int) -> None:
        save_language(self.language.currentData())

    def _minutes_changed(self, value: int) -> None:
        set_idle_minutes(value)
        if self.idle_lock is not None:
            self.idle_lock.set_minutes(value)

    def change_password(self) -> None:
        dialog = ChangePasswordDialog(self.session, self)
        if dialog.exec():
            QMessageBox.information(self, self.tr("Password changed"), self.tr("Your password has been changed."))


class MainWindow(QMainWindow):
    def __init__(
        self,
        session,
        parent=None,
        today: Callable[[], date] = date.today,
        idle_minutes_: float | None = None,
        page_factories: dict[str, Callable[[object], QWidget]] | None = None,
    ):
        super().__init__(parent)
        self.session = session
        session.adopt_thread()  # signed in on a worker; from here the GUI thread is the session's home
        ops.bind_session(session)
        self.signing_out = False  # set by sign_out(): run_gui then shows the sign-in dialog again
        self.upgrade_message: QMessageBox | None = None  # say_upgrade()'s, once shown
        self.today = today
        self.setWindowTitle(self.tr("Doudi — %1").replace("%1", session.office.name or session.office.code))
        self.setMinimumSize(QSize(1000, 640))

        self.idle_lock = IdleLock(session, self, minutes=idle_minutes_)
        self._factories = page_factories or {}
        self.pages: dict[str, QWidget] = {}

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("Navigation")
        self.nav.setFixedWidth(150)
        self.nav.setSpacing(2)
        self.nav.setStyleSheet(
            "#Navigation { background: #2c3e50; color: #ecf0f1; border: none; padding-top: 8px; }"
            "#Navigation::item { padding: 8px 12px; }"
            "#Navigation::item:selected { background: #1a5276; color: white; }"
        )
        self._fit_nav_font()
        self.stack = QStackedWidget()
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.page_list = pages_for(self.session.office.kind)
        for i, (key, label, _description) in enumerate(self.page_list):
            text = QCoreApplication.translate("MainWindow", label)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            keys = _shortcut(i, self.page_list)
            item.setToolTip(f"{text}  ({keys})" if keys else text)
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # replaced by the real page on first show
        self.nav.currentRowChanged.connect(self.show_page)

        for i in range(len(self.page_list)):
            if not _shortcut(i, self.page_list):
                continue
            action = QAction(self)
            action.setShortcut(QKeySequence(_shortcut(i, self.page_list)))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, n=i: self.nav.setCurrentRow(n))
            self.addAction(action)
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_household_search)
        self.addAction(find)
        self._build_file_menu()
        self._build_user_menu()
        self._build_help_menu()
        self._build_status_bar()
        ops.changes().changed.connect(self.on_changes)
        self.nav.setCurrentRow(0)
        self.back_up_if_due()
        geometry = ui_settings().value(GEOMETRY_KEY)
        self.geometry_restored = isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)

    # --- file menu ------------------------------------------------------------------

    def _build_file_menu(self) -> None:
        """导入台账: a township starts from its years of Excel ledgers (the county registers none)."""
        self.import_ledger_action: QAction | None = None
        if self.session.office.kind == "county" or not self.session.can(permissions.WRITE_REGISTER):
            return
        menu = self.menuBar().addMenu(self.tr("&File"))
        self.import_ledger_action = QAction(self.tr("Import a ledger…"), self)
        self.import_ledger_action.triggered.connect(lambda _checked=False: self.import_ledger())
        menu.addAction(self.import_ledger_action)

    def import_ledger(self) -> QWidget:
        from .comparison.ledger_wizard import open_ledger_wizard

        return open_ledger_wizard(self.session, self)

    # --- user menu ------------------------------------------------------------------

    def _build_user_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&User"))
        self.lock_action = QAction(self.tr("Lock now"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.lock_action.triggered.connect(lambda _checked=False: self.idle_lock.lock(by_hand=True))
        menu.addAction(self.lock_action)
        self.addAction(self.lock_action)  # the shortcut works with the menu closed
        password = QAction(self.tr("Change my password…"), self)
        password.triggered.connect(lambda _checked=False: self.change_password())
        menu.addAction(password)
        menu.addSeparator()
        self.sign_out_action = QAction(self.tr("Sign out / switch user"), self)
        self.sign_out_action.triggered.connect(lambda _checked=False: self.sign_out())
        menu.addAction(self.sign_out_action)

    # --- help menu ------------------------------------------------------------------

    def _build_help_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Help"))
        self.instructions_action = QAction(self.tr("User guide…"), self)
        self.instructions_action.setShortcut(QKeySequence("F1"))
        self.instructions_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.instructions_action.triggered.connect(lambda _checked=False: self.show_instructions())
        menu.addAction(self.instructions_action)
        self.addAction(self.instructions_action)
        self.support_bundle_action = QAction(self.tr("Make a support bundle…"), self)
        self.support_bundle_action.triggered.connect(lambda _checked=False: self.make_support_bundle())
        menu.addAction(self.support_bundle_action)
        self.about_action = QAction(self.tr("About Doudi…"), self)
        self.about_action.triggered.connect(lambda _checked=False: self.show_about())
        menu.addAction(self.about_action)
        menu.addSeparator()
        self.quit_action = QAction(self.tr("Quit"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        # Closing the window quits: the backup on close still runs (closeEvent).
        self.quit_action.triggered.connect(lambda _checked=False: self.close())
        menu.addAction(self.quit_action)
        self.addAction(self.quit_action)

    def show_instructions(self) -> GuideDialog:
        """F1: the user guide, with this window's keyboard shortcuts in its second tab."""
        dialog = GuideDialog(shortcuts, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: it may stay open beside the work
        return dialog

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(str(self.session.paths.data_dir), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        Op(dialog, lambda s, _p: str(BackupService(s).status()["folder"])).success(dialog.set_backup_folder).run()
        dialog.open()
        return dialog

    def make_support_bundle(self, path: str | None = None) -> object:
        """帮助 → 生成技术支持包… (also offered by the crash dialog); *path* skips the file dialog."""
        from .help.support_bundle import make_support_bundle

        return make_support_bundle(self, path)

    def say_upgrade(self) -> QMessageBox | None:
        """After sign-in: a newer program upgraded this office's database; say so, and where its backup is."""
        from ..services.office import upgrade_note

        note = upgrade_note(self.session)
        if note is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Database upgraded"),
            self.tr(
                "This office's database was upgraded from version %1 to version %2 for this version of Doudi.\n"
                "A backup was made first, in:\n%3"
            )
            .replace("%1", str(note.from_version))
            .replace("%2", str(note.to_version))
            .replace("%3", str(note.backup)),
            QMessageBox.StandardButton.Ok,
            self,
        )
        # Qt's narrow default wraps Chinese anywhere ("版本\n12"): the first sentence fits on one line.
        box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 36em; }")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.upgrade_message = box
        return box

    def event(self, event: QEvent) -> bool:
        # Qt tells windows, not styled children, of a new application font: the navigation and the
        # headings have fonts of their own, so they are sized again here.
        if event.type() == QEvent.Type.ApplicationFontChange:
            self._fit_nav_font()
            for title in self.findChildren(_Title):
                title.fit()
        return super().event(event)

    def _fit_nav_font(self) -> None:
        nav_font = QFont(QGuiApplication.font())
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.1)
        self.nav.setFont(nav_font)

    def change_password(self) -> None:
        page = self.page("settings")
        if isinstance(page, SettingsPage):
            page.change_password()

    def sign_out(self) -> bool:
        """Close this window and its session (after the backup on close) so that another user
        can sign in; True when the window closed."""
        self.signing_out = True
        if not self.close():
            self.signing_out = False
            return False
        return True

    # --- status bar -----------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        user = self.session.user
        role = ROLE_NAMES.get(user.role, user.role)
        self.user_label = QLabel(
            self.tr("User: %1").replace("%1", name_with_role(user.display_name or user.username, role))
        )
        office = self.session.office
        self.office_label = QLabel(f"{office.name}（{office.code}）" if office.name else office.code)
        self.unsent_label = QLabel(self.tr("Unsent changes: …"))
        self.deadline_label = QLabel()
        for label in (self.user_label, self.office_label, self.unsent_label, self.deadline_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)
        # The county hub: "同步：10:42 ✓" / "中转站无法连接", nothing when no hub is set; and the
        # automatic sync, which runs while this window is open (it stops in closeEvent).
        self.hub_indicator = HubStatusIndicator()
        bar.addPermanentWidget(self.hub_indicator)
        self.hub_indicator.reload()
        self.hub_autosync = HubAutoSync(self)
        self.hub_autosync.start()
        self.month_closed = False
        self.update_status()

    def update_status(self) -> None:
        """Unsent changes and whether this month is closed, read in an op; then the deadline text."""
        month = self.today().strftime("%Y-%m")
        (
            Op(self, lambda s, _p: (s.dashboard.unsent_changes(), s.monthly_close.closed(month) is not None))
            .success(self._status_loaded)
            .failure(lambda exc: self.unsent_label.setText(self.tr("Unsent changes: ?")))
            .run()
        )

    def _status_loaded(self, result: tuple[int, bool]) -> None:
        unsent, closed = result
        self.set_unsent(unsent)
        self.month_closed = closed
        self.update_deadline()

    def deadline_text(self, today: date) -> str:
        overdue = overdue_days(today, self.month_closed)
        if overdue:
            return (
                self.tr("Close of %1 overdue by %2 days (due %3)")
                .replace("%1", today.strftime("%Y-%m"))
                .replace("%2", str(overdue))
                .replace("%3", today.replace(day=DEADLINE_DAY).isoformat())
            )
        days = days_until_deadline(today, self.month_closed)
        when = deadline_for(today, self.month_closed)
        if days == 0:
            return self.tr("Monthly close: today (%1)").replace("%1", when.isoformat())
        return self.tr("%1 days until the 25th (%2)").replace("%1", str(days)).replace("%2", when.isoformat())

    def update_deadline(self) -> None:
        today = self.today()
        self.deadline_label.setText(self.deadline_text(today))
        urgent = (
            overdue_days(today, self.month_closed) > 0 or days_until_deadline(today, self.month_closed) <= URGENT_DAYS
        )
        self.deadline_label.setStyleSheet("color: #b00020; font-weight: bold;" if urgent else "")

    def set_unsent(self, count: int) -> None:
        self.unsent_label.setText(self.tr("Unsent changes: %1").replace("%1", str(count)))

    def on_changes(self, changes: OpChanges) -> None:
        """A write op finished: tell every page built so far, and recount the status bar."""
        for page in self.pages.values():
            notify = getattr(page, "on_changes", None)
            if callable(notify):
                notify(changes)
        self.update_status()

    # --- pages ----------------------------------------------------------------------

    def _make_page(self, key: str) -> QWidget:  # noqa: PLR0912 - a branch per page, importing it on first use
        if key in self._factories:
            return self._factories[key](self.session)
        if key == "dashboard":
            return DashboardPage(self.session, today=self.today)
        if key == "households":
            from .pages.households import HouseholdsPage

            return HouseholdsPage(self.session)
        if key == "visits":
            from .pages.visits import VisitsPage

            return VisitsPage(self.session)
        if key == "programmes":
            from .pages.programmes import ProgrammesPage

            return ProgrammesPage(self.session, today=self.today)
        if key == "alerts":
            from .pages.alerts import AlertsPage

            return AlertsPage(self.session)
        if key == "monthly_close":
            from .pages.monthly_close import MonthlyClosePage

            return MonthlyClosePage(self.session)
        if key == "care":
            from .pages.care import CarePage

            return CarePage(self.session)
        if key == "policy":
            from .pages.policy import PolicyPage

            return PolicyPage(self.session)
        if key == "users":
            from .pages.users import UsersPage

            return UsersPage(self.session)
        if key == "settings":
            return SettingsPage(self.session, self.idle_lock, sign_out=self.sign_out)
        if key == "county_overview":
            from .pages.county_overview import CountyOverviewPage

            return CountyOverviewPage(self.session, today=self.today)
        if key == "exchange":
            from .pages.exchange import ExchangePage

            return ExchangePage(self.session)
        if key == "what_if":
            from .pages.what_if import WhatIfPage

            return WhatIfPage(self.session)
        if key == "comparison":
            from .pages.comparison import ComparisonPage

            return ComparisonPage(self.session, today=self.today)
        if key == "reports":
            from .pages.reports import ReportsPage

            return ReportsPage(self.session, today=self.today)
        _key, label, description = next(p for p in self.page_list if p[0] == key)
        return PlaceholderPage(
            QCoreApplication.translate("MainWindow", label), QCoreApplication.translate("MainWindow", description)
        )

    def page(self, key: str) -> QWidget:
        """The page for *key*, created on first use (so start-up builds only the dashboard)."""
        if key not in self.pages:
            index = next(i for i, p in enumerate(self.page_list) if p[0] == key)
            page = self._make_page(key)
            old = self.stack.widget(index)
            assert old is not None, "the stack holds a stand-in at every page index until the page is built"
            self.stack.removeWidget(old)
            old.deleteLater()
            self.stack.insertWidget(index, page)
            self.pages[key] = page
        return self.pages[key]

    def show_page(self, index: int) -> None:
        if index < 0:
            return
        key = self.page_list[index][0]
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)
        if not isinstance(page, Page):  # a Page loads itself when shown stale
            refresh = getattr(page, "refresh", None)
            if callable(refresh):
                refresh()

    def show_page_key(self, key: str) -> QWidget:
        """Show the page named *key* (e.g. the 月结 page's 比对… opens the 比对 page)."""
        index = next(i for i, p in enumerate(self.page_list) if p[0] == key)
        self.show_page(index)
        return self.page(key)

    def open_report(self, request: ReportRequest, then: str = "") -> QWidget:
        """Show the 报表 page with *request* chosen and drawn (the 救助 and 月结 pages' 打印 / 导出);
        *then* ``"print"`` or ``"save"`` opens the printer or the save dialog over the preview."""
        index = next(i for i, p in enumerate(self.page_list) if p[0] == "reports")
        self.nav.setCurrentRow(index)
        page = self.page("reports")
        open_request = getattr(page, "open_request", None)
        if callable(open_request):
            open_request(request, then)
        return page

    def current_key(self) -> str:
        return self.page_list[self.stack.currentIndex()][0]

    def focus_household_search(self) -> None:
        self.nav.setCurrentRow(1)
        page = self.page("households")
        focus = getattr(page, "focus_search", None)
        if callable(focus):
            focus()

    # --- closing --------------------------------------------------------------------

    def back_up_if_due(self) -> None:
        """The once-a-day backup, at sign-in when the last one is older than a day."""
        Op(self, lambda s, _p: BackupService(s).backup_if_due(), write=True).failure(self._backup_failed).run()

    def _backup_failed(self, exc: BaseException) -> None:
        # An automatic backup that fails must be seen, but must not stop the clerk's work.
        self.statusBar().showMessage(self.tr("Automatic backup failed: %1").replace("%1", str(exc)), 15000)

    def back_up_on_close(self) -> None:
        """A backup as the window closes. It runs on the writer thread after any write still
        queued; it ignores cancellation so the shutdown waits for it (a few seconds at most, see
        ops.shutdown), and a backup cut short leaves only a temporary folder, removed next time."""
        Op(None, lambda s, _p: BackupService(s).backup_now(), write=True, session=self.session).failure(
            lambda exc: None
        ).run()

    def closeEvent(self, event) -> None:
        self.back_up_on_close()
        settings = ui_settings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.sync()
        self.idle_lock.stop()
        self.hub_autosync.stop()
        ops.changes().changed.disconnect(self.on_changes)
        if ops.bound_session() is self.session:
            ops.bind_session(None)
        super().closeEvent(event)
