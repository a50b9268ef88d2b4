"""What the hub lists is not to be trusted: a hub (or whoever stands between it and a township on
plain HTTP) must not make this PC write or delete a file outside its transfer folder, and a package
this PC refused is not downloaded again at every sync while the reasons for refusing it still hold."""

from __future__ import annotations

import hashlib

from .fake_hub import Stored

JUNK = b"DOUDIPKG-attacker-bytes"


def test_a_listing_with_a_path_in_its_fields_writes_nothing_outside_the_transfer_folder(offices, hub, tmp_path):
    county, a, _b = offices
    victim = tmp_path / "victim"
    victim.mkdir()
    # What the review's hub named: the file the download would have been written to, and then deleted.
    kept = victim / f"x-{county.code}-000001.doudipkg"
    kept.write_bytes(b"a clerk's own file")
    climb = "../" * 30 + str(victim / "x").lstrip("/")
    hub.packages["p1"] = Stored(JUNK, climb, county.code, 1)
    hub.packages["../../etc"] = Stored(JUNK, a.code, county.code, 2)
    hub.packages["p3"] = Stored(JUNK, a.code, county.code, 0)
    [sent] = a.session.hub_sync.send()  # and one honest package beside them

    report = county.session.hub_sync.fetch()
    assert [f.package_id for f in report] == [sent.package_id] and report[0].receipt["applied"]
    assert hub.downloads == [sent.package_id]  # the others are never asked for
    assert kept.read_bytes() == b"a clerk's own file" and [p.name for p in victim.iterdir()] == [kept.name]
    skipped = [e for e in county.session.hub_sync.journal() if e["result"] == "skipped"]
    assert len(skipped) == 3
    assert any("发送单位" in e["sentence"] and "不是区划代码" in e["sentence"] for e in skipped)
    assert any("编号格式不对" in e["sentence"] for e in skipped)
    assert any("序号" in e["sentence"] for e in skipped)
    assert sorted(hub.waiting_for(county.code)) == sorted(["p1", "../../etc", "p3"])  # not acknowledged either
    # Listed again next time: skipped again, journalled only once.
    county.session.hub_sync.fetch()
    assert len([e for e in county.session.hub_sync.journal() if e["result"] == "skipped"]) == 3
    assert hub.downloads == [sent.package_id]


def test_a_refused_package_is_not_downloaded_again_until_what_refused_it_changes(offices, hub, tmp_path):
    county, a, _b = offices
    [sent] = a.session.hub_sync.send()
    hub.spoil(sent.package_id)
    [first] = county.session.hub_sync.fetch()
    assert first.refused and first.exit_code == 21
    assert hub.downloads == [sent.package_id]

    assert county.session.hub_sync.fetch() == []  # reported once; not fetched again
    assert hub.downloads == [sent.package_id]
    assert hub.waiting_for(county.code) == [sent.package_id]  # still waiting, for the hub's keeper to see
    status = county.session.hub_sync.status()
    assert status.last_error == "" and status.indicator().text.startswith("同步：")
    assert [e["result"] for e in county.session.hub_sync.journal()] == ["refused"]

    # What the county holds of the township changes (a package came on a USB stick): tried again.
    usb = tmp_path / "usb"
    usb.mkdir()
    [by_hand] = a.session.packages.export(usb, for_code=county.code)
    county.session.packages.import_file(by_hand.path)
    [again] = county.session.hub_sync.fetch()
    assert again.package_id == sent.package_id and hub.downloads == [sent.package_id] * 2
    assert again.refused or again.superseded


def test_a_package_refused_for_an_untrusted_sender_is_tried_again_once_its_card_is_trusted(offices, hub):
    county, a, _b = offices
    [sent] = a.session.hub_sync.send()
    fingerprint = a.session.trust.card().fingerprint
    with county.session.store.transaction():  # as if the county had not yet added the township's card
        county.session.db.execute("DELETE FROM peers WHERE fingerprint = ?", (fingerprint,))
    [refused] = county.session.hub_sync.fetch()
    assert refused.exit_code == 23
    assert county.session.hub_sync.fetch() == [] and len(hub.downloads) == 1
    county.session.trust.add(a.card, fingerprint)
    [taken] = county.session.hub_sync.fetch()
    assert taken.package_id == sent.package_id and taken.receipt["applied"] and len(hub.downloads) == 2
    assert hub.waiting_for(county.code) == []


def test_the_memory_of_refusals_is_kept_short(offices, hub):
    from app.services.exchange import hub_sync

    county, a, _b = offices
    digest = hashlib.sha256(JUNK).hexdigest()
    entries = [{"package_id": f"p{i}", "sha256": digest, "context": ""} for i in range(hub_sync.REFUSED_KEPT + 5)]
    with county.session.store.transaction():
        county.session.hub_sync._put_meta(hub_sync.REFUSED_KEY, entries)
    hub.packages["new"] = Stored(JUNK, a.code, county.code, 1)
    county.session.hub_sync.fetch()
    kept = county.session.hub_sync._meta_list(hub_sync.REFUSED_KEY)
    assert len(kept) == hub_sync.REFUSED_KEPT and kept[-1]["package_id"] == "new"
