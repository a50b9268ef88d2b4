"""The 导入台账 wizard: file → columns → dry run (nothing written) → import, and the invalid rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from app.errors import InvalidInput
from app.ui.comparison.ledger_wizard import COLUMNS, DONE, DRY_RUN, FILE, LedgerImportWizard


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
class Invalid:
    row: int
    sheet_row: int
    reason: str


@dataclass(frozen=True)
class Plan:
    file_name: str
    households: int
    members: int
    would_create: int
    would_update: int
    invalid_rows: list = field(default_factory=list)
    done: bool = False
    updates: list = field(default_factory=list)
    notes: list = field(default_factory=list)


class FakeLedger:
    def __init__(self):
        self.calls: list[tuple] = []

    def layout(self, path, sheet=None):
        self.calls.append(("layout", sheet))
        if sheet == "空表":
            raise InvalidInput("「空表」没有数据。", field="sheet")
        return View(
            Path(path).name,
            ("花名册", "空表"),
            sheet or "花名册",
            "香水镇2026年低保花名册",
            (2, 3),
            ("序号", "户主姓名", "姓名", "与户主关系", "身份证号", "保障金额"),
            {"head_name": 1, "name": 2, "relation": 3, "id_number": 4},
            (),
            ("name", "id_number"),
            [["1", "马福", "马福", "户主", "640424195001011236", "600"]],
        )

    def _plan(self, path, done):
        return Plan(
            Path(path).name,
            2,
            5,
            4,
            1,
            [Invalid(3, 7, "第 3 行身份证号以数字形式保存，末几位已丢失。")],
            done,
        )

    def plan(self, path, sheet=None, mapping=None, programme=None, progress=None):
        self.calls.append(("plan", sheet, mapping, programme))
        return self._plan(path, False)

    def apply(self, path, sheet=None, mapping=None, programme=None, progress=None):
        self.calls.append(("apply", sheet, mapping, programme))
        return self._plan(path, True)

    def export_invalid(self, plan, path):
        Path(path).write_bytes(b"PK")
        self.calls.append(("export_invalid", len(plan.invalid_rows)))
        return Path(path)


@pytest.fixture
def fake(clerk):
    service = FakeLedger()
    clerk._services["ledger_import"] = service
    return service


@pytest.fixture
def wizard(qtbot, clerk, fake, tmp_path):
    w = LedgerImportWizard(clerk)
    qtbot.addWidget(w)
    w.show()
    return w


def test_dry_run_then_import(wizard, fake, tmp_path):
    assert not wizard.next_button.isEnabled()  # no file yet
    path = tmp_path / "低保花名册.xlsx"
    path.write_bytes(b"")
    wizard.set_file(path)
    wizard.programme.setCurrentIndex(wizard.programme.findData("低保"))
    wizard.next()
    assert wizard.stack.currentIndex() == COLUMNS
    assert "香水镇2026年低保花名册" in wizard.mapping_widget.title.text()
    wizard.next()
    assert wizard.stack.currentIndex() == DRY_RUN
    mapping = {"head_name": 1, "name": 2, "relation": 3, "id_number": 4}
    assert fake.calls[-1] == ("plan", "花名册", mapping, "低保")
    text = wizard.plan_label.text()
    assert "2 households and 5 members" in text and "4 records would be created and 1 updated" in text
    assert wizard.invalid.rowCount() == 1 and "末几位已丢失" in wizard.invalid.item(0, 2).text()
    assert wizard.invalid.item(0, 1).text() == "7"
    assert wizard.next_button.text() == "Import"
    assert not any(c[0] == "apply" for c in fake.calls)  # the dry run wrote nothing
    wizard.next()
    assert fake.calls[-1] == ("apply", "花名册", mapping, "低保")
    assert wizard.stack.currentIndex() == DONE
    assert "4 records created, 1 updated. 1 rows were not imported." in wizard.done_label.text()
    assert not wizard.next_button.isVisible() and wizard.close_button.text() == "Close"


def test_a_required_column_left_out_stops_before_the_dry_run(wizard, fake, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"")
    wizard.set_file(path)
    wizard.next()
    wizard.mapping_widget.combos["id_number"].setCurrentIndex(0)  # (not in this file)
    wizard.next()
    assert wizard.stack.currentIndex() == COLUMNS
    assert "身份证号" in wizard.mapping_widget.error.text() or "id_number" in wizard.mapping_widget.error.text()
    assert not any(c[0] == "plan" for c in fake.calls)


def test_invalid_rows_are_exported_to_fix(wizard, fake, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"")
    wizard.set_file(path)
    wizard.next()
    wizard.next()
    wizard.export_invalid(tmp_path / "bad")
    assert (tmp_path / "bad.xlsx").exists()
    assert fake.calls[-1] == ("export_invalid", 1)
    assert "bad.xlsx" in wizard.message.text()


def test_a_refused_sheet_keeps_the_one_shown(wizard, fake, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"")
    wizard.set_file(path)
    wizard.next()
    widget = wizard.mapping_widget
    widget.sheet.setCurrentText("空表")
    widget.sheet.activated.emit(1)
    assert widget.sheet_name() == "花名册" and widget.sheet.currentText() == "花名册"
    assert "没有数据" in widget.error.text()
    wizard.back()
    assert wizard.stack.currentIndex() == FILE


def test_the_file_menu_opens_the_wizard(qtbot, clerk, tmp_path):
    from PySide6.QtCore import QSettings

    from app.ui.main_window import MainWindow

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    w = MainWindow(clerk)
    qtbot.addWidget(w)
    assert w.import_ledger_action is not None
    w.import_ledger_action.trigger()
    wizards = w.findChildren(LedgerImportWizard)
    assert len(wizards) == 1 and wizards[0].isVisible()
    wizards[0].reject()
    w.idle_lock.stop()


def test_a_real_ledger_dry_run_then_import(qtbot, clerk, tmp_path):
    from app.domain import idnumber
    from app.domain.entities import Member
    from tests.sheets.messy import Messy, number_cell, write_xlsx

    ma, wife, lost = (idnumber.make("640424", date(1970, 5, 1), s) for s in (11, 12, 21))
    messy = Messy(
        ["序号", "户主姓名", "姓名", "身份证号码", "与户主关系", "行政村"],
        [
            [1, "马建军", "马建军", ma, "户主", "大庄村"],
            [2, "马建军", "李秀兰", wife, "妻子", "大庄村"],
            [3, "杨桂花", "杨桂花", number_cell(lost), "户主", "永丰村"],
        ],
        title="香水镇花名册",
        total=True,
    )
    path = write_xlsx(tmp_path / "花名册.xlsx", messy)
    w = LedgerImportWizard(clerk)
    qtbot.addWidget(w)
    w.show()
    w.set_file(path)
    w.next()
    assert w.stack.currentIndex() == COLUMNS, w.message.text()
    assert w.mapping_widget is not None
    assert w.mapping_widget.mapping()["id_number"] == 3
    w.next()
    assert w.stack.currentIndex() == DRY_RUN, w.message.text()
    assert (w.plan.households, w.plan.members) == (1, 2)
    name = w.invalid.item(0, 2)
    assert w.invalid.rowCount() == 1 and name is not None and "杨桂花" in name.text()
    assert clerk.store.repo(Member).where("deleted = 0") == []  # the dry run wrote nothing
    w.next()
    assert w.stack.currentIndex() == DONE, w.message.text()
    assert sorted(m.name for m in clerk.store.repo(Member).where("deleted = 0")) == ["李秀兰", "马建军"]


def test_the_dry_run_shows_each_change_and_that_enrolments_wait_for_a_reviewer(qtbot, clerk, tmp_path):
    from app.domain import idnumber
    from tests.sheets.messy import Messy, write_xlsx

    ma, wife = (idnumber.make("640424", date(1970, 5, 1), s) for s in (11, 12))

    def ledger(name: str) -> Path:
        return write_xlsx(
            tmp_path / f"{name}.xlsx",
            Messy(
                ["序号", "户主姓名", "姓名", "身份证号码", "与户主关系", "行政村", "保障类别", "月保障金"],
                [
                    [1, name, name, ma, "户主", "大庄村", "一类", 1200],
                    [2, name, "李秀兰", wife, "妻子", "大庄村", None, None],
                ],
                title="香水镇2024年农村低保花名册",
            ),
        )

    def dry_run(path: Path) -> LedgerImportWizard:
        w = LedgerImportWizard(clerk)
        qtbot.addWidget(w)
        w.show()
        w.set_file(path)
        w.next()
        w.next()
        assert w.stack.currentIndex() == DRY_RUN, w.message.text()
        return w

    first = dry_run(ledger("马建军"))
    # A clerk registers the people; the amount is for a reviewer to import (it is set at 审批).
    assert first.notes_label.isVisible() and "审核人" in first.notes_label.text()
    assert not first.changes.isVisible()
    first.next()
    assert first.stack.currentIndex() == DONE and "审核人" in first.done_notes.text()

    second = dry_run(ledger("马建军改"))  # a typo in the head's name
    assert second.changes.isVisible()
    cells = [second.changes.item(r, 1) for r in range(second.changes.rowCount())]
    renamed = next(c for c in cells if c is not None and "姓名：马建军 → 马建军改" in c.text())
    assert renamed.font().bold() and "笔误" in renamed.toolTip()
    assert ma not in " ".join(c.text() for c in cells if c is not None)  # masked
