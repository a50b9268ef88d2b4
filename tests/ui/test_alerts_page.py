"""预警 page: run the rules, acknowledge, follow with a visit, close with a note."""

import re
from datetime import date

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from app.domain.entities import Alert, Visit
from app.ui import ops
from app.ui.ops import Op
from app.ui.pages.alerts import AlertsPage
from tests.services.test_programmes import _poor_family

TODAY = date.today()


@pytest.fixture
def shown(qtbot, clerk):
    """A shown alerts page that hears every write op's changes, as in the main window."""
    page = AlertsPage(clerk)
    qtbot.addWidget(page)
    ops.changes().changed.connect(page.on_changes)
    page.show()
    yield page
    ops.changes().changed.disconnect(page.on_changes)


def _record_visit(session, hid):
    return Op(
        None,
        lambda s, _p: s.visits.record(Visit(household_id=hid, visit_date=TODAY, visitors="王五、赵六")),
        write=True,
        session=session,
    ).run()


def test_run_acknowledge_follow_close(qtbot, clerk):
    h = _poor_family(clerk)
    page = AlertsPage(clerk)
    qtbot.addWidget(page)
    ops.changes().changed.connect(page.on_changes)
    try:
        _run_acknowledge_follow_close(page, clerk, h)
    finally:
        ops.changes().changed.disconnect(page.on_changes)


def _run_acknowledge_follow_close(page, clerk, h):
    assert page.model.rowCount() == 0 and page.stale  # not loaded until shown
    page.show()
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
    _record_visit(clerk, h.id)
    v = clerk.visits.for_household(h.id)[0]
    dlg = page.open_follow_dialog()
    assert dlg.fields["follow_visit_id"].count() == 1
    dlg.accept()
    page.select_alert(alert_id)
    assert page.selected().alert.status == "followed"
    assert page.selected().alert.follow_visit_id == v.id

    # Close: an empty note is refused with the service's sentence.
    dlg = page.open_close_dialog()
    dlg.accept()
    assert dlg.isVisible() and "处理结果" in dlg.error.text()
    dlg.fields["close_note"].setPlainText("已入户，情况属实，已纳入低保申请")
    dlg.accept()
    assert alert_id not in {r.alert.id for r in page.rows}
    assert clerk.monitoring.counts().get("closed") == 1


def test_filters(shown, clerk):
    _poor_family(clerk)
    page = shown
    page.run_rules()
    total = page.model.rowCount()
    levels = {r.alert.level for r in page.rows}
    lv = max(levels)
    page.level_filter.setCurrentIndex(page.level_filter.findData(lv))
    assert 0 < page.model.rowCount() <= total and {r.alert.level for r in page.rows} == {lv}
    page.level_filter.setCurrentIndex(0)
    page.village_filter.setCurrentIndex(page.village_filter.findData("640424100201"))  # 永丰村: none there
    assert page.model.rowCount() == 0
    page.village_filter.setCurrentIndex(page.village_filter.findData("640424100200"))
    assert page.model.rowCount() == total


def test_a_visit_recorded_elsewhere_updates_the_shown_alert(shown, clerk):
    h = _poor_family(clerk)
    shown.run_rules()
    row = next(i for i, r in enumerate(shown.rows) if r.alert.rule == "未入户核查")
    shown.table.selectRow(row)
    alert_id = shown.selected().alert.id
    # another clerk's write op: the alert is followed outside this page
    _record_visit(clerk, h.id)
    visit_id = clerk.visits.for_household(h.id)[0].id
    Op(None, lambda s, _p: s.monitoring.follow(alert_id, visit_id), write=True, session=clerk).run()
    shown.select_alert(alert_id)
    assert shown.selected().alert.status == "followed"
    assert shown.selected().alert.id == alert_id  # the selection survived the reload


def test_village_filter_lists_the_offices_villages(shown):
    codes = [shown.village_filter.itemData(i) for i in range(shown.village_filter.count())]
    assert codes[0] == "" and "640424100200" in codes and "640424100201" in codes


@pytest.fixture
def other(office, clerk):
    """Another clerk's program on the same office: its writes reach this page through no op."""
    from app.services.office import open_session

    _admin, _code, data_dir = office
    session = open_session(data_dir, "clerk1", "clerk-pass-2021")
    yield session
    session.close()


def _select_unvisited(page) -> str:
    row = next(i for i, r in enumerate(page.rows) if r.alert.rule == "未入户核查")
    page.table.selectRow(row)
    return page.selected().alert.id


def test_a_step_on_an_alert_changed_elsewhere_is_refused_and_the_list_reloads(shown, clerk, other):
    h = _poor_family(clerk)
    shown.run_rules()
    alert_id = _select_unvisited(shown)
    visit = other.visits.record(Visit(household_id=h.id, visit_date=TODAY, visitors="王五、赵六"))
    other.monitoring.follow(alert_id, visit.id)  # this page has not heard of it

    shown.ack_button.click()
    assert "已被其他人修改" in shown.message.text()
    shown.select_alert(alert_id)
    assert shown.selected().alert.status == "followed"  # reloaded; not set back to acknowledged


def test_closing_an_alert_changed_elsewhere_keeps_the_note_and_succeeds_on_retry(shown, clerk, other):
    _poor_family(clerk)
    shown.run_rules()
    alert_id = _select_unvisited(shown)
    other.monitoring.acknowledge(alert_id)

    dlg = shown.open_close_dialog()
    assert dlg is not None
    note = dlg.findChild(QPlainTextEdit)
    note.setPlainText("已入户核实，已纳入低保申请")
    dlg.accept()
    assert dlg.isVisible() and "已被其他人修改" in dlg.error.text()
    assert note.toPlainText() == "已入户核实，已纳入低保申请"
    dlg.accept()  # the page has reloaded: this states the version the other clerk saved
    assert not dlg.isVisible()
    assert alert_id not in [r.alert.id for r in clerk.monitoring.open_alerts()]


# --- issue 9 point 10: batch steps, closed alerts, texts in words --------------------------------


def _unvisited_ids(page) -> list[str]:
    return [r.alert.id for r in page.rows if r.alert.rule == "未入户核查"]


def test_selected_alerts_are_acknowledged_and_closed_together(shown, clerk):
    _poor_family(clerk)
    _poor_family(clerk)
    shown.run_rules()
    ids = _unvisited_ids(shown)
    assert len(ids) == 2
    shown.select_alerts(ids)
    assert len(shown.selected_rows()) == 2 and shown.selected() is None
    assert "2" in shown.detail.text()
    assert shown.ack_button.isEnabled() and shown.close_button.isEnabled()
    assert not shown.follow_button.isEnabled()  # a visit follows one household's alert

    shown.ack_button.click()
    assert {r.alert.status for r in shown.rows if r.alert.id in ids} == {"acknowledged"}
    assert [r.alert.id for r in shown.selected_rows()] == [r.alert.id for r in shown.rows if r.alert.id in ids]
    assert not shown.ack_button.isEnabled()

    dlg = shown.open_close_dialog()
    dlg.accept()
    assert dlg.isVisible() and "处理结果" in dlg.error.text()  # one note is still required
    dlg.findChild(QPlainTextEdit).setPlainText("两户均已入户核查")
    dlg.accept()
    assert not dlg.isVisible()
    assert not set(ids) & {r.alert.id for r in shown.rows}
    assert clerk.monitoring.counts().get("closed") == 2

    # the closed ones stay findable, with their note
    shown.status_filter.setCurrentIndex(shown.status_filter.findData("closed"))
    assert {r.alert.id for r in shown.rows} == set(ids)
    shown.select_alert(ids[0])
    assert "两户均已入户核查" in shown.detail.text()
    assert not shown.close_button.isEnabled() and not shown.ack_button.isEnabled()
    shown.status_filter.setCurrentIndex(shown.status_filter.findData("all"))
    assert set(ids) < {r.alert.id for r in shown.rows}


def test_a_batch_with_an_alert_changed_elsewhere_changes_none(shown, clerk, other):
    _poor_family(clerk)
    _poor_family(clerk)
    shown.run_rules()
    ids = _unvisited_ids(shown)
    other.monitoring.acknowledge(ids[1])  # this page has not heard of it
    shown.select_alerts(ids)
    shown.ack_button.click()
    assert "已被其他人修改" in shown.message.text() and "所选第 2 条" in shown.message.text()
    status = {r.alert.id: r.alert.status for r in shown.rows}
    assert status[ids[0]] == "open" and status[ids[1]] == "acknowledged"  # reloaded; the first not acknowledged


def test_closing_several_changed_elsewhere_keeps_the_note_and_succeeds_on_retry(shown, clerk, other):
    _poor_family(clerk)
    _poor_family(clerk)
    shown.run_rules()
    ids = _unvisited_ids(shown)
    shown.select_alerts(ids)
    other.monitoring.acknowledge(ids[0])
    dlg = shown.open_close_dialog()
    note = dlg.findChild(QPlainTextEdit)
    note.setPlainText("已入户核实")
    dlg.accept()
    assert dlg.isVisible() and "已被其他人修改" in dlg.error.text()
    assert note.toPlainText() == "已入户核实"
    dlg.accept()
    assert not dlg.isVisible()
    assert clerk.monitoring.counts().get("closed") == 2


def test_alert_texts_show_no_source_codes(shown, clerk):
    h = _poor_family(clerk)
    with clerk.store.transaction():
        clerk.store.save(
            Alert(
                household_id=h.id, rule="灾害事故", level=3, message="可先行实施急难型临时救助（S8）", raised_on=TODAY
            ),
            "clerk1",
            "test",
        )
    shown.run_rules()
    texts = [shown.model.index(i, 6).data() for i in range(shown.model.rowCount())]
    assert texts and not [t for t in texts if re.search(r"S\d+", t)]
    assert any("政策依据：《关于进一步加强和改进临时救助工作的意见》" in t for t in texts)
