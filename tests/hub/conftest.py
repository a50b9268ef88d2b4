"""A county, its townships and a stranger with real keys, their signed offices file, real packages,
and the hub on either store (folder, or a PostgreSQL server started for the session)."""

from __future__ import annotations

import base64
import contextlib
import os
import threading
import time
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

with warnings.catch_warnings():
    # Starlette 1.x asks for a renamed httpx for its test client; the one installed works the same.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from app.exchange.canonical import canonical_json
from app.exchange.cards import fingerprint_of
from app.exchange.keys import OfficeKeys, new_office_keys
from app.exchange.package_file import build_package
from app.hub.client import HubClient
from app.hub.offices import OfficeKey, offices_document, signed_offices_text
from app.hub.server import HubConfig, OfficesSource, create_app
from app.hub.stores import HubStore, open_store
from tests.hub import pg

COUNTY = "640424"
TOWNSHIPS = tuple(f"640424{100 + i:03d}000" for i in range(24))
BASE = "http://hub.test"


@dataclass(frozen=True)
class Office:
    code: str
    keys: OfficeKeys

    @property
    def signing_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.keys.sign_seed)

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.code, self.keys.sign_public, self.keys.box_public)

    def entry(self, revoked_at: str | None = None) -> OfficeKey:
        kind = "county" if self.code == COUNTY else "township"
        return OfficeKey(
            code=self.code,
            name=f"单位{self.code}",
            kind=kind,
            sign_public=self.keys.sign_public,
            box_public=self.keys.box_public,
            fingerprint=self.fingerprint,
            revoked_at=revoked_at,
        )


@dataclass
class World:
    county: Office
    townships: list[Office]
    stranger: Office
    offices_path: Path

    def write_offices(
        self,
        *,
        revoked: dict[str, str] | None = None,
        signer: Office | None = None,
        extra: list[Office] | None = None,
        created_at: str | None = None,
    ) -> None:
        """The county's file; *revoked* maps a code to when its first key was revoked, *extra* adds
        further PCs (keys) of listed offices."""
        revoked = revoked or {}
        entries = [o.entry(revoked.get(o.code)) for o in [self.county, *self.townships]]
        entries += [o.entry() for o in extra or []]
        time.sleep(0.002)  # each file newer than the last: the hub refuses an older (or same-time) file
        doc = offices_document(COUNTY, created_at or now_iso(), entries)
        signature = (signer or self.county).keys.sign(canonical_json(doc))
        tmp = self.offices_path.with_suffix(".tmp")
        tmp.write_text(signed_offices_text(doc, signature), encoding="utf-8")
        os.replace(tmp, self.offices_path)
        # A reload is noticed by (mtime, size): make sure a rewrite within the same tick differs.
        stamp = time.time_ns() + 10_000_000
        os.utime(self.offices_path, ns=(stamp, stamp))


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def make_package(
    sender: Office,
    receiver: Office,
    *,
    seq: int = 1,
    payload: bytes = b'{"rows": []}',
    package_id: str | None = None,
    signer: Office | None = None,
    created_at: str | None = None,
    sender_code: str | None = None,
) -> tuple[str, bytes]:
    package_id = package_id or str(uuid.uuid4())
    manifest = {
        "package_id": package_id,
        "sender": {"code": sender_code or sender.code, "fingerprint": sender.fingerprint},
        "receiver": {"code": receiver.code, "fingerprint": receiver.fingerprint},
        "channel_seq": seq,
        "created_at": created_at or now_iso(),
    }
    return package_id, build_package(manifest, payload, (signer or sender).keys, receiver.keys.box_public)


@pytest.fixture(scope="session")
def offices_keys() -> tuple[Office, list[Office], Office]:
    county = Office(COUNTY, new_office_keys())
    townships = [Office(code, new_office_keys()) for code in TOWNSHIPS[:4]]
    return county, townships, Office("640424999000", new_office_keys())


@pytest.fixture
def world(tmp_path: Path, offices_keys: tuple[Office, list[Office], Office]) -> World:
    county, townships, stranger = offices_keys
    w = World(county, townships, stranger, tmp_path / "offices.json")
    w.write_offices()
    return w


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg.PgServer]:
    if pg.binaries() is None:
        pytest.skip(
            "PostgreSQL server binaries are missing (/usr/lib/postgresql/*/bin): run tools/ensure_system_packages.sh"
        )
    server = pg.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["folder", "postgresql"])
def store_spec(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "folder":
        return str(tmp_path / "hubstore")
    server: pg.PgServer = request.getfixturevalue("postgres")
    return server.create_database(f"hub_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def store(store_spec: str) -> Iterator[HubStore]:
    s = open_store(store_spec)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def hub_config() -> HubConfig:
    return HubConfig(max_package_bytes=2 << 20, quota_bytes=8 << 20, rate_per_minute=1000)


@pytest.fixture
def app_client(store: HubStore, world: World, hub_config: HubConfig) -> Iterator[TestClient]:
    app = create_app(store, OfficesSource(world.offices_path, store, world.county.fingerprint), hub_config)
    with TestClient(app, base_url=BASE) as client:
        yield client


def client_for(
    http: TestClient | None, office: Office, url: str = BASE, key: Ed25519PrivateKey | None = None
) -> HubClient:
    return HubClient(url, office.code, key or office.signing_key, http_client=http)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class LiveHub:
    """The hub under uvicorn in a thread on a loopback port: real sockets, real HTTP."""

    def __init__(
        self,
        app: object,
        port: int,
        *,
        cert: Path | None = None,
        key: Path | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        config = uvicorn.Config(
            app,  # type: ignore[arg-type]
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
            lifespan="on",
            ssl_certfile=str(cert) if cert else None,
            ssl_keyfile=str(key) if key else None,
            **(settings or {}),
        )
        self.server = uvicorn.Server(config)
        self.url = f"{'https' if cert else 'http'}://127.0.0.1:{port}"
        self.port = port
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveHub:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("hub did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        with contextlib.suppress(RuntimeError):
            self.thread.join(timeout=20)


@pytest.fixture
def live_hub(store: HubStore, world: World, hub_config: HubConfig) -> Iterator[LiveHub]:
    app = create_app(store, OfficesSource(world.offices_path, store, world.county.fingerprint), hub_config)
    with LiveHub(app, pg.free_port()) as hub:
        yield hub
