"""Attachments (issue 9, point 21): photos and scans kept inside the encrypted database, cleaned of
their metadata, downscaled, refused with one sentence naming the file, and deleted only with a reason."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image

from app.db import blobs
from app.domain.entities import Attachment, Visit
from app.errors import ChangedMeanwhile, DatabaseCorrupt, InvalidInput, NotFound, PermissionDenied
from app.services import attachments as att
from tests.factories import household, member


def _household(session):
    return session.households.add(household(), [member("马学军", date(1958, 3, 4))])


def _photo(size=(4000, 3000), gps=True, orientation: int | None = None, fmt="JPEG") -> bytes:
    img = Image.new("RGB", size, (180, 90, 40))
    # Some structure, so the encoder has something to keep.
    for x in range(0, size[0], 97):
        img.paste((20, 200, 90), (x, 0, x + 13, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    if gps:
        g = exif.get_ifd(ExifTags.IFD.GPSInfo)
        g[ExifTags.GPS.GPSLatitudeRef] = "N"
        g[ExifTags.GPS.GPSLatitude] = (35.0, 30.0, 12.0)
        g[ExifTags.GPS.GPSLongitudeRef] = "E"
        g[ExifTags.GPS.GPSLongitude] = (106.0, 20.0, 5.0)
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    out = io.BytesIO()
    img.save(out, fmt, exif=exif.tobytes(), comment=b"taken at the Ma family home") if fmt == "JPEG" else img.save(
        out, fmt
    )
    return out.getvalue()


def _stored(session, row: Attachment) -> bytes:
    return session.attachments.data(row.id)


def test_a_big_photo_is_downscaled_to_2000_px_and_has_a_small_thumbnail(clerk):
    h = _household(clerk)
    row = clerk.attachments.add("households", h.id, _photo(), "门口.jpg", kind="入户照片")
    assert (row.width, row.height) == (2000, 1500) and row.media_type == "image/jpeg"
    data = _stored(clerk, row)
    assert Image.open(io.BytesIO(data)).size == (2000, 1500)
    [view] = clerk.attachments.list_for("households", h.id)
    thumb = Image.open(io.BytesIO(view.thumbnail))
    assert max(thumb.size) == 256 and thumb.format == "JPEG"
    assert row.size_bytes == len(data) and row.sha256 == blobs.sha256_of(data)


def test_gps_and_every_other_metadata_are_gone_from_the_stored_photo(clerk):
    h = _household(clerk)
    original = _photo(size=(1200, 900))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo has GPS
    row = clerk.attachments.add("households", h.id, original, "住房.jpg", kind="入户照片")
    data = _stored(clerk, row)
    stored = Image.open(io.BytesIO(data))
    assert not stored.getexif() and not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"Exif" not in data and b"TestCam" not in data and b"Ma family" not in data
    [view] = clerk.attachments.list_for("households", h.id)
    assert b"Exif" not in view.thumbnail and b"TestCam" not in view.thumbnail


def test_the_camera_orientation_is_applied_before_the_metadata_goes(clerk):
    h = _household(clerk)
    row = clerk.attachments.add("households", h.id, _photo(size=(400, 200), orientation=6), "侧拍.jpg", kind="入户照片")
    assert (row.width, row.height) == (200, 400)


def test_a_file_over_25_mb_is_refused_before_it_is_read_naming_the_file(clerk, tmp_path):
    h = _household(clerk)
    big = tmp_path / "残疾证.jpg"
    with big.open("wb") as f:
        f.truncate(25 * 1024 * 1024 + 1)
    with pytest.raises(InvalidInput) as exc:
        clerk.attachments.add("households", h.id, big, kind="残疾证")
    assert str(exc.value) == "残疾证.jpg 超过 25 MB，无法作为附件（请先缩小或分页扫描）。"
    assert clerk.attachments.list_for("households", h.id) == []


def test_a_pdf_over_5_mb_is_refused_naming_the_file(clerk):
    h = _household(clerk)
    pdf = b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)
    with pytest.raises(InvalidInput, match=r"^病历扫描\.pdf 超过 5 MB"):
        clerk.attachments.add("households", h.id, pdf, "病历扫描.pdf", kind="病历")


def test_a_file_that_is_not_an_image_or_pdf_is_refused_whatever_its_name(clerk):
    h = _household(clerk)
    with pytest.raises(InvalidInput, match=r"^证明\.jpg 不是图片或 PDF 文件"):
        clerk.attachments.add("households", h.id, b"PK\x03\x04 a zip pretending to be a photo", "证明.jpg")
    with pytest.raises(InvalidInput, match=r"^坏图\.png 的图片内容已损坏"):
        clerk.attachments.add("households", h.id, b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "坏图.png")
    assert clerk.db.scalar("SELECT count(*) FROM attachment_blobs") == 0


def test_a_pdf_is_kept_byte_for_byte_with_its_page_count(clerk):
    h = _household(clerk)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >> endobj\n2 0 obj << /Type /Page >>\n"
    row = clerk.attachments.add("households", h.id, pdf, "证明.pdf")
    assert row.media_type == "application/pdf" and _stored(clerk, row) == pdf
    assert att.pdf_pages(_stored(clerk, row)) == 2


def test_a_transparent_png_stays_png_and_a_line_art_scan_is_kept_sharp(clerk):
    h = _household(clerk)
    logo = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    logo.paste((200, 0, 0, 255), (50, 50, 250, 250))
    buf = io.BytesIO()
    logo.save(buf, "PNG")
    row = clerk.attachments.add("households", h.id, buf.getvalue(), "印章.png")
    assert row.media_type == "image/png"
    assert Image.open(io.BytesIO(_stored(clerk, row))).mode == "RGBA"

    scan = Image.new("1", (1700, 2200), 1)
    for y in range(100, 2100, 40):
        scan.paste(0, (100, y, 1600, y + 3))
    buf = io.BytesIO()
    scan.save(buf, "TIFF")
    row = clerk.attachments.add("households", h.id, buf.getvalue(), "证明.tif")
    assert row.media_type == "image/png"
    assert len(_stored(clerk, row)) < 200_000


def test_identical_bytes_are_stored_once(clerk):
    h = _household(clerk)
    photo = _photo(size=(800, 600))
    a = clerk.attachments.add("households", h.id, photo, "一.jpg")
    b = clerk.attachments.add("households", h.id, photo, "二.jpg", kind="入户照片")
    assert a.sha256 == b.sha256 and a.id != b.id
    assert clerk.db.scalar("SELECT count(*) FROM attachment_blobs") == 1
    assert len(clerk.attachments.list_for_household(h.id)) == 2


def test_attachments_of_a_member_a_visit_and_a_step_belong_to_the_household(clerk):
    h = _household(clerk)
    [m] = clerk.households.get(h.id)[1]
    v = clerk.visits.record(Visit(household_id=h.id, visit_date=date.today(), visitors="王经办、李主任"))
    photo = _photo(size=(300, 200), gps=False)
    clerk.attachments.add("members", m.id, photo, "残疾证.jpg", kind="残疾证")
    clerk.attachments.add("visits", v.id, photo, "院子.jpg", kind="入户照片")
    views = clerk.attachments.list_for_household(h.id)
    assert {(x.attachment.subject_table, x.attachment.household_id) for x in views} == {
        ("members", h.id),
        ("visits", h.id),
    }
    assert {x.subject for x in views} == {"马学军", f"入户核查 {date.today().isoformat()}"}
    assert [x.attachment.file_name for x in clerk.attachments.list_for("members", m.id)] == ["残疾证.jpg"]
    with pytest.raises(NotFound, match="没有找到要添加附件的入户核查记录"):
        clerk.attachments.add("visits", "no-such-visit", photo, "x.jpg")


def test_remove_needs_a_reason_leaves_a_tombstone_and_is_audited(clerk):
    h = _household(clerk)
    row = clerk.attachments.add("households", h.id, _photo(size=(300, 200)), "错传.jpg")
    with pytest.raises(InvalidInput, match="删除附件需写明原因"):
        clerk.attachments.remove(row.id, "  ")
    clerk.attachments.remove(row.id, "传错了户", read_version=row.updated_at)
    assert clerk.attachments.list_for("households", h.id) == []
    assert clerk.store.repo(Attachment).get(row.id).deleted
    actions = [a for (a,) in clerk.db.query("SELECT action FROM audit_log WHERE row_id = ? ORDER BY seq", (row.id,))]
    assert actions == ["添加附件：错传.jpg", "删除附件：传错了户"]
    with pytest.raises(NotFound):
        clerk.attachments.data(row.id)


def test_a_remove_on_an_old_read_is_refused(clerk):
    h = _household(clerk)
    row = clerk.attachments.add("households", h.id, _photo(size=(300, 200)), "一.jpg")
    clerk.attachments.describe(row.id, note="第一页", read_version=row.updated_at)
    with pytest.raises(ChangedMeanwhile):
        clerk.attachments.remove(row.id, "重复", read_version=row.updated_at)


def test_row_and_blob_are_written_in_one_transaction(clerk, monkeypatch):
    h = _household(clerk)

    def broken_save(*_args, **_kw):
        raise RuntimeError("disk full after the blob")

    monkeypatch.setattr(clerk.store, "save", broken_save)
    with pytest.raises(RuntimeError):
        clerk.attachments.add("households", h.id, _photo(size=(300, 200)), "一.jpg")
    monkeypatch.undo()
    assert clerk.db.scalar("SELECT count(*) FROM attachment_blobs") == 0
    assert clerk.db.scalar("SELECT count(*) FROM attachments") == 0


def test_a_reader_may_look_but_only_register_writers_may_add(office):
    admin, _code, data_dir = office
    from app.services.office import open_session

    admin.users.add("county1", "county", "county-pass-2021", display_name="县局")
    h = _household(admin)
    county = open_session(data_dir, "county1", "county-pass-2021")
    try:
        with pytest.raises(PermissionDenied):
            county.attachments.add("households", h.id, _photo(size=(300, 200)), "一.jpg")
        assert county.attachments.list_for_household(h.id) == []
    finally:
        county.close()


def test_damaged_content_is_refused_on_view_and_found_by_check(clerk):
    h = _household(clerk)
    row = clerk.attachments.add("households", h.id, _photo(size=(300, 200)), "残疾证.jpg", kind="残疾证")
    assert blobs.blob_problems(clerk.db) == []
    with clerk.db.transaction():
        clerk.db.execute("UPDATE attachment_blobs SET data = ? WHERE sha256 = ?", (b"\xff\xd8\xffbroken", row.sha256))
    with pytest.raises(DatabaseCorrupt, match=r"残疾证\.jpg"):
        clerk.attachments.data(row.id)
    [problem] = blobs.blob_problems(clerk.db)
    assert "残疾证.jpg" in problem and "已损坏" in problem


def test_export_writes_the_chosen_file_and_audits_it(clerk, tmp_path):
    h = _household(clerk)
    row = clerk.attachments.add("households", h.id, _photo(size=(300, 200)), "证明.jpg")
    out = clerk.attachments.export(row.id, tmp_path / "导出.jpg")
    assert out.read_bytes() == clerk.attachments.data(row.id)
    assert clerk.db.scalar("SELECT action FROM audit_log WHERE row_id = ? ORDER BY seq DESC LIMIT 1", (row.id,)) == (
        "导出附件"
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    w=st.integers(1, 3000),
    h=st.integers(1, 3000),
    fmt=st.sampled_from(["JPEG", "PNG", "WEBP", "BMP", "TIFF"]),
    mode=st.sampled_from(["RGB", "L", "RGBA", "P"]),
)
def test_any_picture_comes_out_within_the_limits_and_without_metadata(w, h, fmt, mode):
    if fmt == "JPEG" and mode in ("RGBA", "P"):
        mode = "RGB"
    img = Image.new(mode, (w, h))
    buf = io.BytesIO()
    img.save(buf, fmt)
    p = att.prepare(buf.getvalue(), "x")
    out = Image.open(io.BytesIO(p.data))
    assert max(out.size) <= att.MAX_SIDE and out.size == (p.width, p.height)
    # Only a shrink, never a change of shape beyond rounding.
    assert abs(out.size[0] * h - out.size[1] * w) <= max(w, h)
    assert not out.getexif() and p.sha256 == blobs.sha256_of(p.data)
    assert max(Image.open(io.BytesIO(p.thumbnail)).size) <= att.THUMB_SIDE
