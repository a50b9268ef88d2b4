"""Placeholder: the hand-over of a household between townships through the county (issue 10)."""

from __future__ import annotations

from .base import Service


class HandoverService(Service):
    pass
