"""Shared fixtures: an in-memory credential store, a cheap KDF, a fresh office."""

from __future__ import annotations

import os

import keyring
import keyring.backend
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["DOUDI_KDF_PROFILE"] = "fast"  # stored per slot; one test exercises the real parameters


class MemoryKeyring(keyring.backend.KeyringBackend):
    """The tests' credential store (docs/architecture.md §4: tests use an in-memory backend)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self.items.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring(tmp_path, monkeypatch):
    ring = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(ring)
    monkeypatch.delenv("DOUDI_KEYRING", raising=False)
    monkeypatch.setenv("DOUDI_CONFIG_DIR", str(tmp_path / "config"))
    yield ring
    keyring.set_keyring(previous)


ADMIN_PASSWORD = "admin-pass-2021"


@pytest.fixture
def office(tmp_path):
    """A fresh 香水镇 office; yields (session, recovery code, data dir)."""
    from app.services.office import create_office

    data_dir = tmp_path / "office"
    session, code = create_office(data_dir, "640424100", "admin", ADMIN_PASSWORD)
    yield session, code, data_dir
    session.close()


@pytest.fixture
def clerk(office):
    """A session signed in as a clerk of the fresh office."""
    from app.services.office import open_session

    admin, _code, data_dir = office
    admin.users.add("clerk1", "clerk", "clerk-pass-2021", display_name="王经办")
    session = open_session(data_dir, "clerk1", "clerk-pass-2021")
    yield session
    session.close()


@pytest.fixture
def reviewer(office):
    """A session signed in as the township's reviewer (审核人 head1, 李主任)."""
    from app.services.office import open_session

    admin, _code, data_dir = office
    admin.users.add("head1", "reviewer", "review-pass-2021", display_name="李主任")
    session = open_session(data_dir, "head1", "review-pass-2021")
    yield session
    session.close()
