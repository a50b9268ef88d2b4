"""A county that has received its townships' packages, with a hand-over under way and a quarantined
row, upgraded from schema 12 to 13 (issue 10 point 8): its rows, its change log and its digests
read as before, `doudi check` is clean, and it goes on exchanging with a township."""

from __future__ import annotations

from datetime import date

from app.db import device_secret
from app.db.database import Database
from app.services.integrity import check_report, office_digests
from app.services.office import open_session
from app.services.office_files import DB_NAME
from tests.exchange_flow.conftest import PASSWORD, digests, export_one, forge_package, row_of
from tests.upgrade.old_offices import Template, make_old_office
from tests.upgrade.test_integer_keys import _rows


def _as_template(office) -> Template:
    store_id = str(office.session.db.scalar("SELECT value FROM meta WHERE key = 'store_id'"))
    secret = device_secret.load(store_id)
    assert secret is not None
    return Template(office.data_dir, office.session._key, store_id, secret, {})


def test_a_county_with_exchanged_rows_upgrades_and_goes_on_exchanging(offices, tmp_path):
    county, a, b = offices
    folder = tmp_path / "usb"
    for town in (a, b):
        county.session.packages.import_file(export_one(town, county, folder))
    hid = county.session.db.scalar(
        "SELECT id FROM households WHERE owner_office = ? AND archived = 0 ORDER BY id LIMIT 1", (a.code,)
    )
    county.session.users.add("xian1", "county", PASSWORD, display_name="xian1")
    decider = open_session(county.data_dir, "xian1", PASSWORD)
    try:
        decider.handovers.start(hid, b.code, date.today(), "随子女迁居")
    finally:
        decider.close()
    orphan = {**row_of(a, "visits", 0), "id": "0190a0a0-0000-7000-8000-0000000000c1"}
    orphan["household_id"] = "0190a0a0-0000-7000-8000-0000000000c2"
    receipt = county.session.packages.import_file(forge_package(a, county, tmp_path / "f", {"visits": [orphan]}))
    assert [q["row_id"] for q in receipt.quarantined] == [orphan["id"]]
    before = _rows(county.session.db)
    held = digests(county)
    template = _as_template(county)
    county.session.close()

    old = tmp_path / "county-at-12"
    make_old_office(template, old, 12)
    probe = Database(old / DB_NAME, template.key)
    assert probe.scalar("PRAGMA user_version") == 12
    probe.close()
    upgraded = open_session(old, "admin", PASSWORD)
    try:
        after = _rows(upgraded.db)
        logged = len(before["change_log"])
        assert after.pop("change_log")[:logged] == before.pop("change_log")
        assert after == before
        assert check_report(upgraded, old)["problems"] == []
        assert office_digests(upgraded) == held
        assert [q["row_id"] for q in upgraded.packages.quarantine()] == [orphan["id"]]
        assert upgraded.db.scalar("SELECT count(*) FROM handovers WHERE household_id = ?", (hid,)) == 1
        # The upgraded county goes on: township A's next package applies, and A takes the county's.
        receipt = upgraded.packages.import_file(export_one(a, county, tmp_path / "next"))
        assert receipt.quarantined == []
        (tmp_path / "back").mkdir()
        (back,) = upgraded.packages.export(tmp_path / "back", for_code=a.code)
        assert a.session.packages.import_file(back.path).quarantined == []
        assert office_digests(upgraded)[a.code] == digests(a)[a.code]
    finally:
        upgraded.close()
