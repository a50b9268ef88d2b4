"""特困 and 低保 exclude each other for the same person (docs/domain.md §2.4, issue 9 point 17).

The property over random households is in test_policy_properties.py.
"""

from __future__ import annotations

from datetime import date

from policy_testkit import book, case, person, wage

from app.domain.policy.assess import assess
from app.domain.policy.eligibility import DIBAO, TEKUN, assess_case, dibao
from app.domain.policy.income import assess_income
from app.domain.policy.model import CurrentDibao

P22 = book().for_month("2022-03")  # rural standard 460.00/month; 特困 basic 1.3 × 460 = 598.00


def _eligible(a, programme):
    return [d for d in a.decisions if d.programme == programme and d.eligible]


def test_a_lone_elder_with_no_supporter_is_supported_as_tekun_only():
    c = case([person("m1", date(1940, 1, 1), has_supporter=False)])
    a = assess_case(c, "2022-03", P22)
    (t,) = _eligible(a, TEKUN)
    assert _eligible(a, DIBAO) == []
    d = next(d for d in a.decisions if d.programme == DIBAO)
    assert any("按特困供养" in r for r in d.reasons)
    assert t.monthly_amount_fen == 59800 + 6000  # basic + 全自理 care (placeholders)


def test_the_other_members_stay_in_dibao_and_the_tekun_member_leaves_its_count():
    # m1 (75, no able supporter) is 特困; m2 and m3 are adults with labour ability. Household income 0.
    c = case(
        [
            person("m1", date(1947, 1, 1), has_supporter=True, supporter_able=False),
            person("m2"),
            person("m3"),
        ]
    )
    a = assess_case(c, "2022-03", P22)
    (d,) = _eligible(a, DIBAO)
    (t,) = _eligible(a, TEKUN)
    assert t.covered_refs == ("m1",)
    assert d.covered_refs == ("m2", "m3") and d.persons_covered == 2
    assert d.monthly_amount_fen == 46000 * 2  # 差额 460.00 − 0 for the two who remain
    assert "特困成员不计发" in d.flags


def test_assess_never_adds_both_amounts_for_one_person():
    raw = {
        "urban": False,
        "members": [{"ref": "m1", "name": "马老汉", "birth_date": "1955-01-01", "has_supporter": False}],
    }
    out = assess(raw, "2022-03", book())
    assert out["summary"]["eligible"] == ["特困"]
    assert out["summary"]["monthly_total_fen"] == 59800 + 6000


def test_in_the_grace_period_the_tekun_member_is_not_paid_either():
    c = case(
        [person("m1", date(1940, 1, 1), has_supporter=False), person("m2")],
        [wage(1_200_000, "m2")],  # 1000.00 a month: above the standard
        current_dibao=CurrentDibao("差额", 40000, 2, "2022-02"),
        current_programmes=("低保",),
    )
    inc = assess_income(c, "2022-03", P22)
    d = dibao(c, "2022-03", P22, inc, ("m1",))
    assert d.eligible and d.covered_refs == ("m2",) and d.persons_covered == 1
    assert d.monthly_amount_fen == 20000  # 400.00 × 1 ÷ 2
