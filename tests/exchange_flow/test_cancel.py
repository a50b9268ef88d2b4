"""Cancelling an export or an import at any of its steps (issue 10, point 5): nothing is written,
nothing is numbered, nothing is applied, and doing it again works as if nothing had happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ui.ops import Cancelled

from .conftest import digests, export_one

MAX_REPORTS = 200  # far more than any package here makes: a loop that never finishes is a failure


class CancelAt:
    """A progress callback that records every report and cancels at report number *at* (0-based);
    ``None`` lets everything through (to count the reports)."""

    def __init__(self, at: int | None = None) -> None:
        self.at = at
        self.calls: list[tuple[int, int, str]] = []

    def __call__(self, done: int, total: int, label: str) -> None:
        self.calls.append((done, total, label))
        if self.at is not None and len(self.calls) > self.at:
            raise Cancelled


def _state(office) -> dict:
    """Everything an export or an import could leave behind in the database."""
    db = office.session.db
    out: dict = {"digests": digests(office)}
    for table in (
        "change_log",
        "audit_log",
        "packages",
        "channels",
        "inbound",
        "peer_audit",
        "quarantine",
        "conflicts",
        "known_versions",
        "households",
        "members",
        "visits",
        "attachment_blobs",
    ):
        out[table] = db.scalar(f"SELECT count(*) FROM {table}")
    out["channel_rows"] = db.query("SELECT * FROM channels ORDER BY peer_code")
    out["inbound_rows"] = db.query("SELECT * FROM inbound ORDER BY peer_code, node")
    anchors = office.data_dir / "anchors.jsonl"  # an export notes its chain head here once it commits
    out["anchors"] = anchors.read_text() if anchors.exists() else ""
    return out


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_progress_moves_forward_with_a_label_at_every_step(offices, tmp_path):
    county, a, _b = offices
    usb = tmp_path / "usb"
    usb.mkdir()
    heard = CancelAt()
    a.session.packages.export(usb, for_code=county.code, progress=heard)
    done = [d for d, _t, _l in heard.calls]
    assert done == sorted(done) and all(label for _d, _t, label in heard.calls)
    assert all(d < t for d, t, _l in heard.calls)  # never "finished" before the commit
    assert any("压缩" in label for *_x, label in heard.calls) and any("写出" in label for *_x, label in heard.calls)

    heard = CancelAt()
    county.session.packages.import_file(next(usb.iterdir()), progress=heard)
    labels = [label for *_x, label in heard.calls]
    assert any("签名" in label for label in labels) and any("解密" in label for label in labels)
    assert any("户" in label for label in labels)  # applying per table, named as a clerk knows it
    with_total = [(d, t) for d, t, _l in heard.calls if t]
    assert with_total and all(d <= t for d, t in with_total)
    assert [d for d, _t in with_total] == sorted(d for d, _t in with_total)


def test_a_cancelled_export_writes_nothing_and_takes_no_number_at_every_step(offices, tmp_path):
    """The county exports to both townships at once; a cancel at any report (even during the second
    package) leaves neither package, no temporary file and no number taken, so the export that is
    finally let through numbers both packages 1."""
    county, a, b = offices
    usb = tmp_path / "usb"
    usb.mkdir()
    before = _state(county)
    at = 0
    while True:
        try:
            written = county.session.packages.export(usb, progress=CancelAt(at))
        except Cancelled:
            assert _files(usb) == [], f"cancelled at report {at}"
            assert _state(county) == before, f"cancelled at report {at}"
            at += 1
            assert at < MAX_REPORTS
            continue
        break
    assert at >= 2 * 5  # it was cancelled in both packages' steps before one was let through
    assert sorted((e.peer_code, e.seq) for e in written) == [(a.code, 1), (b.code, 1)]
    assert _files(usb) == sorted(e.path.name for e in written)
    receipt = a.session.packages.import_file(next(e.path for e in written if e.peer_code == a.code))
    assert not receipt.already_applied


def test_a_cancelled_import_changes_nothing_at_every_step_and_a_retry_completes(offices, tmp_path):
    county, a, _b = offices
    path = export_one(a, county, tmp_path / "usb")
    before = _state(county)
    at = 0
    while True:
        try:
            receipt = county.session.packages.import_file(path, progress=CancelAt(at))
        except Cancelled:
            assert _state(county) == before, f"cancelled at report {at}"
            at += 1
            assert at < MAX_REPORTS
            continue
        break
    assert at >= 5  # reading, signature, decrypting, audit chain, at least one table
    assert not receipt.already_applied and receipt.applied["households"] == 25
    assert digests(county)[a.code] == digests(a)[a.code]
    assert county.session.db.scalar("SELECT count(*) FROM packages WHERE direction = 'in'") == 1


def test_a_cancelled_township_export_leaves_the_next_one_the_same_number(offices, tmp_path):
    county, a, _b = offices
    usb = tmp_path / "usb"
    usb.mkdir()
    before = _state(a)
    for at in range(5):
        with pytest.raises(Cancelled):
            a.session.packages.export(usb, for_code=county.code, progress=CancelAt(at))
        assert _files(usb) == []
        assert _state(a) == before
    path = export_one(a, county, usb)
    assert path.name.endswith("-000001.doudipkg")
    assert _files(usb) == [path.name]
    county.session.packages.import_file(path)
    assert digests(county)[a.code] == digests(a)[a.code]
