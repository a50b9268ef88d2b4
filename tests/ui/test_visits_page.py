"""The visits page: saving a visit shrinks the due list; quick mode walks it."""

from datetime import date

import pytest

from app.domain import vocab
from app.domain.entities import Visit
from app.ui import ops
from app.ui.ops import Op
from app.ui.pages.visits import VisitsPage
from tests.factories import household, member


@pytest.fixture
def page(qtbot, clerk):
    for name in ("马一", "马二", "马三"):
        clerk.households.add(household(under_watch=True), [member(name, date(1960, 1, 1))])
    p = VisitsPage(clerk)
    qtbot.addWidget(p)
    ops.changes().changed.connect(p.on_changes)  # as the main window does
    p.show()
    yield p
    ops.changes().changed.disconnect(p.on_changes)


def _record(session, hid):
    """A visit recorded elsewhere (another page, the alerts page…): a write op, as every write."""
    Op(
        None,
        lambda s, _p: s.visits.record(Visit(household_id=hid, visit_date=date.today(), visitors="王、李")),
        write=True,
        session=session,
    ).run()


def test_nothing_is_loaded_before_the_page_is_shown(qtbot, clerk):
    clerk.households.add(household(under_watch=True), [member("马一", date(1960, 1, 1))])
    p = VisitsPage(clerk)
    qtbot.addWidget(p)
    assert p.due_model.items == []
    p.show()
    assert len(p.due_model.items) == 1


def test_risk_signs_are_the_ones_the_rules_test_for(page):
    assert tuple(page.risk_signs.boxes) == vocab.RISK_SIGNS
    assert [page.income_change.itemText(i) for i in range(page.income_change.count())] == list(vocab.INCOME_CHANGES)


def test_a_visit_recorded_elsewhere_leaves_the_list_and_keeps_the_form(page, clerk):
    first, second = page.due_model.items[0].household_id, page.due_model.items[1].household_id
    page.visitors.setText("王经办、马村干")
    page.notes.setPlainText("正在填写")
    _record(clerk, second)
    assert second not in [d.household_id for d in page.due_model.items]
    assert page.current_id() == first
    assert page.notes.toPlainText() == "正在填写"  # a reload does not wipe the form
    assert "1" in page.progress_label.text() and "2 still due" in page.progress_label.text()


def test_recent_visits_of_the_selected_household_are_listed(page, clerk):
    hid = page.current_id()
    assert page.recent.rowCount() == 0
    page.hide()
    Op(
        None,
        lambda s, _p: s.visits.record(Visit(household_id=hid, visit_date=date(2020, 1, 5), visitors="王、李")),
        write=True,
        session=clerk,
    ).run()
    assert page.recent.rowCount() == 0 and page.stale  # hidden: not reloaded yet
    page.show()
    assert page.current_id() == hid
    assert page.recent.rowCount() == 1 and page.recent.item(0, 0).text() == "2020-01-05"


def test_lists_households_due(page):
    assert len(page.due_model.items) == 3
    assert page.current_id() == page.due_model.items[0].household_id


def test_saving_a_visit_records_it_and_the_list_shrinks(page, clerk):
    hid = page.current_id()
    page.visitors.setText("王经办、马村干")
    page.all_assured.click()
    page.checks["housing_ok"].no.click()
    page.checks["housing_ok"].note.setText("房屋漏雨")
    page.risk_signs.boxes["因病"].setChecked(True)
    assert page.save()
    assert len(page.due_model.items) == 2
    assert hid not in [d.household_id for d in page.due_model.items]
    visits = clerk.visits.for_household(hid)
    assert len(visits) == 1 and not visits[0].housing_ok and visits[0].risk_signs == ["因病"]
    assert "1" in page.progress_label.text() and "2 still due" in page.progress_label.text()


def test_missing_visitors_is_shown_beside_the_field(page):
    page.visitors.setText("")
    assert not page.save()
    assert page.errors["visitors"].text()
    assert len(page.due_model.items) == 3


def test_quick_mode_advances_to_the_next_household(page):
    page.quick.setChecked(True)
    page.visitors.setText("王经办、马村干")
    page.all_assured.click()
    second = page.due_model.items[1].household_id
    assert page.save(advance=True)
    assert page.current_id() == second
    assert page.visitors.text() == "王经办、马村干"  # kept for the next house
    third = page.due_model.items[1].household_id
    page.skip()
    assert page.current_id() == third


def test_one_visitor_gets_a_hint(page):
    page.visitors.setText("王经办")
    assert not page.visitors_hint.isHidden()
    page.visitors.setText("王经办、马村干")
    assert page.visitors_hint.isHidden()


def test_tab_reaches_the_checklist_notes_and_buttons_in_order(page, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    _show(page, qtbot)
    page.visitors.setFocus()
    seen = []
    for _ in range(25):
        current = QApplication.focusWidget()
        assert current is not None
        qtbot.keyClick(current, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    # One stop per checklist item (its two answers share a group: Space or the arrows choose).
    items = [c.yes for c in page.checks.values()]
    assert seen[: 1 + len(items)] == [page.kind, *items]  # right after the visitors
    for w in (page.income_change, page.notes, page.skip_button, page.save_button):
        assert w in seen
    assert seen.index(page.notes) < seen.index(page.save_button)
    assert page.notes.toPlainText() == ""  # Tab left the notes, typed nothing


def test_ctrl_s_saves_and_says_so(page, qtbot):
    from PySide6.QtCore import Qt

    _show(page, qtbot)
    title = page.title.text()
    page.visitors.setText("王经办、马村干")
    page.all_assured.click()
    page.notes.setFocus()
    qtbot.keyClick(page.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert len(page.due_model.items) == 2
    assert title in page.title.text()  # "visit to … saved", not a blank form


def test_ctrl_enter_puts_the_cursor_on_the_checklist_of_the_next_household(page, qtbot):
    from PySide6.QtCore import Qt

    _show(page, qtbot)
    page.visitors.setText("王经办、马村干")
    page.all_assured.click()
    page.notes.setFocus()
    qtbot.keyClick(page.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(page.due_model.items) == 2
    assert next(iter(page.checks.values())).yes.hasFocus()


def _show(widget, qtbot):
    """Shown and active, so that focus and keyboard shortcuts work as for a person."""
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


# --- issue 9, point 4 ------------------------------------------------------------


def test_the_checklist_starts_unanswered_and_a_careless_save_is_refused(page, clerk):
    hid = page.current_id()
    assert all(item.value() is None for item in page.checks.values())
    page.visitors.setText("王经办、马村干")
    page.checks["food_ok"].yes.click()
    assert not page.save()
    shown = page.errors["checklist"].text()
    assert "Compulsory schooling" in shown and "Enough to eat" not in shown
    assert clerk.visits.for_household(hid) == []


def test_an_item_not_assured_opens_its_own_required_note(page, clerk):
    hid = page.current_id()
    water, housing = page.checks["water_ok"], page.checks["housing_ok"]
    assert water.note.isHidden()
    page.visitors.setText("王经办、马村干")
    page.all_assured.click()
    water.no.click()
    housing.no.click()
    assert water.note.isVisible() and housing.note.isVisible()
    housing.note.setText("房屋裂缝")
    page.notes.setPlainText("井水干涸")  # the general notes do not stand in for the item's note
    assert not page.save()
    shown = page.errors["item_notes"].text()
    assert "饮水安全" in shown and "住房安全" not in shown
    assert water.note.styleSheet() and not housing.note.styleSheet()  # the empty note box is marked
    assert water.note.hasFocus()
    water.note.setText("井水干涸，靠拉运")
    assert not water.note.styleSheet()  # typing clears the mark
    assert page.save()
    [v] = clerk.visits.for_household(hid)
    assert not v.water_ok and v.food_ok and v.notes == "井水干涸"
    assert v.item_notes == {"water_ok": "井水干涸，靠拉运", "housing_ok": "房屋裂缝"}


def test_a_note_typed_on_an_item_then_marked_assured_is_not_saved(page, clerk):
    hid = page.current_id()
    page.visitors.setText("王经办、马村干")
    page.all_assured.click()
    housing = page.checks["housing_ok"]
    housing.no.click()
    housing.note.setText("漏雨")
    housing.yes.click()
    assert housing.note.isHidden()
    assert page.save()
    [v] = clerk.visits.for_household(hid)
    assert v.housing_ok and v.item_notes == {}


def test_one_visitor_is_refused_beside_the_field(page):
    page.visitors.setText("王经办")
    page.all_assured.click()
    assert not page.save()
    assert "两名" in page.errors["visitors"].text()


def _recorded_visit(page, clerk):
    hid = page.current_id()
    Op(
        None,
        lambda s, _p: s.visits.record(
            Visit(household_id=hid, visit_date=date(2020, 1, 5), visitors="王五、赵六", notes="旧备注")
        ),
        write=True,
        session=clerk,
    ).run()
    assert page.current_id() == hid and page.recent.rowCount() == 1
    return hid


def test_a_recent_visit_opens_for_correction(page, clerk):
    hid = _recorded_visit(page, clerk)
    page.recent.cellDoubleClicked.emit(0, 0)
    assert page.visitors.text() == "王五、赵六" and page.notes.toPlainText() == "旧备注"
    assert all(item.value() is True for item in page.checks.values())
    assert not page.delete_button.isHidden() and "2020-01-05" in page.title.text()
    page.checks["medical_ok"].no.click()
    page.checks["medical_ok"].note.setText("因病住院")
    page.kind.setCurrentText("回访")
    assert page.save()
    [v] = clerk.visits.for_household(hid)
    assert not v.medical_ok and v.item_notes == {"medical_ok": "因病住院"} and v.visit_date == date(2020, 1, 5)
    assert v.kind == "回访" and v.notes == "旧备注"
    assert page.delete_button.isHidden()  # back to a fresh visit
    assert len(page.due_model.items) == 3  # a correction of an old visit does not count for this month


def test_a_visit_is_deleted_with_a_reason_and_an_empty_reason_keeps_the_dialog(page, clerk):
    hid = _recorded_visit(page, clerk)
    page.recent.selectRow(0)
    page.open_visit_button.click()
    page.delete_button.click()
    dlg = page.dialog
    assert dlg is not None
    dlg.accept()
    assert page.dialog is dlg and dlg.isVisible()  # refused: the dialog stays, with its sentence
    assert "原因" in dlg.error.text()
    assert len(clerk.visits.for_household(hid)) == 1
    reason = dlg.fields["reason"]
    reason.setPlainText("录错了户")
    dlg.accept()
    assert page.dialog is None
    assert clerk.visits.for_household(hid) == []
    assert page.recent.rowCount() == 0
    assert "deleted" in page.title.text()


def test_an_ad_hoc_visit_of_a_household_not_on_the_list(page, clerk):
    clerk.households.add(household(under_watch=False), [member("海秀兰", date(1960, 7, 9), male=False)])
    due_before = len(page.due_model.items)
    page.other_button.click()
    picker = page.dialog
    picker.search.setText("海秀兰")
    assert picker.results.count() == 1
    picker.accept()
    assert page.dialog is None
    assert "海秀兰" in page.title.text() and page.kind.currentText() == "临时救助入户"
    hid = page.current_id()
    assert hid not in [d.household_id for d in page.due_model.items]
    page.visitors.setText("王经办、马村干")
    page.all_assured.click()
    page.notes.setPlainText("冰雹受灾")
    assert page.save()
    [v] = clerk.visits.for_household(hid)
    assert v.kind == "临时救助入户" and v.notes == "冰雹受灾"
    assert len(page.due_model.items) == due_before
    assert "saved" in page.title.text()


def test_correcting_a_visit_loads_its_kind_and_item_notes(page, clerk):
    hid = page.current_id()
    saved = Visit(
        household_id=hid,
        visit_date=date(2020, 1, 5),
        visitors="王五、赵六",
        kind="回访",
        housing_ok=False,
        item_notes={"housing_ok": "后墙开裂"},
    )
    Op(None, lambda s, _p: s.visits.record(saved), write=True, session=clerk).run()
    assert page.recent.item(0, 1).text() == "回访"
    assert "住房安全：后墙开裂" in page.recent.item(0, 4).text()
    page.recent.cellDoubleClicked.emit(0, 0)
    housing = page.checks["housing_ok"]
    assert page.kind.currentText() == "回访"
    assert housing.value() is False and housing.note.isVisible() and housing.note.text() == "后墙开裂"
    assert page.checks["water_ok"].note.isHidden()
    page.cancel_correction()
    assert housing.value() is None and housing.note.isHidden() and page.kind.currentText() == "常规核查"


def test_photos_go_with_the_visit_just_saved_or_open_for_correction(page, clerk, tmp_path):
    from PIL import Image

    hid = page.current_id()
    assert page.photos_button.isHidden()  # nothing saved yet: a photo needs its visit
    page.visitors.setText("王经办、马村干")
    page.all_assured.click()
    assert page.save()
    assert not page.photos_button.isHidden()
    saved = clerk.visits.for_household(hid)[0]
    dialog = page.open_photos()
    assert dialog is not None and dialog.panel.subject_id == saved.id
    photo = tmp_path / "屋内.jpg"
    Image.new("RGB", (1200, 900), "brown").save(photo)
    clerk.attachments.add("visits", saved.id, photo, "屋内.jpg", kind="入户照片")
    dialog.panel.refresh()
    assert dialog.panel.list.count() == 1
    page.cancel_correction()


def test_quick_mode_does_not_stop_for_photos(page):
    page.quick.setChecked(True)
    page.visitors.setText("王经办、马村干")
    page.all_assured.click()
    assert page.save(advance=True)
    assert page.photos_button.isHidden()
