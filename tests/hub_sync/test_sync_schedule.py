"""The automatic-sync policy: retries back off but never wait past the interval, jitter only shortens
a wait, and the status bar says what the last attempt found."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.domain.sync_schedule import (
    FIRST_RETRY_SECONDS,
    JITTER,
    MAX_INTERVAL_MINUTES,
    MIN_DELAY_SECONDS,
    Indicator,
    backoff_seconds,
    indicator,
    next_delay,
)

minutes = st.integers(min_value=1, max_value=MAX_INTERVAL_MINUTES)
failures = st.integers(min_value=0, max_value=10_000)
rand = st.floats(min_value=0, max_value=1, exclude_max=True)


@given(minutes, failures, rand)
def test_a_wait_is_never_longer_than_the_interval_nor_shorter_than_the_floor(interval, failed, r):
    delay = next_delay(interval, failed, r)
    assert delay is not None
    assert MIN_DELAY_SECONDS <= delay <= interval * 60


@given(minutes, rand)
def test_after_a_success_the_wait_is_the_interval_exactly(interval, r):
    assert next_delay(interval, 0, r) == interval * 60


@given(minutes, st.integers(min_value=1, max_value=60), rand)
def test_back_off_grows_with_each_failure_until_the_interval(interval, failed, r):
    assert backoff_seconds(failed + 1, interval) >= backoff_seconds(failed, interval)
    later, sooner = next_delay(interval, failed + 1, r), next_delay(interval, failed, r)
    assert later is not None and sooner is not None
    assert later >= sooner
    assert backoff_seconds(1, interval) == min(FIRST_RETRY_SECONDS, interval * 60)


@given(minutes, st.integers(min_value=1, max_value=60), rand)
def test_jitter_shortens_a_retry_by_at_most_its_share(interval, failed, r):
    base = backoff_seconds(failed, interval)
    delay = next_delay(interval, failed, r)
    assert delay is not None
    assert max(MIN_DELAY_SECONDS, base * (1 - JITTER)) <= delay <= base


@given(st.integers(max_value=0), failures, rand)
def test_interval_zero_means_off(interval, failed, r):
    assert next_delay(interval, failed, r) is None


def test_the_first_retries_double():
    assert [backoff_seconds(n, 60) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_seconds(50, 60) == 3600


@given(
    st.booleans(), st.none() | st.just("2026-11-30T10:42:07+08:00"), st.none() | st.booleans(), st.none() | st.text()
)
def test_the_indicator_shows_nothing_without_a_hub_and_never_a_tick_after_a_failure(hub_set, success, reachable, error):
    state = indicator(hub_set, success, reachable, error)
    if not hub_set:
        assert state.kind is Indicator.HIDDEN and state.text == ""
        return
    assert state.text
    if reachable is False:
        assert state.kind is Indicator.UNREACHABLE and state.text == "中转站无法连接"
    if "✓" in state.text:
        assert reachable is not False and not error and success
    if error and reachable is not False:
        assert error in state.detail


def test_the_indicator_texts():
    assert indicator(True, "2026-11-30T10:42:07+08:00", True, None).text == "同步：10:42 ✓"
    assert indicator(True, None, None, None).text == "尚未同步"
    down = indicator(True, "2026-11-30T10:42:07+08:00", False, "无法连接县级数据中转站 http://h：等待应答超时。")
    assert down.text == "中转站无法连接" and "2026-11-30 10:42" in down.detail and "超时" in down.detail
