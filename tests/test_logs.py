"""Logs leave the office in bug reports, so every ID number in them must be masked."""

import logging

import pytest

from app.logs import IdNumberFilter, mask_id_numbers, setup_logging


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("640424197001011234", "640424********1234"),
        ("身份证号640424197001011230X", "身份证号640424197001011230X"),  # 19 chars: not an ID
        ("id=64042419700101123X;", "id=640424********123X;"),
        ("lower 64042419700101123x end", "lower 640424********123x end"),
        ("old 640424700101123 ok", "old 640424*****1123 ok"),
        ("two 640424197001011234,640424198002022345", "two 640424********1234,640424********2345"),
        ("phone 13912345678 and 17 digits 12345678901234567", "phone 13912345678 and 17 digits 12345678901234567"),
        ("bank 6222021234567890123", "bank 6222021234567890123"),  # 19 digits
        ("", ""),
    ],
)
def test_mask_id_numbers(text, expected):
    assert mask_id_numbers(text) == expected


def test_example_from_the_design():
    assert mask_id_numbers("640424197001011230X"[:17] + "X") == "640424********123X"


def _record(msg, *args, exc_info=None):
    return logging.LogRecord("t", logging.INFO, __file__, 1, msg, args, exc_info)


def test_filter_masks_message_args_and_traceback():
    f = IdNumberFilter()
    rec = _record("enrolled %s (%d members)", "640424197001011234", 3)
    assert f.filter(rec) is True
    assert rec.getMessage() == "enrolled 640424********1234 (3 members)"
    try:
        raise ValueError("duplicate 640424197001011234")
    except ValueError:
        import sys

        rec = _record("failed", exc_info=sys.exc_info())
    f.filter(rec)
    assert "640424********1234" in rec.exc_text and "640424197001011234" not in rec.exc_text


def test_rotating_log_file_is_masked(tmp_path):
    path = setup_logging(tmp_path, max_bytes=2000, backup_count=2)
    try:
        log = logging.getLogger("app.services.test")
        for i in range(100):
            log.info("visit %d for 640424197001011234", i)
        try:
            raise RuntimeError("bad 64042419700101123X")
        except RuntimeError:
            log.exception("oops")
        for handler in logging.getLogger().handlers:
            handler.flush()
        files = sorted(tmp_path.glob("doudi.log*"))
        assert path in files and len(files) == 3  # rotated, backups capped
        text = "".join(p.read_text(encoding="utf-8") for p in files)
        assert "640424********1234" in text
        assert "640424197001011234" not in text and "64042419700101123X" not in text
        assert "640424********123X" in text
    finally:
        setup_logging(tmp_path / "after")  # replace handlers (no duplicates), then drop them
        from app import logs

        for h in logs._installed:
            logging.getLogger().removeHandler(h)
            h.close()
        logs._installed.clear()
