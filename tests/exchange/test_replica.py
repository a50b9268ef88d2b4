"""A second PC in the same office (issue 13 point 4, docs/exchange.md §Two PCs in one office).

The township 香水镇 (A) has a first PC and a second one that joined it with its own keys; both
exchange with each other and with the county, and must end with the same rows everywhere.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.entities import CountyTask, Household, User
from app.errors import (
    AlreadyExists,
    InvalidInput,
    NotAddressedToUs,
    PackageRefused,
    PackageReplayed,
    SenderRevoked,
)
from app.services.exchange.join import join_office
from tests.exchange_flow.conftest import (  # noqa: F401 - office_templates and offices are fixtures
    PASSWORD,
    Office,
    digests,
    edit_household,
    export_one,
    office_templates,
    offices,
    row_of,
)


def join(first: Office, tmp_path, *, county: Office | None = None) -> Office:
    """The second PC joins *first* as a person would: the first PC's card and fingerprint, then the
    first PC's administrator (and the county's) trust the new card by its fingerprint."""
    folder = tmp_path / "pc2"
    session, _code = join_office(folder, first.card, first.session.trust.card().fingerprint, "clerk2", PASSWORD)
    card = tmp_path / "pc2.card.json"
    session.trust.write_card(card)
    fingerprint = session.trust.card().fingerprint
    first.session.trust.add(card, fingerprint)
    if county is not None:
        county.session.trust.add(card, fingerprint, another_pc=True)
        session.trust.add(county.card, county.session.trust.card().fingerprint)
    return Office(session, folder, card)


def forge_as(sender: Office, receiver: Office, folder, rows: dict, *, node: str, seq: int = 99, audit=()):
    """A correctly signed package from *sender*'s card carrying *rows* in the name of *node*:
    what a PC running a changed program could send."""
    from app.db.store import now_text
    from app.domain.ids import uuid7
    from app.exchange.canonical import canonical_json
    from app.exchange.package_file import build_package, write_package_file
    from app.services.exchange.office_keys import ensure_office_keys

    s = sender.session
    package_id = uuid7()
    manifest = {
        "package_id": package_id,
        "sender": {"code": sender.code, "fingerprint": s.trust.card().fingerprint, "node": node},
        "receiver": {"code": receiver.code},
        "channel_seq": seq,
        "changes": {"from": 1, "to": 0},
        "created_at": now_text(),
        "counts": {},
    }
    payload = {"package_id": package_id, "rows": rows, "audit": list(audit), "blobs": [], "acks": [], "receipts": []}
    keys = ensure_office_keys(s.store, s.user.username)
    data = build_package(manifest, canonical_json(payload), keys, receiver.session.trust.card().box_public)
    return write_package_file(fresh(folder), f"{package_id}.doudipkg", data)


def fresh(folder):
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def deliver(sender: Office, receiver: Office, folder) -> None:
    """Every package *sender* has for *receiver*'s PC, imported there."""
    fingerprint = receiver.session.trust.card().fingerprint
    folder.mkdir(parents=True, exist_ok=True)
    for written in sender.session.packages.export(folder, for_card=fingerprint):
        receiver.session.packages.import_file(written.path)


def test_a_joined_pc_has_its_own_keys_and_gets_the_whole_register_from_the_first(offices, tmp_path):  # noqa: F811
    _county, a, _b = offices
    pc2 = join(a, tmp_path)
    try:
        assert pc2.code == a.code and pc2.session.office.name == a.session.office.name
        assert pc2.session.store.node.startswith(f"{a.code}-pc") and a.session.store.node == a.code
        assert pc2.session.trust.card().fingerprint != a.session.trust.card().fingerprint
        assert pc2.session.store.repo(Household).where("1") == []
        deliver(a, pc2, tmp_path / "p")
        assert digests(pc2)[a.code] == digests(a)[a.code]
        assert len(pc2.session.store.repo(Household).where("1")) == 25
        # Users never travel: each PC keeps its own.
        assert [u.username for u in pc2.session.store.repo(User).where("1")] == ["clerk2"]
        # Nothing of the other PC's arrives as a conflict or in quarantine.
        assert pc2.session.packages.conflicts() == [] and pc2.session.packages.quarantine() == []
    finally:
        pc2.session.close()


def test_edits_on_both_pcs_and_a_concurrent_one_converge_at_both_pcs_and_the_county(offices, tmp_path):  # noqa: F811
    county, a, _b = offices
    pc2 = join(a, tmp_path, county=county)
    try:
        folder = tmp_path / "p"
        deliver(a, pc2, folder)
        deliver(a, county, folder)
        household = county.session.store.repo(Household).where("1", order="id")[3]
        task = CountyTask(household_id=household.id, township_code=a.code, text="请核实收入", due_on=date(2026, 12, 1))
        with county.session.store.transaction():
            county.session.store.save(task, "admin", "县级下发任务")
        deliver(county, pc2, folder)  # the county's rows come to each PC from the county itself
        edit_household(a, "一号电脑改的", index=0)
        edit_household(pc2, "二号电脑改的", index=1)
        first = edit_household(a, "两台电脑都改了（一号）", index=2)
        later = edit_household(pc2, "两台电脑都改了（二号）", index=2)  # later, on the other node: it wins
        for _round in range(2):
            for sender, receiver in [(a, pc2), (pc2, a), (a, county), (pc2, county), (county, a), (county, pc2)]:
                deliver(sender, receiver, folder)
        wanted = digests(county)
        assert f"{county.code}→{a.code}" in wanted  # the county's own rows about A reached both PCs
        assert digests(a) == wanted and digests(pc2) == wanted
        for office in (a, pc2, county):
            standing = office.session.store.repo(Household).get(first.id)
            assert standing is not None
            assert standing.notes == "两台电脑都改了（二号）" and standing.updated_at == later.updated_at
            assert [h.notes for h in office.session.store.repo(Household).where("1", order="id")[:2]] == [
                "一号电脑改的",
                "二号电脑改的",
            ]
        # The first PC's version lost: it waits in the conflict list of both PCs for a person. The
        # county never held it (the first PC had already taken the newer version when it wrote to
        # the county), so it has nothing to decide.
        [lost] = a.session.packages.conflicts()
        assert lost["row_id"] == first.id and lost["lost"]["notes"] == "两台电脑都改了（一号）"
        assert [c["lost"]["notes"] for c in pc2.session.packages.conflicts()] == ["两台电脑都改了（一号）"]
        assert county.session.packages.conflicts() == []
        # Both PCs own the office's rows: the first PC may bring its version back, and it wins everywhere.
        a.session.packages.resolve_conflict(lost["id"], keep="other")
        for sender, receiver in [(a, pc2), (a, county)]:
            deliver(sender, receiver, folder)
        for office in (a, pc2, county):
            kept = office.session.store.repo(Household).get(first.id)
            assert kept is not None and kept.notes == "两台电脑都改了（一号）"
        assert digests(pc2)[a.code] == digests(a)[a.code] == digests(county)[a.code]
    finally:
        pc2.session.close()


def test_revoking_one_pc_leaves_its_sibling_trusted(offices, tmp_path):  # noqa: F811
    county, a, _b = offices
    pc2 = join(a, tmp_path, county=county)
    try:
        with pytest.raises(InvalidInput, match="--fingerprint"):
            county.session.trust.revoke(a.code)  # two PCs: which one must be said
        stolen = county.session.trust.revoke(a.code, a.session.trust.card().fingerprint)
        assert stolen.revoked
        cards = {p.fingerprint: p.revoked for p in county.session.trust.peers() if p.office_code == a.code}
        assert cards == {stolen.fingerprint: True, pc2.session.trust.card().fingerprint: False}
        with pytest.raises(SenderRevoked):
            county.session.packages.import_file(export_one(a, county, tmp_path / "p"))
        receipt = county.session.packages.import_file(export_one(pc2, county, tmp_path / "q"))
        assert receipt.node == pc2.session.store.node and not receipt.already_applied
        # The county stops writing to the revoked PC, and keeps writing to the other.
        written = county.session.packages.export(fresh(tmp_path / "r"), for_code=a.code)
        assert [w.peer_fingerprint for w in written] == [pc2.session.trust.card().fingerprint]
    finally:
        pc2.session.close()


def test_replays_are_judged_per_pc(offices, tmp_path):  # noqa: F811
    county, a, _b = offices
    pc2 = join(a, tmp_path, county=county)
    try:
        deliver(a, pc2, tmp_path / "register")
        older = export_one(pc2, county, tmp_path / "old")
        edit_household(pc2, "二号电脑又改了")
        newer = export_one(pc2, county, tmp_path / "new")
        county.session.packages.import_file(newer)
        with pytest.raises(PackageReplayed):
            county.session.packages.import_file(older)
        # The first PC's package number 1 is no replay of the second PC's number 2.
        receipt = county.session.packages.import_file(export_one(a, county, tmp_path / "a"))
        assert receipt.seq == 1 and not receipt.already_applied
        # Each PC's packages are numbered on their own, and named apart on one stick.
        names = [w.path.name for w in county.session.packages.export(fresh(tmp_path / "both"), for_code=a.code)]
        assert len(set(names)) == 2 and all(name.endswith("-000001.doudipkg") for name in names)
    finally:
        pc2.session.close()


def test_a_package_for_one_pc_is_refused_by_the_other(offices, tmp_path):  # noqa: F811
    county, a, _b = offices
    pc2 = join(a, tmp_path, county=county)
    try:
        [for_first] = [
            w
            for w in county.session.packages.export(fresh(tmp_path / "p"), for_code=a.code)
            if w.peer_fingerprint == a.session.trust.card().fingerprint
        ]
        with pytest.raises(NotAddressedToUs, match="另一台电脑"):
            pc2.session.packages.import_file(for_first.path)
    finally:
        pc2.session.close()


def test_a_sibling_cannot_send_rows_another_township_owns(offices, tmp_path):  # noqa: F811
    _county, a, b = offices
    pc2 = join(a, tmp_path)
    try:
        deliver(a, pc2, tmp_path / "p")
        theirs = {**row_of(b, "households"), "notes": "二号电脑冒充泾河源镇"}
        own_in_their_village = {
            **row_of(b, "households", 1),
            "id": "0190f000-0000-7000-8000-00000000aaaa",
            "owner_office": a.code,
        }
        mine = {**row_of(a, "households"), "notes": "二号电脑改的", "updated_at": pc2.session.store.clock.tick()}
        rows = {"households": [theirs, own_in_their_village, mine]}
        forged = forge_as(pc2, a, tmp_path / "f", rows, node=pc2.session.store.node)
        receipt = a.session.packages.import_file(forged)
        reasons = sorted(q["reason"] for q in receipt.quarantined)
        assert len(reasons) == 2
        assert "不是发送方" in reasons[0] or "不是发送方" in reasons[1]
        assert any("不属于发送方乡镇" in r for r in reasons)
        assert receipt.applied == {"households": 1}  # the office's own household, from its other PC
        assert a.session.store.repo(Household).get(mine["id"]).notes == "二号电脑改的"
    finally:
        pc2.session.close()


def test_a_second_card_of_a_trusted_office_is_trusted_only_as_another_pc(offices, tmp_path):  # noqa: F811
    county, a, _b = offices
    pc2 = join(a, tmp_path)
    try:
        fingerprint = pc2.session.trust.card().fingerprint
        # New keys of the same PC, or another PC? The person must say; by default nothing is added.
        with pytest.raises(AlreadyExists, match="另一台电脑"):
            county.session.trust.add(pc2.card, fingerprint)
        assert [p.fingerprint for p in county.session.trust.cards_of(a.code)] == [a.session.trust.card().fingerprint]
        county.session.trust.add(pc2.card, fingerprint, another_pc=True)
        assert len(county.session.trust.cards_of(a.code)) == 2
    finally:
        pc2.session.close()


def test_one_pc_cannot_write_in_its_siblings_name(offices, tmp_path):  # noqa: F811
    from app.db.store import now_text
    from app.domain.ids import uuid7
    from app.exchange.canonical import canonical_json
    from app.exchange.package_file import build_package, write_package_file
    from app.services.exchange.office_keys import ensure_office_keys

    county, a, _b = offices
    pc2 = join(a, tmp_path, county=county)
    try:
        county.session.packages.import_file(export_one(a, county, tmp_path / "p"))
        package_id = uuid7()
        manifest = {
            "package_id": package_id,
            "sender": {"code": a.code, "fingerprint": pc2.session.trust.card().fingerprint, "node": a.code},
            "receiver": {"code": county.code},
            "channel_seq": 50,
            "changes": {"from": 1, "to": 0},
            "created_at": now_text(),
            "counts": {},
        }
        payload = {"package_id": package_id, "rows": {}, "audit": [], "blobs": [], "acks": [], "receipts": []}
        keys = ensure_office_keys(pc2.session.store, "clerk2")
        data = build_package(manifest, canonical_json(payload), keys, county.session.trust.card().box_public)
        path = write_package_file(fresh(tmp_path / "f"), f"{package_id}.doudipkg", data)
        with pytest.raises(PackageRefused, match="另一台电脑") as refused:
            county.session.packages.import_file(path)
        assert refused.value.exit_code == 20
    finally:
        pc2.session.close()


def test_a_joined_pc_cannot_claim_its_first_pcs_node(offices, tmp_path):  # noqa: F811
    """The review's attack: the second PC's program set to the first PC's node. Before, the county
    took its package and then refused the first PC's own package no. 1 until the second was revoked."""
    county, a, _b = offices
    pc2 = join(a, tmp_path, county=county)
    try:
        own_node = pc2.session.store.node
        pc2.session.store.clock.node = a.code
        county_fp = county.session.trust.card().fingerprint
        [claimed] = pc2.session.packages.export(fresh(tmp_path / "x"), for_card=county_fp)
        with pytest.raises(PackageRefused, match="不能以这个节点的名义写") as refused:
            county.session.packages.import_file(claimed.path)
        assert refused.value.exit_code == 20
        assert county.session.db.scalar("SELECT count(*) FROM inbound WHERE node = ?", (a.code,)) == 0
        # The first PC's own package no. 1 is taken, and so is the second PC's under its own node.
        first = county.session.packages.import_file(export_one(a, county, tmp_path / "p"))
        assert first.seq == 1 and first.node == a.code and not first.already_applied
        pc2.session.store.clock.node = own_node
        [honest] = pc2.session.packages.export(fresh(tmp_path / "y"), for_card=county_fp)
        assert county.session.packages.import_file(honest.path).node == own_node
    finally:
        pc2.session.close()


def test_a_row_stamped_in_a_siblings_name_refuses_the_whole_package(offices, tmp_path):  # noqa: F811
    county, a, _b = offices
    pc2 = join(a, tmp_path, county=county)
    try:
        county.session.packages.import_file(export_one(a, county, tmp_path / "p"))
        held = row_of(county, "households")
        wall = pc2.session.store.clock.tick().split("-", 1)[0]
        as_first = {**held, "notes": "二号电脑冒充一号电脑", "updated_at": f"{wall}-00000-{a.code}"}
        forged = forge_as(pc2, county, tmp_path / "f", {"households": [as_first]}, node=pc2.session.store.node)
        before = digests(county)
        with pytest.raises(PackageRefused, match="记为节点 640424100000 所写") as refused:
            county.session.packages.import_file(forged)
        assert refused.value.exit_code == 20 and digests(county) == before
        # The same row under the second PC's own node is its own edit, taken as usual.
        as_itself = {**as_first, "updated_at": pc2.session.store.clock.tick()}
        again = forge_as(pc2, county, tmp_path / "g", {"households": [as_itself]}, node=pc2.session.store.node)
        assert county.session.packages.import_file(again).applied == {"households": 1}
    finally:
        pc2.session.close()
