"""A household moving between townships on screen: the county decides in the household file, the
sender moves it out from the banner, the receiver registers it from its 迁入待接收 queue."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QWidget

from app.domain.entities import Enrolment, EnrolmentStep, Handover, Household, IncomeRecord, Member
from tests.services.test_county_work import _carry
from tests.services.test_handovers import TOWN_B, VILLAGE_B, _enrolled_family, county, town_b  # noqa: F401

TODAY = date.today()


def _editor(qtbot, session, hid):
    from app.ui.household_editor import HouseholdEditor

    editor = HouseholdEditor(session, hid)
    qtbot.addWidget(editor)
    editor.resize(1366, 768)
    editor.show()
    return editor


def _decided_at_county(qtbot, clerk, reviewer, county):  # noqa: F811 - the fixture, passed on
    h, _e = _enrolled_family(clerk, reviewer)
    _carry(clerk, county, Household, Member, IncomeRecord, Enrolment, EnrolmentStep)
    editor = _editor(qtbot, county, h.id)
    bar = editor.handover
    assert bar.isVisible() and bar.start_button.isVisible() and not bar.release_button.isVisible()
    dlg = bar.open_start_dialog()
    towns = dlg.fields["township_code"]
    towns.setCurrentIndex(towns.findData(TOWN_B))
    dlg.accept()  # no reason typed: the service's sentence beside the field, the dialog stays
    assert "原因" in dlg.error.text()
    dlg.fields["reason"].setText("投靠子女")
    dlg.accept()
    assert bar.view is not None and "泾河源镇" in bar.label.text() and "待办理" in bar.label.text()
    assert not bar.start_button.isVisible()
    return h, editor


def test_the_county_decides_a_move_from_the_household_file(qtbot, clerk, reviewer, county):  # noqa: F811
    _h, editor = _decided_at_county(qtbot, clerk, reviewer, county)
    assert editor.handover.view.handover.township_code == TOWN_B


def test_the_county_withdraws_a_move_from_the_household_file(qtbot, clerk, reviewer, county):  # noqa: F811
    _h, editor = _decided_at_county(qtbot, clerk, reviewer, county)
    bar = editor.handover
    assert bar.withdraw_button.isVisible()
    handover_id = bar.view.handover.id
    dlg = bar.open_withdraw_dialog()
    dlg.accept()  # no reason typed: the service's sentence beside the field, nothing written
    assert "撤回原因" in dlg.error.text()
    assert not county.store.repo(Handover).get(handover_id).withdrawn
    dlg.fields["reason"].setText("家人决定不迁了")
    dlg.accept()
    assert county.store.repo(Handover).get(handover_id).withdrawn
    # The move is gone from the file; the county may decide another one.
    assert bar.view is None and not bar.withdraw_button.isVisible() and bar.start_button.isVisible()


def test_the_sender_moves_the_household_out_from_the_banner(qtbot, clerk, reviewer, county):  # noqa: F811
    h, _at_county = _decided_at_county(qtbot, clerk, reviewer, county)
    _carry(county, reviewer, Handover)
    editor = _editor(qtbot, reviewer, h.id)
    bar = editor.handover
    assert bar.isVisible() and bar.release_button.isVisible() and not bar.start_button.isVisible()
    assert not bar.withdraw_button.isVisible()  # a township does not withdraw the county's decision
    assert "泾河源镇" in bar.label.text() and "投靠子女" in bar.label.text()
    dlg = bar.open_release_dialog()
    dlg.accept()
    assert reviewer.households.get(h.id)[0].archived
    # Gone from here: nothing to edit, nothing to restore, and the banner says where it went.
    assert not bar.release_button.isVisible() and "泾河源镇" in bar.label.text()
    assert not editor.save_button.isEnabled() and not editor.restore_button.isVisible()


def test_the_receiver_registers_the_household_from_its_queue(qtbot, clerk, reviewer, county, town_b):  # noqa: F811
    from app.services.queues import MOVING_IN
    from app.ui.widgets.work_queues import WorkQueuesPanel, load_queues

    _decided_at_county(qtbot, clerk, reviewer, county)
    _carry(county, town_b, Handover)
    host = QWidget()
    host.session = town_b  # type: ignore[attr-defined]
    qtbot.addWidget(host)
    panel = WorkQueuesPanel(host)
    panel.show_queues(load_queues(town_b, TODAY))
    assert panel.queue_buttons[MOVING_IN].text().endswith("  1")
    panel.show_queue(MOVING_IN)
    panel.table.setCurrentCell(0, 0)
    with qtbot.waitSignal(panel.household_chosen) as chosen:
        panel.open_selected()
        dlg = panel.dialog
        assert dlg is not None and "马学军" in dlg.findChild(type(dlg.error)).text()
        villages = dlg.fields["village_code"]
        villages.setCurrentIndex(villages.findData(VILLAGE_B))
        dlg.accept()
    new_id = chosen.args[0]
    household = town_b.households.get(new_id)[0]
    assert household.village_code == VILLAGE_B and "由香水镇迁入" in household.notes
    panel.show_queues(load_queues(town_b, TODAY))
    assert panel.queues is not None and panel.queues.count(MOVING_IN) == 0
