"""Ops and Tasks keep the window responsive: work runs off the GUI thread, writes queue on one thread, cancel works."""

import threading
import time
from typing import Any

import pytest
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.ui import ops
from app.ui.ops import Cancelled, Op, Task


def _dialog_of(op: Op[Any]) -> QProgressDialog | None:
    # Read afresh: a test asserts the dialog is absent, waits, then that it is shown, and mypy
    # would otherwise keep the first narrowing of the attribute.
    return op._dialog


# ---------------------------------------------------------------- synchronous runs, the default in tests


def test_sync_success_before_run_returns(qtbot):
    got: list[int] = []
    Task(None, lambda p: 41 + 1).success(got.append).run()
    assert got == [42]


def test_sync_failure_goes_to_failure_callback(qtbot):
    errors: list[BaseException] = []

    def work(progress):
        raise ValueError("bad file")

    Task(None, work).success(lambda r: pytest.fail("no success")).failure(errors.append).run()
    assert isinstance(errors[0], ValueError) and str(errors[0]) == "bad file"


def test_sync_unhandled_failure_reaches_the_test(qtbot):
    with pytest.raises(ZeroDivisionError):
        Task(None, lambda p: 1 / 0).run()


def test_sync_progress_and_cancel(qtbot):
    seen = []
    cancelled = []

    def work(progress):
        for i in range(10):
            progress.update(i + 1, 10, f"row {i + 1}")
            if i == 4:
                progress.cancel()  # as if the user pressed 取消
        return "finished"

    Task(None, work).on_progress(lambda d, t, label: seen.append((d, t, label))).on_cancelled(
        lambda: cancelled.append(True)
    ).success(lambda r: pytest.fail("cancelled work must not succeed")).run()
    assert cancelled == [True]
    assert seen[0] == (1, 10, "row 1")
    assert seen[-1] == (5, 10, "row 5")


def test_progress_update_raises_once_cancelled():
    p = ops.Progress()
    p.update(1, 2)
    p.cancel()
    assert p.cancelled
    with pytest.raises(Cancelled):
        p.update(2, 2)


def test_op_runs_only_once(qtbot):
    op = Task(None, lambda p: 1).run()
    with pytest.raises(RuntimeError):
        op.run()


def test_callbacks_skipped_when_parent_deleted(qtbot):
    w = QWidget()
    got: list[int] = []
    op = Task(w, lambda p: 1).success(got.append)
    w.deleteLater()
    qtbot.wait(10)  # process the deferred delete
    op.run()
    assert got == []


# ---------------------------------------------------------------- real threads


@pytest.mark.real_threads
def test_work_runs_off_gui_thread_and_result_comes_back_on_it(qtbot):
    gui = threading.get_ident()
    where = {}

    def work(progress):
        where["work"] = threading.get_ident()
        return "ok"

    def done(result):
        where["callback"] = threading.get_ident()
        where["result"] = result

    op = Task(None, work).success(done)
    op.run()
    assert "result" not in where  # truly asynchronous
    qtbot.waitUntil(lambda: "result" in where, timeout=5000)
    assert where["work"] != gui
    assert where["callback"] == gui
    assert op.is_done and op not in ops.running_ops()


@pytest.mark.real_threads
def test_failure_delivered_on_gui_thread(qtbot):
    got = []

    def work(progress):
        raise KeyError("x")

    Task(None, work).failure(lambda e: got.append((e, threading.get_ident()))).run()
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert isinstance(got[0][0], KeyError)
    assert got[0][1] == threading.get_ident()


@pytest.mark.real_threads
def test_writes_are_serialised_on_one_thread(qtbot):
    active = []
    overlap = []
    threads = set()
    order = []
    lock = threading.Lock()

    def make(i):
        def work(progress):
            with lock:
                active.append(i)
                if len(active) > 1:
                    overlap.append(tuple(active))
            threads.add(threading.get_ident())
            time.sleep(0.02)
            order.append(i)
            with lock:
                active.remove(i)
            return i

        return work

    results: list[int] = []
    for i in range(6):
        Task(None, make(i), write=True).success(results.append).run()
    qtbot.waitUntil(lambda: len(results) == 6, timeout=5000)
    assert overlap == []
    assert len(threads) == 1
    assert order == list(range(6))  # FIFO
    assert threading.get_ident() not in threads


@pytest.mark.real_threads
def test_fast_op_shows_no_dialog(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    done: list[int] = []
    op = Task(parent, lambda p: 1).with_progress("Loading").success(done.append).run()
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    qtbot.wait(400)  # past the 300 ms delay
    assert op._dialog is None
    assert not [w for w in parent.findChildren(QProgressDialog) if w.isVisible()]


@pytest.mark.real_threads
def test_slow_op_shows_dialog_and_cancel_button_cancels(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    started = threading.Event()
    outcome: list[str] = []

    def work(progress):
        started.set()
        deadline = time.monotonic() + 10
        i = 0
        while time.monotonic() < deadline:
            i += 1
            progress.update(i, 1_000_000, "importing")
            time.sleep(0.005)
        return "too slow"

    op = (
        Task(parent, work)
        .with_progress("Importing", cancellable=True)
        .success(lambda r: outcome.append("success"))
        .on_cancelled(lambda: outcome.append("cancelled"))
        .run()
    )
    qtbot.waitUntil(started.is_set, timeout=5000)
    assert op._dialog is None  # not before 300 ms
    qtbot.waitUntil(lambda: op._dialog is not None and op._dialog.isVisible(), timeout=3000)
    dialog = _dialog_of(op)
    assert dialog is not None
    assert dialog.maximum() == 1_000_000
    from PySide6.QtWidgets import QPushButton

    (cancel_button,) = dialog.findChildren(QPushButton)
    cancel_button.click()  # the user presses 取消
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == ["cancelled"]
    assert op._dialog is None


@pytest.mark.real_threads
def test_not_cancellable_dialog_has_no_cancel_button(qtbot):
    release = threading.Event()
    done: list[bool] = []
    op = Task(None, lambda p: release.wait(5)).with_progress("Saving", cancellable=False).success(done.append).run()
    qtbot.waitUntil(lambda: op._dialog is not None, timeout=3000)
    from PySide6.QtWidgets import QPushButton

    dialog = _dialog_of(op)
    assert dialog is not None
    assert dialog.findChildren(QPushButton) == []
    release.set()
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done == [True]


@pytest.mark.real_threads
def test_run_from_a_worker_thread_is_refused(qtbot):
    errors: list[BaseException] = []

    def start_from_thread():
        try:
            Task(None, lambda p: 1).run()
        except RuntimeError as exc:
            errors.append(exc)

    t = threading.Thread(target=start_from_thread)
    t.start()
    t.join()
    assert errors and "GUI thread" in str(errors[0])
