"""Kept so that ``from app.domain.policy import months`` still works: months live in :mod:`app.domain.months`."""

from __future__ import annotations

from ..months import *  # noqa: F403
from ..months import __all__  # noqa: F401
