"""The household editor: add with members, live ID checking, errors beside the field."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.domain import idnumber
from app.errors import InvalidInput
from app.services.households import HouseholdQuery, HouseholdService
from app.ui.household_editor import LIVE_EDIT_ROLE, HouseholdEditor, describe_change
from tests.factories import household, member

GOOD = idnumber.make("640424", date(1980, 1, 1), 11)  # odd sequence: 男


def _col(ed, field):
    return ed.members.column_of(field)


def _set(ed, row, field, value, role=Qt.ItemDataRole.EditRole):
    return ed.members.setData(ed.members.index(row, _col(ed, field)), value, role)


@pytest.fixture
def editor(qtbot, clerk):
    ed = HouseholdEditor(clerk)
    qtbot.addWidget(ed)
    ed.confirm_discard = lambda: True
    return ed


def test_new_household_with_members_is_stored(editor, clerk):
    assert editor.members.rowCount() == 1  # an empty head row to start with
    _set(editor, 0, "name", "马福")
    _set(editor, 0, "id_number", GOOD)
    editor.add_member()
    _set(editor, 1, "name", "马小花")
    _set(editor, 1, "relation", "女")
    _set(editor, 1, "id_number", idnumber.make("640424", date(2010, 6, 1), 22))
    _set(editor, 1, "disability_type", "肢体")
    _set(editor, 1, "disability_grade", 2)
    editor.categories.boxes["低保"].setChecked(True)
    editor.phone.setText("13900000000")
    saved: list[str] = []
    editor.saved.connect(saved.append)
    editor.save()
    assert editor.result() == QDialog.DialogCode.Accepted and len(saved) == 1
    h, members = clerk.households.get(saved[0])
    assert h.head_name == "马福" and h.categories == ["低保"] and h.phone == "13900000000"
    assert [(m.name, m.relation) for m in members] == [("马福", "本人"), ("马小花", "女")]
    assert members[1].disability_grade == 2 and members[1].sex == "女"


def test_typing_an_id_number_fills_birth_date_sex_and_age(editor):
    _set(editor, 0, "id_number", GOOD[:10], LIVE_EDIT_ROLE)
    assert editor.members.members[0].birth_date is None and 0 not in editor.members.id_errors
    _set(editor, 0, "id_number", GOOD, LIVE_EDIT_ROLE)
    m = editor.members
    assert m.data(m.index(0, _col(editor, "birth_date"))) == "1980-01-01"
    assert m.data(m.index(0, _col(editor, "sex"))) == "男"
    assert m.data(m.index(0, _col(editor, "age"))) == idnumber.age_on(date(1980, 1, 1), date.today())


def test_a_bad_checksum_is_flagged_at_once(editor):
    bad = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")
    _set(editor, 0, "id_number", bad, LIVE_EDIT_ROLE)
    m = editor.members
    index = m.index(0, _col(editor, "id_number"))
    assert "校验位" in m.data(index, Qt.ItemDataRole.ToolTipRole)
    assert m.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    assert m.data(m.index(0, _col(editor, "sex"))) == ""


def test_validation_error_keeps_the_dialog_open_and_names_the_field(editor, clerk, qtbot):
    _show(editor, qtbot)
    _set(editor, 0, "name", "")  # empty name
    _set(editor, 0, "id_number", GOOD)
    editor.phone.setText("call me")
    editor.save()
    assert editor.isVisible() and editor.result() == 0
    assert "户主姓名" in editor.member_error.text() and editor.members.bad_row == 0
    _set(editor, 0, "name", "马福")
    editor.save()
    assert "联系电话" in editor.errors["phone"].text() and not editor.errors["phone"].isHidden()
    editor.phone.setText("13900000000")
    editor.add_member()  # a second member with no name
    _set(editor, 1, "id_number", idnumber.make("640424", date(2010, 1, 1), 22))
    editor.save()
    assert editor.member_error.text().startswith("第 2 名成员")
    assert "姓名" in editor.member_error.text()
    assert editor.members.bad_row == 1 and editor.members.bad_field == "name"
    assert editor.members.members[0].id_number == GOOD  # input kept
    assert clerk.households.count(HouseholdQuery()) == 0
    assert editor.save_button.isEnabled()  # ready for the next try


def test_two_heads_are_refused(editor):
    _set(editor, 0, "name", "马福")
    _set(editor, 0, "id_number", GOOD)
    editor.add_member()
    _set(editor, 1, "name", "马禄")
    _set(editor, 1, "relation", "本人")
    _set(editor, 1, "id_number", idnumber.make("640424", date(1982, 1, 1), 13))
    editor.save()
    assert editor.result() == 0
    assert "本人" in editor.member_error.text()
    assert editor.members.bad_row == 1 and editor.members.bad_field == "relation"  # the second head


def test_edit_shows_history_and_esc_asks_before_discarding(qtbot, clerk):
    hid = clerk.households.add(household(), [member("马福", date(1970, 1, 1))]).id
    h, ms = clerk.households.get(hid)
    h.phone = "13911112222"
    clerk.households.update(h, ms)
    ed = HouseholdEditor(clerk, hid)
    qtbot.addWidget(ed)
    texts = [item.text() for r in range(ed.history.rowCount()) if (item := ed.history.item(r, 3)) is not None]
    assert any("13911112222" in t for t in texts)
    asked: list[int] = []

    def keep_editing() -> bool:
        asked.append(1)
        return False

    ed.confirm_discard = keep_editing
    ed.show()
    ed.address.setText("新地址")
    ed.reject()
    assert asked and ed.isVisible()
    ed.confirm_discard = lambda: True
    ed.reject()
    assert not ed.isVisible()


def test_archive_needs_a_reason(qtbot, clerk):
    hid = clerk.households.add(household(), [member("马福", date(1970, 1, 1))]).id
    ed = HouseholdEditor(clerk, hid)
    qtbot.addWidget(ed)
    ed.show()
    dlg = ed.archive()
    assert dlg is not None
    dlg.reason.setText("  ")
    dlg.accept()
    assert dlg.isVisible() and "原因" in dlg.error.text()
    assert not clerk.households.get(hid)[0].archived
    dlg.reason.setText("全户迁出")
    dlg.accept()
    assert clerk.households.get(hid)[0].archived
    assert ed.result() == QDialog.DialogCode.Accepted


def test_describe_change_uses_field_names():
    text = describe_change({"changed": {"phone": ["", "139"], "categories": [["低保"], ["低保", "监测户"]]}})
    assert "139" in text and "低保、监测户" in text


def test_editor_shows_the_households_enrolments_and_their_steps(qtbot, clerk):
    from datetime import date as _date

    from app.ui.household_editor import HouseholdEditor
    from tests.factories import household as _household
    from tests.factories import member as _member

    h = clerk.households.add(_household(), [_member("马学军", _date(1970, 3, 4))])
    e = clerk.enrolments.apply(h.id, "低保", applied_on=_date.today(), note="本人书面申请")
    editor = HouseholdEditor(clerk, h.id)
    qtbot.addWidget(editor)
    assert editor.tabs.count() == 5 and editor.tabs.widget(1) is editor.programmes
    panel = editor.programmes
    assert panel is not None
    panel.refresh()
    assert [v.enrolment.id for v in panel.views] == [e.id]
    assert [s.step for s in panel.views[0].steps] == ["申请"]
    by = panel.steps_table.item(0, 2)
    assert by is not None and by.text() == "王经办"  # the person, not the login name


def test_a_bad_id_number_is_explained_under_the_table_without_saving(editor, qtbot):
    """A red cell alone does not say what is wrong: the sentence shows as soon as the cell is left."""
    _show(editor, qtbot)
    bad = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")
    _set(editor, 0, "name", "马福")
    _set(editor, 0, "id_number", bad)
    assert editor.member_error.isVisible()
    assert "马福" in editor.member_error.text() and "校验位" in editor.member_error.text()
    _set(editor, 0, "id_number", GOOD)
    assert not editor.member_error.isVisible()


def test_tab_in_the_notes_moves_on_and_types_no_tab(editor, qtbot):
    _show(editor, qtbot)
    editor.notes.setFocus()
    qtbot.keyClick(editor.notes, Qt.Key.Key_Tab)
    assert editor.notes.toPlainText() == ""
    assert not editor.notes.hasFocus()


def _fill_two_members(ed):
    _set(ed, 0, "name", "马福")
    _set(ed, 0, "id_number", GOOD)
    ed.add_member()
    _set(ed, 1, "name", "马小花")
    _set(ed, 1, "relation", "女")
    _set(ed, 1, "id_number", idnumber.make("640424", date(2010, 6, 1), 22))


def test_a_refusal_about_the_second_member_marks_row_1_from_its_item(editor, monkeypatch):
    """The row comes from ``exc.item``, not from the sentence (which here names no row at all)."""

    def refuse(self, household, members):
        raise InvalidInput("姓名不能含有数字。", field="name", item=1)

    monkeypatch.setattr(HouseholdService, "add", refuse)
    _fill_two_members(editor)
    editor.save()
    assert editor.members.bad_row == 1 and editor.members.bad_field == "name"
    assert editor.member_error.text() == "姓名不能含有数字。"
    assert editor.member_view.currentIndex().row() == 1
    assert editor.member_view.currentIndex().column() == editor.members.column_of("name")


def test_a_bad_id_number_stops_the_save_before_any_write(editor, monkeypatch):
    writes = []
    monkeypatch.setattr(HouseholdService, "add", lambda self, h, ms: writes.append(h))
    _fill_two_members(editor)
    bad = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")
    _set(editor, 1, "id_number", bad)
    assert editor.save() is None
    assert writes == [] and editor.members.bad_row == 1 and editor.members.bad_field == "id_number"


def test_save_is_disabled_while_the_write_runs(editor, monkeypatch):
    seen = []
    real_add = HouseholdService.add

    def add(self, household, members):
        seen.append(editor.save_button.isEnabled())
        return real_add(self, household, members)

    monkeypatch.setattr(HouseholdService, "add", add)
    _fill_two_members(editor)
    editor.save()
    assert seen == [False]


def test_a_saved_household_reaches_the_households_list_through_the_changes(qtbot, clerk):
    """The editor does not tell the list: the write op's changes reach the main window, which
    refreshes the visible households page."""
    from app.ui.main_window import MainWindow
    from app.ui.pages.households import HouseholdsPage

    window = MainWindow(clerk)
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(1)
    page = window.page("households")
    assert isinstance(page, HouseholdsPage) and page.model.rowCount() == 0
    ed = HouseholdEditor(clerk, None, window)  # not opened by the page: no saved-signal wiring
    ed.confirm_discard = lambda: True
    _fill_two_members(ed)
    ed.save()
    assert ed.result() == QDialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)


def _show(widget, qtbot):
    """Shown and active, so that focus and keyboard shortcuts work as for a person."""
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


@pytest.fixture
def other(office, clerk):
    """A second clerk's window on the same office: its own session and connection."""
    from app.services.office import open_session

    _admin, _code, data_dir = office
    session = open_session(data_dir, "clerk1", "clerk-pass-2021")
    yield session
    session.close()


def _family(clerk):
    return clerk.households.add(
        household(), [member("马福", date(1970, 1, 1)), member("海秀兰", date(1972, 3, 3), "配偶", male=False)]
    ).id


def test_a_save_refused_as_changed_meanwhile_keeps_the_edit_and_loads_their_version(qtbot, clerk, other):
    hid = _family(clerk)
    ed = HouseholdEditor(clerk, hid)
    qtbot.addWidget(ed)
    ed.show()
    # Meanwhile another clerk changes the phone and adds a child.
    theirs, their_members = other.households.get(hid)
    theirs.phone = "13911112222"
    other.households.update(theirs, [*their_members, member("马小花", date(2015, 5, 5), "女", male=False)])

    ed.address.setText("新地址 8 号")
    _set(ed, 1, "health", "重病")
    ed.save()

    assert ed.isVisible() and ed.result() == 0  # not closed: nothing was saved
    assert "已被其他人修改" in ed.general_error.text()
    stored, stored_members = clerk.households.get(hid)
    assert stored.address != "新地址 8 号" and stored_members[1].health != "重病"
    # What was typed is still on screen, laid over their version.
    assert ed.address.text() == "新地址 8 号" and ed.members.members[1].health == "重病"
    assert ed.phone.text() == "13911112222"
    assert [m.name for m in ed.members.members] == ["马福", "海秀兰", "马小花"]
    assert ed.is_dirty()

    saved: list[str] = []
    ed.saved.connect(saved.append)
    ed.save()  # states the version just loaded, so it goes through
    assert saved == [hid]
    stored, stored_members = clerk.households.get(hid)
    assert (stored.address, stored.phone) == ("新地址 8 号", "13911112222")
    assert [(m.name, m.health) for m in stored_members][1:] == [("海秀兰", "重病"), ("马小花", "健康")]


def test_a_member_removed_here_stays_removed_after_the_reload(qtbot, clerk, other):
    hid = _family(clerk)
    ed = HouseholdEditor(clerk, hid)
    qtbot.addWidget(ed)
    ed.show()
    theirs, their_members = other.households.get(hid)
    theirs.notes = "户主外出务工"
    other.households.update(theirs, their_members)

    ed.member_view.setCurrentIndex(ed.members.index(1, 0))
    ed.remove_member()
    ed.save()
    assert "已被其他人修改" in ed.general_error.text()
    assert [m.name for m in ed.members.members] == ["马福"] and ed.notes.toPlainText() == "户主外出务工"
    ed.save()
    stored, stored_members = clerk.households.get(hid)
    assert [m.name for m in stored_members] == ["马福"] and stored.notes == "户主外出务工"


def test_archiving_a_household_changed_meanwhile_is_refused_and_the_editor_reloads(qtbot, clerk, other):
    hid = _family(clerk)
    ed = HouseholdEditor(clerk, hid)
    qtbot.addWidget(ed)
    ed.show()
    theirs, their_members = other.households.get(hid)
    theirs.phone = "13911113333"
    other.households.update(theirs, their_members)

    dlg = ed.archive()
    assert dlg is not None
    dlg.reason.setText("全户迁出")
    dlg.accept()
    assert "已被其他人修改" in dlg.error.text()
    assert not clerk.households.get(hid)[0].archived
    assert ed.phone.text() == "13911113333"  # the editor now shows the stored version
    dlg.reject()
    again = ed.archive()
    assert again is not None
    again.reason.setText("全户迁出")
    again.accept()
    assert clerk.households.get(hid)[0].archived


def test_a_role_without_full_id_numbers_sees_them_masked_and_can_still_save(qtbot, office, clerk):
    admin, _code, _dir = office
    hid = _family(clerk)
    ed = HouseholdEditor(admin, hid)
    qtbot.addWidget(ed)
    ed.show()
    assert all("*" in m.id_number for m in ed.members.members) and not ed.members.id_errors
    ed.phone.setText("13911114444")
    saved: list[str] = []
    ed.saved.connect(saved.append)
    ed.save()
    assert saved == [hid]
    _, members = clerk.households.get(hid)
    assert all(idnumber.is_valid(m.id_number) for m in members)  # the stored numbers were kept


def _pick(ed, code):
    from app.ui.widgets import select_data

    select_data(ed.village, code)


def test_urban_follows_the_picked_village_and_a_change_by_hand_is_noted(editor, clerk):
    _pick(editor, "640424100001")  # 香水街居委会: 城乡分类代码 121 (镇中心区)
    assert editor.urban.currentData() is True
    assert not editor.urban_note.isHidden() and editor.urban_note.text() == "Urban by its division code"
    _pick(editor, "640424100200")  # 大庄村委会: 220 (村庄)
    assert editor.urban.currentData() is False and editor.urban_note.text() == "Rural by its division code"
    # The clerk overrides: kept, and the note says so.
    _pick(editor, "640424100001")
    editor.urban.setCurrentIndex(editor.urban.findData(False))
    assert editor.urban_note.text() == "Urban by its division code; changed by hand to rural"
    _set(editor, 0, "name", "马福")
    _set(editor, 0, "id_number", GOOD)
    saved: list[str] = []
    editor.saved.connect(saved.append)
    editor.save()
    assert clerk.households.get(saved[0])[0].urban is False


def test_a_stored_choice_by_hand_is_kept_on_opening_and_noted(qtbot, clerk):
    hid = clerk.households.add(household("640424100001", urban=False), [member("马福", date(1970, 1, 1))]).id
    ed = HouseholdEditor(clerk, hid)
    qtbot.addWidget(ed)
    assert ed.urban.currentData() is False
    assert ed.urban_note.text() == "Urban by its division code; changed by hand to rural"


def test_an_archived_household_is_restored_from_its_editor(qtbot, clerk):
    hid = clerk.households.add(household(), [member("马福", date(1970, 1, 1))]).id
    clerk.households.archive(hid, "全户迁出")
    ed = HouseholdEditor(clerk, hid)
    qtbot.addWidget(ed)
    ed.show()
    assert ed.restore_button.isVisible() and not ed.archive_button.isVisible()
    assert "全户迁出" in ed.general_error.text()
    ed.restore()
    assert not clerk.households.get(hid)[0].archived
    assert ed.archive_button.isVisible() and not ed.restore_button.isVisible()
    assert ed.general_error.isHidden()


def test_archiving_with_an_open_application_is_refused_in_the_dialog(qtbot, clerk):
    hid = clerk.households.add(household(), [member("马福", date(1970, 1, 1))]).id
    clerk.enrolments.apply(hid, "低保", applied_on=date.today())
    ed = HouseholdEditor(clerk, hid)
    qtbot.addWidget(ed)
    ed.show()
    dlg = ed.archive()
    assert dlg is not None
    dlg.reason.setText("全户迁出")
    dlg.accept()
    # The dialog stays with the service's sentence and the reason still typed.
    assert dlg.isVisible() and "低保（申请）" in dlg.error.text() and dlg.reason.text() == "全户迁出"
    assert not clerk.households.get(hid)[0].archived


def test_a_new_household_is_not_under_watch_unless_ticked(editor, clerk):
    from app.domain.policy import months

    assert not editor.under_watch.isChecked()
    _set(editor, 0, "name", "马福")
    _set(editor, 0, "id_number", GOOD)
    saved: list[str] = []
    editor.saved.connect(saved.append)
    editor.save()
    assert saved and not clerk.households.get(saved[0])[0].under_watch
    assert saved[0] not in {d.household_id for d in clerk.visits.due(months.of(date.today()))}


def _cell(table, row: int, col: int) -> str:
    item = table.item(row, col)
    return item.text() if item is not None else ""


def test_the_visits_tab_lists_visits_newest_first_and_follows_new_ones(qtbot, clerk):
    from app.domain.entities import Visit
    from app.ui.ops import Op

    hid = clerk.households.add(household(), [member("马福", date(1970, 1, 1))]).id
    clerk.visits.record(Visit(household_id=hid, visit_date=date(2026, 1, 5), visitors="甲、乙", food_ok=True))
    ed = HouseholdEditor(clerk, hid)
    qtbot.addWidget(ed)
    ed.show()
    assert ed.visits.rowCount() == 1
    later = Visit(
        household_id=hid,
        visit_date=date(2026, 3, 5),
        visitors="丙、丁",
        medical_ok=False,
        item_notes={"medical_ok": "住院"},  # each item not assured needs its own note
    )
    Op(ed, lambda s, _p: s.visits.record(later), write=True).run()
    assert ed.visits.rowCount() == 2
    assert _cell(ed.visits, 0, 0) == "2026-03-05" and _cell(ed.visits, 1, 0) == "2026-01-05"
    # The newest visit says which item was not assured (wherever the visits tab puts it).
    assert any("基本医疗" in _cell(ed.visits, 0, c) for c in range(ed.visits.columnCount()))


def test_the_history_names_the_user_and_shows_income_items(qtbot, clerk):
    from app.domain.entities import IncomeRecord

    hid = clerk.households.add(household(), [member("马福", date(1970, 1, 1))]).id
    ed = HouseholdEditor(clerk, hid)
    qtbot.addWidget(ed)
    ed.show()
    from app.ui.ops import Op

    items = [IncomeRecord(kind="经营净收入", subtype="种植", amount_fen=240000, months=12)]
    Op(ed, lambda s, _p: s.income.set_income_items(hid, items), write=True).run()
    users = {_cell(ed.history, r, 1) for r in range(ed.history.rowCount())}
    assert users == {"王经办"}
    assert ed.history.rowCount() >= 3  # household, member, income item


def test_a_duplicate_id_names_the_village_offers_the_household_and_goes_with_the_row(editor, clerk):
    other = clerk.households.add(household(), [member("马学军", date(1970, 1, 1))]).id
    taken = clerk.households.get(other)[1][0].id_number
    _set(editor, 0, "name", "马福")
    _set(editor, 0, "id_number", GOOD)
    editor.add_member()
    _set(editor, 1, "name", "别人")
    _set(editor, 1, "relation", "子")
    _set(editor, 1, "id_number", taken)
    editor.show()
    editor.save()
    assert "马学军" in editor.member_error.text() and "村" in editor.member_error.text()
    assert editor.members.bad_row == 1 and editor.open_other_button.isVisible()
    opened = editor._open_other()
    assert opened is not None and opened.household_id == other
    opened.confirm_discard = lambda: True
    opened.reject()
    editor.member_view.setCurrentIndex(editor.members.index(1, 0))
    editor.remove_member()
    assert not editor.member_error.text() and not editor.open_other_button.isVisible()


# --- the members grid and the selected member's details ------------------------------------------


def _select_row(ed, row):
    ed.member_view.setCurrentIndex(ed.members.index(row, ed.members.column_of("relation")))


def test_details_pane_edits_the_selected_member_and_is_saved(editor, clerk):
    _fill_two_members(editor)
    details = editor.details
    _select_row(editor, 1)
    assert details.row == 1 and "马小花" in details.title()
    details.disability_type.setCurrentIndex(details.disability_type.findData("肢体"))
    details.disability_grade.setValue(2)
    details.disability_cert.setText("64042420100601222X42")
    details.schooling.setCurrentIndex(details.schooling.findData("小学"))
    details.left_behind.setCurrentIndex(details.left_behind.findData("留守儿童"))
    details.pension_insurance.setChecked(True)
    _select_row(editor, 0)
    assert details.row == 0 and "马福" in details.title()
    assert details.disability_type.currentData() == "" and not details.pension_insurance.isChecked()
    details.employed.setChecked(True)
    saved: list[str] = []
    editor.saved.connect(saved.append)
    editor.save()
    _h, members = clerk.households.get(saved[0])
    head, child = members
    assert head.employed and not head.pension_insurance and head.disability_grade == 0
    assert (child.disability_type, child.disability_grade, child.schooling) == ("肢体", 2, "小学")
    assert child.disability_cert == "64042420100601222X42"
    assert child.left_behind == "留守儿童" and child.pension_insurance and not child.employed


def test_a_death_date_is_kept_and_can_be_taken_back(editor, clerk):
    _fill_two_members(editor)
    _select_row(editor, 0)
    details = editor.details
    assert not details.deceased_on.isEnabled()
    details.deceased.setChecked(True)
    details.deceased_on.set_value(date(2025, 12, 3))
    assert editor.members.members[0].deceased_on == date(2025, 12, 3)
    details.deceased.setChecked(False)
    assert editor.members.members[0].deceased_on is None
    details.deceased.setChecked(True)
    saved: list[str] = []
    editor.saved.connect(saved.append)
    editor.save()
    _h, members = clerk.households.get(saved[0])
    assert members[0].deceased_on == date(2025, 12, 3)


def test_a_refusal_about_a_detail_field_marks_it_in_the_pane(editor, qtbot):
    _fill_two_members(editor)
    _show(editor, qtbot)
    _set(editor, 1, "disability_grade", 3)  # a grade without its type: the service refuses
    editor.save()
    details = editor.details
    assert editor.isVisible() and editor.member_error.text()
    assert editor.member_view.currentIndex().row() == 1 and details.row == 1
    assert details.disability_grade.styleSheet() or details.disability_type.styleSheet()  # marked
    assert editor.members.bad_field in details.widgets
    assert details.widgets[editor.members.bad_field].hasFocus()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_members_grid_needs_no_sideways_scrolling_at_1366(qtbot, clerk, request, lang):
    if lang == "zh_CN":
        request.getfixturevalue("zh_translators")
    ed = HouseholdEditor(clerk)
    qtbot.addWidget(ed)
    ed.confirm_discard = lambda: True
    _fill_two_members(ed)
    ed.resize(1366 - 40, 768 - 60)  # the dialog on a 1366x768 screen, less its frame and the taskbar
    ed.show()
    qtbot.waitExposed(ed)
    view = ed.member_view
    shown = [c for c in range(ed.members.columnCount()) if not view.isColumnHidden(c)]
    assert {ed.members.column_of(f) for f in ("name", "id_number", "relation", "age", "health")} <= set(shown)
    assert view.horizontalScrollBar().maximum() == 0
    assert sum(view.columnWidth(c) for c in shown) <= view.viewport().width()
    # Every column's title fits its column: nothing truncated in either language.
    header = view.horizontalHeader()
    for c in shown:
        title = str(ed.members.headerData(c, Qt.Orientation.Horizontal))
        assert header.fontMetrics().horizontalAdvance(title) < view.columnWidth(c), title
    assert ed.details.isVisible() and ed.details.width() >= 280


def test_the_household_file_and_each_member_keep_their_papers(qtbot, clerk, tmp_path):
    from PIL import Image

    from app.ui.household_editor import HouseholdEditor

    h = clerk.households.add(
        household(), [member("马文", date(1980, 1, 1)), member("马丽", date(2010, 5, 5), "女", male=False)]
    )
    _h, members = clerk.households.get(h.id)
    scan = tmp_path / "残疾证.jpg"
    Image.new("RGB", (800, 600), "gray").save(scan)
    clerk.attachments.add("members", members[1].id, scan, "残疾证.jpg", kind="残疾证")

    editor = HouseholdEditor(clerk, h.id)
    qtbot.addWidget(editor)
    editor.show()
    # The household's tab shows every paper of the household, the member's included.
    assert editor.attachments is not None
    editor.tabs.setCurrentWidget(editor.attachments)
    assert editor.attachments.list.count() == 1
    # Each member's papers open from the details pane, for that member only.
    editor.details.show_row(0)
    first = editor.details.open_papers()
    assert first is not None and first.panel.list.count() == 0  # type: ignore[attr-defined]
    editor.details.show_row(1)
    second = editor.details.open_papers()
    assert second is not None and second.panel.list.count() == 1  # type: ignore[attr-defined]
