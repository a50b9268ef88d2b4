"""Finding the header of a messy list and its data rows (issue 12 point 1), from cells alone."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import idnumber
from app.domain.idnumber import repair
from app.domain.sheet_layout import (
    FIELD_SYNONYMS,
    TOTAL_WORDS,
    Cell,
    data_rows,
    detect_layout,
    normalise_header,
)
from app.errors import InvalidInput
from tests.sheets.messy import Messy, full_width, legacy15, lower_x, number_cell, spaced

TODAY = date(2026, 11, 29)


def pid(n: int) -> str:
    return idnumber.make("640424", date(1958, 4, 2), n)


def test_normalise_header_strips_notes_marks_and_width():
    assert normalise_header("身份证号码\n（必填）※") == "身份证号码"
    assert normalise_header("＊姓　名") == "姓名"  # noqa: RUF001 — full-width star and space
    assert normalise_header("金额(元)") == "金额"
    assert normalise_header(None) == ""


def test_single_header_under_title_and_unit_line():
    m = Messy(
        ["序号", "姓名", "公民身份号码", "村", "备注"],
        [[1, "马文", pid(1), "东峡村", None], [2, "杨花", pid(2), "东峡村", "新增"]],
        title=["泾河源镇 2024 年 5 月", "农村低保对象花名册"],
        unit="填报单位：泾河源镇人民政府（盖章）",
        total=True,
        signatures=True,
    )
    rows = m.grid()
    layout = detect_layout(rows, FIELD_SYNONYMS, required=("name", "id_number"))
    assert layout.header_rows == (3,)
    assert layout.columns == {"name": 1, "id_number": 2, "village": 3, "note": 4}
    assert layout.unsure == ()
    assert layout.title == "泾河源镇 2024 年 5 月 农村低保对象花名册"
    assert layout.unit == "填报单位：泾河源镇人民政府（盖章）"
    got = [(r.row, r.sheet_row, r.values["name"]) for r in data_rows(rows, layout)]
    assert got == [(1, 5, "马文"), (2, 6, "杨花")]


@pytest.mark.parametrize("flat", [False, True], ids=["merged-filled", "csv-export"])
def test_two_row_header_joins_group_label(flat):
    m = Messy(
        ["序号", "户主姓名", "姓名", "身份证号", "与户主关系", "备注"],
        [[1, "马文", "马文", pid(1), "户主", None], [2, "马文", "杨花", pid(2), "妻子", None]],
        title="花名册",
        groups=[("家庭成员", 2, 4)],
    )
    rows = m.flat_grid() if flat else m.grid()
    layout = detect_layout(rows, FIELD_SYNONYMS)
    assert layout.header_rows == (1, 2)
    assert layout.headers == ("序号", "户主姓名", "家庭成员-姓名", "家庭成员-身份证号", "家庭成员-与户主关系", "备注")
    assert layout.columns == {"head_name": 1, "name": 2, "id_number": 3, "relation": 4, "note": 5}
    assert [r.sheet_row for r in data_rows(rows, layout)] == [4, 5]


def test_head_id_column_is_not_the_members_id():
    rows = [["户主身份证号码", "成员姓名", "成员身份证号"], [pid(1), "马文", pid(1)]]
    layout = detect_layout(rows, FIELD_SYNONYMS, required=("name", "id_number"))
    assert layout.columns == {"head_id_number": 0, "name": 1, "id_number": 2}


def test_loose_match_is_unsure_and_mapping_wins():
    rows = [["姓名", "持证人身份证号", "联系人电话号"], ["马文", pid(1), "13900000000"]]
    layout = detect_layout(rows, FIELD_SYNONYMS, required=("name", "id_number"))
    assert layout.columns["id_number"] == 1
    assert set(layout.unsure) == {"id_number", "phone"}
    chosen = detect_layout(rows, FIELD_SYNONYMS, mapping={"id_number": 1, "note": 2})
    assert chosen.columns == {"name": 0, "id_number": 1, "note": 2}
    assert chosen.unsure == ()


def test_missing_required_field_names_it_and_lists_the_headers():
    rows: list[list[Cell]] = [["序号", "姓名", "村"], [1, "马文", "东峡村"]]
    with pytest.raises(InvalidInput) as e:
        detect_layout(rows, FIELD_SYNONYMS, required=("name", "id_number"))
    assert "身份证号" in e.value.message
    assert "序号、姓名、村" in e.value.message
    assert e.value.field == "file"


def test_no_header_at_all_is_refused():
    with pytest.raises(InvalidInput, match="找不到表头"):
        detect_layout([["甲", "乙"], [1, 2]], FIELD_SYNONYMS)


def test_mapping_to_a_column_that_does_not_exist_is_refused():
    with pytest.raises(InvalidInput, match="第 9 列不存在"):
        detect_layout([["姓名"], ["马文"]], FIELD_SYNONYMS, mapping={"id_number": 8})


def test_source_kinds_extend_the_synonyms():
    synonyms = {**FIELD_SYNONYMS, "death_date": ("死亡日期", "注销日期")}
    rows: list[list[Cell]] = [["姓名", "身份证号", "注销日期"], ["马文", pid(1), date(2024, 3, 1)]]
    layout = detect_layout(rows, synonyms, required=("name", "death_date"))
    assert layout.columns["death_date"] == 2
    (row,) = data_rows(rows, layout)
    assert row.values["death_date"] == date(2024, 3, 1)


def test_skips_totals_signatures_repeated_headers_and_blank_rows():
    header: list[Cell] = ["序号", "姓名", "身份证号", "金额"]
    rows: list[list[Cell]] = [
        header,
        [1, "马文", pid(1), 850],
        [None, None, None, None],
        ["小 计", None, None, 850],
        list(header),  # the header again on the next printed page
        [2, "杨花", pid(2), 850],
        ["合计", "2人", None, 1700],
        ["制表人：张三", None, "审核人：李四", None],
        [None, "单位负责人：王五", None, "（盖章）"],
        ["填表日期：2024年5月20日", None, None, None],
    ]
    layout = detect_layout(rows, FIELD_SYNONYMS)
    assert [(r.row, r.sheet_row) for r in data_rows(rows, layout)] == [(1, 2), (2, 6)]


def test_a_person_row_is_never_taken_for_a_signature():
    rows: list[list[Cell]] = [["姓名", "身份证号", "备注"], ["马文", pid(1), "审核人员已入户"], ["合计", pid(2), None]]
    layout = detect_layout(rows, FIELD_SYNONYMS)
    assert [r.sheet_row for r in data_rows(rows, layout)] == [2, 3]


def test_a_row_after_a_long_blank_gap_is_still_read():
    # A death list with a person 150 blank rows below the others must not lose him.
    gap: list[list[Cell]] = [[None, None]] * 150
    rows: list[list[Cell]] = [["姓名", "身份证号"], ["马文", pid(1)], *gap, ["杨花", pid(2)]]
    layout = detect_layout(rows, FIELD_SYNONYMS)
    assert [(r.row, r.sheet_row, r.values["name"]) for r in data_rows(rows, layout)] == [
        (1, 2, "马文"),
        (2, 153, "杨花"),
    ]


@pytest.mark.parametrize("label", ["合计", "合 计", "合计（元）", "合计：", "本页小计", "全村合计", "总计金额", "累计"])
def test_total_labels_are_skipped(label):
    rows: list[list[Cell]] = [["序号", "姓名", "金额"], [1, "马文", 850], [None, label, 850]]
    layout = detect_layout(rows, FIELD_SYNONYMS)
    assert [r.values["name"] for r in data_rows(rows, layout)] == ["马文"]


@given(
    surname=st.sampled_from("张王李马杨"),
    word=st.sampled_from(TOTAL_WORDS),
    tail=st.text(alphabet="明华芳", max_size=1),
    with_id=st.booleans(),
    seq=st.integers(1, 99),
)
def test_a_name_holding_a_total_word_is_a_person(surname, word, tail, with_id, seq):
    name = surname + word + tail  # 张合计, 李小计明: people, not totals
    rows: list[list[Cell]] = [["序号", "姓名", "身份证号", "金额"], [seq, name, pid(seq) if with_id else None, 850]]
    layout = detect_layout(rows, FIELD_SYNONYMS)
    assert [r.values["name"] for r in data_rows(rows, layout)] == [name]


# --- the fuzz: random messes, never a crash, never a lost or invented row -----------------------

HEADER_TEXTS = {
    "name": ("姓名", "成员姓名", "姓 名"),
    "id_number": ("身份证号码", "公民身份号码", "身份证号\n（必填）", "证件号码"),
    "village": ("村", "行政村", "所在村"),
    "relation": ("与户主关系", "关系"),
    "amount": ("月保障金（元）", "金额"),
    "note": ("备注",),
}
TITLES = ("2024年5月农村低保对象花名册", "泾河源镇残疾人两项补贴发放表", "附件2", "单位：元", "（第一批）")
UNITS = ("填报单位：泾河源镇人民政府（盖章）", "填报单位（盖章）：香水镇")
NAMES = ("马文", "杨花", "海燕", "李建国", "禹小兵", "丁梅", "户主", "合作", "审核")  # odd names on purpose
ID_KINDS = ("ok", "ok_lower", "ok_full", "ok_spaced", "ok_15", "damaged", "damaged_text", "invalid", "empty")


def id_cell(kind: str, n: int):
    born = date(1950 + n % 40, 1 + n % 12, 1 + n % 28)
    number = idnumber.make("642225", born, n % 1000)
    digits = number.replace("X", "0")  # what a number cell could have held
    return {
        "ok": number,
        "ok_lower": lower_x(number),
        "ok_full": full_width(number),
        "ok_spaced": spaced(number),
        "ok_15": legacy15(number),
        "damaged": number_cell(digits),
        "damaged_text": f"{number_cell(digits):.5E}",
        # A wrong check digit, never 0: "…000" reads as a damaged number cell instead.
        "invalid": number[:17] + next(c for c in "123456789X" if c != number[17]),
        "empty": None,
    }[kind]


def expected_status(kind: str) -> str:
    return (
        "ok"
        if kind.startswith("ok")
        else {"damaged": "id_damaged", "damaged_text": "id_damaged", "invalid": "id_invalid"}.get(kind, kind)
    )


@st.composite
def messy_sheets(draw):
    optional = draw(st.lists(st.sampled_from(["village", "relation", "amount", "note"]), unique=True))
    fields = ["name", "id_number", *optional]
    fields = draw(st.permutations(fields))
    with_seq = draw(st.booleans())
    header = (["序号"] if with_seq else []) + [draw(st.sampled_from(HEADER_TEXTS[f])) for f in fields]
    offset = 1 if with_seq else 0
    n = draw(st.integers(0, 20))
    kinds = [draw(st.sampled_from(ID_KINDS)) for _ in range(n)]
    rows = []
    for i, kind in enumerate(kinds):
        values = {
            "name": draw(st.sampled_from(NAMES)),
            "id_number": id_cell(kind, draw(st.integers(1, 10_000))),
            "village": draw(st.sampled_from(("东峡村", "西沟村", None))),
            "relation": draw(st.sampled_from(("户主", "妻子", "长子", "之女"))),
            "amount": draw(st.sampled_from((850, 600, 0, None))),
            "note": draw(st.sampled_from((None, "新增", "审核通过"))),
        }
        rows.append(([i + 1] if with_seq else []) + [values[f] for f in fields])
    groups: tuple[tuple[str, int, int], ...] = ()
    if len(fields) >= 2 and draw(st.booleans()):
        # A group label over every column is a title: leave one column outside the group.
        first = draw(st.integers(offset, offset + len(fields) - 2))
        last = draw(st.integers(first + 1, offset + len(fields) - 1))
        if last - first + 1 < len(header):
            groups = (("家庭成员", first, last),)
    messy = Messy(
        header,
        rows,
        title=draw(st.lists(st.sampled_from(TITLES), max_size=3)),
        unit=draw(st.one_of(st.none(), st.sampled_from(UNITS))),
        groups=groups,
        total=draw(st.booleans()),
        subtotal_after=draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=2)) if n else (),
        blank_after=draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=4)) if n else (),
        signatures=draw(st.booleans()),
    )
    return messy, fields, offset, kinds


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_sheets(), st.booleans())
def test_fuzz_every_data_row_found_with_its_numbers_and_id_status(case, flat):
    messy, fields, offset, kinds = case
    rows = messy.flat_grid() if flat else messy.grid()
    expected = messy.expected()
    layout = detect_layout(rows, FIELD_SYNONYMS, required=("name", "id_number"))
    assert layout.header_rows == expected.header_rows
    assert layout.columns["name"] == offset + fields.index("name")
    assert layout.columns["id_number"] == offset + fields.index("id_number")
    got = list(data_rows(rows, layout))
    assert [r.sheet_row for r in got] == expected.data_sheet_rows
    assert [r.row for r in got] == list(range(1, len(kinds) + 1))
    for r, kind, source in zip(got, kinds, messy.rows, strict=True):
        assert r.values["name"] == source[offset + fields.index("name")]
        status = repair(r.values["id_number"], TODAY).status
        assert status == expected_status(kind), (r.sheet_row, r.values["id_number"])
