"""Render the main screens on a synthetic demo office to PNG files (offscreen), for review.

    .venv/bin/python tools/screenshots.py [--out screenshots] [--lang zh_CN|en]

Creates a throw-away demo office (profile "small") in a temporary folder, with a
file-kept device secret and the fast test KDF, so nothing touches the user's data or
credential store. The main window is rendered at 1366×768, the clerks' usual screen.

Besides every page: the work queues on the 救助 page, the archived households, a closed month,
the 报表 page's preview (the roster, the bank's roster, a 公示 list, a refusal),
the household editor's member details, the corrections (申请人撤回, undoing a step) and the
sign-in offered after 退出登录 / 切换用户.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    _exchange_and_county(camera, data_dir, tmp)
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
    # The county's card, as the county would hand it over on a USB stick, added on the last page.
    from app.services.office import create_office

    county, _code = create_office(office_dir.parent / "wizard-county", "640424", "admin", PASSWORD, kind="county")
    card_file = office_dir.parent / "usb" / "泾源县民政局.card.json"
    card_file.parent.mkdir(parents=True, exist_ok=True)
    fingerprint = county.trust.write_card(card_file).fingerprint
    county.close()
    wizard.next()
    card = wizard.card_page
    card.path.setText(str(card_file))
    card.fingerprint.setText(fingerprint)
    card.add_card()
    camera.grab(wizard, "04a-wizard-county-card")
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

    from app.domain import months
    from app.ui.main_window import MainWindow
    from app.ui.sign_in import SignInDialog

    # Signed in through the dialog, as a person would: it remembers 李主任 for the next sign-in.
    sign_in = SignInDialog(data_dir, username="lizhuren")
    sign_in.password.setText(PASSWORD)
    sign_in.sign_in()
    session = sign_in.session
    assert session is not None  # the reviewer added by _sign_in, with the demo password
    month = date.today().strftime("%Y-%m")
    session.payments.build(month)
    session.monitoring.run(month)
    # Last month closed, so that 月结 can be shown with its frozen figures.
    last_month = months.add(month, -1)
    session.payments.build(last_month)
    session.payments.approve(last_month)
    session.monthly_close.close(last_month, note="演示：上月已月结")

    window = MainWindow(session)
    window.resize(*SIZE)
    window.show()
    camera.grab(window, "10-dashboard")
    window.nav.setCurrentRow(1)
    camera.grab(window, "11-households")
    _archived_households(camera, session, window)
    _household_editor(camera, session, window)
    _corrections(camera, session, window)
    window.nav.setCurrentRow(2)
    camera.grab(window, "13-visits")
    for row, name in (
        (3, "14-programmes"),
        (4, "15-alerts"),
        (5, "16-monthly-close"),
        (6, "17-care"),
        (7, "17b-policy"),
        (8, "17c-users"),
        (9, "18-comparison"),
        (12, "19-settings"),
    ):
        window.nav.setCurrentRow(row)
        camera.grab(window, name)
        if name == "14-programmes":
            _work_queues(camera, window)
        if name == "16-monthly-close":
            page: Any = window.page("monthly_close")
            page.month.set_month(last_month)
            camera.grab(window, "16b-monthly-close-closed")
            page.month.set_month(month)
    _reports(camera, window, month, last_month)
    _comparison(camera, session, window, data_dir.parent / "lists")
    _ledger_wizard(camera, window, data_dir.parent / "lists")
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
    _switch_user(camera, window, data_dir)
    session.close()


def _reports(camera: _Camera, window: Any, month: str, last_month: str) -> None:
    """The 报表 page with its preview: this month's roster, and last month's bank roster as the
    救助 page's 打印… opens it (the print dialog itself is not shown)."""
    from app.services.reports import ReportRequest

    window.open_report(ReportRequest("roster", month))
    camera.grab(window, "18m-reports-roster")
    page = window.page("reports")
    page.zoom.setCurrentIndex(page.zoom.findData(1.0))
    camera.grab(window, "18n-reports-roster-100")
    page.zoom.setCurrentIndex(0)
    window.open_report(ReportRequest("payment-roster", last_month))
    camera.grab(window, "18o-reports-payment-roster")
    window.open_report(ReportRequest("publicity", month))
    camera.grab(window, "18p-reports-publicity")
    window.open_report(ReportRequest("payment-roster", month))  # refused: this month's roster is a draft
    camera.grab(window, "18q-reports-refused")


def _comparison(camera: _Camera, session: Session, window: Any, folder: Path) -> None:
    """The 比对 page: a 公安 death list dropped on it, its columns, the results, a disposition."""
    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    people = session.db.query("SELECT name, id_number FROM members WHERE deleted = 0 ORDER BY id LIMIT 6")
    wb = Workbook()
    ws = wb.active
    ws.append(["泾源县公安局2026年死亡注销人员名单"])
    ws.append(["填报单位：泾源县公安局（盖章）"])
    ws.append(["序号", "姓名", "公民身份号码", "注销日期", "注销原因"])
    for i, (name, pid) in enumerate(people[:4], 1):
        ws.append([i, name, pid, "2026-10-0" + str(i), "死亡"])
    ws.append([5, "外乡人", "640424197003031238", "2026-10-05", "死亡"])
    ws.append([6, people[4][0], float(people[4][1][:17] + "0"), "2026-10-06", "死亡"])  # digits lost
    ws.append(["制表人：", "", "审核人："])
    path = folder / "公安死亡注销名单.xlsx"
    wb.save(path)
    window.nav.setCurrentRow(9)
    page: Any = window.page("comparison")
    page.take_file(path)
    dialog = page.dialog
    if dialog is not None:
        camera.grab(dialog, "18h-comparison-columns")
        dialog.accept()
    camera.grab(window, "18i-comparison-result")
    rows = [i for i in range(page.model.rowCount()) if page.model.row_at(i).findings]
    if rows:
        page.view.selectRow(rows[0])
        dlg = page.dispose_selected()
        camera.grab(dlg, "18j-comparison-disposition")
        dlg.reject()


def _ledger_wizard(camera: _Camera, window: Any, folder: Path) -> None:
    """导入台账: a messy township ledger, its columns, the dry run with the rows it cannot take, the import."""
    from datetime import date

    from app.domain import idnumber
    from tests.sheets.messy import Messy, number_cell, write_xlsx

    people = [idnumber.make("640424", date(1962 + i, 3, 8), 401 + 2 * i) for i in range(5)]
    messy = Messy(
        ["序号", "户主姓名", "姓名", "身份证号码", "与户主关系", "行政村", "联系电话", "保障类别", "月保障金"],
        [
            [1, "田福海", "田福海", people[0], "户主", "大庄村", "13900001111", "一类", 900],
            [2, "田福海", "马秀英", people[1], "妻子", "大庄村", None, None, None],
            [3, "苏有才", "苏有才", number_cell(people[2]), "户主", "永丰村", None, "二类", 700],
            [4, "杨春花", "杨春花", people[3], "户主", "兰大庄村", None, "三类", 500],
            [5, "海明", "海明", people[4], "户主", "永丰村", None, "二类", 700],
        ],
        title="香水镇2026年农村低保花名册",
        unit="填报单位：香水镇人民政府（盖章）",
        groups=(("家庭成员", 2, 4),),
        total=True,
        signatures=True,
    )
    path = write_xlsx(folder / "香水镇低保花名册.xlsx", messy)
    wizard = window.import_ledger()
    wizard.set_file(path)
    camera.grab(wizard, "18r-ledger-file")
    wizard.next()
    camera.grab(wizard, "18s-ledger-columns")
    wizard.next()
    camera.grab(wizard, "18t-ledger-dry-run")
    wizard.next()
    camera.grab(wizard, "18u-ledger-imported")
    wizard.accept()


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
    _attachments(camera, session, window, first)

    # A household with a disabled member, that member selected: the details pane beside the grid.
    found = session.db.query(
        "SELECT m.household_id, m.name FROM members m JOIN households h ON h.id = m.household_id "
        "WHERE m.deleted = 0 AND h.deleted = 0 AND h.archived = 0 AND m.disability_grade > 0 "
        "ORDER BY h.village_code, h.head_name LIMIT 1"
    )
    if found:
        hid, name = found[0]
        editor = HouseholdEditor(session, hid, window)
        editor.show()
        row = next(i for i, m in enumerate(editor.members.members) if m.name == name)
        editor.member_view.selectRow(row)
        editor.member_view.setCurrentIndex(editor.members.index(row, 0))
        camera.grab(editor, "12d-household-editor-member-details")
        editor.close()


def _attachments(camera: _Camera, session: Session, window: QWidget, household_id: str) -> None:
    """The household's papers: a made-up certificate scan and a home photo, as thumbnails, and the viewer."""
    import tempfile

    from PIL import Image, ImageDraw

    from app.ui.household_editor import HouseholdEditor

    _household, members = session.households.get(household_id)
    with tempfile.TemporaryDirectory() as scratch:
        scan = Path(scratch) / "残疾证.png"
        image = Image.new("RGB", (1240, 860), "#f4f1e8")
        draw = ImageDraw.Draw(image)
        draw.rectangle((40, 40, 1200, 820), outline="#8b0000", width=8)
        draw.text((90, 90), "SPECIMEN - made up for the demo", fill="#8b0000")  # Pillow's own font has no CJK
        image.save(scan)
        photo = Path(scratch) / "屋内.jpg"
        Image.new("RGB", (1600, 1200), "#a0785a").save(photo)
        session.attachments.add("members", members[0].id, scan, scan.name, kind="残疾证", note="演示用样例")
        session.attachments.add("households", household_id, photo, photo.name, kind="入户照片", note="厨房")
    editor = HouseholdEditor(session, household_id, window)
    editor.show()
    panel = getattr(editor, "attachments", None)
    if panel is not None:
        editor.tabs.setCurrentWidget(panel)
        camera.grab(editor, "12h-household-editor-attachments")
        panel.list.setCurrentRow(0)
        panel.view_selected()  # ops run at once here: the viewer is open when this returns
        if panel.viewer is not None:
            panel.viewer.resize(1000, 700)
            camera.grab(panel.viewer, "12i-attachment-viewer")
            panel.viewer.close()
    editor.close()


def _exchange_and_county(camera: _Camera, data_dir: Path, scratch: Path) -> None:
    """A county office that trusts the demo township, one package each way, and the pages both see."""
    from app.services.office import create_office, open_session
    from app.ui.main_window import MainWindow

    # The county holds only what the township's package brings: no households of its own.
    county, _code = create_office(scratch / "county", "640424", "admin", PASSWORD, kind="county")
    township = open_session(data_dir, "admin", PASSWORD)
    cards = scratch / "cards"
    cards.mkdir()
    t_card = township.trust.write_card(cards / "township.json")
    c_card = county.trust.write_card(cards / "county.json")
    township.trust.add(cards / "county.json", c_card.fingerprint)
    county.trust.add(cards / "township.json", t_card.fingerprint)
    stick = scratch / "stick"
    stick.mkdir()
    for exported in township.packages.export(stick):
        county.packages.import_file(exported.path)
    for exported in county.packages.export(stick):
        township.packages.import_file(exported.path)

    window = MainWindow(township)
    window.resize(*SIZE)
    window.show()
    window.nav.setCurrentRow(next(i for i, p in enumerate(window.page_list) if p[0] == "exchange"))
    camera.grab(window, "18b-exchange-township")
    window.idle_lock.stop()
    window.close()
    township.close()

    window = MainWindow(county)
    window.resize(*SIZE)
    window.show()
    camera.grab(window, "30-county-townships")
    what_if: Any = window.page("what_if")
    window.nav.setCurrentRow(next(i for i, p in enumerate(window.page_list) if p[0] == "what_if"))
    rural = what_if.rural.text()
    if rural:
        what_if.rural.setText(str(round(float(rural) * 1.15)))
        what_if.calculate()
    camera.grab(window, "31-county-what-if")
    window.nav.setCurrentRow(next(i for i, p in enumerate(window.page_list) if p[0] == "exchange"))
    camera.grab(window, "32-county-exchange")
    window.idle_lock.stop()
    window.close()
    county.close()


def _archived_households(camera: _Camera, session: Session, window: QWidget) -> None:
    """One household archived (the first that may be: none with an open application), then the list
    of archived households."""
    from app.errors import DoudiError

    page = window.page("households")  # type: ignore[attr-defined]
    ids = [
        hid
        for (hid,) in session.db.query(
            "SELECT id FROM households WHERE deleted = 0 AND archived = 0 ORDER BY village_code DESC, head_name"
        )
    ]
    for hid in ids:
        try:
            session.households.archive(hid, "全户迁出本乡镇（演示）")
            break
        except DoudiError:
            continue
    page.archived.setChecked(True)
    camera.grab(window, "11b-households-archived")
    page.archived.setChecked(False)


def _work_queues(camera: _Camera, window: QWidget) -> None:
    """The work queues on the 救助 page: the first queue with households, then one village's view."""
    page = window.page("programmes")  # type: ignore[attr-defined]
    page.tabs.setCurrentWidget(page.queues_tab)
    queues = page.work_queues
    if queues.queues is not None:
        busy = next((name for name in queues.queue_buttons if queues.queues.count(name)), None)
        if busy:
            queues.show_queue(busy)
    camera.grab(window, "14b-programmes-work-queues")
    if queues.village_filter.count() > 1:
        queues.village_filter.setCurrentIndex(1)
        busy = next((name for name in queues.queue_buttons if queues.queues.count(name)), None)
        if busy:
            queues.show_queue(busy)
        camera.grab(window, "14c-programmes-work-queues-one-village")
        queues.village_filter.setCurrentIndex(0)
    page.tabs.setCurrentIndex(0)


def _corrections(camera: _Camera, session: Session, window: QWidget) -> None:
    """The corrections on an application still open: the applicant withdraws (申请人撤回), and the
    reviewer undoes a wrongly recorded step. The application is made here, with its steps, on a
    household that has none (the demo's applications carry no step rows to undo)."""
    from datetime import date, timedelta

    from app.domain.workflow import Status
    from app.ui.household_editor import HouseholdEditor

    hid = session.db.scalar(
        "SELECT h.id FROM households h WHERE h.deleted = 0 AND h.archived = 0 AND NOT EXISTS "
        "(SELECT 1 FROM enrolments e WHERE e.household_id = h.id AND e.deleted = 0) "
        "ORDER BY h.village_code, h.head_name LIMIT 1"
    )
    if not hid:
        print("no household without applications: correction dialogs not rendered", file=sys.stderr)
        return
    start = date.today() - timedelta(days=6)
    e = session.enrolments.apply(hid, "低保", applied_on=start)
    session.enrolments.advance(e.id, Status.SURVEY.value, on=start + timedelta(days=2), note="王经办、马主任入户调查")
    editor = HouseholdEditor(session, hid, window)
    editor.show()
    panel = editor.programmes
    assert panel is not None  # an existing household has the assistance tab
    editor.tabs.setCurrentWidget(panel)
    panel.select_enrolment(e.id)
    camera.grab(editor, "12e-household-editor-open-application")
    withdraw = panel.open_step_dialog(Status.WITHDRAWN.value)
    if withdraw is not None:
        camera.grab(withdraw, "12f-withdraw-dialog")
        withdraw.reject()
    undo = panel.open_undo_dialog()
    if undo is not None:
        camera.grab(undo, "12g-undo-step-dialog")
        undo.reject()
    editor.close()


def _switch_user(camera: _Camera, window: QWidget, data_dir: Path) -> None:
    """退出登录 / 切换用户: the window closes and the sign-in comes back, the last user chosen."""
    from app.ui.sign_in import SignInDialog

    signed_out = window.sign_out()  # type: ignore[attr-defined]
    if not signed_out:
        print("the window refused to sign out: switch-user screen not rendered", file=sys.stderr)
        return
    sign_in = SignInDialog(data_dir, choose_user=True)
    sign_in.show()
    camera.grab(sign_in, "21-switch-user-sign-in")
    sign_in.close()


if __name__ == "__main__":
    raise SystemExit(main())
