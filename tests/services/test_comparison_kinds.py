"""Each department's list, end to end (issue 12, point 7): a messy file per source kind, compared with
a small register, every row's match, household and findings hand-labelled (comparison_fixtures.py).

公安 has its own test (test_comparison.py). The lists here are the other eight, written the way each
department sends them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.domain import comparison as dc
from app.domain.entities import Alert
from app.domain.sheet_layout import detect_layout
from app.errors import InvalidInput
from app.services.comparison import source_kind, synonyms_of
from app.sheets.reader import read_sheet
from tests.services import comparison_fixtures as cf
from tests.services.comparison_fixtures import MONTH, ON, Register, kinds_register_fixture  # noqa: F401 - a fixture
from tests.sheets.messy import Messy, write_xlsx

# kind → (list builder, file suffix, the column mapping a clerk confirms in the mapping dialog, or None).
# The three mappings are needed because the departments' own headers name the person otherwise
# (经营者姓名 / 机动车所有人 / 权利人): see test_the_departments_own_headers_map_without_a_dialog.
KINDS: dict[str, tuple[Callable[[Path, Register], tuple[Path, Messy, list[cf.Row]]], str, dict[str, int] | None]] = {
    "乡村振兴": (cf.rural_revitalization, ".xlsx", None),
    "卫健": (cf.health, ".xlsx", None),
    "残联": (cf.disability, ".xls", None),
    "人社": (cf.hrss, ".csv", None),
    "医保": (cf.medical_insurance, ".xlsx", None),
    "市场监管": (cf.market, ".xlsx", {"name": 3}),
    "车管": (cf.vehicles, ".xlsx", {"name": 4, "id_number": 5}),
    "不动产": (cf.property_list, ".xlsx", {"name": 1}),
}


def compare(reg: Register, tmp_path: Path, kind: str):
    build, suffix, mapping = KINDS[kind]
    path, messy, expected = build(tmp_path / f"{kind}名单{suffix}", reg)
    return reg.clerk.comparison.run(path, kind, month=MONTH, on=ON, mapping=mapping), messy, expected


def labelled(reg: Register, result) -> list[cf.Row]:
    keys = {hid: key for key, hid in reg.households.items()}
    return [(r.match, keys.get(r.household_id), [f.code for f in r.findings]) for r in result.rows]


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_department_list_gives_the_hand_labelled_answer_for_every_row(kinds_register, tmp_path, kind):
    result, messy, expected = compare(kinds_register, tmp_path, kind)
    assert result.source == kind and result.rows_read == len(expected)
    # Title, 填报单位, two-row header, 合计 and signature rows are all skipped; rows count from 1.
    assert [r.sheet_row for r in result.rows] == messy.expected().data_sheet_rows
    assert [r.row for r in result.rows] == list(range(1, len(expected) + 1))
    assert labelled(kinds_register, result) == expected
    codes = [c for _m, _h, found in expected for c in found]
    assert result.summary == dc.summarise([m for m, _h, _f in expected], codes)
    for r in result.rows:  # a number that could not be used is never "fixed" into one
        assert (r.id_number is None) == (r.match in ("id_damaged", "id_invalid", "possible_match"))


# (kind, row, the register person whose normalised number the row must carry): every ID-number mess.
NORMALISED = [
    ("乡村振兴", 1, "ma"),  # full-width digits
    ("卫健", 4, "tian"),  # spaces inside the number
    ("残联", 3, "tian"),  # only the 残疾人证号 (ID + type + grade)
    ("残联", 5, "li"),  # lower-case x, in the ID and the certificate
    ("人社", 5, "yang"),  # 15-digit legacy number, from a GBK CSV
    ("医保", 5, "su"),  # 15-digit legacy number
    ("车管", 1, "su"),  # spaces
    ("不动产", 1, "li"),  # lower-case x
]


@pytest.mark.parametrize(("kind", "row", "who"), NORMALISED)
def test_messy_numbers_are_normalised_to_the_registers_number(kinds_register, tmp_path, kind, row, who):
    result, _m, _e = compare(kinds_register, tmp_path, kind)
    got = result.rows[row - 1]
    assert got.id_number == kinds_register.id_of(who) and got.match == "in_register"
    assert got.household_id == kinds_register.people[who].household_id


# (kind, row, finding, what its sentence must quote): the cell the rule tested, and the programme paid.
SENTENCES = [
    ("卫健", 2, "illness_not_recorded", "重症精神病"),
    ("卫健", 4, "missed_candidate", "乳腺癌"),
    ("残联", 3, "disability_subsidy_missing", "一级"),
    ("残联", 2, "disability_subsidy_missing", cf.pid(*cf.PEOPLE["su_wife"][1:]) + "13"),  # the whole 残疾人证号
    ("人社", 2, "pension_not_recorded", "163.2"),
    ("人社", 7, "employment_not_recorded", "泾源县福利院"),
    ("医保", 2, "medical_expense_high", "8000"),
    ("市场监管", 1, "business_owner_enrolled", "牛羊养殖场"),
    ("市场监管", 3, "business_owner_enrolled", "特困"),
    ("车管", 3, "vehicle_owner_enrolled", "宁D·C9012"),
    ("不动产", 2, "property_owner_enrolled", "原州区文化街"),
]


@pytest.mark.parametrize("case", SENTENCES)
def test_a_findings_sentence_quotes_what_the_department_said(kinds_register, tmp_path, case):
    kind, row, code, quoted = case
    result, _m, _e = compare(kinds_register, tmp_path, kind)
    (finding,) = [f for f in result.rows[row - 1].findings if f.code == code]
    assert quoted in finding.text


def test_a_disability_finding_found_true_raises_an_alert_on_the_household(kinds_register, tmp_path):
    reg = kinds_register
    result, _m, _e = compare(reg, tmp_path, "残联")
    (missing,) = [f for f in result.rows[1].findings if f.code == "disability_subsidy_missing"]
    assert reg.clerk.comparison.dispose([missing.id], "属实") == 1
    (alert,) = reg.clerk.store.repo(Alert).where("rule = ?", ("comparison:disability_subsidy_missing",))
    assert alert.household_id == reg.households["su"] and alert.member_id == reg.people["su_wife"].id


# --- answers the lead must decide (strict: they fail loudly once the data or rule is changed) ----


@pytest.mark.parametrize("kind", ["市场监管", "车管", "不动产"])
def test_the_departments_own_headers_map_without_a_dialog(kinds_register, tmp_path, kind):
    build, suffix, mapping = KINDS[kind]
    path, _m, _e = build(tmp_path / f"{kind}{suffix}", kinds_register)
    # The synonyms alone (not a mapping remembered by the tests above): what a new office gets.
    layout = detect_layout(read_sheet(path).rows, synonyms_of(source_kind(kind)), ())
    assert mapping is not None and all(layout.columns.get(f) == c for f, c in mapping.items())


def test_a_monitored_persons_sentence_quotes_the_monitoring_type(kinds_register, tmp_path):
    result, _m, _e = compare(kinds_register, tmp_path, "乡村振兴")
    (finding,) = result.rows[1].findings
    assert "脱贫不稳定户" in finding.text


def test_a_dead_person_on_the_monitoring_list_is_no_missed_candidate(kinds_register, tmp_path):
    result, _m, _e = compare(kinds_register, tmp_path, "乡村振兴")
    dead = result.rows[5]
    assert dead.household_id == kinds_register.households["su"]
    assert "missed_candidate" not in [f.code for f in dead.findings]


def test_a_high_expense_written_as_text_is_still_high(kinds_register, tmp_path):
    reg = kinds_register
    m = Messy(
        ["序号", "姓名", "身份证号码", "个人自付"],
        [[1, "马学军", reg.id_of("ma"), "5,600.00"], [2, "田玉兰", reg.id_of("tian"), "8600元"]],
        title="医疗费用名单",
        unit="填报单位：泾源县医疗保障局（盖章）",
    )
    result = reg.clerk.comparison.run(write_xlsx(tmp_path / "医保文本金额.xlsx", m), "医保", month=MONTH, on=ON)
    assert labelled(reg, result) == [
        ("in_register", "ma", ["medical_expense_high"]),
        ("in_register", "tian", ["medical_expense_high", "missed_candidate"]),
    ]


def test_the_mapping_dialog_gets_a_layout_when_the_name_column_has_another_header(kinds_register, tmp_path):
    m = Messy(["序号", "号牌号码", "人员", "身份证号"], [[1, "宁D·A1234", "苏德明", kinds_register.id_of("su")]])
    view = kinds_register.clerk.comparison.layout(write_xlsx(tmp_path / "车辆.xlsx", m), "车管")
    assert "name" not in view.mapping and "name" in view.required and view.headers[2] == "人员"


def test_next_months_list_with_the_same_headers_uses_the_remembered_mapping(kinds_register, tmp_path):
    reg = kinds_register
    header = ["序号", "号牌号码", "人员", "证件"]  # headers no synonym knows: the clerk maps them once
    october = Messy(header, [[1, "宁D·A1234", "苏德明", reg.id_of("su")]])
    path = write_xlsx(tmp_path / "车管10月.xlsx", october)
    with pytest.raises(InvalidInput):
        reg.clerk.comparison.run(path, "车管", month=MONTH, on=ON)  # nothing chosen, nothing remembered: refused
    chosen = {"name": 2, "id_number": 3}
    first = reg.clerk.comparison.run(path, "车管", month=MONTH, on=ON, mapping=chosen)
    assert first.rows_read == 1 and first.rows[0].match == "in_register"
    # Next month the same headers: the mapping chosen in October applies without asking again.
    november = Messy(header, [[1, "宁D·F1111", "马学军", reg.id_of("ma")]])
    view = reg.clerk.comparison.layout(write_xlsx(tmp_path / "车管11月.xlsx", november), "车管")
    assert view.mapping["name"] == 2 and view.mapping["id_number"] == 3
    again = reg.clerk.comparison.run(tmp_path / "车管11月.xlsx", "车管", month=MONTH, on=ON)
    assert again.rows_read == 1 and again.rows[0].match == "in_register"
