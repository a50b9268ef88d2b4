"""Rotating log files that never contain a full Chinese ID number.

Every handler that :func:`setup_logging` installs carries an :class:`IdNumberFilter`,
so a record logged anywhere in the program (including its traceback) is masked before it
reaches the disk: ``640424197001011234`` becomes ``640424********1234``.

Handler filters (not logger filters) are used on purpose: a filter on a logger only sees
records logged on that very logger, while a handler filter sees everything that reaches it.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

__all__ = [
    "ID_NUMBER_RE",
    "LOG_FILE_NAME",
    "IdNumberFilter",
    "default_log_dir",
    "mask_id_numbers",
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


class IdNumberFilter(logging.Filter):
    """Masks ID numbers in the message, its arguments, the traceback and the stack info.

    It never drops a record (always returns True); it rewrites it in place so every
    handler and formatter after it sees only the masked text.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad %-format must not lose the record
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = mask_id_numbers(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_id_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_id_numbers(record.stack_info)
        return True


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
    directory = Path(log_dir) if log_dir is not None else default_log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOG_FILE_NAME

    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()

    fmt = logging.Formatter("%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s")
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=True
    )
    handlers: list[logging.Handler] = [file_handler]
    if console:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(fmt)
        handler.addFilter(IdNumberFilter())
        root.addHandler(handler)
        _installed.append(handler)
    root.setLevel(level)
    return path
