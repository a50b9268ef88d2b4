"""``doudi hub serve`` and ``doudi trust export-hub``: the county's package mailbox (docs/hub.md).

Placeholder registered by the lead; the hub's helper fills it in (issue 13).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    hub = command("hub", "the county hub: a mailbox for packages over the network")
    sub = hub.add_subparsers(dest="hub_command", required=True)
    p = sub.add_parser("serve", help="run the hub")
    p.set_defaults(handler=cmd_hub_serve)


def register_export_hub(p: argparse.ArgumentParser) -> None:
    p.set_defaults(handler=cmd_trust_export_hub)


def cmd_hub_serve(args: argparse.Namespace) -> int:
    raise NotImplementedError


def cmd_trust_export_hub(args: argparse.Namespace) -> int:
    raise NotImplementedError
