"""The household's 救助 panel, driven as a clerk and a reviewer would."""

import itertools
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.domain import workflow
from app.domain.policy import months
from app.ui.enrolments import ApproveDialog, EnrolmentsPanel, PublicityDialog, StepDialog
from app.ui.ops import Op
from tests.services.test_programmes import _poor_family, _to_review

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


def _panel(qtbot, session, household_id):
    """A panel as a person sees it: shown, so it loads, and refreshes on the writes it hears of."""
    panel = EnrolmentsPanel(session, household_id)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_apply_through_approval(qtbot, clerk, reviewer):
    h = _poor_family(clerk)
    panel = _panel(qtbot, clerk, h.id)
    # The assessment is shown with its income steps.
    assessment = panel.assessment
    assert "66.66" in assessment.per_capita_label.text()
    assert assessment.income_steps.toPlainText().count("\n") >= 1
    assert any(d.programme == "低保" and d.eligible for d in assessment.decision_model.rows)

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
    dlg = _step(
        panel,
        "公示",
        on=START + timedelta(days=2),
        publicity_from=START + timedelta(days=2),
        publicity_to=START + timedelta(days=6),
    )
    assert dlg.isVisible() and "7 天" in dlg.error.text()
    assert "5" in dlg.fields["rule"].text()
    dlg.fields["publicity_to"].set_value(START + timedelta(days=8))
    dlg.accept()
    assert not dlg.isVisible()
    assert panel.selected().enrolment.status == "公示"

    _step(panel, "审核审批", on=START + timedelta(days=10))
    assert not panel.step_buttons["在保"].isEnabled()  # a clerk cannot approve

    rpanel = _panel(qtbot, reviewer, h.id)
    rpanel.step_buttons["在保"].click()
    dlg = rpanel.dialog
    expected = next(
        d for d in reviewer.income.assess(h.id, months.add(months.of(TODAY), 1)).decisions if d.programme == "低保"
    )
    assert dlg.amount.fen() == expected.monthly_amount_fen > 0
    # A different amount needs the 一事一议 reason.
    dlg.amount.setText("100.00")
    dlg.accept()
    assert dlg.isVisible() and "一事一议" in dlg.error.text()
    dlg.amount.set_fen(expected.monthly_amount_fen)
    dlg.accept()
    assert not dlg.isVisible()
    ev = rpanel.selected()
    assert ev.enrolment.status == "在保"
    assert ev.enrolment.monthly_amount_fen == expected.monthly_amount_fen
    steps = [rpanel.steps_table.item(r, 0).text() for r in range(rpanel.steps_table.rowCount())]
    assert steps == ["申请", "入户调查", "公示", "审核审批", "在保"]
    assert rpanel.steps_table.item(4, 2).text() == "李主任"  # shown by name, recorded by user name
    assert set(rpanel.step_buttons) == {"渐退", "停保"}


def test_stop_needs_a_reason(qtbot, clerk, reviewer):
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    reviewer.enrolments.advance(e.id, "在保", on=TODAY)
    panel = _panel(qtbot, reviewer, h.id)
    dlg = _step(panel, "停保")
    assert isinstance(dlg, StepDialog) and dlg.reason_required
    assert dlg.isVisible() and "停保" in dlg.error.text()
    assert reviewer.enrolments.get_enrolment(e.id).status == "在保"  # refused before writing
    assert dlg.fields["note"].styleSheet()  # the reason box is marked
    dlg.note.setPlainText("迁出本县")
    dlg.accept()
    assert panel.selected().enrolment.status == "停保"
    assert panel.step_buttons == {}


def test_income_items_edit_and_bad_amount(qtbot, clerk):
    h = _poor_family(clerk)
    panel = _panel(qtbot, clerk, h.id)
    income = panel.income
    assert income.table.rowCount() == 1
    r = income.add_row()
    income.table.cellWidget(r, 0).setCurrentText("工资性")
    income.table.cellWidget(r, 1).setText("务工")
    income.table.cellWidget(r, 3).setText("")
    assert income.save() is None  # refused while reading: nothing written
    assert not panel.message.isHidden() and "2" in panel.message.text()
    assert income.table.currentRow() == r
    income.table.cellWidget(r, 3).setText("3600")
    income.table.cellWidget(r, 4).setValue(6)
    income.save()
    assert "saved" in panel.message.text() or "保存" in panel.message.text()
    items = clerk.income.income_items(h.id)
    assert sorted((i.kind, i.amount_fen, i.months) for i in items) == [
        ("工资性", 360000, 6),
        ("经营净收入", 240000, 12),
    ]
    # 2 400/12 + 3 600/6 = 800 元 a month for three → 266.66 per person: the write's changes reloaded it
    assert "266.66" in panel.assessment.per_capita_label.text()
    assert income.save_button.isEnabled()


def test_a_write_elsewhere_refreshes_the_visible_panel_through_the_changes(qtbot, clerk):
    h = _poor_family(clerk)
    panel = _panel(qtbot, clerk, h.id)
    assert panel.views == []
    Op(panel, lambda s, _p: s.enrolments.apply(h.id, "低保", applied_on=START), write=True).run()
    assert [v.enrolment.status for v in panel.views] == ["申请"]
    assert set(panel.step_buttons) == {str(s) for s in workflow.next_steps("申请")}


def test_the_publicity_dialog_refuses_a_short_notice_with_the_domains_sentence(qtbot, clerk):
    h = _poor_family(clerk)
    e = clerk.enrolments.apply(h.id, "低保", applied_on=START)
    clerk.enrolments.advance(e.id, "入户调查", on=START + timedelta(days=1))
    panel = _panel(qtbot, clerk, h.id)
    start, end = START + timedelta(days=2), START + timedelta(days=4)
    dlg = _step(panel, "公示", publicity_from=start, publicity_to=end)
    assert isinstance(dlg, PublicityDialog)
    assert dlg.error.text() == workflow.publicity_problem(start, end)
    assert dlg.isVisible() and clerk.enrolments.get_enrolment(e.id).status == "入户调查"
    dlg.publicity_to.set_value(workflow.publicity_end(start))
    assert "7" in dlg.rule.text()
    dlg.accept()
    assert not dlg.isVisible() and clerk.enrolments.get_enrolment(e.id).status == "公示"


def test_the_refusal_step_needs_its_written_reason(qtbot, clerk, reviewer):
    h = _poor_family(clerk)
    e = clerk.enrolments.apply(h.id, "低保", applied_on=START)
    panel = _panel(qtbot, reviewer, h.id)
    assert workflow.needs_written_reason("不予批准", "申请")
    dlg = _step(panel, "不予批准")
    assert isinstance(dlg, StepDialog) and dlg.isVisible() and "不予批准" in dlg.error.text()
    assert reviewer.enrolments.get_enrolment(e.id).status == "申请"
    dlg.note.setPlainText("收入超过标准")
    dlg.accept()
    assert reviewer.enrolments.get_enrolment(e.id).status == "不予批准"


def test_the_approval_asks_the_case_by_case_reason_only_when_the_domain_needs_it(qtbot, clerk, reviewer):
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    panel = _panel(qtbot, reviewer, h.id)
    panel.step_buttons["在保"].click()
    dlg = panel.dialog
    assert isinstance(dlg, ApproveDialog)
    assert dlg.start_month.month() == workflow.payment_start_month(TODAY)
    assessed = dlg.amount.fen()
    assert not dlg.reason_needed() and "required" not in dlg.reason_label.text()
    dlg.amount.set_fen(assessed + 100)
    assert dlg.reason_needed() == workflow.needs_case_by_case_reason(assessed + 100, assessed)
    dlg.accept()
    assert dlg.isVisible() and "一事一议" in dlg.error.text()
    assert reviewer.enrolments.get_enrolment(e.id).status == "审核审批"
    dlg.reason.setPlainText("镇党委会议一事一议：2 月起照顾一人")
    dlg.accept()
    approved = reviewer.enrolments.get_enrolment(e.id)
    assert approved.status == "在保" and approved.monthly_amount_fen == assessed + 100


def test_tab_in_a_dialog_note_moves_on_instead_of_typing(qtbot):
    from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

    from app.ui.widgets import FormDialog

    dlg = FormDialog("t")
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


def _grab(dlg, name):
    """Render the dialog at its default size (it must fit a 1366x768 screen) for a person to look at."""
    dlg.show()
    dlg.adjustSize()
    assert dlg.width() <= 1366 and dlg.height() <= 768
    dlg.grab().save(str(_SHOTS / f"{name}.png"))


_SHOTS = __import__("pathlib").Path(__import__("tempfile").gettempdir()) / "doudi-enrolment-dialogs"
_SHOTS.mkdir(exist_ok=True)


def test_the_approval_rows_never_overlap_when_the_warning_and_the_error_show(qtbot, clerk, reviewer):
    h = _poor_family(clerk)
    _to_review(clerk, h)
    panel = _panel(qtbot, reviewer, h.id)
    panel.step_buttons["在保"].click()
    dlg = panel.dialog
    dlg._show_decision(None, dlg.start_month.month())  # the long not-eligible sentence, two lines
    dlg.amount.set_fen(100)
    dlg.accept()
    _grab(dlg, "approve-not-eligible-error")
    assert dlg.error.isVisible() and "一事一议" in dlg.error.text()
    boxes = [dlg.computed_label, dlg.reason, dlg.note, dlg.error, dlg.buttons]
    for upper, lower in itertools.pairwise(boxes):
        assert upper.geometry().bottom() < lower.geometry().top(), (upper, lower)
    assert dlg.error.height() >= dlg.error.heightForWidth(dlg.error.width())


def test_the_class_is_chosen_from_the_policy_book(qtbot, clerk, reviewer):
    h = _poor_family(clerk)
    codes = clerk.enrolments.class_codes(months.of(TODAY))
    panel = _panel(qtbot, clerk, h.id)
    panel.apply_button.click()
    dlg = panel.dialog
    offered = [dlg.class_code.itemData(i) for i in range(dlg.class_code.count())]
    assert offered == ["", *codes]  # nothing typed by hand: "" leaves it to the approval
    _to_review(clerk, h)
    panel = _panel(qtbot, reviewer, h.id)
    panel.step_buttons["在保"].click()
    approve = panel.dialog
    assert [approve.class_code.itemText(i) for i in range(approve.class_code.count())] == codes
    assert not approve.class_code.isEditable()


def test_the_apply_dialog_shows_the_assessment(qtbot, clerk):
    h = _poor_family(clerk)
    panel = _panel(qtbot, clerk, h.id)
    panel.apply_button.click()
    dlg = panel.dialog
    _grab(dlg, "apply")
    text = dlg.fields["assessment"].text()
    assert "Eligible for 低保" in text and "3 persons" in text


def _rich_family(clerk):
    h = _poor_family(clerk)
    from app.domain.entities import IncomeRecord

    clerk.income.set_income_items(h.id, [IncomeRecord(kind="工资性", subtype="务工", amount_fen=12_000_000, months=12)])
    return h


def test_the_survey_warns_but_does_not_refuse_when_the_household_is_clearly_not_eligible(qtbot, clerk):
    h = _rich_family(clerk)
    clerk.enrolments.apply(h.id, "低保", applied_on=START)
    panel = _panel(qtbot, clerk, h.id)
    panel.step_buttons["入户调查"].click()
    dlg = panel.dialog
    _grab(dlg, "survey-not-eligible")
    assert dlg.warning.isVisible() and "Not eligible for 低保" in dlg.warning.text()
    dlg.note.setPlainText("两人入户")
    dlg.accept()
    assert panel.selected().enrolment.status == "入户调查"


def test_the_applicant_withdraws_and_the_reviewer_undoes_a_wrong_step(qtbot, clerk, reviewer):
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    clerk_panel = _panel(qtbot, clerk, h.id)
    assert not clerk_panel.undo_button.isVisible()  # a clerk does not undo steps
    panel = _panel(qtbot, reviewer, h.id)
    assert panel.undo_button.isVisible()
    panel.undo_button.click()
    dlg = panel.dialog
    _grab(dlg, "undo-step")
    dlg.accept()
    assert dlg.isVisible() and dlg.error.isVisible()  # the reason is required
    dlg.reason.setPlainText("公示未满误录")
    dlg.accept()
    assert reviewer.enrolments.get_enrolment(e.id).status == "公示"
    assert panel.selected().enrolment.status == "公示"
    withdraw = _step(panel, "申请人撤回", note="本人不再申请")
    assert withdraw.result() == QDialog.DialogCode.Accepted
    assert panel.selected().enrolment.status == "申请人撤回"
    assert not panel.step_buttons


def test_no_enrolment_is_said_only_when_there_is_none(qtbot, clerk):
    h = _poor_family(clerk)
    panel = EnrolmentsPanel(clerk, h.id)
    qtbot.addWidget(panel)
    panel.show()
    assert "No enrolment yet" in panel.next_label.text()
    clerk.enrolments.apply(h.id, "低保", applied_on=date.today())
    panel.refresh()
    panel.enrolment_table.clearSelection()
    assert "No enrolment yet" not in panel.next_label.text()


def test_step_dialog_titles_name_the_step_without_an_ellipsis():
    from app.ui.enrolments.texts import step_button_text, step_title

    assert step_button_text("审核审批", "在保").endswith("…")
    assert not step_title("审核审批", "在保").endswith("…")
    assert step_title("申请", "入户调查") == "入户调查"


def test_a_message_does_not_move_the_tabs(qtbot, clerk):
    h = _poor_family(clerk)
    panel = EnrolmentsPanel(clerk, h.id)
    qtbot.addWidget(panel)
    panel.resize(1200, 600)
    panel.show()
    before = panel.tabs.mapTo(panel, panel.tabs.rect().topLeft())
    panel.message.info("已保存。")
    qtbot.wait(10)
    assert panel.tabs.mapTo(panel, panel.tabs.rect().topLeft()) == before


def test_each_step_shows_and_takes_its_own_papers(qtbot, clerk, tmp_path):
    from PIL import Image

    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    panel = _panel(qtbot, clerk, h.id)
    panel.select_enrolment(e.id)
    steps = clerk.enrolments.enrolments(h.id)[0].steps
    assert panel.step_attachments.subject_id == steps[-1].id  # the latest step's papers first
    panel.steps_table.selectRow(0)
    assert panel.step_attachments.subject_id == steps[0].id
    scan = tmp_path / "申请书.png"
    Image.new("RGB", (300, 400), "white").save(scan)
    clerk.attachments.add("enrolment_steps", steps[0].id, scan, "申请书.png")
    panel.step_attachments.refresh()
    assert panel.step_attachments.list.count() == 1
    panel.steps_table.selectRow(1)
    assert panel.step_attachments.list.count() == 0
