"""Helpers shared by the benchmarks: timing, results, reference data sets."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar

RESULTS = Path(__file__).resolve().parent / "results"

P = ParamSpec("P")
T = TypeVar("T")


def timed(fn: Callable[P, T], *args: P.args, **kw: P.kwargs) -> tuple[float, T]:
    start = time.perf_counter()
    value = fn(*args, **kw)
    return time.perf_counter() - start, value


def best_of(n: int, fn: Callable[P, object], *args: P.args, **kw: P.kwargs) -> float:
    """The fastest of n runs: the least disturbed by whatever else the machine is doing."""
    return min(timed(fn, *args, **kw)[0] for _ in range(n))


def p95(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def save(name: str, result: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    result = {
        "bench": name,
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        **result,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return path
