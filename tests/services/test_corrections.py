"""Corrections: the applicant withdraws (申请人撤回), and the reviewer undoes a step recorded by mistake."""

from datetime import date, timedelta

import pytest

from app.domain.policy import months
from app.errors import InvalidInput, PermissionDenied
from tests.services.test_programmes import _poor_family, _to_review

TODAY = date.today()
NEXT = months.add(months.of(TODAY), 1)


def test_an_applicant_withdraws_with_a_reason_and_the_application_ends(clerk):
    h = _poor_family(clerk)
    e = clerk.enrolments.apply(h.id, "低保", applied_on=TODAY - timedelta(days=3))
    clerk.enrolments.advance(e.id, "入户调查", on=TODAY - timedelta(days=1), note="两人入户")
    with pytest.raises(InvalidInput) as err:
        clerk.enrolments.advance(e.id, "申请人撤回", on=TODAY, note=" ")
    assert err.value.field == "note"
    done = clerk.enrolments.advance(e.id, "申请人撤回", on=TODAY, note="外出务工，本人不再申请")
    assert done.status == "申请人撤回"
    with pytest.raises(InvalidInput):
        clerk.enrolments.advance(e.id, "公示", on=TODAY, publicity_from=TODAY, publicity_to=TODAY)
    # A withdrawn application does not block a new one.
    assert clerk.enrolments.apply(h.id, "低保", applied_on=TODAY).status == "申请"


def test_the_reviewer_undoes_the_latest_step_with_a_reason_and_it_is_audited(clerk, reviewer):
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    with pytest.raises(PermissionDenied):
        clerk.enrolments.undo_last_step(e.id, "误点")
    with pytest.raises(InvalidInput) as err:
        reviewer.enrolments.undo_last_step(e.id, "  ")
    assert err.value.field == "reason"
    back = reviewer.enrolments.undo_last_step(e.id, "公示期未满就误录了审核审批")
    assert back.status == "公示"
    view = reviewer.enrolments.enrolments(h.id)[0]
    assert [s.step for s in view.steps] == ["申请", "入户调查", "公示"]
    actions = [a.action for a in reviewer.store.history([e.id, back.id])]
    assert any("撤销" in a and "公示期未满就误录了审核审批" in a for a in actions)


def test_undoing_an_approval_restores_the_fields_it_set(clerk, reviewer):
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    approved = reviewer.enrolments.advance(e.id, "在保", on=TODAY)
    assert approved.monthly_amount_fen and approved.start_month
    back = reviewer.enrolments.undo_last_step(e.id, "金额录错，重新审批")
    assert back.status == "审核审批"
    assert back.monthly_amount_fen is None or back.monthly_amount_fen == e.monthly_amount_fen
    assert back.start_month == e.start_month and back.approved_on == e.approved_on
    # It can be approved again afterwards.
    assert reviewer.enrolments.advance(e.id, "在保", on=TODAY).status == "在保"


def test_the_application_itself_cannot_be_undone(clerk, reviewer):
    h = _poor_family(clerk)
    e = clerk.enrolments.apply(h.id, "低保", applied_on=TODAY)
    with pytest.raises(InvalidInput, match="申请人撤回"):
        reviewer.enrolments.undo_last_step(e.id, "录错")


def test_an_approval_already_paid_on_a_locked_roster_cannot_be_undone(clerk, reviewer):
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    reviewer.enrolments.advance(e.id, "在保", on=TODAY)
    clerk.payments.build(NEXT)
    reviewer.payments.approve(NEXT)
    with pytest.raises(InvalidInput, match="锁定"):
        reviewer.enrolments.undo_last_step(e.id, "录错")
    assert reviewer.enrolments.get_enrolment(e.id).status == "在保"


def test_a_class_not_in_the_policy_book_is_refused(clerk, reviewer):
    h = _poor_family(clerk)
    with pytest.raises(InvalidInput) as err:
        clerk.enrolments.apply(h.id, "低保", applied_on=TODAY, class_code="三类2026-11-")
    assert err.value.field == "class_code" and "三类2026-11-" in err.value.args[0]
    codes = clerk.enrolments.class_codes(months.of(TODAY))
    assert codes
    e = _to_review(clerk, h)
    with pytest.raises(InvalidInput) as err:
        reviewer.enrolments.advance(e.id, "在保", on=TODAY, class_code="三类2026-11-")
    assert err.value.field == "class_code"
    assert reviewer.enrolments.advance(e.id, "在保", on=TODAY, class_code=codes[0]).class_code == codes[0]
