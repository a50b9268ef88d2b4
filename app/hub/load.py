"""Simulated offices pushing and pulling packages through one hub, for the load test and bench/hub_load.py.

Each office is a thread with its own keys and HTTP connection. For a fixed time it sends a small real
package to another office, then collects, checks and acknowledges what waits for it; at the end every
office drains its mailbox. Every package sent must be received exactly once: "lost" and "duplicated"
count the ones that were not. The loops end by themselves when the time is up.
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.exchange.canonical import canonical_json
from app.exchange.cards import fingerprint_of
from app.exchange.keys import OfficeKeys, new_office_keys
from app.exchange.package_file import build_package, parse_package
from app.hub.client import HubClient, HubError
from app.hub.offices import OfficeKey, offices_document, signed_offices_text

DRAIN_ROUNDS = 20
T = TypeVar("T")
TO_COUNTY_SHARE = 0.7  # most of a township's packages go to its county


@dataclass(frozen=True)
class SimOffice:
    code: str
    keys: OfficeKeys

    @property
    def kind(self) -> str:
        return "county" if self.code.endswith("000000") else "township"

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.code, self.keys.sign_public, self.keys.box_public)

    @property
    def signing_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.keys.sign_seed)

    def entry(self) -> OfficeKey:
        return OfficeKey(
            self.code,
            f"模拟单位{self.code}",
            self.kind,
            self.keys.sign_public,
            self.keys.box_public,
            self.fingerprint,
            None,
        )


def make_offices(townships: int, county_code: str = "640424000000") -> tuple[SimOffice, list[SimOffice]]:
    county = SimOffice(county_code, new_office_keys())
    prefix = county_code[:6]
    return county, [SimOffice(f"{prefix}{100 + i:03d}000", new_office_keys()) for i in range(townships)]


def write_offices_file(path: Path, county: SimOffice, others: list[SimOffice]) -> None:
    document = offices_document(
        county.code, datetime.now(UTC).isoformat(), [county.entry(), *(o.entry() for o in others)]
    )
    path.write_text(signed_offices_text(document, county.keys.sign(canonical_json(document))), encoding="utf-8")


def sim_package(sender: SimOffice, receiver: SimOffice, seq: int, payload: bytes) -> tuple[str, bytes]:
    package_id = str(uuid.uuid4())
    manifest = {
        "package_id": package_id,
        "sender": {"code": sender.code, "fingerprint": sender.fingerprint},
        "receiver": {"code": receiver.code, "fingerprint": receiver.fingerprint},
        "channel_seq": seq,
        "created_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }
    return package_id, build_package(manifest, payload, sender.keys, receiver.keys.box_public)


@dataclass
class LoadResult:
    offices: int
    seconds: float
    sent: int = 0
    received: int = 0
    lost: int = 0
    duplicated: int = 0
    bytes_moved: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    def p95_ms(self) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0

    def summary(self) -> dict[str, object]:
        return {
            "offices": self.offices,
            "seconds": round(self.seconds, 1),
            "packages_sent": self.sent,
            "packages_received": self.received,
            "lost": self.lost,
            "duplicated": self.duplicated,
            "requests": self.requests,
            "requests_per_s": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "packages_per_s": round(self.sent / self.seconds, 1) if self.seconds else 0.0,
            "p95_ms": round(self.p95_ms(), 1),
            "mb_per_s": round(self.bytes_moved / self.seconds / 1e6, 2) if self.seconds else 0.0,
            "errors": len(self.errors),
        }


def run_load(
    url: str,
    county: SimOffice,
    townships: list[SimOffice],
    seconds: float,
    *,
    payload_bytes: int = 4000,
    seed: int = 1,
    ca_file: Path | None = None,
) -> LoadResult:
    everyone = [county, *townships]
    result = LoadResult(offices=len(everyone), seconds=seconds)
    sent: list[str] = []
    got: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    start = threading.Barrier(len(everyone))

    def timed(call: Callable[..., T], *args: Any) -> T:
        began = time.perf_counter()
        value = call(*args)
        elapsed = (time.perf_counter() - began) * 1000
        with lock:
            result.latencies_ms.append(elapsed)
        return value

    def collect(client: HubClient) -> int:
        entries = timed(client.mailbox)
        for entry in entries:
            data = timed(client.download, entry)
            parse_package(data, source=entry.package_id)
            timed(client.ack, entry.package_id)
            with lock:
                got[entry.package_id] += 1
                result.bytes_moved += entry.size
        return len(entries)

    def office_loop(me: SimOffice, rng: random.Random) -> None:
        peers = [county] if me is not county else townships
        with HubClient(url, me.code, me.signing_key, timeout=60, ca_file=ca_file) as client:
            start.wait()
            seq = 0
            try:
                while time.monotonic() < deadline:
                    seq += 1
                    # The county writes to one township at a time; a township to its county or a neighbour.
                    to = rng.choice(peers if me is county or rng.random() < TO_COUNTY_SHARE else townships)
                    if to is me:
                        to = county
                    package_id, data = sim_package(me, to, seq, os.urandom(payload_bytes))
                    timed(client.upload, package_id, data)
                    with lock:
                        sent.append(package_id)
                        result.bytes_moved += len(data)
                    collect(client)
            except HubError as exc:
                with lock:
                    result.errors.append(f"{me.code}: {exc}")

    rng = random.Random(seed)
    threads = [
        threading.Thread(target=office_loop, args=(o, random.Random(rng.random())), daemon=True) for o in everyone
    ]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 300)
    result.seconds = time.monotonic() - began
    for office in everyone:  # what was sent last is still waiting: collect it
        with HubClient(url, office.code, office.signing_key, timeout=60, ca_file=ca_file) as client:
            for _ in range(DRAIN_ROUNDS):
                try:
                    if collect(client) == 0:
                        break
                except HubError as exc:
                    result.errors.append(f"{office.code}: {exc}")
                    break
    result.sent = len(sent)
    result.received = sum(1 for pid in sent if got[pid])
    result.lost = sum(1 for pid in sent if not got[pid])
    known = set(sent)
    result.duplicated = sum(count - 1 for count in got.values() if count > 1) + sum(
        1 for pid in got if pid not in known
    )
    return result
