"""Placeholder: what a comparison finding can be linked to (the visit, alert, stop or application it led to)."""

from __future__ import annotations

from .base import Service


class ComparisonLinkService(Service):
    pass
