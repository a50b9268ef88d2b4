"""Logs leave the office in bug reports, so every ID number, phone, account and known name in them is masked."""

import logging
import os
import stat

import pytest

from app.logs import IdNumberFilter, PersonalDataFilter, mask_id_numbers, mask_personal_data, setup_logging


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
        ("bank 6222021234567890123", "bank 6222021234567890123"),  # 19 digits: not an ID (see below)
        ("", ""),
    ],
)
def test_mask_id_numbers(text, expected):
    assert mask_id_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("phone 13912345678 ok", "phone 139****5678 ok"),
        ("tel:+8615812345678", "tel:+86158****5678"),
        ("landline 09515012345 stays", "landline 09515012345 stays"),  # not a mobile: not recognised
        ("bank 6222021234567890123", "bank ***************0123"),
        ("card 6222021234567890", "card ************7890"),
        ("twenty 12345678901234567890 digits", "twenty 12345678901234567890 digits"),  # no account is 20 long
        ("id 640424197001011234", "id 640424********1234"),
        ("name=马学军 village=岗坪村", "name=马** village=岗坪村"),
        ('{"head_name": "海秀兰", "bank_account": "6222 0212"}', '{"head_name": "海**", "bank_account": "6*** 0212"}'),
        ("'carer_name': '禹建国', 'phone': '13800001111'", "'carer_name': '禹**', 'phone': '*******1111'"),
        ("filename=office.db username=clerk1", "filename=office.db username=clerk1"),
        ("马学军 in free text is not recognised", "马学军 in free text is not recognised"),
    ],
)
def test_mask_personal_data(text, expected):
    assert mask_personal_data(text) == expected


def test_filter_masks_known_fields_in_argument_mappings_and_extras():
    f = PersonalDataFilter()
    rec = _record("saved %(name)s, phone %(phone)s, %(n)d members", {"name": "马学军", "phone": "13912345678", "n": 3})
    rec.bank_account = "6222021234567890123"
    f.filter(rec)
    assert rec.getMessage() == "saved 马**, phone *******5678, 3 members"
    assert rec.bank_account == "***************0123"


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
            log.info("visit %d for 640424197001011234, phone 13912345678", i)
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
        assert "13912345678" not in text and "139****5678" in text
        if os.name == "posix":  # a shared PC has other accounts: owner-only folder and files
            assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700
            assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
    finally:
        setup_logging(tmp_path / "after")  # replace handlers (no duplicates), then drop them
        from app import logs

        for h in logs._installed:
            logging.getLogger().removeHandler(h)
            h.close()
        logs._installed.clear()
