"""Keys for the exchange tests: a township, its county and a stranger, made once per session."""

from __future__ import annotations

import pytest

from app.exchange.keys import OfficeKeys, new_office_keys


@pytest.fixture(scope="session")
def township() -> OfficeKeys:
    return new_office_keys()


@pytest.fixture(scope="session")
def county() -> OfficeKeys:
    return new_office_keys()


@pytest.fixture(scope="session")
def stranger() -> OfficeKeys:
    return new_office_keys()
