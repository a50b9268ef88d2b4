"""The comparison's one pass over the cells as read says what the row-by-row path says (issue 12 point 8).

``app/services/comparison_rows.compare_rows`` takes a list's rows as calamine gives them and looks at
most of them only through a dictionary lookup of the ID cell. The row-by-row path it replaced is
the oracle here: every cell converted, ``sheet_layout.data_rows``, ``idnumber.repair_column``,
``dc.match`` and ``dc.findings`` — on lists drawn from the messes a department sends (numbers
written whole, with a lower-case x or spaces, stored as numbers, ending in 000 beside damaged ones;
strangers; differing names; totals, blanks and a repeated header; a CSV), for every shipped kind.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.domain import comparison as dc
from app.domain import idnumber, sheet_layout
from app.services.comparison import FindingView, ResultRows, synonyms_of
from app.services.comparison_rows import compare_rows

SOURCES = Path(__file__).resolve().parents[2] / "app" / "resources" / "sources"
KINDS = [dc.parse_source(json.loads(p.read_text(encoding="utf-8")), p.name) for p in sorted(SOURCES.glob("*.json"))]
HEADER = ["序号", "姓名", "公民身份号码", "出生日期", "死亡日期", "迁往地址", "残疾证号", "残疾等级", "备注"]


def _ending_in_000(count: int) -> list[str]:
    """Valid numbers whose last three characters are 000 (a stranger's look-alike of a damaged one)."""
    found: list[str] = []
    day = date(1950, 1, 1)
    while len(found) < count:
        for seq in range(0, 1000, 100):
            number = idnumber.make("640424", day, seq)
            if number.endswith("000"):
                found.append(number)
        day = date(day.year + 1, 1 + day.year % 12, 1 + day.year % 27)
    return found[:count]


ZEROS = _ending_in_000(2)
PEOPLE = [
    dc.Person(
        f"m{i}",
        f"h{i % 3}",
        number,
        name,
        idnumber.parse(number).birth_date,
        "640424100001",
        "东峡村",
        "马文",
        alive=i != 1,
        programmes=frozenset({"低保"}) if i % 2 == 0 else frozenset(),
        disability_grade=1 if i == 3 else 0,
    )
    for i, (number, name) in enumerate(
        [
            (idnumber.make("640424", date(1960, 3, 8), 11), "马文"),
            (idnumber.make("640424", date(1971, 5, 2), 12), "杨花"),
            (idnumber.make("640424", date(1980, 1, 9), 13), "王 平"),
            (idnumber.make("640424", date(1955, 7, 7), 14), "李芳"),
            (ZEROS[0], "周全"),
            ("64042419920202002X", "马小明"),
        ]
    )
]
INDEX = dc.RegisterIndex.build(PEOPLE)
STRANGERS = [idnumber.make("640424", date(1990, 1, 1 + n), n) for n in range(3)] + [ZEROS[1]]

numbers = st.sampled_from(
    [p.id_number for p in PEOPLE]
    + STRANGERS
    + ["64042419920202002x", f" {PEOPLE[0].id_number} ", "640424196003080110", "640424600308011"]
)
id_cells = st.one_of(
    numbers,
    numbers.map(lambda n: float(n[:17] + "0") if n.strip()[:17].isdigit() else n),  # stored as a number
    st.sampled_from(["", "无", "   ", 1.0, 642225.0]),
)
names = st.sampled_from(["马文", "杨花", "王 平", "王平", "李芳", "周全", "马小明", "某某", "", " "])
filled = st.sampled_from(["", "", "", "2026-10-03", " ", "银川市", 45566.0, "一级"])
person_rows = st.builds(
    lambda n, name, number, born, died, moved, cert, grade, note: [
        n,
        name,
        number,
        born,
        died,
        moved,
        cert,
        grade,
        note,
    ],
    st.floats(1, 99).map(float),
    names,
    id_cells,
    st.sampled_from(["", "1960-03-08", "1980.1.9", "19550707"]),
    filled,
    filled,
    st.sampled_from(["", f"{PEOPLE[3].id_number}11"]),
    filled,
    filled,
)
odd_rows = st.sampled_from(
    [
        [""] * len(HEADER),
        ["合计", "6 人"] + [""] * (len(HEADER) - 2),
        ["制表人：张三", "", "审核人：李四"] + [""] * (len(HEADER) - 3),
        list(HEADER),
        ["", "", ""],  # a short row (a CSV line)
    ]
)
sheets = st.lists(st.one_of(person_rows, person_rows, person_rows, odd_rows), min_size=1, max_size=25)


def row_by_row(kind, rows, layout, text_file):
    """The path every row took before: cells converted, then the domain's functions row by row."""
    converted = [sheet_layout.as_cells(r) for r in rows]
    data = list(sheet_layout.data_rows(converted, layout))
    repairs = idnumber.repair_column([dc.id_cell(d) for d in data], text_file=text_file)
    out = []
    for d, repaired in zip(data, repairs, strict=True):
        found = dc.match(d, INDEX, repaired)
        p = found.person
        name = p.name if p is not None and found.kind == dc.IN_REGISTER else dc.text_of(d.values.get("name"))
        said = [(f.code, f.text) for f in dc.findings(kind, d, found)]
        out.append((d.row, d.sheet_row, found.kind, p, found.id_number, name, said))
    return out


def one_pass(kind, rows, layout, file_name):
    raw = sheet_layout.RawSheet(file_name, "名单", ("名单",), rows, "")
    head = [sheet_layout.as_cells(r) for r in rows[: sheet_layout.HEADER_SCAN_ROWS * 2]]
    records = compare_rows(kind, raw, head, layout, INDEX)
    # What a run counts and stores, picked without making the quiet rows, is what reading them gives.
    made = list(records)
    assert len(made) == len(records) and [records[k] for k in range(-len(made), 0)] == made
    assert sorted(records.matches()) == sorted(r[2] for r in made)
    assert records.saying() == [r for r in made if r[6]]
    return [
        (row, sheet_row, match, p, number, name, [(c, dc.sentence(c, dc.who_of(name, row, p), p, v)) for c, v in said])
        for row, sheet_row, match, p, number, name, said in records
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=sheets, csv=st.booleans())
# A register's number and a stranger's, both ending in 000, beside a number that lost its digits;
# and the same two in a CSV, where a number cell saved as text looks exactly so.
@example(
    body=[
        [1.0, "周全", ZEROS[0]] + [""] * 6,
        [2.0, "某某", ZEROS[1]] + [""] * 6,
        [3.0, "马文", 6.40424196e17] + [""] * 6,
    ],
    csv=False,
)
@example(body=[[1.0, "周全", ZEROS[0]] + [""] * 6, [2.0, "某某", ZEROS[1]] + [""] * 6], csv=True)
def test_every_kind_gets_from_one_pass_what_it_got_row_by_row(body, csv):
    rows = [["泾源县公安局名单"] + [""] * (len(HEADER) - 1), list(HEADER), *body]
    file_name = "名单.csv" if csv else "名单.xlsx"
    compared = 0
    for kind in KINDS:
        try:
            layout = sheet_layout.detect_layout(
                [sheet_layout.as_cells(r) for r in rows[:60]], synonyms_of(kind), kind.required
            )
        except Exception:  # noqa: BLE001 - a kind whose required columns this header lacks
            continue
        compared += 1
        assert one_pass(kind, rows, layout, file_name) == row_by_row(kind, rows, layout, csv), kind.name
    assert compared >= 3  # 公安 among them: the fast path's own kind


def test_a_run_s_rows_are_made_when_read_and_read_as_a_list_would_give_them():
    kind = next(k for k in KINDS if k.name == "公安")
    rows: list[list[sheet_layout.Cell]] = [
        list(HEADER),
        [1.0, "李芳", PEOPLE[3].id_number, "", "2026-10-03", "", "", "", ""],
        [2.0, "某某", STRANGERS[0], "", "", "", "", "", ""],
    ]
    layout = sheet_layout.detect_layout([sheet_layout.as_cells(r) for r in rows], synonyms_of(kind), kind.required)
    records = compare_rows(kind, sheet_layout.RawSheet("a.xlsx", "s", ("s",), rows, ""), rows[:1], layout, INDEX)
    stored = {(1, "deceased_not_recorded"): FindingView("f1", "deceased_not_recorded", "已存的句子", "属实", "")}
    result = ResultRows(records, idnumber.mask, stored)
    assert result._made == [None, None]  # nothing made before it is read
    first, second = result
    assert result[0] is first and list(result) == [first, second] and result[-1:] == [second]
    assert first.name == "李芳" and first.match == dc.IN_REGISTER and first.household_id == PEOPLE[3].household_id
    assert first.id_number == idnumber.mask(PEOPLE[3].id_number)
    assert [(f.id, f.disposition, f.text) for f in first.findings] == [("f1", "属实", "已存的句子")]
    assert second.match == dc.NOT_IN_REGISTER and second.findings == [] and second.name == "某某"


def test_a_gate_cell_true_and_one_are_quoted_as_written_not_as_each_other():
    # True == 1 == 1.0 in Python: what a rule quotes of one such cell is never reused for another.
    kind = next(k for k in KINDS if k.name == "公安")
    li, ma = PEOPLE[3], PEOPLE[0]
    rows: list[list[sheet_layout.Cell]] = [
        list(HEADER),
        [1.0, li.name, li.id_number, "", True, "", "", "", ""],
        [2.0, li.name, li.id_number, "", 1.0, "", "", "", ""],
        [3.0, ma.name, ma.id_number, "", "", 1.0, "", "", ""],
        [4.0, ma.name, ma.id_number, "", "", True, "", "", ""],
    ]
    layout = sheet_layout.detect_layout([sheet_layout.as_cells(r) for r in rows], synonyms_of(kind), kind.required)
    records = compare_rows(kind, sheet_layout.RawSheet("a.xlsx", "s", ("s",), rows, ""), rows[:1], layout, INDEX)
    assert [list(r[6]) for r in records] == [
        [("deceased_not_recorded", "是")],
        [("deceased_not_recorded", "1")],
        [("moved_out", "1")],
        [("moved_out", "是")],
    ]
    assert one_pass(kind, rows, layout, "a.xlsx") == row_by_row(kind, rows, layout, False)
