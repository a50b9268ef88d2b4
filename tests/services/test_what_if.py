"""政策测算: the county's what-if over every household, with the same rules as the roster."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.policy.eligibility import DIBAO, TEKUN, Assessment, Decision
from app.domain.policy.what_if import compare, standing
from app.errors import InvalidInput
from app.services.demo import load_synthetic
from app.services.what_if import WhatIfService

MONTH = "2026-11"


@pytest.fixture
def filled(office):
    session, _code, _dir = office
    load_synthetic(session, "small", households=60, seed=7, end_month=MONTH)
    return session


def _current_rural_annual(session) -> Decimal:
    params = session.policy.for_month(MONTH)
    return Decimal(params.rural_standard_annual_fen) / 100


def test_the_standard_in_force_changes_nothing(filled):
    same = WhatIfService(filled).run(MONTH, {"dibao.rural_standard_annual": _current_rural_annual(filled)})
    assert same.households > 0
    for effect in same.totals():
        assert (effect.entering_households, effect.leaving_households, effect.class_changed) == (0, 0, 0)
        assert effect.monthly_change_fen == 0


def test_a_higher_rural_standard_brings_households_in_and_costs_more(filled):
    current = _current_rural_annual(filled)
    result = WhatIfService(filled).run(MONTH, {"dibao.rural_standard_annual": current * 2})
    dibao = next(e for e in result.totals() if e.programme == DIBAO)
    assert dibao.entering_households > 0
    assert dibao.monthly_change_fen > 0
    assert dibao.yearly_change_fen == 12 * dibao.monthly_change_fen
    # Every township row is one of this office's (its village codes start with the township code).
    assert {e.township for e in result.townships} == {filled.office.code}


def test_nothing_is_written(filled):
    before = filled.db.scalar("SELECT count(*) FROM change_log"), filled.db.scalar("SELECT count(*) FROM audit_log")
    WhatIfService(filled).run(MONTH, {"dibao.rural_standard_annual": _current_rural_annual(filled) * 2})
    after = filled.db.scalar("SELECT count(*) FROM change_log"), filled.db.scalar("SELECT count(*) FROM audit_log")
    assert before == after


@pytest.mark.parametrize(
    ("proposal", "words"),
    [
        ({}, "至少填写一项"),
        ({"dibao.nonsense": 1}, "不是可以测算的标准"),
        ({"dibao.rural_standard_annual": -1}, "不能为负"),
    ],
)
def test_a_bad_proposal_is_one_sentence(filled, proposal, words):
    with pytest.raises(InvalidInput, match=words):
        WhatIfService(filled).run(MONTH, proposal)


def _assessment(*decisions: Decision) -> Assessment:
    return Assessment(None, None, decisions)  # type: ignore[arg-type]  # standing() reads only the decisions


_standing = st.builds(
    lambda ok, cls, persons, fen: (ok, cls if ok else "", persons if ok else 0, fen if ok else 0),
    st.booleans(),
    st.sampled_from(["A", "B", "差额"]),
    st.integers(1, 6),
    st.integers(0, 500_000),
)


@settings(max_examples=200)
@given(st.lists(st.tuples(st.sampled_from(["640424100", "640424101"]), _standing, _standing), max_size=30))
def test_the_totals_are_the_sum_of_the_households(rows):
    def decision(s):
        ok, cls, persons, fen = s
        return Decision(DIBAO, ok, class_code=cls, monthly_amount_fen=fen, persons_covered=persons)

    pairs = [(t, _assessment(decision(b)), _assessment(decision(a))) for t, b, a in rows]
    result = compare(MONTH, {}, pairs)
    total = next(e for e in result.totals() if e.programme == DIBAO)
    befores = [standing(b, DIBAO) for _t, b, _a in pairs]
    afters = [standing(a, DIBAO) for _t, _b, a in pairs]
    assert total.monthly_change_fen == sum(s.monthly_fen for s in afters) - sum(s.monthly_fen for s in befores)
    assert total.households_after - total.households_before == total.entering_households - total.leaving_households
    assert next(e for e in result.totals() if e.programme == TEKUN).households_after == 0


def test_the_workbook_has_a_row_per_township_and_the_total(filled, tmp_path):
    from openpyxl import load_workbook

    from app.reports.what_if_excel import HEADERS, write_what_if

    result = WhatIfService(filled).run(MONTH, {"dibao.rural_standard_annual": _current_rural_annual(filled) * 2})
    path = write_what_if(tmp_path / "测算.xlsx", result, {filled.office.code: "香水镇"}, "农村低保标准翻倍")
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2] == HEADERS
    body = rows[3:]
    assert [r[0] for r in body] == ["香水镇", "香水镇", "合计", "合计"]
    dibao_total = next(r for r in body if r[0] == "合计" and r[1] == DIBAO)
    expected = next(e for e in result.totals() if e.programme == DIBAO)
    assert dibao_total[6] == expected.entering_households
    assert dibao_total[14] == pytest.approx(expected.yearly_change_fen / 100)
    assert not list(tmp_path.glob(".*.part"))
