"""Division codes of 泾源县 (docs/domain.md §8.2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import resource_files
from app.domain import divisions as dv
from app.domain.divisions import DivisionError, parse_csv

SHARED_CSV = Path("/work/shared/data/jingyuan_640424_divisions_2016.csv")


@pytest.fixture(scope="module")
def tree():
    return resource_files.divisions()


def test_county_and_counts(tree):
    assert tree.county.code == "640424000000"
    assert tree.county.name == "泾源县"
    assert len(tree.townships()) == 7
    assert len(tree.all_villages()) == 112
    assert len(tree) == 1 + 7 + 112


def test_townships_in_code_order(tree):
    assert [t.name for t in tree.townships()] == [
        "香水镇",
        "泾河源镇",
        "六盘山镇",
        "新民乡",
        "兴盛乡",
        "黄花乡",
        "大湾乡",
    ]
    assert all(t.level == "town" and t.parent == tree.county.code for t in tree.townships())


@pytest.mark.parametrize(
    ("code", "count"),
    [
        ("640424100", 21),
        ("640424101", 21),
        ("640424102", 23),
        ("640424200", 13),
        ("640424201", 9),
        ("640424202", 12),
        ("640424203", 13),
    ],
)
def test_villages_per_township(tree, code, count):
    assert len(tree.villages(code)) == count
    assert len(tree.villages(code + "000")) == count
    assert all(v.code.startswith(code) and v.level == "village" for v in tree.villages(code))


def test_xiangshui_has_21_including_two_neighbourhood_committees(tree):
    villages = tree.villages("640424100")
    assert len(villages) == 21
    assert villages[0].code == "640424100001" and villages[0].name == "香水街居委会"
    assert villages[0].urban and villages[0].ur_code == "121"
    assert not tree.get("640424100200").urban


def test_duplicate_names_are_keyed_by_code(tree):
    dazhuang = [v for v in tree.all_villages() if v.short_name == "大庄村"]
    assert sorted(v.code for v in dazhuang) == ["640424100200", "640424102207"]
    assert {tree.township_of(v.code).name for v in dazhuang} == {"香水镇", "六盘山镇"}
    nanzhuang = [v for v in tree.all_villages() if v.short_name == "南庄村"]
    assert {tree.township_of(v.code).name for v in nanzhuang} == {"泾河源镇", "新民乡"}
    assert len({v.code for v in tree.all_villages()}) == 112


def test_short_names(tree):
    assert tree.short_name("640424100200") == "大庄村"
    assert tree.short_name("640424100001") == "香水街居"
    assert tree.short_name("640424100") == "香水镇"
    assert tree.full_name("640424102207") == "六盘山镇大庄村"
    assert dv.short_name("某某村民委员会") == "某某村"
    assert dv.short_name("村委会") == "村委会"


def test_get_accepts_short_codes_and_returns_none_for_unknown(tree):
    assert tree.get("640424").level == "county"
    assert tree.get("640424100").name == "香水镇"
    assert tree.get("640424200205") is None  # no …205 in 新民乡 in the 2016 list
    assert tree.get("not a code") is None
    assert "640424203212" in tree and "640424999999" not in tree
    with pytest.raises(DivisionError):
        tree.require("640424999999")


def test_township_of_and_errors(tree):
    assert tree.township_of("640424203212").name == "大湾乡"
    with pytest.raises(DivisionError):
        tree.township_of("640424203")
    with pytest.raises(DivisionError):
        tree.villages("640424100200")


def test_villages_under_office(tree):
    assert len(tree.villages_under("640424")) == 112
    assert len(tree.villages_under("640424201000")) == 9
    assert [v.code for v in tree.villages_under("640424201200")] == ["640424201200"]


def test_code_helpers():
    assert dv.normalize_code("640424") == "640424000000"
    assert dv.normalize_code("640424100") == "640424100000"
    assert dv.is_county_code("640424") and dv.is_county_code("640424000000")
    assert dv.is_township_code("640424100") and dv.is_township_code("640424100000")
    assert not dv.is_township_code("640424100200")
    assert dv.is_village_code("640424100200")
    assert not dv.is_village_code("6404241002")
    assert dv.township_code_of("640424100200") == "640424100000"
    with pytest.raises(DivisionError):
        dv.normalize_code("6404")
    with pytest.raises(DivisionError):
        dv.township_code_of("640424")


def test_resource_copy_matches_shared_data():
    bundled = resource_files.resource_path("divisions", "640424.csv")
    assert bundled.is_file()
    if SHARED_CSV.is_file():
        assert bundled.read_bytes() == SHARED_CSV.read_bytes()
    assert resource_files.divisions() is resource_files.divisions()  # cached


CSV_HEAD = "code,parent,name,level,ur_code\n"
GOOD = CSV_HEAD + (
    "640424000000,640400000000,泾源县,county,\n"
    "640424100000,640424000000,香水镇,town,\n"
    "640424100200,640424100000,大庄村委会,village,220\n"
)


def test_parse_csv_accepts_bom_and_blank_lines():
    tree = parse_csv("\ufeff" + GOOD + "\n")
    assert [v.short_name for v in tree.all_villages()] == ["大庄村"]


def test_parse_csv_reads_a_table_saved_on_windows():
    # Excel writes CRLF; the reason for a bad row still names the row as the clerk counts it.
    tree = parse_csv(GOOD.replace("\n", "\r\n"))
    assert [v.short_name for v in tree.all_villages()] == ["大庄村"]
    bad = GOOD + "64042410020,640424100000,永丰村委会,village,220\n"
    with pytest.raises(DivisionError, match="第 5 行"):
        parse_csv(bad.replace("\n", "\r\n"))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("code,parent,name\n", "level"),
        (GOOD + "640424100201,640424100000,永丰村委会,hamlet,220\n", "级别"),
        (GOOD + "64042410020,640424100000,永丰村委会,village,220\n", "12 位"),
        (GOOD + "640424100201,640424101000,永丰村委会,village,220\n", "上级"),
        (GOOD + "640424100200,640424100000,大庄村委会,village,220\n", "重复"),
        (GOOD + "640424101000,640424000000,泾河源镇,village,\n", "不符"),
        (CSV_HEAD + "640424100000,640424000000,香水镇,town,\n", "县"),
    ],
)
def test_parse_csv_rejects_bad_tables_with_a_reason(text, fragment):
    with pytest.raises(DivisionError) as err:
        parse_csv(text)
    assert fragment in str(err.value)
