"""When automatic sync with the county hub runs next, and what the status bar says about it.

Pure policy, so the GUI's timer, the tests and any future scheduler agree: a township on a flaky
network must neither hammer the hub when it is down (retries back off, with jitter so two hundred
offices that lost the network together do not come back in the same second) nor wait longer than
its own interval once the hub answers again. The randomness and the clock are the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

FIRST_RETRY_SECONDS = 30.0  # a dropped connection often comes back within a minute
JITTER = 0.25  # a retry waits between 75 % and 100 % of its back-off
MIN_DELAY_SECONDS = 5.0
MAX_INTERVAL_MINUTES = 24 * 60


def interval_seconds(interval_minutes: int) -> float | None:
    """The wait between two syncs when all goes well; None when automatic sync is off (0)."""
    if interval_minutes <= 0:
        return None
    return float(min(interval_minutes, MAX_INTERVAL_MINUTES) * 60)


def backoff_seconds(failures: int, interval_minutes: int) -> float:
    """The back-off after *failures* attempts in a row that did not reach the hub (before jitter):
    doubling from FIRST_RETRY_SECONDS, never longer than the office's own interval."""
    cap = interval_seconds(interval_minutes) or FIRST_RETRY_SECONDS
    if failures <= 0:
        return cap
    # 2**40 seconds is far past any cap; stop doubling before floats grow silly.
    return max(MIN_DELAY_SECONDS, min(cap, FIRST_RETRY_SECONDS * 2.0 ** min(failures - 1, 40)))


def next_delay(interval_minutes: int, failures: int, rand: float) -> float | None:
    """Seconds until the next automatic attempt, or None when automatic sync is off.

    *failures* counts the attempts in a row that did not reach the hub (0 after a success);
    *rand* is a uniform number in [0, 1) from the caller, which spreads retries downwards only,
    so a retry never waits longer than the interval.
    """
    if interval_seconds(interval_minutes) is None:
        return None
    base = backoff_seconds(failures, interval_minutes)
    if failures <= 0:
        return base
    spread = min(max(rand, 0.0), 1.0)
    return max(MIN_DELAY_SECONDS, base * (1.0 - JITTER * spread))


class Indicator(Enum):
    HIDDEN = "hidden"  # no hub set: the status bar shows nothing
    NEVER = "never"  # a hub is set but no sync has succeeded yet
    OK = "ok"  # the last attempt succeeded
    UNREACHABLE = "unreachable"  # the last attempt did not reach the hub
    REFUSED = "refused"  # the hub answered but refused, or a package it held was refused here


@dataclass(frozen=True)
class IndicatorState:
    kind: Indicator
    text: str  # what the status bar shows ("" when hidden)
    detail: str  # the tooltip: the error's sentence, or when the last success was


def indicator(
    hub_set: bool, last_success_at: str | None, reachable: bool | None, last_error: str | None
) -> IndicatorState:
    """What the status bar says, from the sync status (times are ISO text, local time of the office)."""
    if not hub_set:
        return IndicatorState(Indicator.HIDDEN, "", "")
    since = f"上次成功同步：{_stamp(last_success_at)}" if last_success_at else "还没有成功同步过"
    if reachable is False:
        return IndicatorState(Indicator.UNREACHABLE, "中转站无法连接", _join(last_error, since))
    if last_error:
        return IndicatorState(Indicator.REFUSED, "同步出错", _join(last_error, since))
    if last_success_at:
        return IndicatorState(Indicator.OK, f"同步：{_clock(last_success_at)} ✓", since)
    return IndicatorState(Indicator.NEVER, "尚未同步", since)


def _stamp(iso: str) -> str:
    return iso[:16].replace("T", " ")


def _clock(iso: str) -> str:
    return iso[11:16] if len(iso) >= 16 else iso  # noqa: PLR2004 - "YYYY-MM-DDTHH:MM"


def _join(first: str | None, second: str) -> str:
    return f"{first}\n{second}" if first else second
