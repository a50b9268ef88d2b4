"""The 比对 page: a dropped list goes through the mapping dialog to a stored comparison, its rows
filter by match and finding, findings get dispositions in batches, a row opens its household."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLabel, QWidget

from app.errors import InvalidInput
from app.ui.pages.comparison import ComparisonPage, guess_source
from tests.factories import household, member

# --- fakes of the service's API (tiny: only what the page reads) -----------------------------


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    description: str = ""
    fields: dict = field(default_factory=dict)


@dataclass(frozen=True)
class View:
    file_name: str
    sheets: tuple
    sheet: str
    title: str
    header_rows: tuple
    headers: tuple
    mapping: dict
    unsure: tuple
    required: tuple
    sample: list


@dataclass(frozen=True)
class Finding:
    id: str
    code: str
    text: str
    disposition: str = "待核实"
    note: str = ""


@dataclass(frozen=True)
class Row:
    row: int
    sheet_row: int
    id_number: str | None
    name: str
    match: str
    household_id: str | None
    household_label: str
    findings: list


@dataclass(frozen=True)
class Result:
    comparison_id: str
    source: str
    file_name: str
    rows_read: int
    rows: list
    summary: dict
    repeated: bool = False


@dataclass(frozen=True)
class Summary:
    id: str
    source: str
    source_label: str
    file_name: str
    month: str
    at: str
    by: str
    rows_read: int
    open_findings: int


ID_A = "640424195001011236"


class FakeComparison:
    def __init__(self, household_id: str | None = None):
        self.household_id = household_id
        self.runs: list[dict] = []
        self.disposed: list[tuple] = []
        self.exported: list[tuple] = []
        self.stored: dict[str, Result] = {}

    def sources(self):
        return [
            Source(
                "公安",
                "县公安局：死亡注销、户籍迁出",
                "死亡注销和户籍迁出名单",
                {"id_number": "身份证号", "name": "姓名", "death_date": "死亡日期"},
            ),
            Source("残联", "县残联：持证残疾人", "持证残疾人名单", {"id_number": "身份证号", "name": "姓名"}),
        ]

    def layout(self, path, source, sheet=None):
        if Path(path).suffix == ".png":
            raise InvalidInput(f"文件「{Path(path).name}」不是电子表格。", field="file")
        return View(
            file_name=Path(path).name,
            sheets=("死亡名单", "说明"),
            sheet=sheet or "死亡名单",
            title="2026年11月死亡注销人员名单",
            header_rows=(2,),
            headers=("序号", "姓名", "公民身份号码", "注销日期"),
            mapping={"name": 1, "id_number": 2},
            unsure=("id_number",),
            required=("name", "death_date"),
            sample=[["1", "马福", ID_A, "2026-10-03"]],
        )

    def run(self, path, source, sheet=None, month=None, mapping=None, progress=None):  # noqa: PLR0917 - the service's
        self.runs.append({"path": path, "source": source, "sheet": sheet, "month": month, "mapping": mapping})
        hid = self.household_id
        rows = [
            Row(
                1,
                4,
                ID_A,
                "马福",
                "in_register",
                hid,
                "马福户",
                [Finding("f1", "deceased_still_enrolled", "马福已死亡仍在保。")],
            ),
            Row(
                2,
                5,
                "640424196002021237",
                "杨兰",
                "in_register",
                hid,
                "马福户",
                [Finding("f2", "moved_out", "杨兰已迁出。")],
            ),
            Row(3, 6, "640424197003031238", "李强", "not_in_register", None, "", []),
            Row(
                4,
                7,
                None,
                "苏梅",
                "id_damaged",
                None,
                "",
                [Finding("f3", "deceased_still_enrolled", "苏梅可能已死亡。")],
            ),
        ]
        result = Result("c1", source, Path(path).name, 4, rows, {"in_register": 2}, repeated=len(self.runs) > 1)
        self.stored["c1"] = result
        return result

    def history(self, month=None):
        return [
            Summary(
                k,
                "公安",
                "县公安局：死亡注销、户籍迁出",
                r.file_name,
                month or "",
                "2026-11-20",
                "clerk",
                r.rows_read,
                3,
            )
            for k, r in self.stored.items()
        ]

    def result(self, comparison_id):
        return self.stored[comparison_id]

    def dispose(self, finding_ids, disposition, note="", link=None):
        if disposition == "已处理":
            raise InvalidInput("「已处理」只能在核实属实之后记录。", field="disposition")
        self.disposed.append((list(finding_ids), disposition, note))
        return len(finding_ids)

    def export(self, comparison_id, path, result=None):
        Path(path).write_bytes(b"PK")
        self.exported.append((comparison_id, Path(path)))
        return Path(path)


@pytest.fixture
def fake(clerk):
    hid = clerk.households.add(household(), [member("马福", date(1950, 1, 1))]).id
    service = FakeComparison(hid)
    clerk._services["comparison"] = service
    return service


@pytest.fixture
def page(qtbot, clerk, fake):
    p = ComparisonPage(clerk, today=lambda: date(2026, 11, 20))
    qtbot.addWidget(p)
    p.resize(1216, 700)
    p.show()
    return p


def _drop(page, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    page.dropEvent(event)


def _compare(page, tmp_path, name="公安死亡注销名单.xlsx"):
    path = tmp_path / name
    path.write_bytes(b"")
    _drop(page, path)
    dialog = page.dialog
    assert dialog is not None, page.message.text()
    dialog.widget.combos["death_date"].setCurrentIndex(dialog.widget.combos["death_date"].findData(3))
    dialog.accept()
    return path


def test_the_source_is_guessed_from_the_file_name():
    sources = FakeComparison().sources()
    assert guess_source("2026年11月公安死亡注销.xlsx", sources) == "公安"
    assert guess_source("名单.xlsx", sources) == ""


def test_drop_mapping_then_results_with_counts(page, fake, tmp_path):
    path = tmp_path / "公安死亡注销名单.xlsx"
    path.write_bytes(b"")
    _drop(page, path)
    dialog = page.dialog
    widget = dialog.widget
    assert page.source.currentData() == "公安"
    assert "2026年11月死亡注销人员名单" in widget.title.text()
    # the unsure guess is highlighted, the required field left unmapped keeps the dialog open
    assert widget.combos["id_number"].styleSheet()
    assert widget.combos["id_number"].currentData() == 2
    dialog.accept()
    assert dialog.isVisible() and "死亡日期" in widget.error.text()
    assert fake.runs == []
    widget.combos["death_date"].setCurrentIndex(widget.combos["death_date"].findData(3))
    dialog.accept()
    assert fake.runs == [
        {
            "path": path,
            "source": "公安",
            "sheet": "死亡名单",
            "month": "2026-11",
            "mapping": {"id_number": 2, "name": 1, "death_date": 3},
        }
    ]
    assert page.model.rowCount() == 4
    summary = page.summary.text()
    assert "In the register 2" in summary and "Not in the register 1" in summary and "ID number damaged 1" in summary
    assert "3 findings, 3 to check" in summary
    assert page.history.count() == 1 and "公安" in page.history.item(0).text()


def test_a_clerk_sees_whole_id_numbers_a_role_without_the_right_masked(page, qtbot, office, fake, tmp_path):
    _compare(page, tmp_path)
    assert page.model.data(page.model.index(0, 3)) == ID_A
    admin = office[0]  # the administrator may not see whole ID numbers
    admin._services["comparison"] = fake
    other = ComparisonPage(admin, today=lambda: date(2026, 11, 20))
    qtbot.addWidget(other)
    other.show()
    other.open_result("c1")
    assert other.model.data(other.model.index(0, 3)) == "640424********1236"
    # nor in the mapping dialog's sample rows
    path = tmp_path / "公安名单.xlsx"
    path.write_bytes(b"")
    other.take_file(path)
    assert other.dialog.widget.sample.item(0, 2).text() == "640424********1236"
    assert page.dialog is None
    page.take_file(path)
    opened: Any = page.dialog  # take_file opened it; mypy would still read it as None from the check above
    assert opened.widget.sample.item(0, 2).text() == ID_A


def test_filters_by_match_and_by_finding(page, tmp_path):
    _compare(page, tmp_path)
    page.match_filter.setCurrentIndex(page.match_filter.findData("not_in_register"))
    assert page.model.rowCount() == 1 and page.model.row_at(0).name == "李强"
    page.match_filter.setCurrentIndex(0)
    page.finding_filter.setCurrentIndex(page.finding_filter.findData("deceased_still_enrolled"))
    assert [page.model.row_at(i).name for i in range(page.model.rowCount())] == ["马福", "苏梅"]
    assert "Deceased, still enrolled (2)" in page.finding_filter.currentText()
    page.match_filter.setCurrentIndex(page.match_filter.findData("in_register"))
    assert page.model.rowCount() == 1
    assert "showing 1" in page.summary.text()


def test_batch_disposition_records_the_selected_findings(page, fake, tmp_path):
    _compare(page, tmp_path)
    view = page.view
    view.selectRow(0)
    view.selectionModel().select(
        page.model.index(3, 0), view.selectionModel().SelectionFlag.Select | view.selectionModel().SelectionFlag.Rows
    )
    view.selectionModel().select(
        page.model.index(2, 0), view.selectionModel().SelectionFlag.Select | view.selectionModel().SelectionFlag.Rows
    )
    assert page.dispose_button.isEnabled()
    dlg = page.dispose_selected()
    # the row without findings (李强) is left out
    assert "2 findings in 2 rows." in [label.text() for label in dlg.findChildren(QLabel)]
    dlg.choice.setCurrentIndex(dlg.choice.findData("属实"))
    dlg.note.setPlainText("民政所核实：已死亡")
    dlg.accept()
    assert fake.disposed == [(["f1", "f3"], "属实", "民政所核实：已死亡")]
    assert page.model.data(page.model.index(0, 7)) == "属实"
    assert page.model.data(page.model.index(1, 7)) == "待核实"
    assert "1 to check" in page.summary.text()


def test_a_refused_disposition_keeps_the_dialog_with_its_sentence(page, fake, tmp_path):
    _compare(page, tmp_path)
    page.view.selectRow(0)
    dlg = page.dispose_selected()
    dlg.choice.setCurrentIndex(dlg.choice.findData("已处理"))
    dlg.accept()
    assert dlg.isVisible() and "只能在核实属实之后" in dlg.error.text()
    assert fake.disposed == []


def test_the_result_is_chosen_by_the_person_never_by_default(page, fake, tmp_path):
    _compare(page, tmp_path)
    page.view.selectRow(0)
    dlg = page.dispose_selected()
    assert dlg.choice.currentIndex() == -1 and dlg.choice.currentData() is None
    dlg.accept()
    assert dlg.isVisible() and "Choose the result first." in dlg.error.text()
    assert fake.disposed == []
    dlg.choice.setCurrentIndex(dlg.choice.findData("不属实"))
    dlg.note.setPlainText("入户核实，人在本村")
    dlg.accept()
    assert fake.disposed == [(["f1"], "不属实", "入户核实，人在本村")]


def test_double_click_opens_the_household(page, fake, tmp_path):
    from app.ui.household_editor import HouseholdEditor

    _compare(page, tmp_path)
    page.view.selectRow(2)  # not in the register: nothing to open
    assert not page.open_button.isEnabled() and page.open_household() is None
    page.view.selectRow(0)
    page.view.doubleClicked.emit(page.model.index(0, 2))
    assert isinstance(page.editor, HouseholdEditor)
    assert page.editor.household_id == fake.household_id
    page.editor.reject()


def test_a_refused_file_shows_its_sentence(page, fake, tmp_path):
    path = tmp_path / "公安照片.png"
    path.write_bytes(b"\x89PNG")
    page.take_file(path)
    assert page.dialog is None
    assert "不是电子表格" in page.message.text()
    assert fake.runs == []


def test_a_file_without_a_known_source_waits_for_the_choice(page, fake, tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"")
    page.take_file(path)
    assert page.dialog is None and "名单.xlsx" in page.message.text()
    page.source.setCurrentIndex(page.source.findData("残联"))
    page.source.activated.emit(page.source.currentIndex())
    assert page.dialog is not None


def test_export_and_reopening_from_history(page, fake, tmp_path):
    _compare(page, tmp_path)
    page.export(tmp_path / "out")
    assert fake.exported == [("c1", tmp_path / "out.xlsx")]
    assert "out.xlsx" in page.message.text()
    page.model.set_rows([])
    page.history.setCurrentRow(0)
    page.open_selected_result()
    assert page.model.rowCount() == 4


# --- against the real service and a real file ------------------------------------------------


def test_a_real_police_list_end_to_end(qtbot, clerk, tmp_path):
    from openpyxl import Workbook

    from app.domain.entities import Alert

    head = member("马福", date(1950, 1, 1))
    hid = clerk.households.add(household(), [head]).id
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年11月死亡注销人员名单"])
    ws.append(["序号", "姓名", "公民身份号码", "注销日期"])
    ws.append([1, "马福", head.id_number, "2026-10-03"])
    ws.append([2, "外乡人", "640424197003031238", "2026-10-05"])
    path = tmp_path / "公安死亡注销名单.xlsx"
    wb.save(path)

    p = ComparisonPage(clerk, today=date.today)
    qtbot.addWidget(p)
    p.show()
    _drop(p, path)
    assert p.source.currentData() == "公安"
    dialog = p.dialog
    assert dialog is not None, p.message.text()
    assert dialog.widget.combos["death_date"].currentData() == 3
    dialog.accept()
    assert p.result is not None and p.model.rowCount() == 2
    mine = p.model.row_at(0)
    assert mine.household_id == hid and mine.findings
    assert p.model.data(p.model.index(0, 3)) == head.id_number  # a clerk sees whole numbers
    assert p.history.count() == 1
    p.view.selectRow(0)
    dlg = p.dispose_selected()
    dlg.choice.setCurrentIndex(dlg.choice.findData("属实"))
    dlg.accept()
    assert not dlg.isVisible()
    assert p.model.data(p.model.index(0, 7)) == "属实"
    assert [f.disposition for f in clerk.comparison.result(p.result.comparison_id).rows[0].findings] == ["属实"]
    assert clerk.store.repo(Alert).where("household_id = ?", (hid,))  # a true finding raises an alert
    p.export(tmp_path / "结果.xlsx")
    assert (tmp_path / "结果.xlsx").stat().st_size > 0


def test_leaving_the_page_lets_the_kept_register_go(qtbot, clerk, fake, tmp_path):
    """A comparison keeps the register's match index (~110 MB for a county) for the next list; going to
    another page lets it go, and closing the window does not start anything."""
    forgotten: list[bool] = []
    fake.forget_register = lambda: forgotten.append(True)
    window = QWidget()
    qtbot.addWidget(window)
    page = ComparisonPage(clerk, parent=window, today=lambda: date(2026, 11, 20))
    window.resize(1216, 700)
    window.show()
    page.hide()
    assert forgotten == []  # nothing compared yet: nothing kept
    page.show()
    _compare(page, tmp_path)
    assert page.result is not None
    page.hide()  # another page chosen, the window still shown
    assert forgotten == [True]
    page.show()
    _compare(page, tmp_path, "公安死亡注销名单2.xlsx")
    window.hide()  # the window going away: nothing more runs
    assert forgotten == [True]


def test_a_file_dropped_warms_the_register_while_the_clerk_checks_its_columns(qtbot, clerk, fake, tmp_path):
    """The register's match index (most of a first comparison's time on a county's register) is read
    as soon as a file is chosen, so the comparison finds it ready; leaving the page lets it go even
    when nothing was compared."""
    warmed: list[str] = []
    forgotten: list[bool] = []

    def register_index(month: str) -> object:
        warmed.append(month)
        return object()

    fake.register_index = register_index
    fake.forget_register = lambda: forgotten.append(True)
    window = QWidget()
    qtbot.addWidget(window)
    page = ComparisonPage(clerk, parent=window, today=lambda: date(2026, 11, 20))
    window.resize(1216, 700)
    window.show()
    path = tmp_path / "公安死亡注销名单.xlsx"
    path.write_bytes(b"")
    _drop(page, path)
    qtbot.waitUntil(lambda: warmed == [page.month.month()])
    assert page.dialog is not None and fake.runs == []  # the columns are still being checked
    page.hide()
    qtbot.waitUntil(lambda: forgotten == [True])
