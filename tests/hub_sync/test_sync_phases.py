"""A sync runs in phases (the window runs each as its own op, the network off the writer thread), and
nothing is lost when it stops between two of them: a download not imported is fetched again, a
package exported but not uploaded goes next time under its own number, a lost acknowledgement does
not cost a second download."""

from __future__ import annotations

import os
import time

import pytest

from app.hub.client import HubError, HubUnreachable
from app.services.exchange.hub_sync import STALE_SECONDS
from tests.exchange_flow.conftest import digests, edit_household

from .fake_hub import FakeClient


def _outbox(office):
    return sorted(p.name for p in (office.data_dir / ".hub-transfer" / "outbox").glob("*.doudipkg"))


def _out_seq(office, peer):
    return office.session.db.scalar("SELECT out_seq FROM channels WHERE peer_code = ?", (peer.code,))


def _line_drops_on_upload(monkeypatch, hub, tried):
    def upload(self, package_id, data, progress=None):
        tried.append(package_id)
        raise HubUnreachable(f"无法连接县级数据中转站 {hub.url}：网络传输中断。")

    monkeypatch.setattr(FakeClient, "upload", upload)


def test_a_package_exported_but_not_uploaded_goes_next_time_under_its_number(offices, hub, monkeypatch):
    county, a, _b = offices
    a.session.hub_sync.send()
    county.session.hub_sync.fetch()  # the county now owes the township a receipt, nothing more
    real_upload = FakeClient.upload
    tried: list[str] = []
    _line_drops_on_upload(monkeypatch, hub, tried)
    with pytest.raises(HubUnreachable):
        county.session.hub_sync.send()
    seq = _out_seq(county, a)
    assert len(tried) == len(_outbox(county)) >= 1  # exported, waiting in the outbox

    monkeypatch.setattr(FakeClient, "upload", real_upload)
    sent = county.session.hub_sync.send()
    assert sorted(p.package_id for p in sent) == sorted(tried)  # the same packages, not new numbers
    assert _out_seq(county, a) == seq and _outbox(county) == []
    assert next(e["result"] for e in county.session.hub_sync.journal() if e["direction"] == "up") == "stored"
    a.session.hub_sync.fetch()
    assert a.session.dashboard.unsent_changes() == 0  # the receipt reached the township after all


def test_a_newer_package_replaces_an_older_one_still_waiting(offices, hub, monkeypatch):
    county, a, _b = offices
    real_upload = FakeClient.upload
    tried: list[str] = []
    _line_drops_on_upload(monkeypatch, hub, tried)
    with pytest.raises(HubUnreachable):
        a.session.hub_sync.send()
    assert len(_outbox(a)) == 1
    monkeypatch.setattr(FakeClient, "upload", real_upload)
    edit_household(a, "断网之后改的")
    hub.down = True  # the next attempt gets as far as the export only
    monkeypatch.setattr(type(a.session.hub_sync), "probe", lambda *_a: None)
    with pytest.raises(HubUnreachable):
        a.session.hub_sync.send()
    [waiting] = _outbox(a)  # only the newer: it carries all the older did
    assert waiting.endswith("-000002.doudipkg")
    hub.down = False
    [sent] = a.session.hub_sync.send()  # still unacknowledged: exported anew, and only that one goes
    assert sent.seq == 3 and sent.package_id not in tried and _outbox(a) == []
    county.session.hub_sync.fetch()  # number 1 never came: no gap the county refuses
    assert digests(county)[a.code] == digests(a)[a.code]


def test_a_package_the_hub_refuses_for_what_it_is_leaves_the_outbox(offices, hub, monkeypatch):
    _county, a, _b = offices

    def refuse(self, package_id, data, progress=None):
        raise HubError(f"数据包 {package_id} 的签名与单位 {a.code} 的公钥不符，不予接收。", status=403)

    monkeypatch.setattr(FakeClient, "upload", refuse)
    with pytest.raises(HubError) as caught:
        a.session.hub_sync.send()
    assert _outbox(a) == []  # it would stand in the way of every later sync
    entry = a.session.hub_sync.journal()[0]
    assert entry["result"] == "refused" and entry["sentence"] == str(caught.value)
    assert a.session.hub_sync.status().last_error == str(caught.value)


def test_a_download_not_imported_is_fetched_again(offices, hub):
    county, a, _b = offices
    [sent] = a.session.hub_sync.send()
    service = county.session.hub_sync
    abandoned = service.begin("fetch")
    service.receive(abandoned, lambda *_: None)  # then the program closes: no import, no finish
    assert [r.entry.package_id for r in abandoned.received] == [sent.package_id]
    assert hub.waiting_for(county.code) == [sent.package_id]

    [fetched] = service.fetch()
    assert fetched.package_id == sent.package_id and fetched.receipt and not fetched.receipt["already_applied"]
    assert hub.waiting_for(county.code) == []
    assert digests(county)[a.code] == digests(a)[a.code]
    assert abandoned.folder.exists()  # another program's attempt may still be under way
    old = time.time() - STALE_SECONDS - 60
    os.utime(abandoned.folder, (old, old))
    service.fetch()
    assert not abandoned.folder.exists()  # a day later it is swept away


def test_a_lost_acknowledgement_costs_no_second_download(offices, hub, monkeypatch):
    county, a, _b = offices
    [sent] = a.session.hub_sync.send()
    real_ack, real_download, downloads = FakeClient.ack, FakeClient.download, []

    def line_drops(self, package_id):
        hub.down = True  # the line drops right after the import committed
        real_ack(self, package_id)

    def download(self, entry, progress=None):
        downloads.append(entry.package_id)
        return real_download(self, entry, progress)

    monkeypatch.setattr(FakeClient, "ack", line_drops)
    monkeypatch.setattr(FakeClient, "download", download)
    with pytest.raises(HubUnreachable):
        county.session.hub_sync.fetch()
    assert hub.waiting_for(county.code) == [sent.package_id]
    monkeypatch.setattr(FakeClient, "ack", real_ack)
    hub.down = False
    [again] = county.session.hub_sync.fetch()
    assert again.receipt["already_applied"] and hub.waiting_for(county.code) == []
    assert downloads == [sent.package_id]  # acknowledged without fetching the package again
    assert digests(county)[a.code] == digests(a)[a.code]
    assert county.session.hub_sync.journal()[0]["result"] == "already"
