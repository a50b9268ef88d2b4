"""Everything the hub refuses, on both stores: nothing refused is ever stored or listed."""

from __future__ import annotations

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
