"""预警 page: run the rules, acknowledge, follow with a visit, close with a note."""
from datetime import date

from app.domain.entities import Visit
from app.ui.pages.alerts import AlertsPage
from tests.services.test_programmes import _poor_family

TODAY = date.today()


def test_run_acknowledge_follow_close(qtbot, clerk):
    h = _poor_family(clerk)
    page = AlertsPage(clerk)
    qtbot.addWidget(page)
    page.refresh()
    assert page.model.rowCount() == 0
    page.run_button.click()
    assert page.model.rowCount() > 0
    assert "新" in page.message.text() or "new" in page.message.text()
    row = next(i for i, r in enumerate(page.rows) if r.alert.rule == "未入户核查")
    page.table.selectRow(row)
    alert_id = page.selected().alert.id
    page.ack_button.click()
    page.select_alert(alert_id)
    assert page.selected().alert.status == "acknowledged"
    assert not page.ack_button.isEnabled()

    # Follow with a visit: none yet → the dialog says so and refuses.
    dlg = page.open_follow_dialog()
    dlg.accept()
    assert dlg.isVisible() and dlg.error.text()
    dlg.reject()
    v = clerk.visits.record(Visit(household_id=h.id, visit_date=TODAY, visitors="王五、赵六"))
    dlg = page.open_follow_dialog()
    assert dlg.fields["visits"].count() == 1
    dlg.accept()
    page.select_alert(alert_id)
    assert page.selected().alert.status == "followed"
    assert page.selected().alert.follow_visit_id == v.id

    # Close: an empty note is refused with the service's sentence.
    dlg = page.open_close_dialog()
    dlg.accept()
    assert dlg.isVisible() and "处理结果" in dlg.error.text()
    dlg.fields["note"].setPlainText("已入户，情况属实，已纳入低保申请")
    dlg.accept()
    assert alert_id not in {r.alert.id for r in page.rows}
    assert clerk.monitoring.counts().get("closed") == 1


def test_filters(qtbot, clerk):
    _poor_family(clerk)
    page = AlertsPage(clerk)
    qtbot.addWidget(page)
    page.run_rules()
    total = page.model.rowCount()
    levels = {r.alert.level for r in page.rows}
    lv = max(levels)
    page.level_filter.setCurrentIndex(page.level_filter.findData(lv))
    assert 0 < page.model.rowCount() <= total and {r.alert.level for r in page.rows} == {lv}
    page.level_filter.setCurrentIndex(0)
    page.village_filter.setCurrentIndex(page.village_filter.findData("640424100201"))   # 永丰村: none there
    assert page.model.rowCount() == 0
    page.village_filter.setCurrentIndex(page.village_filter.findData("640424100200"))
    assert page.model.rowCount() == total
