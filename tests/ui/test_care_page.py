"""照料 page: both ledgers list their people; adding a record shows it."""
from datetime import date

from app.ui.pages.care import CarePage
from tests.factories import household, member

TODAY = date.today()


def test_add_records_in_both_ledgers(qtbot, clerk):
    clerk.households.add(household(), [
        member("马老汉", date(1940, 1, 1), disability_type="肢体", disability_grade=1, labour_ability="无"),
        member("马小娃", date(2016, 1, 1), "孙子", left_behind="留守儿童", labour_ability="无")])
    page = CarePage(clerk)
    qtbot.addWidget(page)
    page.refresh()
    assert [p.member.name for p in page.people_model.rows] == ["马老汉"]
    dlg = page.open_add_dialog()
    dlg.fields["carer"].setText("马邻居")
    dlg.fields["phone"].setText("电话")
    dlg.accept()
    assert dlg.isVisible() and "联系电话" in dlg.error.text()
    dlg.fields["phone"].setText("139 0954 0000")
    dlg.fields["mode"].setCurrentText("邻里照料")
    dlg.fields["problems"].setPlainText("冬季取暖")
    dlg.accept()
    assert not dlg.isVisible()
    assert [(r.carer_name, r.care_mode, r.problems) for r in page.records_model.rows] == [("马邻居", "邻里照料", "冬季取暖")]
    assert page.people_model.rows[0].last_record.carer_name == "马邻居"

    page.set_ledger("三留守关爱")
    assert [p.member.name for p in page.people_model.rows] == ["马小娃"]
    assert page.records_model.rowCount() == 0
    dlg = page.open_add_dialog()
    assert not dlg.fields["mode"].isVisible()          # no care mode for 三留守
    dlg.fields["absent"].setText("父亲马某，银川务工")
    dlg.fields["carer"].setText("祖母")
    dlg.accept()
    assert [r.absent_member for r in page.records_model.rows] == ["父亲马某，银川务工"]
