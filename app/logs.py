"""Rotating log files that never hold a full ID number, phone number, bank account or known name.

Logs leave the office in bug reports, so every handler that :func:`setup_logging` installs carries
a :class:`PersonalDataFilter`: a record logged anywhere in the program (its message, arguments,
traceback and stack) is masked before it reaches the disk.

What is masked:

* ID numbers (18 characters, or the old 15 digits): ``640424197001011234`` → ``640424********1234``;
* mobile numbers (11 digits, 1[3-9]…, also after +86): ``13912345678`` → ``139****5678``;
* bank-account-like runs of 16–19 digits: ``6222021234567890123`` → ``***************0123``;
* the values of known personal fields (:data:`PERSONAL_FIELDS`: name, head_name, display_name,
  carer_name, phone, carer_phone, bank_account, id_number, address) wherever they appear as
  ``field=value`` / ``"field": "value"`` in text, as keys of a ``%(field)s`` argument mapping, or
  as ``extra=`` attributes of the record: ``name=马学军`` → ``name=马**``.

What is not masked, and cannot be: a name or address written into free text without its field
(Chinese personal names cannot be told from other words reliably), landline numbers, and digits
glued to other digits (a 20-digit run is left whole rather than cut). So code logs record ids
(uuid7), never people: that is the rule; this filter is the net under it.

The log folder is 0700 and its files 0600 (:mod:`app.db.private_files`): a shared PC has other
accounts. Handler filters (not logger filters) are used on purpose: a filter on a logger only
sees records logged on that very logger, while a handler filter sees everything that reaches it.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "ID_NUMBER_RE",
    "LOG_FILE_NAME",
    "PERSONAL_FIELDS",
    "IdNumberFilter",
    "PersonalDataFilter",
    "default_log_dir",
    "mask_id_numbers",
    "mask_personal_data",
    "open_private",
    "private_log_dir",
    "setup_logging",
]

LOG_FILE_NAME = "doudi.log"

# 18-character resident ID (17 digits + check digit or X) or the old 15-digit form.
# Not preceded or followed by another digit, so longer numbers (bank cards, phone numbers
# glued to other digits) are not cut in the middle.
ID_NUMBER_RE = re.compile(
    r"(?<!\d)(?:(?P<h18>\d{6})\d{8}(?P<t18>\d{3}[\dXx])|(?P<h15>\d{6})\d{5}(?P<t15>\d{4}))(?![\dXx])"
)


def _mask(match: re.Match[str]) -> str:
    if match.group("h18") is not None:
        return f"{match.group('h18')}{'*' * 8}{match.group('t18')}"
    return f"{match.group('h15')}{'*' * 5}{match.group('t15')}"


def mask_id_numbers(text: str) -> str:
    """Mask every ID-number-shaped run of digits, keeping the first 6 and last 4 characters."""
    if not text:
        return text
    return ID_NUMBER_RE.sub(_mask, text)


# The entity fields that hold a person's name, contact or account (app/domain/entities.py).
PERSONAL_FIELDS = frozenset(
    {"name", "head_name", "display_name", "carer_name", "phone", "carer_phone", "bank_account", "id_number", "address"}
)
MOBILE_RE = re.compile(r"(?<!\d)((?:\+?86)?1[3-9]\d)\d{4}(\d{4})(?!\d)")
ACCOUNT_RE = re.compile(r"(?<!\d)\d{12,15}(\d{4})(?!\d)")
# field=value, field: value, "field": "value", 'field': 'value' — the value up to a quote, comma or space.
_FIELD_RE = re.compile(
    r"(?<![\w])(?P<key>" + "|".join(sorted(PERSONAL_FIELDS, key=len, reverse=True)) + r")"
    r"(?P<sep>['\"]?\s*[:=]\s*['\"]?)(?P<value>[^'\",;\s)}\]]+)"
)


# Digits kept at the end of a masked number (as banks print them).
_KEEP_DIGITS = 4


def mask_value(value: str) -> str:
    """A personal value shown by its first character only (马学军 → 马**); digits by their last four."""
    value = str(value)
    if not value:
        return value
    if value.isdigit() and len(value) > _KEEP_DIGITS:
        return "*" * (len(value) - _KEEP_DIGITS) + value[-_KEEP_DIGITS:]
    return value[0] + "*" * (len(value) - 1)


def mask_personal_data(text: str) -> str:
    """ID numbers, mobile and account numbers, and the values of known personal fields, masked."""
    if not text:
        return text
    text = ID_NUMBER_RE.sub(_mask, text)
    text = _FIELD_RE.sub(lambda m: m.group("key") + m.group("sep") + mask_value(m.group("value")), text)
    text = MOBILE_RE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
    return ACCOUNT_RE.sub(lambda m: "*" * (len(m.group(0)) - 4) + m.group(1), text)


def _mask_args(args: Any) -> Any:
    """A ``%(field)s`` mapping with its personal fields masked (the message is masked after formatting)."""
    if isinstance(args, Mapping):
        return {k: mask_value(v) if k in PERSONAL_FIELDS and v is not None else v for k, v in args.items()}
    return args


class PersonalDataFilter(logging.Filter):
    """Masks personal data in the message, its arguments, ``extra`` fields, the traceback and the stack.

    It never drops a record (always returns True); it rewrites it in place so every
    handler and formatter after it sees only the masked text.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, Mapping):
            record.args = _mask_args(record.args)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad %-format must not lose the record
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = mask_personal_data(message)
        record.args = None
        for key in (PERSONAL_FIELDS - {"name"}) & record.__dict__.keys():  # record.name is the logger's
            value = record.__dict__[key]
            if value is not None:
                setattr(record, key, mask_value(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True


# The old name: the filter once masked ID numbers only.
IdNumberFilter = PersonalDataFilter


def private_log_dir(log_dir: str | Path | None = None) -> Path:
    """The log folder (default :func:`default_log_dir`), created owner-only (0700)."""
    from .db.private_files import private_dir

    return private_dir(Path(log_dir) if log_dir is not None else default_log_dir())


def open_private(path: str | Path, encoding: str | None = "utf-8", errors: str | None = None) -> io.TextIOWrapper:
    """*path* opened for appending text, created owner-only (0600) whatever the umask."""
    from .db.private_files import restrict

    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    restrict(Path(path))  # an older file made before this rule
    return os.fdopen(fd, "a", encoding=encoding, errors=errors)


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Each log file (the current one and every rotation) is created owner-only, whatever the umask."""

    def _open(self) -> io.TextIOWrapper:
        return open_private(self.baseFilename, self.encoding, self.errors)


def default_log_dir() -> Path:
    """The per-user log folder (``platformdirs.user_log_dir("doudi")``), never the program folder."""
    import platformdirs

    return Path(platformdirs.user_log_dir("doudi", appauthor=False))


_installed: list[logging.Handler] = []


def setup_logging(
    log_dir: str | Path | None = None,
    *,
    level: int = logging.INFO,
    max_bytes: int = 2 * 1024 * 1024,
    backup_count: int = 5,
    console: bool = False,
) -> Path:
    """Send the root logger to a rotating ``doudi.log`` in *log_dir*; returns the log file path.

    Calling it again replaces the handlers it installed before (no duplicate lines).
    """
    from .db.private_files import restrict

    directory = private_log_dir(log_dir)
    path = directory / LOG_FILE_NAME
    for old in directory.glob(LOG_FILE_NAME + "*"):
        restrict(old)  # rotations written before files were made owner-only

    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()

    fmt = logging.Formatter("%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s")
    file_handler = _PrivateRotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=True
    )
    handlers: list[logging.Handler] = [file_handler]
    if console:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(fmt)
        handler.addFilter(PersonalDataFilter())
        root.addHandler(handler)
        _installed.append(handler)
    root.setLevel(level)
    return path
