"""Broken connections and killed hubs on loopback, on both stores: an upload is stored whole or not
at all, and the next try succeeds."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from app.hub import protocol
from app.hub.client import HubClient
from app.hub.stores import HubStore, PackageMeta, open_store
from app.hub.stores.folder import FolderStore
from tests.hub.conftest import LiveHub, Office, World, make_package
from tests.hub.pg import free_port

ROOT = Path(__file__).resolve().parents[2]


def send_half(port: int, office: Office, package_id: str, data: bytes) -> socket.socket:
    """A client that announces the whole package and sends half of it, then stops."""
    path = protocol.package_path(package_id)
    token = protocol.make_token(office.code, office.signing_key, "PUT", path, protocol.body_digest(data))
    head = (
        f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {protocol.authorization(token)}\r\n"
        f"Content-Type: application/octet-stream\r\nContent-Length: {len(data)}\r\n\r\n"
    ).encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(head + data[: len(data) // 2])
    return sock


def wait_for(condition: object, what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_a_client_gone_mid_upload_leaves_nothing_and_the_next_try_succeeds(
    live_hub: LiveHub, store: HubStore, world: World
) -> None:
    town, county = world.townships[0], world.county
    package_id, data = make_package(town, county, payload=os.urandom(1_500_000))
    sock = send_half(live_hub.port, town, package_id, data)
    wait_for(lambda: any(store.spool_dir().iterdir()), "the upload to start")
    sock.close()
    wait_for(lambda: not any(store.spool_dir().iterdir()), "the spool to be removed")
    assert store.meta(package_id) is None and store.mailbox(county.code) == []
    with HubClient(live_hub.url, town.code, town.signing_key) as client:
        assert client.upload(package_id, data) is True
    assert [m.package_id for m in store.mailbox(county.code)] == [package_id]


@contextlib.contextmanager
def hub_process(spec: str, world: World, port: int, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "DOUDI_CONFIG_DIR": str(tmp_path / "config"),
        "DOUDI_KEYRING": "file",
    }
    command = [sys.executable, "-m", "app", "hub", "serve", "--store", spec, "--port", str(port)]
    command += ["--offices", str(world.offices_path), "--county-key", world.county.fingerprint]
    log_path = tmp_path / f"hub-{port}-{time.monotonic_ns()}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    process.log_path = log_path  # type: ignore[attr-defined]
    try:

        def answers() -> bool:
            assert process.poll() is None, log_path.read_text(errors="replace")
            with contextlib.suppress(httpx.HTTPError):
                return httpx.get(f"http://127.0.0.1:{port}{protocol.HEALTH_PATH}", timeout=1).status_code == 200
            return False

        wait_for(answers, "the hub process to answer", timeout=30)
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)
        log.close()


def spooled(spec: str, pid: int) -> list[Path]:
    if spec.startswith("postgresql://"):
        import tempfile

        return list(Path(tempfile.gettempdir()).glob(f"doudi-hub-spool-{pid}-*/*.partial"))
    return list((Path(spec) / "spool").glob(f"{pid}-*.partial"))


def test_a_hub_killed_mid_transfer_recovers_on_restart(store_spec: str, world: World, tmp_path: Path) -> None:
    town, county = world.townships[0], world.county
    package_id, data = make_package(town, county, payload=os.urandom(6_000_000))
    port = free_port()
    with hub_process(store_spec, world, port, tmp_path) as first:
        sock = send_half(port, town, package_id, data)
        wait_for(lambda: spooled(store_spec, first.pid), "the upload to start")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=20)
        sock.close()
    between = open_store(store_spec)
    try:
        assert between.meta(package_id) is None and between.mailbox(county.code) == []
    finally:
        between.close()
    with hub_process(store_spec, world, port, tmp_path) as second:
        assert spooled(store_spec, first.pid) == []  # the dead hub's half upload is swept at start
        with HubClient(f"http://127.0.0.1:{port}", town.code, town.signing_key) as client:
            assert client.upload(package_id, data) is True
        with HubClient(f"http://127.0.0.1:{port}", county.code, county.signing_key) as client:
            [entry] = client.mailbox()
            assert client.download(entry) == data
        assert second.poll() is None


def test_a_file_renamed_into_place_without_its_row_is_removed_at_start(tmp_path: Path) -> None:
    """The folder store's one crash window: the file is in place, the index row never committed."""
    store = FolderStore(tmp_path / "hub")
    orphan = store.packages / "0190-orphan.doudipkg"
    orphan.write_bytes(b"half a story")
    kept = store.spool_dir() / store.spool_name()
    kept.write_bytes(b"x")
    meta = PackageMeta("0190-kept", "640424100000", "640424", 1, 1, "0" * 64, "2026-01-01T00:00:00+08:00")
    assert store.put(meta, kept) is True
    store.close()
    reopened = open_store(str(tmp_path / "hub"))
    try:
        assert not orphan.exists()
        assert reopened.meta("0190-kept") is not None
        assert b"".join(reopened.read("0190-kept")) == b"x"
    finally:
        reopened.close()


def test_a_spool_of_a_process_that_is_gone_is_swept(tmp_path: Path) -> None:
    pid_text = "999999999"
    FolderStore(tmp_path / "hub").close()
    stale = tmp_path / "hub" / "spool" / f"{pid_text}-abc.partial"
    stale.write_bytes(b"half")
    FolderStore(tmp_path / "hub").close()
    assert not stale.exists()
