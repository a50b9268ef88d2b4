"""Time-ordered UUIDs (version 7, RFC 9562) and the hybrid logical clock.

Ids are made where a row is created and never reused across offices, so rows
from many townships merge at the county without renumbering (docs/architecture.md §3).
"""

from __future__ import annotations

import random
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass


def uuid7(ts_ms: int | None = None, rng: random.Random | None = None) -> str:
    """A UUIDv7 string; pass ``ts_ms`` and a seeded ``rng`` for deterministic ids."""
    if ts_ms is None:
        ts_ms = time.time_ns() // 1_000_000
    rand = rng.getrandbits(74) if rng is not None else int.from_bytes(secrets.token_bytes(10), "big") >> 6
    rand_a = rand >> 62 & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = (ts_ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))


def uuid7_time_ms(text: str) -> int:
    return uuid.UUID(text).int >> 80


@dataclass(frozen=True, order=True)
class Timestamp:
    """A hybrid-logical-clock reading: wall milliseconds, a counter, the node (office) that made it."""

    wall_ms: int
    counter: int
    node: str

    def encode(self) -> str:
        # Fixed-width fields make the string order equal the clock order.
        return f"{self.wall_ms:013d}-{self.counter:05d}-{self.node}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        wall, counter, node = text.split("-", 2)
        return cls(int(wall), int(counter), node)


class HybridLogicalClock:
    """Kulkarni et al.'s HLC: never goes backwards, even when the PC's clock does."""

    def __init__(self, node: str, last: str | None = None, now_ms: Callable[[], int] | None = None) -> None:
        self.node = node
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._wall, self._counter = 0, 0
        self._lock = threading.Lock()  # one clock serves the GUI thread and the workers
        if last:
            t = Timestamp.decode(last)
            self._wall, self._counter = t.wall_ms, t.counter

    def tick(self) -> str:
        with self._lock:
            now = self._now_ms()
            if now > self._wall:
                self._wall, self._counter = now, 0
            else:
                self._counter += 1
            return Timestamp(self._wall, self._counter, self.node).encode()

    def observe(self, remote: str) -> str:
        """Merge a clock reading from another office (on import)."""
        r = Timestamp.decode(remote)
        now = self._now_ms()
        wall = max(self._wall, r.wall_ms, now)
        if wall == self._wall == r.wall_ms:
            counter = max(self._counter, r.counter) + 1
        elif wall == self._wall:
            counter = self._counter + 1
        elif wall == r.wall_ms:
            counter = r.counter + 1
        else:
            counter = 0
        self._wall, self._counter = wall, counter
        return Timestamp(wall, counter, self.node).encode()
