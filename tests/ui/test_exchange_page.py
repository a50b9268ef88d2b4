"""The 数据交换 page: trusting an office, writing and importing packages (with progress and cancel),
the refusal of a tampered file, and the quarantine and conflict buttons."""

# The offices fixtures come from the exchange flow's conftest: each test takes them as arguments.
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.entities import Household
from app.ui import ops
from tests.exchange_flow.conftest import (  # noqa: F401
    clone,
    digests,
    edit_household,
    export_one,
    forge_package,
    office_templates,
    offices,
    row_of,
)


def _page(qtbot, office):
    from app.ui.pages.exchange import ExchangePage

    page = ExchangePage(office.session)
    qtbot.addWidget(page)
    page.refresh()
    return page


def _column(model, column: int) -> list[str]:
    return [str(model.index(r, column).data()) for r in range(model.rowCount())]


@pytest.fixture
def cancel_at(monkeypatch):
    """Press Cancel at the n-th progress report of the next op (0-based), as a user would mid-way."""
    heard: list[str] = []

    def arm(n: int) -> list[str]:
        real = ops.Progress.update

        def update(self, done=None, total=None, label=None):
            heard.append(label or "")
            if len(heard) > n:
                self.cancel()
            return real(self, done, total, label)

        monkeypatch.setattr(ops.Progress, "update", update)
        return heard

    return arm


def test_adding_a_card_lists_the_office_with_its_fingerprint(qtbot, offices):
    _county, a, b = offices
    page = _page(qtbot, a)
    assert b.code not in _column(page.peers_model, 1)
    page.add_peer(b.card, "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA")
    assert "指纹" in page.message.text()  # refused: the typed fingerprint does not match
    page.refresh()
    assert b.code not in _column(page.peers_model, 1)

    fingerprint = b.session.trust.card().fingerprint
    page.add_peer(b.card, fingerprint)
    assert b.session.office.name in page.message.text()
    page.refresh()
    assert b.code in _column(page.peers_model, 1)
    assert fingerprint in _column(page.peers_model, 3)


def test_export_writes_a_package_and_import_shows_its_receipt(qtbot, offices, tmp_path):
    county, a, _b = offices
    usb = tmp_path / "usb"
    usb.mkdir()
    town_page = _page(qtbot, a)
    town_page.export_packages(usb)
    [written] = list(usb.iterdir())
    assert written.name.startswith(f"{a.code}-{county.code}-000001")
    assert written.name in town_page.message.text()

    county_page = _page(qtbot, county)
    county_page.import_package(written)
    assert f"{written.name}: 更新" in county_page.message.text()
    assert digests(county)[a.code] == digests(a)[a.code]
    county_page.refresh()
    assert "received" in _column(county_page.history_model, 1) or "收到" in _column(county_page.history_model, 1)


def test_a_tampered_package_is_refused_with_its_sentence(qtbot, offices, tmp_path):
    county, a, _b = offices
    path = export_one(a, county, tmp_path / "usb")
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    before = digests(county)
    page = _page(qtbot, county)
    page.import_package(path)
    assert "已损坏或被改动" in page.message.text() and path.name in page.message.text()
    assert digests(county) == before


@pytest.mark.parametrize("at", [0, 2, 4])
def test_cancelling_an_export_writes_nothing(qtbot, offices, tmp_path, cancel_at, at):
    county, a, _b = offices
    usb = tmp_path / "usb"
    usb.mkdir()
    page = _page(qtbot, a)
    heard = cancel_at(at)
    page.export_packages(usb)
    assert page.message.text() == "Cancelled: no package was written."
    assert list(usb.iterdir()) == []
    assert len(heard) == at + 1 and all(heard)  # every step reports a label the dialog shows
    assert a.session.db.scalar("SELECT out_seq FROM channels WHERE peer_code = ?", (county.code,)) == 0


@pytest.mark.parametrize("at", [1, 5])
def test_cancelling_an_import_imports_nothing(qtbot, offices, tmp_path, cancel_at, at):
    county, a, _b = offices
    path = export_one(a, county, tmp_path / "usb")
    before = digests(county), county.session.db.scalar("SELECT count(*) FROM audit_log")
    page = _page(qtbot, county)
    cancel_at(at)
    page.import_package(path)
    assert page.message.text() == "Cancelled: nothing was imported."
    assert (digests(county), county.session.db.scalar("SELECT count(*) FROM audit_log")) == before
    assert county.session.packages.history() == []


def test_quarantine_buttons_try_again_and_set_aside(qtbot, offices, tmp_path):
    county, a, _b = offices
    member = row_of(a, "members", 0)  # its household has not come: quarantined
    county.session.packages.import_file(forge_package(a, county, tmp_path / "f", {"members": [member]}))
    page = _page(qtbot, county)
    assert page.quarantine_model.rowCount() == 1
    assert page.tabs.tabText(2).endswith("(1)")
    page.quarantine_table.selectRow(0)
    page.release_selected()
    assert "仍不能放行" in page.message.text()
    assert len(county.session.packages.quarantine()) == 1
    page.dismiss_selected(note="已请乡镇更正")
    assert county.session.packages.quarantine() == []
    page.refresh()
    assert page.quarantine_model.rowCount() == 0


def test_quarantine_release_applies_once_the_household_came(qtbot, offices, tmp_path):
    county, a, _b = offices
    member = row_of(a, "members", 0)
    county.session.packages.import_file(forge_package(a, county, tmp_path / "f", {"members": [member]}))
    county.session.packages.import_file(export_one(a, county, tmp_path / "p"))
    page = _page(qtbot, county)
    page.quarantine_table.selectRow(0)
    page.release_selected()
    assert county.session.packages.quarantine() == []
    assert county.session.db.scalar("SELECT count(*) FROM members WHERE id = ?", (member["id"],)) == 1


def test_conflict_buttons_keep_or_refuse_the_other_version(qtbot, offices, tmp_path):
    county, a, _b = offices
    county.session.packages.import_file(export_one(a, county, tmp_path / "p"))
    second_pc = clone(a, tmp_path / "a-second-pc", replica="pc2")
    try:
        first = edit_household(a, "一号电脑的修改")
        edit_household(second_pc, "二号电脑的修改")
        county.session.packages.import_file(export_one(a, county, tmp_path / "p"))
        county.session.packages.import_file(export_one(second_pc, county, tmp_path / "q"))
    finally:
        second_pc.session.close()
    page = _page(qtbot, county)
    assert page.conflicts_model.rowCount() == 1
    assert "notes" in _column(page.conflicts_model, 4)[0]  # what differs
    page.conflicts_table.selectRow(0)
    page.resolve_selected("other")  # the county does not own the row
    assert "只能由它决定" in page.message.text()
    assert len(county.session.packages.conflicts()) == 1
    page.resolve_selected("stored")
    assert county.session.packages.conflicts() == []
    assert county.session.store.repo(Household).get(first.id).notes == "二号电脑的修改"


def test_dropping_a_package_file_imports_it(qtbot, offices, tmp_path):
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    county, a, _b = offices
    path: Path = export_one(a, county, tmp_path / "usb")
    page = _page(qtbot, county)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    page.dropEvent(event)
    assert "更新" in page.message.text()
    assert digests(county)[a.code] == digests(a)[a.code]


@pytest.mark.real_threads
def test_the_progress_dialog_names_the_step_and_its_cancel_button_stops_the_export(
    qtbot, offices, tmp_path, monkeypatch
):
    import time

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    county, a, _b = offices
    usb = tmp_path / "usb"
    usb.mkdir()
    real = ops.Progress.update

    def slow(self, done=None, total=None, label=None):
        time.sleep(0.3)  # a slow USB stick: the dialog has time to open
        return real(self, done, total, label)

    monkeypatch.setattr(ops.Progress, "update", slow)
    page = _page(qtbot, a)
    page.show()
    page.export_packages(usb)

    def dialog():
        found = [d for d in page.findChildren(QProgressDialog) if d.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: dialog() is not None and "正在" in dialog().labelText(), timeout=10000)
    qtbot.mouseClick(dialog().findChild(QPushButton), Qt.MouseButton.LeftButton)  # the dialog's Cancel
    qtbot.waitUntil(lambda: not ops.running_ops(), timeout=20000)
    assert page.message.text() == "Cancelled: no package was written."
    assert list(usb.iterdir()) == []
    assert a.session.db.scalar("SELECT out_seq FROM channels WHERE peer_code = ?", (county.code,)) == 0
