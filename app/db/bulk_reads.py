"""Pausing the cyclic garbage collector while a county's register is read into memory (the monthly
rules, the roster, a package's rows).

The monthly rules and the roster build several hundred thousand small objects that all live
until the work is done. Python's collector is triggered by allocations, so it re-scans that
growing heap again and again, about a fifth of the run on county-L, to find no cycles: the
rows and rule inputs hold none. Reference counting still frees everything as usual.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, restoring it as it was (nested use is fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def group_by(rows: Iterable[T], attr: str) -> dict[Any, list[T]]:
    """*rows* in lists by the value of *attr* (a register read in one query, then split per household)."""
    out: dict[Any, list[T]] = {}
    for r in rows:
        out.setdefault(getattr(r, attr), []).append(r)
    return out
