"""The county's tasks in the household file: sent at the county, answered at the township."""

from __future__ import annotations

import pytest

from app.domain.entities import CountyTask, Household, Member, TaskReply
from app.services.office import create_office
from tests.conftest import ADMIN_PASSWORD
from tests.services.test_county_work import _carry, _poor_family


@pytest.fixture
def county_admin(tmp_path):
    admin, _code = create_office(tmp_path / "county", "640424", "admin", ADMIN_PASSWORD, kind="county")
    admin.users.add("xian1", "county", "county-pass-2021", display_name="县审批员")
    from app.services.office import open_session

    session = open_session(tmp_path / "county", "xian1", "county-pass-2021")
    yield session
    session.close()
    admin.close()


def test_the_county_sends_a_task_and_the_township_answers_it(qtbot, clerk, county_admin):
    from app.ui.household_editor import HouseholdEditor

    h = _poor_family(clerk)
    _carry(clerk, county_admin, Household, Member)

    at_county = HouseholdEditor(county_admin, h.id)
    qtbot.addWidget(at_county)
    at_county.show()
    bar = at_county.county_tasks
    assert bar.isVisible() and bar.send_button.isVisible()
    dlg = bar.open_send_dialog()
    dlg.accept()  # nothing typed: the service's sentence, the dialog stays
    assert "请写明" in dlg.error.text()
    line = dlg.fields["text"]
    line.setText("请再次入户核查收入情况")  # type: ignore[attr-defined]
    dlg.accept()
    assert [t.task.text for t in bar.tasks] == ["请再次入户核查收入情况"]

    _carry(county_admin, clerk, CountyTask)
    at_township = HouseholdEditor(clerk, h.id)
    qtbot.addWidget(at_township)
    at_township.show()
    tb = at_township.county_tasks
    assert tb.isVisible() and not tb.send_button.isVisible()
    answer = tb.open_reply_dialog(tb.tasks[0])
    note = answer.fields["note"]
    note.setText("已两人入户，收入无变化")  # type: ignore[attr-defined]
    answer.accept()
    assert tb.tasks[0].reply is not None
    assert tb.isHidden()  # nothing left to answer

    _carry(clerk, county_admin, TaskReply)
    bar.refresh()
    assert bar.tasks[0].reply is not None and "已两人入户" in bar.tasks[0].reply.note


def test_no_bar_at_a_township_without_tasks(qtbot, clerk):
    from app.ui.household_editor import HouseholdEditor

    h = _poor_family(clerk)
    editor = HouseholdEditor(clerk, h.id)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.county_tasks.isHidden()
