"""The two stores keep the same promises: retention after acknowledgement, quota use, nonces."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from app.errors import StorageProblem
from app.hub.server import OfficesSource, create_app
from app.hub.stores import HubStore, PackageMeta
from app.hub.stores.folder import FolderStore
from tests.hub.conftest import BASE, World, client_for, make_package


def _put(store: HubStore, package_id: str, size: int = 10) -> None:
    spool = store.spool_dir() / store.spool_name()
    spool.write_bytes(b"p" * size)
    digest = f"{package_id:0>64}"
    meta = PackageMeta(package_id, "640424100000", "640424000000", 1, size, digest, "2026-01-01T00:00:00+08:00")
    assert store.put(meta, spool) is True
    assert not spool.exists()


def test_acknowledged_packages_are_kept_until_the_retention_time_then_pruned(store: HubStore) -> None:
    _put(store, "a1", 10)
    _put(store, "b2", 20)
    assert store.pending_bytes("640424100000") == 30
    assert store.ack("a1", "640424000000") is True
    assert store.ack("a1", "640424000000") is False  # once
    assert store.pending_bytes("640424100000") == 20
    assert store.prune(time.time(), retention_s=3600) == 0  # kept for the county's audit
    assert store.meta("a1") is not None
    assert store.prune(time.time() + 7200, retention_s=3600) == 1
    assert store.meta("a1") is None
    assert [m.package_id for m in store.mailbox("640424000000")] == ["b2"]  # never prunes what waits


def test_a_nonce_counts_once_within_its_window(store: HubStore) -> None:
    now = int(time.time())
    assert store.use_nonce("ab" * 16, now, 300) is True
    assert store.use_nonce("ab" * 16, now + 10, 300) is False
    assert store.use_nonce("cd" * 16, now, 300) is True


def test_the_folder_store_is_owner_only_and_says_in_chinese_why_it_cannot_start(tmp_path: Path, world: World) -> None:
    store = FolderStore(tmp_path / "hub")
    try:
        app = create_app(store, OfficesSource(world.offices_path, store, world.county.fingerprint))
        town = world.townships[0]
        package_id, data = make_package(town, world.county)
        with TestClient(app, base_url=BASE) as http:
            assert client_for(http, town).upload(package_id, data) is True
        for folder in (tmp_path / "hub", store.packages, store.spool):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for file in (tmp_path / "hub" / "index.sqlite3", *store.packages.iterdir()):
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    finally:
        store.close()
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    with pytest.raises(StorageProblem) as refused:
        FolderStore(a_file)
    assert "不是文件夹" in str(refused.value) and "Not a directory" not in str(refused.value)
