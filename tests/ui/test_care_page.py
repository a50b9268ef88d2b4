"""照料 page: both ledgers list their people; adding a record shows it (through the add's
OpChanges); a refusal keeps what was typed."""

from datetime import date

import pytest
from PySide6.QtWidgets import QLineEdit

from app.ui import ops
from app.ui.ops import OpChanges
from app.ui.pages.care import CarePage
from tests.factories import household, member

TODAY = date.today()


@pytest.fixture
def family(clerk):
    return clerk.households.add(
        household(),
        [
            member("马老汉", date(1940, 1, 1), disability_type="肢体", disability_grade=1, labour_ability="无"),
            member("马小娃", date(2016, 1, 1), "孙子", left_behind="留守儿童", labour_ability="无"),
        ],
    )


def shown_page(qtbot, session, bus):
    page = CarePage(session)
    qtbot.addWidget(page)
    page.show()  # a page loads when first shown
    bus.append(page)
    return page


def test_add_records_in_both_ledgers(qtbot, clerk, family, bus):
    page = shown_page(qtbot, clerk, bus)
    assert [p.member.name for p in page.people_model.rows] == ["马老汉"]
    dlg = page.open_add_dialog()
    dlg.fields["carer_name"].setText("马邻居")
    dlg.fields["carer_phone"].setText("电话")
    dlg.accept()
    # The entity's one sentence, in the dialog, with everything still typed.
    assert dlg.isVisible() and "联系电话" in dlg.error.text()
    assert dlg.fields["carer_name"].text() == "马邻居" and dlg.fields["carer_phone"].text() == "电话"
    assert dlg.ok_button.isEnabled()
    dlg.fields["carer_phone"].setText("139 0954 0000")
    dlg.fields["care_mode"].setCurrentText("邻里照料")
    dlg.fields["problems"].setPlainText("冬季取暖")
    dlg.accept()
    assert not dlg.isVisible()
    assert "马老汉" in page.message.text()
    assert [(r.carer_name, r.care_mode, r.problems) for r in page.records_model.rows] == [
        ("马邻居", "邻里照料", "冬季取暖")
    ]
    assert page.people_model.rows[0].last_record.carer_name == "马邻居"

    page.set_ledger("三留守关爱")
    assert [p.member.name for p in page.people_model.rows] == ["马小娃"]
    assert page.records_model.rowCount() == 0
    dlg = page.open_add_dialog()
    assert "care_mode" not in dlg.fields  # no care mode for 三留守
    dlg.fields["absent_member"].setText("父亲马某，银川务工")
    dlg.fields["carer_name"].setText("祖母")
    dlg.accept()
    assert [r.absent_member for r in page.records_model.rows] == ["父亲马某，银川务工"]


def test_add_refreshes_through_the_changes_it_reports(qtbot, clerk, family):
    page = CarePage(clerk)
    qtbot.addWidget(page)
    page.show()
    reported: list[OpChanges] = []
    ops.changes().changed.connect(reported.append)
    try:
        dlg = page.open_add_dialog()
        assert dlg is not None
        carer = dlg.fields["carer_name"]
        assert isinstance(carer, QLineEdit)
        carer.setText("马邻居")
        dlg.accept()
    finally:
        ops.changes().changed.disconnect(reported.append)
    assert not dlg.isVisible()
    # No reload by hand: the list still says "none yet" until the changes reach the page.
    assert page.people_model.rows[0].last_record is None and page.records_model.rowCount() == 0
    assert len(reported) == 1 and reported[0].touches(*page.tables)
    page.on_changes(reported[0])
    last = page.people_model.rows[0].last_record
    assert last is not None and last.carer_name == "马邻居"
    assert [r.carer_name for r in page.records_model.rows] == ["马邻居"]


def test_a_hidden_page_loads_when_shown(qtbot, clerk, family):
    page = CarePage(clerk)
    qtbot.addWidget(page)
    page.set_ledger("三留守关爱")
    assert page.people_model.rowCount() == 0 and page.stale
    page.show()
    assert [p.member.name for p in page.people_model.rows] == ["马小娃"]
