"""``doudi package send --hub URL`` and ``doudi package fetch --hub URL`` (docs/hub.md).

Placeholder registered by the lead; the hub client's helper fills it in (issue 13).
"""

from __future__ import annotations

import argparse


def register_send(p: argparse.ArgumentParser) -> None:
    p.set_defaults(handler=cmd_package_send)


def register_fetch(p: argparse.ArgumentParser) -> None:
    p.set_defaults(handler=cmd_package_fetch)


def cmd_package_send(args: argparse.Namespace) -> int:
    raise NotImplementedError


def cmd_package_fetch(args: argparse.Namespace) -> int:
    raise NotImplementedError
