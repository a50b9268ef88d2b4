"""A bounded load test in the suite: 20 offices push and pull for 3 s through real HTTP on loopback,
and every package arrives exactly once, on both stores."""

from __future__ import annotations

from pathlib import Path

from app.hub.load import make_offices, run_load, write_offices_file
from app.hub.server import HubConfig, OfficesSource, create_app
from app.hub.stores import HubStore
from tests.hub.conftest import LiveHub
from tests.hub.pg import free_port


def test_twenty_offices_for_three_seconds_lose_and_duplicate_nothing(store: HubStore, tmp_path: Path) -> None:
    county, townships = make_offices(19)
    offices_file = tmp_path / "offices.json"
    write_offices_file(offices_file, county, townships)
    app = create_app(store, OfficesSource(offices_file, store, county.fingerprint), HubConfig(rate_per_minute=100_000))
    with LiveHub(app, free_port()) as hub:
        result = run_load(hub.url, county, townships, seconds=3.0)
    assert result.errors == []
    assert result.sent > 20
    assert (result.lost, result.duplicated) == (0, 0)
    everyone = [county, *townships]
    assert all(store.mailbox(o.code) == [] for o in everyone)
    assert all(store.pending_bytes(o.code) == 0 for o in everyone)
