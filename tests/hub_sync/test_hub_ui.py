"""The county hub on screen: the 数据交换 page's hub settings (the administrator's), 立即同步 as a
write op that disables its button while it runs, the status-bar indicator, and the automatic sync's
timer (skipping a tick while a write op runs, backing off while the hub does not answer)."""

# ruff: noqa: F811

from __future__ import annotations

import pytest

from app.domain.sync_schedule import FIRST_RETRY_SECONDS, Indicator
from app.hub.client import HubUnreachable
from app.services.exchange.hub_sync import HubSyncService
from app.ui import ops
from tests.exchange_flow.conftest import office_templates, offices  # noqa: F401
from tests.ui.conftest import sync_ops  # noqa: F401

from .fake_hub import FakeHub


@pytest.fixture
def hub(monkeypatch):
    fake = FakeHub()
    monkeypatch.setattr(HubSyncService, "client_factory", staticmethod(fake.client))
    return fake


def _page(qtbot, office):
    from app.ui.pages.exchange import ExchangePage

    page = ExchangePage(office.session)
    qtbot.addWidget(page)
    page.refresh()
    return page


def test_the_administrator_sets_the_hub_and_a_bad_address_is_one_sentence(qtbot, offices, hub):
    _county, a, _b = offices
    page = _page(qtbot, a)
    panel = page.hub
    assert not panel.sync_button.isEnabled()  # nothing to sync with yet
    panel.url.setText("hub.local")
    panel.save_settings()
    assert "hub.local" in page.message.text() and "http://" in page.message.text()
    assert a.session.hub_sync.settings().url == ""
    panel.url.setText(hub.url)
    panel.interval.setValue(15)
    panel.save_settings()
    assert a.session.hub_sync.settings().interval_minutes == 15
    assert panel.sync_button.isEnabled()


def test_a_clerk_sees_the_hub_but_cannot_change_it(qtbot, offices, hub):
    from app.services.office import open_session

    _county, a, _b = offices
    a.session.hub_sync.save_settings(hub.url, 10)
    a.session.users.add("clerk1", "clerk", "clerk-pass-2021", display_name="王经办")
    clerk = open_session(a.data_dir, "clerk1", "clerk-pass-2021")
    try:
        from app.ui.pages.exchange import ExchangePage

        page = ExchangePage(clerk)
        qtbot.addWidget(page)
        page.refresh()
        assert page.hub.url.text() == hub.url and page.hub.url.isReadOnly()
        assert not page.hub.interval.isEnabled() and page.hub.save_button.isHidden()
        assert page.hub.sync_button.isEnabled()  # anyone may sync
    finally:
        clerk.close()


def test_sync_now_disables_its_button_while_it_runs_and_reports(qtbot, offices, hub, monkeypatch):
    county, a, _b = offices
    a.session.hub_sync.save_settings(hub.url, 10)
    page = _page(qtbot, a)
    seen = []
    real = HubSyncService.run_phase

    def watched(self, attempt, phase, progress=None):
        seen.append((phase.method, page.hub.sync_button.isEnabled()))
        return real(self, attempt, phase, progress)

    monkeypatch.setattr(HubSyncService, "run_phase", watched)
    page.hub.sync_now()
    assert seen == [(m, False) for m in ("receive", "import_received", "export_outgoing", "transmit")]
    assert page.hub.sync_button.isEnabled()
    assert "1" in page.message.text() and hub.waiting_for(county.code)
    assert page.hub.last.text().startswith("Last successful sync: 20")
    page.refresh()
    assert any(page.history_model.index(r, 5).data() for r in range(page.history_model.rowCount()))

    hub.down = True
    page.hub.sync_now()
    assert hub.url in page.hub.last.text()  # the last sync line carries the sentence
    assert hub.url not in page.message.text()  # once: not again in the message bar


def test_an_address_saved_with_automatic_sync_off_says_how_to_turn_it_on(qtbot, offices, hub):
    _county, a, _b = offices
    page = _page(qtbot, a)
    assert page.hub.interval.value() == 0  # a new office starts with automatic sync off
    page.hub.url.setText(hub.url)
    page.hub.save_settings()
    said = page.message.text()
    assert hub.url in said and "Automatic sync is off" in said and "Sync automatically every" in said
    page.hub.interval.setValue(10)
    page.hub.save_settings()
    assert "off" not in page.message.text()


def test_a_failed_first_sync_joins_its_parts_without_doubled_punctuation(qtbot, offices, hub):
    _county, a, _b = offices
    a.session.hub_sync.save_settings(hub.url, 10)
    page = _page(qtbot, a)
    hub.down = True
    page.hub.sync_now()
    first_line = page.hub.last.text().splitlines()[0]
    assert first_line.startswith("Not synced yet；last attempt: 20")


def test_the_indicator_follows_the_status(qtbot, offices, hub):
    from app.ui.exchange.hub_status import HubStatusIndicator

    _county, a, _b = offices
    label = HubStatusIndicator()
    label.session = a.session  # type: ignore[attr-defined]  # an op's parent holds the session, as the main window does
    qtbot.addWidget(label)
    label.reload()
    assert label.kind is Indicator.HIDDEN and label.isHidden()
    a.session.hub_sync.save_settings(hub.url, 10)
    label.reload()
    assert label.text() == "尚未同步"
    a.session.hub_sync.sync()
    label.reload()
    assert label.kind is Indicator.OK and label.text().startswith("同步：") and label.text().endswith("✓")  # type: ignore[comparison-overlap]  # reload() changed kind; mypy keeps the first assert's narrowing
    hub.down = True
    with pytest.raises(HubUnreachable):
        a.session.hub_sync.sync()
    label.reload()
    assert label.text() == "中转站无法连接" and hub.url in label.toolTip()


@pytest.fixture
def controller(qtbot, offices, hub):
    from PySide6.QtWidgets import QWidget

    from app.ui.exchange.hub_autosync import HubAutoSync

    _county, a, _b = offices
    a.session.hub_sync.save_settings(hub.url, 10)
    window = QWidget()
    window.session = a.session  # type: ignore[attr-defined]  # an op's parent holds the session, as the main window does
    qtbot.addWidget(window)
    auto = HubAutoSync(window, rand=lambda: 0.0)
    auto.start()
    yield auto  # the window stays referenced (and open) for the test
    window.close()


def test_automatic_sync_waits_its_interval_and_backs_off_while_the_hub_is_down(controller, hub):
    assert controller.timer.isActive() and controller.timer.interval() == 15_000  # soon after sign-in
    controller.tick()
    assert hub.uploads and controller.failures == 0
    assert controller.timer.interval() == 10 * 60 * 1000
    hub.down = True
    controller.tick()
    assert controller.failures == 1 and controller.timer.interval() == FIRST_RETRY_SECONDS * 1000
    controller.tick()
    assert controller.failures == 2 and controller.timer.interval() == 2 * FIRST_RETRY_SECONDS * 1000
    hub.down = False
    controller.tick()
    assert controller.failures == 0 and controller.timer.interval() == 10 * 60 * 1000


def test_automatic_sync_skips_a_tick_while_a_write_op_runs(controller, hub, monkeypatch):
    class Busy:
        write = True

    monkeypatch.setattr(ops, "running_ops", lambda: [Busy()])
    controller.tick()
    assert hub.uploads == [] and controller.timer.isActive()
    assert controller.timer.interval() < 60_000  # looks again soon, not an interval later
    monkeypatch.setattr(ops, "running_ops", list)
    controller.tick()
    assert hub.uploads


def test_interval_zero_turns_automatic_sync_off(controller, offices, hub):
    from app.ui.exchange.hub_events import hub_events

    _county, a, _b = offices
    a.session.hub_sync.save_settings(hub.url, 0)
    hub_events().changed.emit()  # what the page does after saving
    assert not controller.timer.isActive()


def test_three_offices_converge_by_automatic_sync_alone(qtbot, offices, tmp_path):
    from PySide6.QtWidgets import QWidget

    from app.ui.exchange.hub_autosync import HubAutoSync
    from tests.exchange_flow.conftest import digests

    from .real_hub import serve_hub

    county, a, b = offices
    with serve_hub(tmp_path / "hub", county, offices) as url:
        timers, windows = {}, []
        for o in offices:
            o.session.hub_sync.save_settings(url, 5)
            window = QWidget()
            window.session = o.session  # type: ignore[attr-defined]  # an op's parent holds the session, as the main window does
            windows.append(window)  # each office's main window, kept open
            qtbot.addWidget(window)
            timers[o.code] = HubAutoSync(window)
            timers[o.code].start()
        for o in (a, b, county, a, b):  # the order the timers happened to fire in
            timers[o.code].tick()
            assert timers[o.code].failures == 0 and timers[o.code].timer.isActive()
    for o in (a, b):
        assert o.session.dashboard.unsent_changes() == 0
        assert digests(county)[o.code] == digests(o)[o.code]


def _save_notes(household_id, notes):
    """A clerk's save of a household, as the household form makes it (a write op's work)."""

    def save(s, _progress):
        household, members = s.households.get(household_id)
        household.notes = notes
        return s.households.update(household, members)

    return save


@pytest.mark.real_threads
@pytest.mark.parametrize("transfer", ["download", "upload"])
def test_a_save_goes_through_while_a_package_crawls_over_the_line(qtbot, offices, hub, monkeypatch, transfer):
    import threading
    import time

    from PySide6.QtWidgets import QWidget

    from app.domain.entities import Household
    from app.ui.exchange.hub_autosync import HubAutoSync, writer_busy
    from app.ui.ops import Op

    from .fake_hub import FakeClient

    county, a, _b = offices
    if transfer == "download":  # the county's receipt waits for the township
        a.session.hub_sync.send(url=hub.url)
        county.session.hub_sync.sync(url=hub.url)
        assert hub.waiting_for(a.code)
    a.session.hub_sync.save_settings(hub.url, 10)
    hid = a.session.store.repo(Household).where("1", order="id")[0].id
    under_way, line_free = threading.Event(), threading.Event()
    real = getattr(FakeClient, transfer)

    def crawling(self, *args, **kw):  # a 50 MB package on a township line: minutes
        under_way.set()
        assert line_free.wait(20)
        return real(self, *args, **kw)

    monkeypatch.setattr(FakeClient, transfer, crawling)
    window = QWidget()
    window.session = a.session  # type: ignore[attr-defined]  # an op's parent holds the session, as the main window does
    qtbot.addWidget(window)
    auto = HubAutoSync(window)
    auto.apply_settings(a.session.hub_sync.settings())
    saved: list[object] = []
    try:
        started = time.monotonic()
        auto.tick()
        assert time.monotonic() - started < 0.3  # the tick only starts the first op
        qtbot.waitUntil(under_way.is_set, timeout=10_000)
        assert not writer_busy()  # the transfer runs on a reader thread
        Op(window, _save_notes(hid, "同步途中保存的"), write=True).success(saved.append).run()
        qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
        assert auto.running is not None and not line_free.is_set()  # saved while the package was on its way
    finally:
        line_free.set()
    qtbot.waitUntil(lambda: auto.running is None, timeout=20_000)
    assert auto.failures == 0 and auto.timer.isActive()
    assert a.session.households.get(hid)[0].notes == "同步途中保存的"
    if transfer == "download":
        assert hub.waiting_for(a.code) == []  # imported and acknowledged once the line came back
    else:
        assert hub.waiting_for(county.code)  # the package reached the hub
    assert a.session.hub_sync.status().indicator().text.startswith("同步：")


def test_cancelling_sync_now_keeps_what_is_done_and_frees_the_button(qtbot, offices, hub, monkeypatch):
    county, a, b = offices
    a.session.hub_sync.send(url=hub.url)
    b.session.hub_sync.send(url=hub.url)
    county.session.hub_sync.save_settings(hub.url, 10)
    page = _page(qtbot, county)
    real = ops.Progress.update

    def update(self, done=None, total=None, label=None):
        if label and label.startswith("正在导入") and label.endswith("号数据包") and done == 1:
            self.cancel()  # the user presses Cancel as the second package's import begins
        return real(self, done, total, label)

    monkeypatch.setattr(ops.Progress, "update", update)
    page.hub.sync_now()
    assert "cancelled" in page.message.text().lower()
    assert len(hub.acks) == 1 and len(hub.waiting_for(county.code)) == 1
    assert page.hub.sync_button.isEnabled()


def test_sync_now_waits_while_an_automatic_sync_runs(qtbot, offices, hub):
    from app.ui.exchange.hub_events import hub_events

    _county, a, _b = offices
    a.session.hub_sync.save_settings(hub.url, 10)
    page = _page(qtbot, a)
    assert page.hub.sync_button.isEnabled()
    hub_events().busy.emit(True)
    assert not page.hub.sync_button.isEnabled() and not page.hub.save_button.isEnabled()
    hub_events().busy.emit(False)
    assert page.hub.sync_button.isEnabled()


def test_the_administrator_gives_the_countys_certificate(qtbot, offices, hub, tmp_path):
    from tests.tls import self_signed

    _county, a, _b = offices
    a.session.hub_sync.save_settings("https://127.0.0.1:8443", 10)
    page = _page(qtbot, a)
    assert page.hub.cert_button.isEnabled()
    (tmp_path / "x.pem").write_text("not a certificate", encoding="utf-8")
    page.hub.choose_certificate(tmp_path / "x.pem")
    assert "x.pem" in page.message.text() and a.session.hub_sync.settings().certificate == ""
    certificate, _key = self_signed(tmp_path / "tls")
    page.hub.choose_certificate(certificate)
    fingerprint = a.session.hub_sync.settings().certificate
    assert fingerprint and fingerprint in page.message.text() and fingerprint in page.hub.cert_button.toolTip()
