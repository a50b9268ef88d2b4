"""The files of an office beside its database, and the rules for its passwords.

The back-off state after failed sign-ins sits here too: it must work before the database can be
opened.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from ..db.database import Database
from ..domain.entities import Office

DB_NAME = "office.db"
SLOTS_NAME = "keyslots.json"
LOGIN_STATE_NAME = "login-state.json"
MIN_PASSWORD = 8
# Fewer distinct characters than this ("aaaaaaa1") is refused as too simple.
MIN_DISTINCT_CHARS = 4
# The set-up wizard's strength hint, 0 to MAX_STRENGTH: a point for each length reached and
# for each count of character classes (digit, lower, upper, other) reached.
MAX_STRENGTH = 4
STRENGTH_LENGTHS = (8, 12)
STRENGTH_CLASSES = (2, 3)


@dataclass(frozen=True)
class OfficePaths:
    data_dir: Path

    @property
    def db(self) -> Path:
        return self.data_dir / DB_NAME

    @property
    def slots(self) -> Path:
        return self.data_dir / SLOTS_NAME

    @property
    def login_state(self) -> Path:
        return self.data_dir / LOGIN_STATE_NAME

    def exists(self) -> bool:
        return self.db.exists()


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少需要 {MIN_PASSWORD} 个字符。"
    if len(set(password)) < MIN_DISTINCT_CHARS:
        return "密码太简单（重复字符过多）。"
    return None


def password_strength(password: str) -> int:
    """0–4, for the set-up wizard's hint."""
    if not password:
        return 0
    classes = sum(
        any(f(c) for c in password) for f in (str.isdigit, str.islower, str.isupper, lambda c: not c.isalnum())
    )
    score = sum(len(password) >= n for n in STRENGTH_LENGTHS) + sum(classes >= n for n in STRENGTH_CLASSES)
    return min(MAX_STRENGTH, score) if password_problem(password) is None else min(score, 1)


class LoginThrottle:
    """Back-off after repeated failures: 3 free tries, then 2, 4, 8 … seconds (max 5 minutes).

    The state sits in a small plain file beside the database: it holds user names
    and times only, and it must work before the database can be opened.
    """

    FREE_TRIES = 3
    MAX_DELAY = 300

    def __init__(self, path: Path, clock=time.time):
        self.path, self.clock = path, clock

    def _read(self) -> dict:
        try:
            return json.loads(self.path.read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def _write(self, state: dict) -> None:
        try:
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(state))
            os.replace(tmp, self.path)
        except OSError:
            pass

    def wait_seconds(self, username: str) -> int:
        entry = self._read().get(username)
        if not entry or entry["failures"] < self.FREE_TRIES:
            return 0
        delay = min(2 ** (entry["failures"] - self.FREE_TRIES + 1), self.MAX_DELAY)
        return max(0, int(entry["last"] + delay - self.clock() + 0.999))

    def failed(self, username: str) -> None:
        state = self._read()
        entry = state.get(username, {"failures": 0, "last": 0})
        state[username] = {"failures": entry["failures"] + 1, "last": self.clock()}
        self._write(state)

    def succeeded(self, username: str) -> None:
        state = self._read()
        if state.pop(username, None) is not None:
            self._write(state)


def load_office(db: Database) -> Office:
    meta = dict(db.query("SELECT key, value FROM meta"))
    return Office(
        code=meta.get("office_code", ""),
        name=meta.get("office_name", ""),
        kind=meta.get("office_kind", "township"),
        parent_code=meta.get("office_parent", ""),
    )


def device_secret_storage() -> str:
    """Where this PC keeps the device secret: ``"keyring"`` (the OS credential store) or ``"file"``."""
    from ..db import device_secret

    return device_secret.storage_kind()


def office_code(data_dir: Path | str) -> str:
    """The office code written in the key-slot file, readable before anyone signs in ("" if unreadable)."""
    from ..db.keyslots import KeySlotFile

    try:
        return KeySlotFile.load(OfficePaths(Path(data_dir)).slots).office_code
    except Exception:  # noqa: BLE001 - only for a label; signing in reports real problems
        return ""
