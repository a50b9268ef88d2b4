"""``s.hub_sync``: a township's changes reach the county through the hub and the county's receipt
comes back; what the hub does not answer, refuses or the user cancels leaves the register as it was."""

from __future__ import annotations

import pytest

from app.errors import InvalidInput, PermissionDenied
from app.hub.client import HubUnreachable
from tests.exchange_flow.conftest import digests, edit_household


def _state(office):
    s = office.session
    return (
        digests(office),
        s.db.scalar("SELECT count(*) FROM packages"),
        s.db.query("SELECT peer_code, out_seq, acked_change_seq FROM channels ORDER BY peer_code"),
    )


def test_township_to_county_and_back_lowers_unsent_changes(offices, hub):
    county, a, _b = offices
    before = a.session.dashboard.unsent_changes()
    assert before > 0
    sent = a.session.hub_sync.sync().sent
    assert [p.peer for p in sent] == [county.code] and sent[0].stored
    assert hub.waiting_for(county.code) == [sent[0].package_id]

    report = county.session.hub_sync.sync()
    assert [f.sender for f in report.fetched] == [a.code]
    assert report.fetched[0].receipt["applied"]  # the township's rows, applied at the county
    assert hub.waiting_for(county.code) == []  # acknowledged once imported
    assert digests(county)[a.code] == digests(a)[a.code]

    a.session.hub_sync.sync()  # the county's receipt comes back
    assert a.session.dashboard.unsent_changes() == 0
    status = a.session.hub_sync.status()
    assert status.reachable is True and status.last_error == "" and status.last_success_at
    assert status.indicator().text.startswith("同步：")
    # Nothing of a package is left on disk outside the database.
    assert not any((a.data_dir / ".hub-transfer").rglob("*.doudipkg"))


def test_an_unreachable_hub_changes_nothing_and_the_status_says_so(offices, hub):
    _county, a, _b = offices
    hub.down = True
    before = _state(a)
    for call in (a.session.hub_sync.sync, a.session.hub_sync.send, a.session.hub_sync.fetch):
        with pytest.raises(HubUnreachable) as caught:
            call()
        assert hub.url in str(caught.value)
    assert _state(a) == before  # no package numbered, nothing imported
    status = a.session.hub_sync.status()
    assert status.reachable is False and hub.url in status.last_error
    assert status.last_success_at is None and status.last_attempt_at
    assert status.indicator().text == "中转站无法连接"
    hub.down = False
    a.session.hub_sync.sync()
    assert a.session.hub_sync.status().indicator().text.startswith("同步：")


def test_a_refused_package_is_reported_and_stays_in_the_mailbox(offices, hub):
    county, a, _b = offices
    [sent] = a.session.hub_sync.send()
    hub.spoil(sent.package_id)
    before = _state(county)
    report = county.session.hub_sync.fetch()
    assert len(report) == 1 and report[0].receipt is None
    assert "已损坏" in report[0].refused or "被改动" in report[0].refused, report[0].refused
    assert report[0].exit_code == 21
    assert hub.acks == [] and hub.waiting_for(county.code) == [sent.package_id]  # the county sees it waiting
    assert _state(county) == before
    status = county.session.hub_sync.status()
    assert status.reachable is True and sent.package_id in status.last_error
    assert status.indicator().text == "同步出错"
    journal = county.session.hub_sync.journal()
    assert journal[0]["result"] == "refused" and journal[0]["sentence"] == report[0].refused


class Stop(Exception):
    pass


def _stop_at(prefix, nth):
    """A progress that cancels as the *nth* package's step *prefix* begins (not a step inside it)."""
    seen = []

    def progress(_done, _total, label):
        if label.startswith(prefix) and label.endswith("号数据包"):
            seen.append(label)
            if len(seen) == nth:
                raise Stop

    return progress


def test_cancel_stops_between_packages(offices, hub):
    county, a, b = offices
    first = a.session.hub_sync.send()[0].package_id
    b.session.hub_sync.send()
    imported = "SELECT count(*) FROM packages WHERE direction = 'in'"

    # Cancelled while downloading the second: nothing is imported, both wait, no download stays on disk.
    with pytest.raises(Stop):
        county.session.hub_sync.fetch(_stop_at("正在接收", 2))
    assert hub.acks == [] and len(hub.waiting_for(county.code)) == 2
    assert county.session.db.scalar(imported) == 0
    assert not any((county.data_dir / ".hub-transfer").rglob("*.doudipkg"))

    # Cancelled as the second import begins: the first is imported and still acknowledged.
    with pytest.raises(Stop):
        county.session.hub_sync.fetch(_stop_at("正在导入", 2))
    assert hub.acks == [first] and len(hub.waiting_for(county.code)) == 1
    assert county.session.db.scalar(imported) == 1
    county.session.hub_sync.fetch()
    assert hub.waiting_for(county.code) == []


def test_a_cancel_during_an_upload_takes_effect_after_it(offices, hub):
    _county, a, _b = offices

    def progress(_done, _total, label):
        if "KB" in label:
            raise Stop

    with pytest.raises(Stop):
        a.session.hub_sync.send(progress)
    assert len(hub.uploads) == 1  # the package under way was finished, not cut
    assert a.session.hub_sync.journal()[0]["result"] == "stored"


def test_settings_are_the_administrators_and_checked(offices, hub, tmp_path):
    _county, a, _b = offices
    s = a.session.hub_sync
    assert s.settings().url == hub.url and s.settings().interval_minutes == 10
    for bad in ("ftp://hub:21", "hub.local", "https://", "http://user:pw@hub", "http://hub/?x=1", "http://hub:99999"):
        with pytest.raises(InvalidInput) as caught:
            s.save_settings(bad, 5)
        assert caught.value.field == "hub_url"
        assert bad.strip("/") in str(caught.value)
    with pytest.raises(InvalidInput):
        s.save_settings("https://hub.local", 100000)
    saved = s.save_settings("  https://10.0.0.5:8443/ ", "30")
    assert saved.url == "https://10.0.0.5:8443" and saved.interval_minutes == 30
    audit = a.session.db.query("SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1")[0]
    assert audit[0] == "设置县级数据中转站" and "10.0.0.5" in audit[1]
    a.session.users.add("clerk1", "clerk", "clerk-pass-2021", display_name="王经办")
    from app.services.office import open_session

    clerk = open_session(a.data_dir, "clerk1", "clerk-pass-2021")
    try:
        with pytest.raises(PermissionDenied):
            clerk.hub_sync.save_settings("https://other", 5)
        assert clerk.hub_sync.settings().url == "https://10.0.0.5:8443"
    finally:
        clerk.close()


def test_sync_without_an_address_says_where_to_set_it(offices, hub):
    _county, a, _b = offices
    a.session.hub_sync.save_settings("", 0)
    with pytest.raises(InvalidInput) as caught:
        a.session.hub_sync.sync()
    assert "数据交换" in str(caught.value) and "--hub" in str(caught.value)
    assert a.session.hub_sync.status().indicator().text == ""
    # An address given for this one run is used without being saved.
    assert a.session.hub_sync.send(url=hub.url)
    assert a.session.hub_sync.settings().url == ""


def test_an_edit_after_a_sync_goes_out_on_the_next(offices, hub):
    county, a, _b = offices
    a.session.hub_sync.sync()
    county.session.hub_sync.sync()
    a.session.hub_sync.sync()
    edit_household(a, "网络同步后改的")
    assert a.session.dashboard.unsent_changes() == 1
    a.session.hub_sync.sync()
    county.session.hub_sync.sync()
    a.session.hub_sync.sync()
    assert a.session.dashboard.unsent_changes() == 0
    assert digests(county)[a.code] == digests(a)[a.code]


def test_a_quiet_register_sends_nothing_but_a_receipt_is_never_withheld(offices, hub):
    county, a, _b = offices
    for o in (a, county, a, county):
        o.session.hub_sync.sync()
    assert [o.session.hub_sync.sync().sent for o in (a, county, a)] == [[], [], []]
    edit_household(a, "安静之后改的")
    assert [p.peer for p in a.session.hub_sync.sync().sent] == [county.code]
    assert [p.peer for p in county.session.hub_sync.sync().sent] == [a.code]  # the receipt
    a.session.hub_sync.sync()
    assert a.session.dashboard.unsent_changes() == 0


def test_an_older_package_that_came_by_usb_meanwhile_is_acknowledged_not_refused(offices, hub, tmp_path):
    from tests.exchange_flow.conftest import export_one

    county, a, _b = offices
    [old] = a.session.hub_sync.send()
    edit_household(a, "U 盘送去的")
    county.session.packages.import_file(export_one(a, county, tmp_path / "usb"))  # the newer, by hand
    [fetched] = county.session.hub_sync.fetch()
    assert fetched.package_id == old.package_id and fetched.superseded and not fetched.refused
    assert hub.waiting_for(county.code) == []
    assert county.session.hub_sync.status().last_error == ""
