"""Everything the hub refuses, on both stores: nothing refused is ever stored or listed."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from app.errors import InvalidInput
from app.hub import protocol, server
from app.hub.client import HubError
from app.hub.server import HubConfig, OfficesSource, create_app
from app.hub.stores import HubStore, open_store
from tests.hub.conftest import BASE, Office, World, client_for, make_package

MakeApp = Callable[..., TestClient]


@pytest.fixture
def make_app(store: HubStore, store_spec: str, world: World) -> Iterator[MakeApp]:
    """Hub apps on the test's store; `fresh_store=True` opens the same store anew (a restart, or a
    second hub process behind a load balancer)."""
    opened: list[tuple[TestClient, HubStore | None]] = []

    def make(config: HubConfig | None = None, *, fresh_store: bool = False, county_key: str | None = "") -> TestClient:
        s = open_store(store_spec) if fresh_store else store
        key = world.county.fingerprint if county_key == "" else county_key
        try:
            offices = OfficesSource(world.offices_path, s, key)
        except Exception:
            if fresh_store:
                s.close()
            raise
        app = create_app(s, offices, config or HubConfig(max_package_bytes=2 << 20))
        client = TestClient(app, base_url=BASE).__enter__()
        opened.append((client, s if fresh_store else None))
        return client

    yield make
    for client, own in opened:
        client.__exit__(None, None, None)
        if own is not None:
            own.close()


def put(  # noqa: PLR0913  (each refusal test bends one part of the request)
    http: TestClient,
    office: Office,
    package_id: str,
    body: bytes,
    *,
    token_body: bytes | None = None,
    path: str | None = None,
    method: str = "PUT",
    now: float | None = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    target = protocol.package_path(package_id)
    if token is None:
        digest = protocol.body_digest(body if token_body is None else token_body)
        token = protocol.make_token(office.code, office.signing_key, method, path or target, digest, now=now)
    sent = {"Authorization": protocol.authorization(token), **(headers or {})}
    return http.put(target, content=body, headers=sent)


def refused(response: httpx.Response, status: int, code: str) -> str:
    assert (response.status_code, response.json()["error"]) == (status, code), response.text
    message: str = response.json()["message"]
    assert message.endswith("。")
    return message


def nothing_stored(store: HubStore, *offices: Office) -> None:
    for office in offices:
        assert store.mailbox(office.code) == []
        assert store.pending_bytes(office.code) == 0


def test_no_token_and_a_stranger_are_refused(make_app: MakeApp, store: HubStore, world: World) -> None:
    http = make_app()
    town, county = world.townships[0], world.county
    package_id, data = make_package(town, county)
    refused(http.put(protocol.package_path(package_id), content=data), 401, "bad_token")
    refused(http.get(protocol.MAILBOX_PATH), 401, "bad_token")
    message = refused(put(http, world.stranger, package_id, data), 401, "unknown_office")
    assert world.stranger.code in message
    nothing_stored(store, county)


def test_a_revoked_pc_is_refused_as_soon_as_the_offices_file_changes(
    make_app: MakeApp, store: HubStore, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "RELOAD_CHECK_S", 0.0)
    http = make_app()
    town, county = world.townships[0], world.county
    package_id, data = make_package(town, county)
    world.write_offices(revoked={town.code: "2020-01-01T00:00:00+08:00"})
    refused(put(http, town, package_id, data), 401, "revoked")
    nothing_stored(store, county)


def test_a_package_signed_with_a_key_after_its_revocation_is_refused(
    make_app: MakeApp, store: HubStore, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two PCs of one office: the second may carry what the first signed before it was stolen, never after."""
    monkeypatch.setattr(server, "RELOAD_CHECK_S", 0.0)
    first, county = world.townships[0], world.county
    second = Office(first.code, world.stranger.keys)  # another PC of the same office
    world.write_offices(revoked={first.code: "2025-06-01T00:00:00+08:00"}, extra=[second])
    http = make_app()
    before_id, before = make_package(first, county, created_at="2025-05-31T23:00:00+08:00")
    after_id, after = make_package(first, county, created_at="2025-06-01T08:00:00+08:00")
    assert put(http, second, before_id, before).status_code == 201
    refused(put(http, second, after_id, after), 403, "revoked")
    assert [m.package_id for m in store.mailbox(county.code)] == [before_id]


def test_wrong_addressee_forged_signature_and_another_offices_package(
    make_app: MakeApp, store: HubStore, world: World
) -> None:
    http = make_app()
    town, other, county = world.townships[0], world.townships[1], world.county
    package_id, data = make_package(town, world.stranger)
    assert world.stranger.code in refused(put(http, town, package_id, data), 422, "unknown_receiver")
    package_id, data = make_package(town, county, signer=world.stranger)
    refused(put(http, town, package_id, data), 403, "bad_signature")
    package_id, data = make_package(other, county)
    refused(put(http, town, package_id, data), 403, "wrong_sender")
    nothing_stored(store, county, world.stranger)


def test_oversized_by_header_and_while_streaming(make_app: MakeApp, store: HubStore, world: World) -> None:
    http = make_app(HubConfig(max_package_bytes=100_000))
    town, county = world.townships[0], world.county
    package_id, data = make_package(town, county, payload=os.urandom(200_000))
    assert len(data) > 100_000
    refused(put(http, town, package_id, data), 413, "too_large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: only counting while reading finds out
        for start in range(0, len(data), 10_000):
            yield data[start : start + 10_000]

    token = protocol.make_token(
        town.code, town.signing_key, "PUT", protocol.package_path(package_id), protocol.body_digest(data)
    )
    response = http.put(
        protocol.package_path(package_id), content=chunks(), headers={"Authorization": protocol.authorization(token)}
    )
    refused(response, 413, "too_large")
    nothing_stored(store, county)
    assert list(store.spool_dir().iterdir()) == []


def test_a_corrupted_body_and_a_body_the_token_did_not_sign(make_app: MakeApp, store: HubStore, world: World) -> None:
    http = make_app()
    town, county = world.townships[0], world.county
    package_id, data = make_package(town, county)
    damaged = data[:-10] + bytes(b ^ 0xFF for b in data[-10:])
    refused(put(http, town, package_id, damaged), 422, "damaged")
    refused(put(http, town, package_id, damaged, token_body=data), 401, "bad_token")
    nothing_stored(store, county)


def test_the_manifest_id_must_be_the_address(make_app: MakeApp, store: HubStore, world: World) -> None:
    http = make_app()
    town, county = world.townships[0], world.county
    _package_id, data = make_package(town, county)
    refused(put(http, town, "another-id", data), 422, "id_mismatch")
    refused(put(http, town, "../../etc", data), 404, "not_found")
    nothing_stored(store, county)


def test_expired_and_misdirected_tokens(make_app: MakeApp, store: HubStore, world: World) -> None:
    http = make_app()
    town, county = world.townships[0], world.county
    package_id, data = make_package(town, county)
    refused(put(http, town, package_id, data, now=time.time() - protocol.TOKEN_WINDOW_S - 5), 401, "bad_token")
    refused(put(http, town, package_id, data, now=time.time() + protocol.TOKEN_WINDOW_S + 5), 401, "bad_token")
    refused(put(http, town, package_id, data, path=protocol.package_path("other")), 401, "bad_token")
    refused(put(http, town, package_id, data, method="GET"), 401, "bad_token")
    nothing_stored(store, county)
    # A token for the mailbox does not download a package.
    token = protocol.make_token(county.code, county.signing_key, "GET", protocol.MAILBOX_PATH)
    refused(
        http.get(protocol.package_path(package_id), headers={"Authorization": protocol.authorization(token)}),
        401,
        "bad_token",
    )


def test_a_token_works_once_even_after_a_restart_and_on_a_second_hub(make_app: MakeApp, world: World) -> None:
    town, county = world.townships[0], world.county
    first, restarted, second = make_app(), make_app(fresh_store=True), make_app(fresh_store=True)
    token = protocol.make_token(county.code, county.signing_key, "GET", protocol.MAILBOX_PATH)
    headers = {"Authorization": protocol.authorization(token)}
    assert first.get(protocol.MAILBOX_PATH, headers=headers).status_code == 200
    refused(first.get(protocol.MAILBOX_PATH, headers=headers), 401, "replayed")
    refused(restarted.get(protocol.MAILBOX_PATH, headers=headers), 401, "replayed")
    package_id, data = make_package(town, county)
    upload = protocol.make_token(
        town.code, town.signing_key, "PUT", protocol.package_path(package_id), protocol.body_digest(data)
    )
    assert put(second, town, package_id, data, token=upload).status_code == 201
    refused(put(first, town, package_id, data, token=upload), 401, "replayed")


def test_only_the_receiver_lists_and_acknowledges_and_only_the_two_download(make_app: MakeApp, world: World) -> None:
    http = make_app()
    town, other, county = world.townships[0], world.townships[1], world.county
    package_id, data = make_package(town, county)
    assert client_for(http, town).upload(package_id, data)
    outsider = client_for(http, other)
    assert outsider.mailbox() == []
    entry = client_for(http, county).mailbox()[0]
    with pytest.raises(HubError, match="没有给本单位的数据包") as hidden:
        outsider.download(entry)
    missing = make_package(town, county)[0]
    with pytest.raises(HubError, match="没有给本单位的数据包") as absent:
        outsider.download(type(entry)(**{**entry.__dict__, "package_id": missing}))
    assert str(hidden.value) == str(absent.value).replace(missing, package_id)  # existence is not told
    assert client_for(http, town).download(entry) == data  # its sender may fetch it back
    for not_receiver in (outsider, client_for(http, town)):
        with pytest.raises(HubError, match="没有给本单位的数据包"):
            not_receiver.ack(package_id)
    assert [e.package_id for e in client_for(http, county).mailbox()] == [package_id]


def test_the_same_id_with_other_bytes_is_a_conflict(make_app: MakeApp, store: HubStore, world: World) -> None:
    http = make_app()
    town, county = world.townships[0], world.county
    package_id, data = make_package(town, county)
    _same, other = make_package(town, county, package_id=package_id, payload=b"something else")
    assert put(http, town, package_id, data).status_code == 201
    assert put(http, town, package_id, data).json() == {"package_id": package_id, "stored": False}
    refused(put(http, town, package_id, other), 409, "conflict")
    assert b"".join(store.read(package_id)) == data


def test_quota_counts_what_the_receiver_has_not_collected(make_app: MakeApp, world: World) -> None:
    http = make_app(HubConfig(max_package_bytes=1 << 20, quota_bytes=1_500_000))
    town, county = world.townships[0], world.county
    packages = [make_package(town, county, seq=i, payload=os.urandom(600_000)) for i in range(3)]
    sender = client_for(http, town)
    sender.upload(*packages[0])
    sender.upload(*packages[1])
    refused(put(http, town, *packages[2]), 507, "quota_exceeded")
    client_for(http, county).ack(packages[0][0])
    assert sender.upload(*packages[2]) is True


def test_rate_limit_per_office(make_app: MakeApp, world: World) -> None:
    http = make_app(HubConfig(rate_per_minute=3))
    county, town = world.county, world.townships[0]
    for _ in range(3):
        client_for(http, county).mailbox()
    with pytest.raises(HubError, match="过于频繁") as limited:
        client_for(http, county).mailbox()
    assert getattr(limited.value, "status", None) == 429
    assert client_for(http, town).mailbox() == []  # another office is not held back


def test_an_offices_file_the_county_did_not_sign(
    make_app: MakeApp, store: HubStore, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.write_offices(signer=world.stranger)
    with pytest.raises(InvalidInput, match="签名不是县民政局的"):
        make_app()
    # Started on a good file, the hub keeps it when a forged one replaces it.
    monkeypatch.setattr(server, "RELOAD_CHECK_S", 0.0)
    world.write_offices()
    http = make_app(county_key=None)  # no key given: the first file's county key is pinned in the store
    world.write_offices(signer=world.stranger)
    town = world.townships[0]
    assert client_for(http, town).upload(*make_package(town, world.county)) is True
    with pytest.raises(InvalidInput, match="签名不是县民政局的"):
        make_app(county_key=None, fresh_store=True)


def test_an_older_offices_file_copied_back_does_not_unrevoke_a_stolen_pc(
    make_app: MakeApp, store: HubStore, world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(server, "RELOAD_CHECK_S", 0.0)
    before_theft = world.offices_path.read_bytes()
    http = make_app()
    town, county = world.townships[0], world.county
    world.write_offices(revoked={town.code: "2020-01-01T00:00:00+08:00"})
    refused(put(http, town, *make_package(town, county)), 401, "revoked")
    world.offices_path.write_bytes(before_theft)  # still signed by the county, only older
    os.utime(world.offices_path, ns=(time.time_ns() + 20_000_000,) * 2)
    with caplog.at_level("ERROR", logger="doudi.hub"):
        refused(put(http, town, *make_package(town, county)), 401, "revoked")
    assert sum(r.getMessage().count("不晚于已载入的清单") for r in caplog.records) == 1  # one sentence, once
    with pytest.raises(InvalidInput, match="不晚于已载入的清单"):
        make_app(fresh_store=True)  # a restart (or a second hub process) holds to the newest too
    # The same time with other contents is not the file loaded either.
    loaded_at = store.setting(server.LOADED_AT_SETTING)
    world.write_offices(created_at=loaded_at)
    with pytest.raises(InvalidInput, match="不晚于已载入的清单"):
        make_app(fresh_store=True)
    nothing_stored(store, county)


def test_a_pc_takes_and_acknowledges_only_its_own_packages_not_its_sibling_pcs(
    make_app: MakeApp, store: HubStore, world: World
) -> None:
    first, county = world.townships[0], world.county
    second = Office(first.code, world.stranger.keys)  # another PC of the same office
    world.write_offices(extra=[second])
    http = make_app()
    package_id, data = make_package(county, second)
    assert put(http, county, package_id, data).status_code == 201
    entry = client_for(http, second).mailbox()[0]
    for what in (lambda: client_for(http, first).download(entry), lambda: client_for(http, first).ack(package_id)):
        with pytest.raises(HubError, match="没有给本单位的数据包") as hidden:
            what()
        assert hidden.value.status == 404
    assert client_for(http, county).download(entry) == data  # its sender may fetch it back
    assert client_for(http, second).download(entry) == data
    client_for(http, second).ack(package_id)
    assert store.mailbox(first.code) == []


def test_a_pc_may_not_address_a_package_to_itself_only_to_its_other_pc(
    make_app: MakeApp, store: HubStore, world: World
) -> None:
    first, county = world.townships[0], world.county
    second = Office(first.code, world.stranger.keys)
    world.write_offices(extra=[second])
    http = make_app(HubConfig(max_package_bytes=1 << 20, quota_bytes=1_500_000))
    refused(put(http, first, *make_package(first, first)), 422, "self_addressed")
    nowhere = Office(county.code, world.townships[1].keys)  # the county's code, another office's PC
    assert "不是单位" in refused(put(http, first, *make_package(first, nowhere)), 422, "unknown_receiver")
    nothing_stored(store, first, county)
    # Its other PC is a real exchange; what that PC acknowledged stays counted until pruned, so two PCs
    # of one office cannot turn the hub into free storage either.
    for seq in (1, 2):
        package_id, data = make_package(first, second, seq=seq, payload=os.urandom(600_000))
        assert put(http, first, package_id, data).status_code == 201
        client_for(http, second).ack(package_id)
    refused(put(http, first, *make_package(first, second, seq=3, payload=os.urandom(600_000))), 507, "quota_exceeded")
    assert put(http, first, *make_package(first, county, payload=os.urandom(100_000))).status_code == 201


def test_a_manifest_time_that_is_not_a_time_is_refused(make_app: MakeApp, store: HubStore, world: World) -> None:
    http = make_app()
    town, county = world.townships[0], world.county
    message = refused(put(http, town, *make_package(town, county, created_at="yesterday")), 422, "damaged")
    assert "“yesterday”不是带时区的时间" in message
    nothing_stored(store, county)


def test_a_reload_counts_offices_and_their_pcs_keys_apart(
    make_app: MakeApp, world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(server, "RELOAD_CHECK_S", 0.0)
    http = make_app()
    world.write_offices(extra=[Office(world.townships[0].code, world.stranger.keys)])  # a second PC
    with caplog.at_level("INFO", logger="doudi.hub"):
        client_for(http, world.county).mailbox()
    reloads = [json.loads(r.getMessage()) for r in caplog.records if "offices_reloaded" in r.getMessage()]
    assert reloads == [{"event": "offices_reloaded", "offices": 5, "keys": 6}]
