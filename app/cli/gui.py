"""Opening the GUI from the command line (``doudi`` with no command)."""

from __future__ import annotations

import argparse

from .common import data_dir


def run(args: argparse.Namespace) -> int:
    from ..ui.main import run_gui

    return run_gui(
        data_dir=data_dir(args),
        demo_if_empty=bool(getattr(args, "demo_if_empty", False)),
        user=getattr(args, "user", None),
    )
