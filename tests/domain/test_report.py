"""The report model: money printed from fen, the spec a county may change, and what it may not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.report import (
    Column,
    Kind,
    Orientation,
    SpecError,
    Table,
    apply_override,
    cell_text,
    parse_spec,
    yuan,
)

SPEC = {
    "name": "payment-roster",
    "title": "资金发放花名册",
    "orientation": "landscape",
    "columns": [
        {"key": "seq", "title": "序号", "kind": "int", "width": 0.5},
        {"key": "name", "title": "姓名"},
        {"key": "id_number", "title": "身份证号", "kind": "id", "width": 2.2},
        {"key": "amount", "title": "金额", "kind": "money", "total": True},
    ],
    "signatures": ["制表人", "审核人"],
}


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_yuan_reads_back_as_the_same_fen(fen):
    text = yuan(fen)
    whole, _, cents = text.lstrip("-").partition(".")
    assert len(cents) == 2
    back = int(whole) * 100 + int(cents)
    assert (-back if text.startswith("-") else back) == fen


def test_yuan_small_negative_keeps_its_sign():
    assert yuan(-5) == "-0.05"
    assert yuan(None) == ""


def test_cell_text_follows_the_column_kind():
    assert cell_text(Column("a", "金额", Kind.MONEY), 123456) == "1234.56"
    assert cell_text(Column("f", "渐退", Kind.FLAG), True) == "是"
    assert cell_text(Column("f", "渐退", Kind.FLAG), False) == ""
    assert cell_text(Column("i", "身份证号", Kind.ID), "64042419800101123X") == "64042419800101123X"


@given(st.lists(st.integers(min_value=0, max_value=10**9), max_size=50))
def test_table_totals_are_the_sum_in_fen(amounts):
    spec = parse_spec(SPEC, "payment-roster.json")
    table = spec.table()
    for i, a in enumerate(amounts, 1):
        table.add({"seq": i, "name": "张三", "id_number": "x", "amount": a, "unknown": "dropped"})
    assert table.totals() == {"amount": sum(amounts)}
    assert all(len(row) == len(spec.columns) for row in table.rows)


def test_parse_spec_reads_columns_orientation_and_signatures():
    spec = parse_spec(SPEC, "payment-roster.json")
    assert spec.orientation == Orientation.LANDSCAPE
    assert [c.key for c in spec.columns] == ["seq", "name", "id_number", "amount"]
    assert spec.columns[2].kind == Kind.ID
    assert spec.signatures == ("制表人", "审核人")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"colour": "red"}, "未知字段 colour"),
        ({"orientation": "sideways"}, "orientation"),
        ({"columns": []}, "columns"),
        ({"columns": [{"key": "name", "kind": "text", "total": True}]}, "第 1 项只有金额或人数列才能合计"),
        ({"columns": [{"key": "name", "kind": "colour"}]}, "kind 无效"),
        ({"columns": [{"key": "name", "width": 0}]}, "width"),
        ({"font_scale": 9}, "font_scale"),
    ],
)
def test_a_broken_spec_is_refused_naming_the_file_and_field(change, words):
    with pytest.raises(SpecError) as e:
        parse_spec({**SPEC, **change}, "roster.json")
    assert "roster.json" in str(e.value)
    assert words in str(e.value)


def test_an_override_renames_drops_and_reorders_known_columns():
    spec = parse_spec(SPEC, "payment-roster.json")
    changed = apply_override(
        spec,
        {"title": "县定格式发放表", "columns": [{"key": "amount", "title": "发放金额"}, {"key": "name"}]},
        "/office/reports/payment-roster.json",
    )
    assert changed.title == "县定格式发放表"
    assert [(c.key, c.title) for c in changed.columns] == [("amount", "发放金额"), ("name", "姓名")]
    # What the builder decided stays: the amount is still money and still totalled.
    assert changed.columns[0].kind == Kind.MONEY and changed.columns[0].total
    assert changed.signatures == spec.signatures


@pytest.mark.parametrize(
    ("override", "words"),
    [
        ({"columns": [{"key": "bank_account"}]}, "不是这张报表的列"),
        ({"columns": [{"key": "id_number", "kind": "text"}]}, "类型"),
        ({"columns": [{"key": "amount", "total": False}]}, "合计"),
        ({"columns": [{"key": "name"}, {"key": "name"}]}, "重复"),
        ({"name": "roster"}, "name"),
        ([], "JSON 对象"),
    ],
)
def test_an_override_cannot_add_a_column_or_change_what_it_is(override, words):
    spec = parse_spec(SPEC, "payment-roster.json")
    with pytest.raises(SpecError) as e:
        apply_override(spec, override, "/office/reports/payment-roster.json")
    assert "/office/reports/payment-roster.json" in str(e.value)
    assert words in str(e.value)


def test_table_index_names_a_missing_column():
    table = Table(columns=(Column("a", "A"),))
    assert table.index("a") == 0
    with pytest.raises(KeyError):
        table.index("b")


@pytest.mark.parametrize(
    ("override", "words"),
    [
        ({"title": "表" * 201}, "title 不能超过 200 个字"),
        ({"title": 7}, "title 应为文字"),
        ({"footer": "电" * 501}, "footer 不能超过 500 个字"),
        ({"columns": [{"key": "name", "title": "姓" * 41}]}, "columns 第 1 项的 title 不能超过 40 个字"),
        ({"signatures": ["制表人"] * 9}, "signatures 最多 8 项"),
        ({"signatures": ["审" * 21]}, "signatures 第 1 项 不能超过 20 个字"),
    ],
)
def test_an_override_cannot_make_a_paper_too_long_to_print(override, words):
    spec = parse_spec(SPEC, "payment-roster.json")
    with pytest.raises(SpecError) as e:
        apply_override(spec, override, "/office/reports/payment-roster.json")
    assert str(e.value).startswith("/office/reports/payment-roster.json：") and words in str(e.value)


def test_limits_are_inclusive_and_the_override_names_its_file():
    spec = parse_spec(SPEC, "payment-roster.json")
    fine = {"title": "表" * 200, "footer": "电" * 500, "signatures": ["审" * 20] * 8}
    changed = apply_override(spec, fine, "/office/reports/payment-roster.json")
    assert changed.source == "/office/reports/payment-roster.json" and spec.source == ""


@given(st.lists(st.floats(min_value=0.01, max_value=20), min_size=2, max_size=12))
def test_no_column_is_narrower_than_2_percent_of_its_table(widths):
    raw = {**SPEC, "columns": [{"key": f"c{i}", "width": w} for i, w in enumerate(widths)]}
    if min(widths) >= 0.02 * sum(widths):
        assert len(parse_spec(raw, "roster.json").columns) == len(widths)
    else:
        with pytest.raises(SpecError, match="width 太小"):
            parse_spec(raw, "roster.json")


def test_forms_measure_each_tables_columns_against_their_own_table():
    form = {
        **SPEC,
        "columns": [
            {"key": "member.name", "width": 1},
            {"key": "member.id", "width": 1},
            *({"key": f"income.c{i}", "width": 10} for i in range(5)),
        ],
    }
    assert len(parse_spec(form, "survey.json").columns) == 7
