"""The county's signed offices file for its hub (issue 13); the hub's helper fills it in."""

from __future__ import annotations

from ..base import Service


class HubOfficesService(Service):
    pass
