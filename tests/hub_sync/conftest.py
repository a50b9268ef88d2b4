"""A county and two townships (tests/exchange_flow) that point at one hub."""

from __future__ import annotations

import pytest

from app.services.exchange.hub_sync import HubSyncService
from tests.exchange_flow.conftest import office_templates, offices  # noqa: F401

from .fake_hub import FakeHub


@pytest.fixture
def hub(monkeypatch, offices):  # noqa: F811
    """The in-memory hub, with each of the three offices' address set to it."""
    fake = FakeHub()
    monkeypatch.setattr(HubSyncService, "client_factory", staticmethod(fake.client))
    for o in offices:
        o.session.hub_sync.save_settings(fake.url, 10)
    return fake


def pytest_configure(config):
    config.addinivalue_line("markers", "real_threads: run app.ui.ops work on real worker threads")
