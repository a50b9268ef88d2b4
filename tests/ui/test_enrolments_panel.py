"""The household's 救助 panel, driven as a clerk and a reviewer would."""
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.domain.policy import months
from app.services.office import open_session
from app.ui.enrolments_panel import EnrolmentsPanel
from tests.services.test_programmes import _poor_family

TODAY = date.today()
START = TODAY - timedelta(days=20)


def _step(panel, step, **fill):
    button = panel.step_buttons[step]
    assert button.isEnabled(), button.toolTip()
    button.click()
    dlg = panel.dialog
    assert dlg is not None
    for name, value in fill.items():
        widget = dlg.fields[name]
        if hasattr(widget, "set_value"):
            widget.set_value(value)
        elif hasattr(widget, "setPlainText"):
            widget.setPlainText(value)
        else:
            widget.setText(value)
    dlg.accept()
    return dlg


def test_apply_through_approval(qtbot, clerk, reviewer):
    h = _poor_family(clerk)
    panel = EnrolmentsPanel(clerk, h.id)
    qtbot.addWidget(panel)
    # The assessment is shown with its income steps.
    assert "66.66" in panel.per_capita_label.text()
    assert panel.income_steps.toPlainText().count("\n") >= 1
    assert any(d.programme == "低保" and d.eligible for d in panel.decision_model.rows)

    panel.apply_button.click()
    dlg = panel.dialog
    dlg.fields["applied_on"].set_value(START)
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert panel.selected().enrolment.status == "申请"
    # A clerk may not refuse (不予批准 is the reviewer's): disabled with a tooltip.
    assert not panel.step_buttons["不予批准"].isEnabled()
    assert panel.step_buttons["不予批准"].toolTip()

    _step(panel, "入户调查", on=START + timedelta(days=1), note="王五、赵六入户")
    assert panel.selected().enrolment.status == "入户调查"

    # A 5-day notice is refused; the service's sentence is shown and the dialog stays open.
    dlg = _step(panel, "公示", on=START + timedelta(days=2), publicity_from=START + timedelta(days=2),
                publicity_to=START + timedelta(days=6))
    assert dlg.isVisible() and "7 天" in dlg.error.text()
    assert "5" in dlg.fields["rule"].text()
    dlg.fields["publicity_to"].set_value(START + timedelta(days=8))
    dlg.accept()
    assert not dlg.isVisible()
    assert panel.selected().enrolment.status == "公示"

    _step(panel, "审核审批", on=START + timedelta(days=10))
    assert not panel.step_buttons["在保"].isEnabled()          # a clerk cannot approve

    rpanel = EnrolmentsPanel(reviewer, h.id)
    qtbot.addWidget(rpanel)
    rpanel.step_buttons["在保"].click()
    dlg = rpanel.dialog
    expected = next(d for d in reviewer.programmes.assess(h.id, months.add(months.of(TODAY), 1)).decisions
                    if d.programme == "低保")
    assert dlg.fields["amount"].fen() == expected.monthly_amount_fen > 0
    # A different amount needs the 一事一议 reason.
    dlg.fields["amount"].setText("100.00")
    dlg.accept()
    assert dlg.isVisible() and "一事一议" in dlg.error.text()
    dlg.fields["amount"].set_fen(expected.monthly_amount_fen)
    dlg.accept()
    assert not dlg.isVisible()
    ev = rpanel.selected()
    assert ev.enrolment.status == "在保"
    assert ev.enrolment.monthly_amount_fen == expected.monthly_amount_fen
    steps = [rpanel.steps_table.item(r, 0).text() for r in range(rpanel.steps_table.rowCount())]
    assert steps == ["申请", "入户调查", "公示", "审核审批", "在保"]
    assert rpanel.steps_table.item(4, 2).text() == "李主任"          # shown by name, recorded by user name
    assert set(rpanel.step_buttons) == {"渐退", "停保"}


def test_stop_needs_a_reason(qtbot, clerk, reviewer):
    from tests.services.test_programmes import _to_review
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    reviewer.programmes.advance(e.id, "在保", on=TODAY)
    panel = EnrolmentsPanel(reviewer, h.id)
    qtbot.addWidget(panel)
    dlg = _step(panel, "停保")
    assert dlg.isVisible() and dlg.error.text()
    dlg.fields["note"].setPlainText("迁出本县")
    dlg.accept()
    assert panel.selected().enrolment.status == "停保"
    assert panel.step_buttons == {}


def test_income_items_edit_and_bad_amount(qtbot, clerk):
    h = _poor_family(clerk)
    panel = EnrolmentsPanel(clerk, h.id)
    qtbot.addWidget(panel)
    assert panel.income_table.rowCount() == 1
    r = panel.add_income_row()
    panel.income_table.cellWidget(r, 0).setCurrentText("工资性")
    panel.income_table.cellWidget(r, 1).setText("务工")
    panel.income_table.cellWidget(r, 3).setText("")
    assert not panel.save_income()
    assert not panel.message.isHidden() and "2" in panel.message.text()
    panel.income_table.cellWidget(r, 3).setText("3600")
    panel.income_table.cellWidget(r, 4).setValue(6)
    assert panel.save_income()
    items = clerk.programmes.income_items(h.id)
    assert sorted((i.kind, i.amount_fen, i.months) for i in items) == [("工资性", 360000, 6), ("经营净收入", 240000, 12)]
    # 2 400/12 + 3 600/6 = 800 元 a month for three → 266.66 per person
    assert "266.66" in panel.per_capita_label.text()


def test_tab_in_a_dialog_note_moves_on_instead_of_typing(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

    from app.ui.assist_widgets import FormDialog
    dlg = FormDialog("t", lambda: None)
    qtbot.addWidget(dlg)
    note, after = QPlainTextEdit(), QLineEdit()
    dlg.add_row("note", note)
    dlg.add_row("after", after)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)
    note.setFocus()
    qtbot.keyClick(note, Qt.Key.Key_Tab)
    assert note.toPlainText() == "" and QApplication.focusWidget() is after
