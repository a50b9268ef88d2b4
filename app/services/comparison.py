"""Placeholder: comparison with partner departments' lists (issue 12)."""

from __future__ import annotations

from .base import Service


class ComparisonService(Service):
    pass
