"""The sync service against the real hub (app.hub.server with the folder store, uvicorn on loopback)
and the real client: two townships and their county converge through it, and the hub's own refusals
reach the user as its sentence."""

from __future__ import annotations

import pytest

from app.errors import InvalidInput
from app.hub.client import HubError, HubUnreachable
from tests.exchange_flow.conftest import digests
from tests.tls import self_signed

from .real_hub import serve_hub


def _point_at(url, *offices):
    for o in offices:
        o.session.hub_sync.save_settings(url, 10)


def test_two_townships_and_the_county_converge_through_the_hub(offices, tmp_path):
    county, a, b = offices
    assert a.session.dashboard.unsent_changes() > 0
    with serve_hub(tmp_path / "hub", county, offices) as url:
        _point_at(url, *offices)
        for o in (a, b, county, a, b):
            o.session.hub_sync.sync()
        for o in (a, b):
            assert o.session.dashboard.unsent_changes() == 0
            assert digests(county)[o.code] == digests(o)[o.code]
            assert o.session.hub_sync.status().indicator().text.startswith("同步：")
        # What an office imported is acknowledged: it leaves the mailbox, and a second fetch finds nothing.
        assert county.session.hub_sync.fetch()  # the townships' answers to the county's receipts
        assert county.session.hub_sync.fetch() == []
        # A quiet register sends nothing: the offices do not trade empty packages every interval.
        for o in (county, a, b, county):
            assert o.session.hub_sync.sync().sent == []
    # The hub is gone: the next attempt says so, and nothing changed.
    with pytest.raises(HubUnreachable) as caught:
        a.session.hub_sync.sync()
    assert url in str(caught.value)
    assert a.session.hub_sync.status().indicator().text == "中转站无法连接"


def test_an_office_the_hub_does_not_serve_sees_the_hubs_sentence(offices, tmp_path):
    county, a, b = offices
    with serve_hub(tmp_path / "hub", county, [county, a]) as url:  # B is not in the county's offices file
        _point_at(url, b)
        with pytest.raises(HubError) as caught:
            b.session.hub_sync.sync()
    sentence = str(caught.value)
    assert not isinstance(caught.value, HubUnreachable) and b.code in sentence, sentence
    status = b.session.hub_sync.status()
    assert status.reachable is True and status.last_error == sentence
    assert status.indicator().text == "同步出错"


def test_over_tls_the_township_checks_the_countys_own_certificate(offices, tmp_path):
    county, a, _b = offices
    certificate, key = self_signed(tmp_path / "tls")
    (tmp_path / "not-a-cert.pem").write_text("hello", encoding="utf-8")
    with serve_hub(tmp_path / "hub", county, offices, tls=(certificate, key)) as url:
        assert url.startswith("https://")
        _point_at(url, a)
        with pytest.raises(HubUnreachable) as unverified:  # a certificate nobody vouched for is not trusted
            a.session.hub_sync.sync()
        assert "证书无法验证" in str(unverified.value)
        with pytest.raises(InvalidInput) as caught:
            a.session.hub_sync.set_certificate(tmp_path / "not-a-cert.pem")
        assert "not-a-cert.pem" in str(caught.value)
        settings = a.session.hub_sync.set_certificate(certificate)
        assert len(settings.certificate.split(":")) == 32  # the SHA-256 fingerprint, read over the phone
        assert [p.peer for p in a.session.hub_sync.sync().sent] == [county.code]
    assert a.session.hub_sync.status().reachable is True
    # The certificate's copy went with the attempt; only the (empty) outbox stays.
    assert sorted(p.relative_to(a.data_dir).as_posix() for p in (a.data_dir / ".hub-transfer").rglob("*")) == [
        ".hub-transfer/outbox"
    ]


def test_two_pcs_of_one_office_share_a_mailbox_and_each_takes_only_its_own(offices, tmp_path):
    """The county's packages to the two PCs of 香水镇 wait under one office code at the hub; each PC
    collects (and acknowledges) only the one encrypted to its own card, never refusing its sibling's."""
    from tests.exchange.test_replica import join

    county, a, b = offices
    a2 = join(a, tmp_path, county=county)
    with serve_hub(tmp_path / "hub", county, [county, a, a2, b]) as url:
        _point_at(url, county, a, a2)
        a.session.hub_sync.sync()  # to the county and to the second PC
        county.session.hub_sync.sync()  # a receipt for the first PC; the register for the second
        first = a.session.hub_sync.fetch()
        assert first and all(f.receipt for f in first)  # nothing refused: the sibling's package was left
        second = a2.session.hub_sync.sync()
        assert second.fetched and all(f.receipt for f in second.fetched)
        for _ in range(2):
            for o in (a, a2, county):
                o.session.hub_sync.sync()
        assert digests(a2)[a.code] == digests(a)[a.code] == digests(county)[a.code]
        assert a.session.hub_sync.fetch() == [] and a2.session.hub_sync.fetch() == []
