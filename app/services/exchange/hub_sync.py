"""Sending and fetching packages through the county hub (issue 13); the hub client's helper fills it in."""

from __future__ import annotations

from ..base import Service


class HubSyncService(Service):
    pass
