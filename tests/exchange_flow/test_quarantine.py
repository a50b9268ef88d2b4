"""Rows a sender may not write, or that cannot stand, are quarantined with their reason; the rest applies."""

from __future__ import annotations

import pytest

from app.domain.entities import Household
from app.errors import InvalidInput

from .conftest import digests, export_one, forge_package, row_of


def test_bad_rows_are_quarantined_with_reasons_and_the_rest_applies(offices, tmp_path):
    county, a, b = offices
    county.session.packages.import_file(export_one(b, county, tmp_path / "b"))  # B's rows are held
    good = row_of(a, "households", 0)
    unknown_village = {**row_of(a, "households", 1), "village_code": "640424100999"}
    other_township = {**row_of(a, "households", 2), "village_code": "640424101200"}
    bad_id = {**row_of(a, "members", 0), "id_number": "640424199001011234"}
    orphan = {**row_of(a, "visits", 0), "household_id": "0190a0a0-0000-7000-8000-000000000000"}
    not_ours = {**row_of(b, "households", 0), "notes": "A 想改 B 的户"}
    county_row = {**row_of(a, "households", 3), "owner_office": county.code}
    policy = {
        "id": "0190a0a0-0000-7000-8000-000000000001",
        "owner_office": a.code,
        "updated_at": good["updated_at"],
        "updated_by": "admin",
        "deleted": False,
        "effective_from": "2030-01-01",
        "values_json": "{}",
        "source": "乡镇自定",
        "note": "",
        "unconfirmed": False,
    }
    path = forge_package(
        a,
        county,
        tmp_path / "f",
        {
            "households": [good, unknown_village, other_township, not_ours, county_row],
            "members": [bad_id],
            "visits": [orphan],
            "policy_periods": [policy],
            "users": [row_of(a, "households", 4)],
        },
    )
    before_b = digests(county)[b.code]
    receipt = county.session.packages.import_file(path)
    assert receipt.applied == {"households": 1}
    reasons = {q["row_id"]: q["reason"] for q in receipt.quarantined}
    assert "不在区划表中" in reasons[unknown_village["id"]]
    assert "不属于发送方乡镇" in reasons[other_township["id"]]
    assert "身份证" in reasons[bad_id["id"]]
    assert "本单位没有，包中也没有" in reasons[orphan["id"]]
    assert f"属于单位 {b.code}" in reasons[not_ours["id"]]
    assert "不是发送方" in reasons[county_row["id"]]
    assert "乡镇不能拥有政策参数" in reasons[policy["id"]]
    assert any("不在单位之间交换" in r for r in reasons.values())  # users never travel
    assert digests(county)[b.code] == before_b  # nobody overwrote B's row
    listed = county.session.packages.quarantine()
    assert {q["row_id"] for q in listed} == set(reasons)


def test_a_quarantined_row_can_be_released_once_its_parent_arrives(offices, tmp_path):
    county, a, _b = offices
    member = row_of(a, "members", 0)
    receipt = county.session.packages.import_file(forge_package(a, county, tmp_path / "f", {"members": [member]}))
    [item] = county.session.packages.quarantine()
    assert receipt.applied == {} and item["row_id"] == member["id"]
    with pytest.raises(InvalidInput, match="仍不能放行"):
        county.session.packages.release(item["id"])
    county.session.packages.import_file(export_one(a, county, tmp_path / "p"))  # the household comes
    county.session.packages.release(item["id"])
    assert county.session.packages.quarantine() == []
    assert county.session.db.scalar("SELECT count(*) FROM members WHERE id = ?", (member["id"],)) == 1


def test_a_quarantined_row_can_be_dismissed(offices, tmp_path):
    county, a, _b = offices
    bad = {**row_of(a, "households", 0), "village_code": "640424100999"}
    county.session.packages.import_file(forge_package(a, county, tmp_path / "f", {"households": [bad]}))
    [item] = county.session.packages.quarantine()
    county.session.packages.dismiss(item["id"], "已请乡镇更正")
    assert county.session.packages.quarantine() == []
    assert county.session.store.repo(Household).get(bad["id"]) is None


def test_a_row_of_the_wrong_shape_is_quarantined_not_a_crash(offices, tmp_path):
    county, a, _b = offices
    broken = row_of(a, "households", 0)
    del broken["head_name"]
    wrong_type = {**row_of(a, "households", 1), "risk_level": "高"}
    bad_stamp = {**row_of(a, "households", 2), "updated_at": "yesterday"}
    receipt = county.session.packages.import_file(
        forge_package(a, county, tmp_path / "f", {"households": [broken, wrong_type, bad_stamp, "x"]})
    )
    assert receipt.applied == {} and len(receipt.quarantined) == 4
