"""Dated parameters: the figures in force on the 1st of the month (docs/domain.md §9.1)."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from policy_testkit import book, raw_policy

from app.domain.policy import months
from app.domain.policy.params import PolicyBook, PolicyError


@pytest.mark.parametrize(
    ("month", "urban", "rural_annual", "rural_monthly"),
    [
        ("2015-04", 38000, 240000, 20000),  # 宁财（社）发〔2015〕250号: 380 / 2400 → 2400 ÷ 12 = 200.00
        ("2020-12", 38000, 240000, 20000),  # still the 2015 figures (later Ningxia rises unknown)
        ("2021-08", 60000, 456000, 38000),  # S10 "before 2022": 600 / 4560 → 4560 ÷ 12 = 380.00
        ("2021-12", 60000, 456000, 38000),
        ("2022-01", 65000, 552000, 46000),  # S10 2022: 650 / 5520 → 5520 ÷ 12 = 460.00
        ("2025-06", 65000, 552000, 46000),
    ],
)
def test_standard_in_force(month, urban, rural_annual, rural_monthly):
    p = book().for_month(month)
    assert p.urban_standard_monthly_fen == urban
    assert p.rural_standard_annual_fen == rural_annual
    assert p.rural_standard_monthly_fen == rural_monthly
    assert p.standard_monthly_fen(True) == urban and p.standard_monthly_fen(False) == rural_monthly


def test_2013_rural_monthly_rounds_half_up():
    # 1930 元/年 ÷ 12 = 160.8333… → 160.83 元
    assert book().for_month("2014-01").rural_standard_monthly_fen == 16083


def test_month_before_first_period_is_refused():
    with pytest.raises(PolicyError) as e:
        book().for_month("2013-06")
    assert e.value.field == "month"


def test_floors_and_unconfirmed_flags_2022():
    p = book().for_month("2022-03")
    assert (p.urban_topup_floor_fen, p.rural_topup_floor_fen) == (45500, 32200)
    assert "dibao.urban_standard_monthly" in p.unconfirmed  # date unconfirmed
    assert "low_income.factor" not in p.unconfirmed  # 1.5× is confirmed (S1 第八条)
    assert "dibao.classes" in p.unconfirmed and "tekun.basic_ratio" in p.unconfirmed
    assert p.low_income_factor == Decimal("1.5") and p.low_income_line_fen(False) == 69000  # 1.5 × 460 = 690
    assert p.tekun_basic_monthly_fen(False) == 59800  # 1.3 × 460 = 598.00
    assert p.orphan_monthly_fen == {"机构": 150000, "散居": 100000, "事实无人抚养": 100000}
    assert p.grace_months == 6
    assert p.monitoring_annual_line_fen == 600000


def test_2021_floors_are_not_carried_forward_from_2015():
    p = book().for_month("2021-08")
    assert p.urban_topup_floor_fen is None and p.rural_topup_floor_fen is None
    assert p.orphan_monthly_fen["机构"] == 124900 and p.orphan_monthly_fen["散居"] == 93700


def test_basic_pension_exclusion_dates():
    assert book().for_month("2020-12").exclude_basic_pension is False
    assert book().for_month("2021-01").exclude_basic_pension is True
    assert book().for_month("2025-12").exclude_basic_pension is True
    assert book().for_month("2026-01").exclude_basic_pension is False


def test_every_figure_has_source_and_unconfirmed_flag():
    for i, period in enumerate(raw_policy()["periods"]):
        for key, item in period["values"].items():
            assert item.get("source"), (i, key)
            assert isinstance(item["unconfirmed"], bool), (i, key)


def test_add_period_returns_new_book_and_keeps_history():
    old = book()
    new = old.add_period(
        "2023-07-15", {"dibao.urban_standard_monthly": {"yuan": 700, "source": "test", "unconfirmed": True}}
    )
    assert len(new.periods) == len(old.periods) + 1
    assert old.for_month("2023-08").urban_standard_monthly_fen == 65000  # the old book is untouched
    assert new.for_month("2023-07").urban_standard_monthly_fen == 65000  # not in force on 2023-07-01
    assert new.for_month("2023-08").urban_standard_monthly_fen == 70000
    assert new.for_month("2022-03").urban_standard_monthly_fen == 65000  # history unchanged
    assert new.for_month("2023-08").rural_standard_annual_fen == 552000  # other figures carried forward


@pytest.mark.parametrize(
    ("values", "field_part"),
    [
        ({"grace.months": {"value": 7, "source": "x", "unconfirmed": True}}, "grace.months"),
        ({"dibao.urban_standard_monthly": {"yuan": 700, "source": "x"}}, "dibao.urban_standard_monthly"),
        ({"dibao.urban_standard_monthly": {"yuan": 700.005, "source": "x", "unconfirmed": False}}, "dibao.urban"),
        (
            {"dibao.urban_standard_monthly": {"yuan": 700, "fen": 70000, "source": "x", "unconfirmed": False}},
            "dibao.urban",
        ),
        ({"dibao.urban_standard_monthly": {"yuan": -1, "source": "x", "unconfirmed": False}}, "dibao.urban"),
        ({"no.such.key": {"value": 1, "source": "x", "unconfirmed": False}}, "no.such.key"),
        (
            {"dibao.classes": {"value": [{"code": "A", "rule": "定额"}], "source": "x", "unconfirmed": True}},
            "dibao.classes",
        ),
    ],
)
def test_bad_periods_name_the_field(values, field_part):
    with pytest.raises(PolicyError) as e:
        book().add_period("2030-01-01", values)
    assert field_part in e.value.field


def test_duplicate_effective_date_refused():
    with pytest.raises(PolicyError):
        book().add_period("2022-01-01", {"grace.months": {"value": 3, "source": "x", "unconfirmed": True}})


def test_fen_form_is_accepted():
    b = book().add_period(
        "2030-01-01", {"dibao.urban_standard_monthly": {"fen": 71234, "source": "x", "unconfirmed": True}}
    )
    assert b.for_month("2030-01").urban_standard_monthly_fen == 71234


def test_from_dict_does_not_mutate_input():
    raw = copy.deepcopy(raw_policy())
    PolicyBook.from_dict(raw)
    assert raw == raw_policy()


def _expected_standard(month: str) -> int:
    """Independent reading of the raw JSON: latest period with effective_from ≤ the 1st of the month."""
    day = months.first_day(month)
    best = None
    for p in raw_policy()["periods"]:
        eff = date.fromisoformat(p["effective_from"])
        item = p["values"].get("dibao.urban_standard_monthly")
        if item and eff <= day and (best is None or eff >= best[0]):
            best = (eff, item["yuan"])
    assert best is not None, f"no period in force in {month}"
    return best[1] * 100


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=2015 * 12 + 3, max_value=2032 * 12 + 11))
def test_property_params_are_those_in_force(k):
    month = f"{k // 12:04d}-{k % 12 + 1:02d}"
    p = book().for_month(month)
    assert p.urban_standard_monthly_fen == _expected_standard(month)
    for d in p.periods_used:
        assert date.fromisoformat(d) <= months.first_day(month)


# --- income items not counted for 低保 (issue 9 point 18) -----------------------


def test_the_ningxia_default_leaves_out_gaoling_and_the_two_disability_subsidies_unconfirmed():
    p = book().for_month("2022-03")
    assert p.dibao_excluded_items == ("高龄津贴", "困难残疾人生活补贴", "重度残疾人护理补贴")
    assert p.items["income.dibao_excluded_items"].unconfirmed
    assert p.figures()["income.dibao_excluded_items"] == ["高龄津贴", "困难残疾人生活补贴", "重度残疾人护理补贴"]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("高龄津贴", "文字列表"),
        (["高龄津贴", "高龄津贴"], "重复"),
        (["工资性收入"], "不在可选项中"),
        (["奖学金"], "不在可选项中"),  # always excluded by the national rule: nothing to choose
    ],
)
def test_a_bad_exclusion_list_is_refused_naming_the_entry(value, fragment):
    with pytest.raises(PolicyError) as err:
        book().add_period(
            "2030-01-01", {"income.dibao_excluded_items": {"value": value, "source": "x", "unconfirmed": True}}
        )
    assert fragment in str(err.value) and err.value.field.startswith("periods[")
