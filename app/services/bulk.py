"""Pausing the cyclic garbage collector while a county's register is read into memory.

The monthly rules and the roster build several hundred thousand small objects that all live
until the work is done. Python's collector is triggered by allocations, so it re-scans that
growing heap again and again, about a fifth of the run on county-L, to find no cycles: the
rows and rule inputs hold none. Reference counting still frees everything as usual.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


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
