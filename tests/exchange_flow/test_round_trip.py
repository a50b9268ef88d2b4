"""A county and two townships exchanging packages through a folder, and ending with equal digests."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest

from app.domain.entities import Household
from app.errors import PackageReplayed, PermissionDenied

from .conftest import clone, digests, edit_household, export_one


def _round(county, towns, folder):
    """Each township sends, the county applies, the county answers each, each township applies."""
    receipts = [county.session.packages.import_file(export_one(t, county, folder)) for t in towns]
    back = [t.session.packages.import_file(export_one(county, t, folder)) for t in towns]
    return receipts, back


def test_townships_and_county_converge_to_equal_digests(offices, tmp_path):
    county, a, b = offices
    folder = tmp_path / "usb"
    receipts, back = _round(county, [a, b], folder)
    assert all(not r.quarantined and r.conflicts == 0 for r in receipts)
    assert receipts[0].applied["households"] == 25 and receipts[1].applied["households"] == 20
    held = digests(county)
    assert held[a.code] == digests(a)[a.code] and held[b.code] == digests(b)[b.code]
    # The county's return package acknowledged everything: nothing is left unsent at the townships.
    assert back[0].acknowledged is not None
    assert a.session.dashboard.unsent_changes() == 0 and b.session.dashboard.unsent_changes() == 0

    # A second month: a township edits, the county sends a policy period down.
    edit_household(a, "二次核查：新增务工收入")
    assert a.session.dashboard.unsent_changes() == 1
    county.session.policy.add_policy_period(
        date(2030, 1, 1),
        {"dibao.rural_standard_annual": {"yuan": 7200, "unconfirmed": False}},
        source="宁民发〔2029〕1号",
    )
    receipts, _back = _round(county, [a, b], folder)
    assert receipts[0].applied == {"households": 1}  # only what came after the acknowledgement
    assert receipts[1].applied == {}
    assert a.session.dashboard.unsent_changes() == 0
    held = digests(county)
    for town in (a, b):
        mine = digests(town)
        assert mine[town.code] == held[town.code]
        # The county's policy period arrived: the county's rows as that township sees them agree.
        key = f"{county.code}→{town.code}"
        assert mine[key] == held[key]
    book = a.session.policy.policy_book()
    assert book.for_month("2030-01").rural_standard_monthly_fen == 60000


def test_imported_members_can_be_found_at_the_county(offices, tmp_path):
    county, a, _b = offices
    county.session.packages.import_file(export_one(a, county, tmp_path))
    name = a.session.db.scalar("SELECT name FROM members WHERE deleted = 0 ORDER BY id LIMIT 1")
    found = county.session.db.scalar("SELECT count(*) FROM member_search WHERE name = ?", (name,))
    assert found >= 1


def test_a_package_seen_before_changes_nothing_and_says_so(offices, tmp_path):
    county, a, _b = offices
    path = export_one(a, county, tmp_path)
    first = county.session.packages.import_file(path)
    before = digests(county), county.session.db.scalar("SELECT count(*) FROM change_log")
    again = county.session.packages.import_file(path)
    assert again.already_applied and again.package_id == first.package_id
    assert (digests(county), county.session.db.scalar("SELECT count(*) FROM change_log")) == before


def test_duplicated_and_reordered_packages_give_the_same_county_state(offices, tmp_path):
    county, a, b = offices
    twin = clone(county, tmp_path / "county-twin")
    try:
        p1 = export_one(a, county, tmp_path / "p")
        edit_household(a, "第二包")
        p2 = export_one(a, county, tmp_path / "p")
        q1 = export_one(b, county, tmp_path / "p")
        for p in (p1, q1, p2, p1, p2, q1):
            with contextlib.suppress(PackageReplayed):  # older than one applied: the newer carried it all
                county.session.packages.import_file(p)
        twin.session.packages.import_file(p2)
        with pytest.raises(PackageReplayed, match="重放"):
            twin.session.packages.import_file(p1)  # older: p2 already carried all of it
        twin.session.packages.import_file(q1)
        assert twin.session.packages.import_file(p2).already_applied
        assert digests(twin) == digests(county)
        assert digests(county)[a.code] == digests(a)[a.code]
    finally:
        twin.session.close()


def test_the_conflict_path_between_two_pcs_of_one_township(offices, tmp_path):
    county, a, _b = offices
    county.session.packages.import_file(export_one(a, county, tmp_path / "p"))
    second_pc = clone(a, tmp_path / "a-second-pc", replica="pc2")
    try:
        assert second_pc.session.store.node == f"{a.code}-pc2"
        first = edit_household(a, "一号电脑的修改")
        edit_household(second_pc, "二号电脑的修改")  # later, on the other node
        county.session.packages.import_file(export_one(a, county, tmp_path / "p"))
        receipt = county.session.packages.import_file(export_one(second_pc, county, tmp_path / "q"))
        assert receipt.conflicts == 1
        standing = county.session.store.repo(Household).get(first.id)
        assert standing.notes == "二号电脑的修改"  # the newer version stands
        [conflict] = county.session.packages.conflicts()
        assert conflict["row_id"] == first.id and conflict["lost"]["notes"] == "一号电脑的修改"
        assert county.session.packages.current_row("households", first.id)["notes"] == "二号电脑的修改"
        # Only the owner may bring the other version back; the county keeps what stands.
        with pytest.raises(PermissionDenied, match="只能由它决定"):
            county.session.packages.resolve_conflict(conflict["id"], keep="other")
        county.session.packages.resolve_conflict(conflict["id"], keep="stored")
        assert county.session.packages.conflicts() == []
    finally:
        second_pc.session.close()


def test_the_owner_can_bring_back_the_losing_version(offices, tmp_path):
    """At the township a conflict over its own row is resolved by saving the other version anew."""
    county, a, _b = offices
    folder = tmp_path / "p"
    county.session.packages.import_file(export_one(a, county, folder))
    second_pc = clone(a, tmp_path / "pc2", replica="pc2")
    try:
        edit_household(second_pc, "二号电脑")
        first = edit_household(a, "一号电脑")  # later: wins at the county
        county.session.packages.import_file(export_one(second_pc, county, tmp_path / "q"))
        receipt = county.session.packages.import_file(export_one(a, county, folder))
        assert receipt.conflicts == 1
        # The second PC's edit was made on top of the version the county held: no conflict then. The
        # first PC's edit was made beside it: that one is.
        conflicts = county.session.packages.conflicts()
        assert [c["lost"]["notes"] for c in conflicts] == ["二号电脑"]
        # The township gets the conflict row to decide on by copying it (a later issue sends conflicts back);
        # here: the owner restores the other version and it wins at the county in the next package.
        with a.session.store.transaction():
            a.session.db.execute(
                "INSERT INTO conflicts(entity, row_id, kept_updated_at, lost_updated_at, lost_json, at) "
                "SELECT entity, row_id, kept_updated_at, lost_updated_at, ?, at FROM (SELECT ? AS entity, ? AS row_id, "
                "'' AS kept_updated_at, ? AS lost_updated_at, '' AS at)",
                (_json(conflicts[0]["lost"]), "households", first.id, conflicts[0]["lost_updated_at"]),
            )
        [mine] = a.session.packages.conflicts()
        a.session.packages.resolve_conflict(mine["id"], keep="other")
        assert a.session.store.repo(Household).get(first.id).notes == "二号电脑"
        county.session.packages.import_file(export_one(a, county, folder))
        assert county.session.store.repo(Household).get(first.id).notes == "二号电脑"
    finally:
        second_pc.session.close()


def _json(value):
    import json

    return json.dumps(value, ensure_ascii=False)


def test_export_skips_revoked_peers_and_names_an_unknown_one(offices, tmp_path):
    from app.errors import InvalidInput, NotFound

    county, a, b = offices
    written = county.session.packages.export(tmp_path)
    assert sorted(w.peer_code for w in written) == sorted([a.code, b.code])
    county.session.trust.revoke(b.code)
    assert [w.peer_code for w in county.session.packages.export(tmp_path)] == [a.code]
    with pytest.raises(InvalidInput, match="吊销"):
        county.session.packages.export(tmp_path, for_code=b.code)
    with pytest.raises(NotFound, match="没有信任过"):
        county.session.packages.export(tmp_path, for_code="640424202")
    names = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".doudipkg")
    assert names[0] == f"{county.code}-{a.code}-000001.doudipkg"


def test_attachments_travel_with_their_bytes(offices, tmp_path):
    county, a, _b = offices
    household = a.session.store.repo(Household).where("1", order="id")[0]
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    added = a.session.attachments.add("households", household.id, pdf, "低保证明.pdf")
    receipt = county.session.packages.import_file(export_one(a, county, tmp_path))
    assert receipt.applied["attachments"] == 1
    assert county.session.attachments.data(added.id) == pdf


def test_county_tasks_go_to_their_township_only(offices, tmp_path):
    from app.domain.entities import CountyTask

    county, a, b = offices
    county.session.packages.import_file(export_one(a, county, tmp_path / "a"))
    household = a.session.store.repo(Household).where("1", order="id")[0]
    task = CountyTask(household_id=household.id, township_code=a.code, text="请再次入户核查", due_on=date(2026, 12, 1))
    with county.session.store.transaction():
        county.session.store.save(task, "admin", "县级下发任务")
    to_a = a.session.packages.import_file(export_one(county, a, tmp_path / "back"))
    to_b = b.session.packages.import_file(export_one(county, b, tmp_path / "back"))
    assert to_a.applied.get("county_tasks") == 1 and "county_tasks" not in to_b.applied
    key = f"{county.code}→{a.code}"
    assert digests(a)[key] == digests(county)[key]


def test_a_county_row_about_another_township_is_quarantined(offices, tmp_path):
    from .conftest import forge_package, row_of

    county, a, b = offices
    county.session.packages.import_file(export_one(a, county, tmp_path / "a"))
    household = row_of(a, "households", 0)
    task = {
        "id": "0190a0a0-0000-7000-8000-0000000000aa",
        "owner_office": county.code,
        "updated_at": household["updated_at"],
        "updated_by": "admin",
        "deleted": False,
        "household_id": household["id"],
        "township_code": a.code,
        "text": "请再次入户核查",
        "due_on": "2026-12-01",
        "sent_on": None,
        "withdrawn": False,
    }
    receipt = b.session.packages.import_file(forge_package(county, b, tmp_path / "f", {"county_tasks": [task]}))
    [item] = receipt.quarantined
    assert "不是发给本单位" in item["reason"]
