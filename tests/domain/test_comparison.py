"""Matching a department's row to the register and the findings it raises (app/domain/comparison.py)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import comparison as dc
from app.domain import idnumber
from app.domain.sheet_layout import DataRow

SOURCES = Path(__file__).resolve().parents[2] / "app" / "resources" / "sources"


def kind(name: str) -> dc.SourceKind:
    for path in SOURCES.glob("*.json"):
        k = dc.parse_source(json.loads(path.read_text(encoding="utf-8")), path.name)
        if k.name == name:
            return k
    raise KeyError(name)


def person(seq: int, name: str = "马文华", born: date = date(1958, 4, 2), **kw) -> dc.Person:
    kw.setdefault("village_code", "640424100200")
    kw.setdefault("village_name", "大庄村")
    return dc.Person(
        member_id=f"m{seq}",
        household_id=f"h{seq}",
        id_number=idnumber.make("642225", born, seq),
        name=name,
        birth_date=born,
        head_name=name,
        **kw,
    )


def row(n: int = 1, **values) -> DataRow:
    return DataRow(row=n, sheet_row=n + 3, values=values)


def test_every_shipped_source_kind_parses_and_names_its_department():
    names = {dc.parse_source(json.loads(p.read_text(encoding="utf-8")), p.name).name for p in SOURCES.glob("*.json")}
    assert names == {"乡村振兴", "卫健", "残联", "人社", "医保", "公安", "市场监管", "车管", "不动产"}


def test_an_unknown_condition_is_refused_naming_the_file():
    with pytest.raises(dc.SourceError, match=r"x\.json.*不是已知的条件"):
        dc.parse_source({"name": "公安", "rules": [{"finding": "moved_out", "when": "row_is:x"}]}, "x.json")


def test_a_death_on_the_police_list_of_someone_paid_is_deceased_still_enrolled():
    paid = person(11, programmes=frozenset({"低保"}))
    index = dc.RegisterIndex.build([paid])
    r = row(death_date="2026-10-03", name="马文华", id_number=paid.id_number)
    m = dc.match(r, index)
    assert m.kind == dc.IN_REGISTER and m.person == paid
    codes = [f.code for f in dc.findings(kind("公安"), r, m)]
    assert codes == ["deceased_still_enrolled", "deceased_not_recorded"]
    assert "低保" in dc.findings(kind("公安"), r, m)[0].text


def test_a_monitored_person_in_no_programme_is_a_missed_candidate_even_outside_the_register():
    index = dc.RegisterIndex.build([person(13)])
    stranger = idnumber.make("640424", date(1990, 1, 1), 21)
    r = row(name="海小燕", id_number=stranger, monitor_type="边缘易致贫户")
    m = dc.match(r, index)
    assert m.kind == dc.NOT_IN_REGISTER
    assert [f.code for f in dc.findings(kind("乡村振兴"), r, m)] == ["missed_candidate"]


def test_a_severely_disabled_holder_without_the_subsidies_is_flagged_from_the_certificate_alone():
    p = person(15)
    index = dc.RegisterIndex.build([p])
    r = row(name="马文华", disability_cert=p.id_number + "41")  # no ID column: the certificate carries it
    m = dc.match(r, index)
    assert m.kind == dc.IN_REGISTER
    assert {f.code for f in dc.findings(kind("残联"), r, m)} == {
        "disability_subsidy_missing",
        "disability_not_recorded",
    }
    # grade 4, not poor: nothing missing but the record
    r4 = row(name="马文华", disability_cert=p.id_number + "44")
    assert [f.code for f in dc.findings(kind("残联"), r4, dc.match(r4, index))] == ["disability_not_recorded"]


def test_a_car_owner_on_a_mere_old_age_allowance_is_not_wrongly_enrolled():
    elder = person(17, programmes=frozenset({"高龄补贴"}))
    poor = person(19, name="李明", programmes=frozenset({"低保"}))
    index = dc.RegisterIndex.build([elder, poor])
    for p, expected in ((elder, []), (poor, ["vehicle_owner_enrolled"])):
        r = row(name=p.name, id_number=p.id_number, plate="宁D12345")
        assert [f.code for f in dc.findings(kind("车管"), r, dc.match(r, index))] == expected


def test_a_damaged_number_may_still_name_one_person_by_name_birth_and_village():
    p = person(23)
    index = dc.RegisterIndex.build([p, person(25, name="别人")])
    damaged = float(f"{float(p.id_number):.15g}")
    r = row(name="马 文华", id_number=damaged, village="大庄村")
    m = dc.match(r, index)
    assert m.kind == dc.POSSIBLE_MATCH and m.person == p and m.id_number is None
    assert [f.code for f in dc.findings(kind("公安"), r, m)] == ["confirm_match"]
    elsewhere = row(name="马文华", id_number=damaged, village="永丰村")
    assert dc.match(elsewhere, index).kind == dc.ID_DAMAGED


def test_a_damaged_number_from_another_region_does_not_name_the_register_s_namesake():
    p = person(23)
    index = dc.RegisterIndex.build([p])
    beijing = idnumber.make("110101", date(1958, 4, 2), 23)  # born the same day as 马文华
    r = row(name="马文华", id_number=float(f"{float(beijing):.15g}"), death_date="2026-10-03")
    m = dc.match(r, index)
    assert m.kind == dc.ID_DAMAGED and m.person is None
    assert [f.code for f in dc.findings(kind("公安"), r, m)] == ["id_unusable"]  # no death raised on 马文华


def test_an_invalid_number_names_someone_only_when_all_but_one_digit_agree():
    p = person(23)
    index = dc.RegisterIndex.build([p])
    jinan = "370102" + p.id_number[6:14] + "9999"  # another region, an invalid tail
    assert dc.match(row(name="马文华", id_number=jinan), index).person is None
    wrong_check = p.id_number[:17] + ("0" if p.id_number[17] != "0" else "1")
    assert dc.match(row(name="马文华", id_number=wrong_check), index).person == p
    one_typo = p.id_number[:15] + str((int(p.id_number[15]) + 1) % 10) + p.id_number[16:]
    assert dc.match(row(name="马文华", id_number=one_typo), index).person == p
    two_typos = one_typo[:16] + str((int(one_typo[16]) + 1) % 10) + one_typo[17]
    assert dc.match(row(name="马文华", id_number=two_typos), index).person is None


def test_a_float_rounded_up_in_its_fifteenth_digit_still_agrees():
    number = "642225195804021" + "58" + "X"  # the 16th digit 5 rounds the 15th up
    assert dc.digits_agree(float(f"{float(number[:17] + '0'):.15g}"), number)
    assert dc.digits_agree(float(number[:15] + "000"), number)  # Excel cut it instead
    assert not dc.digits_agree(float("642225195804023000"), number)


def test_two_people_with_the_same_name_and_birth_date_are_never_guessed_between():
    a, b = person(27), person(29)
    index = dc.RegisterIndex.build([a, b])
    m = dc.match(row(name="马文华", id_number="642225195804020", birth_date="1958-04-02"), index)
    assert m.kind == dc.ID_INVALID and m.person is None


def test_a_name_that_differs_from_the_register_is_said():
    p = person(31)
    r = row(name="马文化", id_number=p.id_number)
    found = dc.findings(kind("卫健"), r, dc.match(r, dc.RegisterIndex.build([p])))
    assert [f.code for f in found] == ["name_differs"]


# --- properties -------------------------------------------------------------------------------

births = st.dates(min_value=date(1930, 1, 1), max_value=date(2010, 12, 31))
names = st.sampled_from(["马文华", "海秀兰", "李明", "杨志强"])


@st.composite
def registers(draw):
    n = draw(st.integers(1, 8))
    seqs = draw(st.lists(st.integers(1, 999), min_size=n, max_size=n, unique=True))
    return [
        dc.Person(
            member_id=f"m{s}",
            household_id=f"h{s}",
            id_number=idnumber.make("640424", born, s),
            name=draw(names),
            birth_date=born,
            village_code="640424100200",
            village_name="大庄村",
        )
        for s, born in ((s, draw(births)) for s in seqs)
    ]


@given(registers(), st.data())
def test_a_valid_number_matches_exactly_its_holder_however_it_is_written(people, data):
    index = dc.RegisterIndex.build(people)
    p = data.draw(st.sampled_from(people))
    written = data.draw(st.sampled_from([p.id_number, p.id_number.lower(), f" {p.id_number[:6]} {p.id_number[6:]} "]))
    other_name = data.draw(names)
    m = dc.match(row(name=other_name, id_number=written), index)
    assert m.kind == dc.IN_REGISTER and m.person == p  # the ID decides, not the name


@given(registers(), st.data())
def test_a_damaged_number_is_never_in_register_and_names_at_most_one_person(people, data):
    index = dc.RegisterIndex.build(people)
    p = data.draw(st.sampled_from(people))
    damaged = float(f"{float(p.id_number[:17] + '0'):.15g}")
    cell = data.draw(st.sampled_from([damaged, p.id_number[:17] + "?", "", None]))
    m = dc.match(row(name=p.name, id_number=cell, birth_date=p.birth_date), index)
    assert m.kind != dc.IN_REGISTER
    same = [q for q in people if q.name == p.name and q.birth_date == p.birth_date]
    if cell not in ("", None):  # a number that says something rules out the people it cannot be
        same = [q for q in same if dc.digits_agree(cell, q.id_number)]
    if m.kind == dc.POSSIBLE_MATCH:
        assert same == [m.person]
    else:
        assert m.person is None and len(same) > 1


@given(registers(), st.data())
def test_a_damaged_or_invalid_number_never_names_a_person_whose_number_it_cannot_be(people, data):
    index = dc.RegisterIndex.build(people)
    p = data.draw(st.sampled_from(people))
    region = data.draw(st.sampled_from(["110101", "370102", "640425"]))
    seq = data.draw(st.integers(0, 999))
    theirs = idnumber.make(region, p.birth_date, seq)
    wrong_check = theirs[:17] + ("0" if theirs[17] != "0" else "1")
    cell = data.draw(st.sampled_from([float(f"{float(theirs[:17] + '0'):.15g}"), wrong_check]))
    m = dc.match(row(name=p.name, id_number=cell), index)
    assert m.person is None or m.person.id_number[:6] == region


@given(registers(), st.data())
def test_findings_come_from_the_kind_only_and_once_each(people, data):
    index = dc.RegisterIndex.build(people)
    k = kind(data.draw(st.sampled_from(["公安", "残联", "卫健", "乡村振兴", "车管"])))
    p = data.draw(st.sampled_from(people))
    r = row(name=p.name, id_number=p.id_number, death_date="2026-01-01", plate="宁D1", illness="肺癌")
    codes = [f.code for f in dc.findings(k, r, dc.match(r, index))]
    assert len(codes) == len(set(codes))
    assert set(codes) <= {rule.finding for rule in k.rules} | {"name_differs"}
