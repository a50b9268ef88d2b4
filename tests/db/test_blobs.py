"""Attachment contents in the database: stored once per digest, checked on the way in (a package's
blob is not trusted), and found by ``doudi check`` when damaged or missing."""

from __future__ import annotations

from datetime import date

import pytest

from app.db import blobs
from app.errors import InvalidInput
from tests.factories import household, member

PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_a_blob_is_stored_once_and_read_back(office):
    db = office[0].db
    sha = blobs.sha256_of(b"content")
    with db.transaction():
        assert blobs.put_blob(db, sha, b"content", b"thumb") is True
        assert blobs.put_blob(db, sha, b"content", b"thumb") is False
    assert db.scalar("SELECT count(*) FROM attachment_blobs") == 1
    assert blobs.blob_data(db, sha) == b"content"
    assert blobs.thumbnails(db, [sha, "0" * 64]) == {sha: b"thumb"}
    assert blobs.blobs_for(db, [sha]) == {sha: (b"content", b"thumb")}
    assert blobs.blob_data(db, "0" * 64) is None


def test_bytes_that_do_not_hash_to_their_digest_are_refused(office):
    db = office[0].db
    with db.transaction(), pytest.raises(InvalidInput, match="不符"):
        blobs.put_blob(db, blobs.sha256_of(b"what was sent"), b"what arrived")
    assert db.scalar("SELECT count(*) FROM attachment_blobs") == 0


def test_receiving_good_content_again_repairs_a_damaged_blob(office):
    db = office[0].db
    sha = blobs.sha256_of(b"good")
    with db.transaction():
        blobs.put_blob(db, sha, b"good")
        db.execute("UPDATE attachment_blobs SET data = ? WHERE sha256 = ?", (b"rot", sha))
    assert blobs.blob_problems(db)
    with db.transaction():
        blobs.put_blob(db, sha, b"good", b"t")
    assert blobs.blobs_for(db, [sha]) == {sha: (b"good", b"t")}
    assert blobs.blob_problems(db) == []


def test_check_reports_damaged_and_missing_attachment_contents(clerk):
    h = clerk.households.add(household(), [member("马学军", date(1958, 3, 4))])
    a = clerk.attachments.add("households", h.id, PNG_1PX, "残疾证.png", kind="残疾证")
    b = clerk.attachments.add("households", h.id, b"%PDF-1.4\n%%EOF\n", "病历.pdf", kind="病历")
    assert blobs.blob_problems(clerk.db) == []
    with clerk.db.transaction():
        clerk.db.execute("UPDATE attachment_blobs SET data = x'00' WHERE sha256 = ?", (a.sha256,))
        clerk.db.execute("DELETE FROM attachment_blobs WHERE sha256 = ?", (b.sha256,))
    problems = blobs.blob_problems(clerk.db)
    assert len(problems) == 2
    assert "残疾证.png" in problems[0] and "已损坏" in problems[0]
    assert "病历.pdf" in problems[1] and "缺少内容" in problems[1]
