"""What the attacker review found about size and concurrency, on both stores: a large package is
checked from its spooled file (never read whole), the store's own per-package limit is told in one
sentence, and racing uploads cannot pass the quota together."""

from __future__ import annotations

import os
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from app.hub import protocol, server
from app.hub.server import HubConfig, OfficesSource, create_app
from app.hub.stores import HubStore, PackageMeta
from tests.hub.conftest import BASE, LiveHub, World, client_for, make_package
from tests.hub.pg import free_port

MB = 1 << 20


def test_a_30_mb_package_is_checked_from_its_spool_file_never_read_whole(
    store: HubStore, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole_file = Path.read_bytes

    def refuse_whole_file(self: Path) -> bytes:
        assert self.suffix == ".json", f"{self} read whole into memory"  # the offices file may be
        return whole_file(self)

    monkeypatch.setattr(server.Path, "read_bytes", refuse_whole_file)
    town, county = world.townships[0], world.county
    package_id, data = make_package(town, county, payload=os.urandom(30 * MB))
    config = HubConfig(max_package_bytes=64 * MB, quota_bytes=128 * MB)
    app = create_app(store, OfficesSource(world.offices_path, store, world.county.fingerprint), config)
    with TestClient(app, base_url=BASE) as http:
        assert client_for(http, town).upload(package_id, data) is True
        entry = client_for(http, county).mailbox()[0]
        assert entry.size == len(data)
        assert client_for(http, county).download(entry) == data
    monkeypatch.undo()
    damaged = data[:-1] + bytes([data[-1] ^ 1])
    other_id, other = make_package(town, county, payload=b"x")
    app = create_app(store, OfficesSource(world.offices_path, store, world.county.fingerprint), config)
    with TestClient(app, base_url=BASE) as http:
        token = protocol.make_token(
            town.code, town.signing_key, "PUT", protocol.package_path(package_id), protocol.body_digest(damaged)
        )
        response = http.put(
            protocol.package_path(package_id), content=damaged, headers={"Authorization": protocol.authorization(token)}
        )
        assert (response.status_code, response.json()["error"]) == (422, "damaged")  # the payload's digest
        cut = other + b"trailing"
        token = protocol.make_token(
            town.code, town.signing_key, "PUT", protocol.package_path(other_id), protocol.body_digest(cut)
        )
        response = http.put(
            protocol.package_path(other_id), content=cut, headers={"Authorization": protocol.authorization(token)}
        )
        assert (response.status_code, response.json()["error"]) == (422, "damaged")
        assert "末尾多出 8 字节" in response.json()["message"]


def test_a_package_larger_than_the_store_can_hold_is_refused_in_one_sentence(
    store: HubStore, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "package_limit", 50_000)
    town, county = world.townships[0], world.county
    package_id, data = make_package(town, county, payload=os.urandom(80_000))
    app = create_app(store, OfficesSource(world.offices_path, store, world.county.fingerprint), HubConfig())
    with TestClient(app, base_url=BASE) as http:
        token = protocol.make_token(
            town.code, town.signing_key, "PUT", protocol.package_path(package_id), protocol.body_digest(data)
        )
        response = http.put(
            protocol.package_path(package_id), content=data, headers={"Authorization": protocol.authorization(token)}
        )
    assert (response.status_code, response.json()["error"]) == (413, "too_large")
    assert "存储能保存的单个包上限" in response.json()["message"]
    assert store.mailbox(county.code) == []


def test_four_uploads_racing_for_the_last_of_the_quota_cannot_all_pass(store: HubStore, world: World) -> None:
    town, county = world.townships[0], world.county
    packages = [make_package(town, county, seq=i, payload=os.urandom(600_000)) for i in range(4)]
    config = HubConfig(max_package_bytes=MB, quota_bytes=1_500_000, rate_per_minute=1000)
    app = create_app(store, OfficesSource(world.offices_path, store, world.county.fingerprint), config)
    statuses: list[int] = []
    with LiveHub(app, free_port()) as hub:
        start = threading.Barrier(len(packages))

        def upload(package_id: str, data: bytes) -> None:
            path = protocol.package_path(package_id)
            token = protocol.make_token(town.code, town.signing_key, "PUT", path, protocol.body_digest(data))
            start.wait()
            response = httpx.put(
                hub.url + path, content=data, headers={"Authorization": protocol.authorization(token)}, timeout=60
            )
            statuses.append(response.status_code)

        threads = [threading.Thread(target=upload, args=p) for p in packages]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(statuses) == [201, 201, 507, 507]
    assert store.pending_bytes(town.code) <= 1_500_000
    assert len(store.mailbox(county.code)) == 2


def test_a_quota_hold_is_atomic_released_on_failure_and_consumed_when_stored(store: HubStore) -> None:
    sender, receiver = "640424100000", "640424000000"
    assert store.reserve("r1", sender, 600, quota=1000) is None
    assert store.reserve("r2", sender, 600, quota=1000) == 600  # the first hold leaves no room
    store.release("r1")
    assert store.reserve("r2", sender, 600, quota=1000) is None
    spool = store.spool_dir() / store.spool_name()
    spool.write_bytes(b"p" * 600)
    meta = PackageMeta(str(uuid.uuid4()), sender, receiver, 1, 600, "a" * 64, "2026-01-01T00:00:00+08:00")
    assert store.put(meta, spool, "r2") is True
    assert store.pending_bytes(sender) == 600
    assert store.reserve("r3", sender, 400, quota=1000) is None  # the stored package counts once, not twice
    store.refresh_reservation("r3")
    assert store.reserve("r4", "640424101000", 1000, quota=1000) is None  # another office has its own quota


def test_what_an_office_sent_to_its_own_other_pc_counts_until_pruned(store: HubStore) -> None:
    office, county = "640424100000", "640424000000"
    for package_id, receiver in (("own", office), ("out", county)):
        spool = store.spool_dir() / store.spool_name()
        spool.write_bytes(b"p" * 100)
        store.put(PackageMeta(package_id, office, receiver, 1, 100, "b" * 64, "2026-01-01T00:00:00+08:00"), spool)
    assert store.ack("own", office) and store.ack("out", county)
    assert store.pending_bytes(office) == 100  # the county acknowledged its package; its own PC's stays counted
    assert store.prune(time.time() + 10, retention_s=1) == 2
    assert store.pending_bytes(office) == 0
