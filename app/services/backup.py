"""Backups of the office and restoring one (DESIGN.md §7 and §9; issue 8 item 4).

The register is a township's only copy of its casework, so a backup must be a copy that can be
trusted blind: taken through SQLite's online backup API (a consistent snapshot while clerks keep
working), still encrypted under the same key, checked by opening it before it is given its name.

One backup is one folder, ``doudi-<office code>-<YYYYmmdd-HHMMSS>/``, holding ``office.db``, the
key-slot file(s) of the office and ``manifest.json`` (office, time, schema version, audit chain
head, SHA-256 of each file). A folder is written under a hidden temporary name and renamed into
place when complete, so a half-written backup never looks like one.

Restoring checks the manifest's hashes, copies the backup beside the target and opens that copy
with the key before anything is replaced; the office it replaces is moved aside
(``<data>.before-restore-<time>``), never deleted.

Where automatic backups go and when the last one was made belong to this PC (the folder may be a
USB stick's), so they are kept in a small file in the data folder, ``backup-state.json``, not in
the database: a restored or copied database must not carry another PC's folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..db import device_secret
from ..db.database import Database
from ..db.keyslots import KeySlotFile
from ..db.private_files import private_dir, restrict, sync_dir, write_atomic
from ..db.schema import current_version
from ..errors import DatabaseCorrupt, DeviceSecretMissing, DoudiError, InvalidInput, StorageProblem
from .anchors import MANIFEST_KEY, chain_head, record_anchor
from .base import Service
from .office_files import DB_NAME, SLOTS_NAME, load_office

FORMAT = "doudi-backup"
VERSION = 1
MANIFEST = "manifest.json"
STATE_NAME = "backup-state.json"
DEFAULT_FOLDER = "backups"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
# An automatic backup is due at sign-in when the last one is older than this.
DAILY = timedelta(days=1)
# The dashboard warns when the last backup is older than this.
STALE_AFTER = timedelta(days=7)
STAMP = "%Y%m%d-%H%M%S"
# "-2", "-3" …: a second backup within the same second. A pre-upgrade backup's longer name does not
# match, so rotation never removes it.
_NAME = re.compile(r"^doudi-(?P<office>[0-9A-Za-z]+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?$")

ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    created_at: datetime
    manifest: dict[str, Any]


@dataclass(frozen=True)
class RestoreResult:
    data_dir: Path
    # Where the office that was replaced now lies; None when the target held none.
    aside: Path | None
    office_code: str
    # Restored with the recovery code on a PC without the device secret: the users' passwords do
    # not open it here until someone runs ``doudi recover``.
    needs_recover: bool


# --- the state file: the chosen folder and the last backup, per PC ------------------------


def _state_path(data_dir: Path) -> Path:
    return Path(data_dir) / STATE_NAME


def _read_state(data_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads(_state_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_state(data_dir: Path, state: dict[str, Any]) -> None:
    write_atomic(_state_path(data_dir), json.dumps(state, ensure_ascii=False, indent=2).encode())


def backup_folder(data_dir: Path | str) -> Path:
    """Where automatic backups and 立即备份 go: the folder chosen in Settings, else ``<data>/backups``."""
    chosen = _read_state(Path(data_dir)).get("folder")
    return Path(chosen) if chosen else Path(data_dir) / DEFAULT_FOLDER


def set_backup_folder(data_dir: Path | str, folder: Path | str | None) -> None:
    """Choose the backup folder (None: back to the default under the data folder)."""
    state = _read_state(Path(data_dir))
    state["folder"] = str(Path(folder).resolve()) if folder else None
    _write_state(Path(data_dir), state)


def last_backup(data_dir: Path | str) -> tuple[datetime, Path] | None:
    """When and where the last backup of this office was made on this PC, or None."""
    last = _read_state(Path(data_dir)).get("last")
    if not isinstance(last, dict):
        return None
    try:
        return datetime.fromisoformat(last["at"]), Path(last["path"])
    except (TypeError, KeyError, ValueError):
        return None


def _record_last(data_dir: Path, at: datetime, path: Path) -> None:
    state = _read_state(data_dir)
    state["last"] = {"at": at.isoformat(timespec="seconds"), "path": str(path)}
    with contextlib.suppress(OSError):  # the backup exists; only the reminder would be wrong
        _write_state(data_dir, state)


def backup_due(data_dir: Path | str, now: datetime) -> bool:
    last = last_backup(data_dir)
    return last is None or now - last[0] >= DAILY


def backup_stale(last: datetime | None, now: datetime) -> bool:
    return last is None or now - last > STALE_AFTER


# --- rotation: a pure choice -----------------------------------------------------------


def choose_kept(
    stamps: Iterable[datetime], daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY, monthly: int = KEEP_MONTHLY
) -> set[datetime]:
    """Which backups to keep: the newest of each of the last *daily* days that have one, of the
    last *weekly* ISO weeks and of the last *monthly* months (as borg and restic prune)."""
    ordered = sorted(set(stamps), reverse=True)
    kept: set[datetime] = set()
    rules: list[tuple[int, Callable[[datetime], tuple[int, ...]]]] = [
        (daily, lambda t: (t.year, t.month, t.day)),
        (weekly, lambda t: tuple(t.isocalendar())[:2]),
        (monthly, lambda t: (t.year, t.month)),
    ]
    for count, period in rules:
        seen: set[tuple[int, ...]] = set()
        for t in ordered:
            if len(seen) >= count:
                break
            if period(t) not in seen:
                seen.add(period(t))
                kept.add(t)
    return kept


def _backups_in(folder: Path, office_code: str) -> dict[datetime, Path]:
    found: dict[datetime, Path] = {}
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        m = _NAME.match(entry.name)
        if m and m["office"] == office_code and entry.is_dir():
            stamp = datetime.strptime(m["stamp"], STAMP) + timedelta(microseconds=int(m["n"] or 0))
            found[stamp] = entry
    return found


def rotate(folder: Path, office_code: str) -> list[Path]:
    """Remove the backups of *office_code* in *folder* that the rotation does not keep."""
    found = _backups_in(folder, office_code)
    kept = choose_kept(found)
    removed = []
    for stamp, path in sorted(found.items()):
        if stamp not in kept:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


# --- writing a backup ----------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def slot_files(data_dir: Path) -> list[Path]:
    """The key-slot file and any second copy of it (not their lock or temporary files)."""
    stem = Path(SLOTS_NAME).stem
    return sorted(
        p
        for p in Path(data_dir).glob(f"{stem}*")
        if p.is_file() and not p.name.endswith((".lock", ".tmp")) and not p.name.startswith(".")
    )


def write_backup(
    db: Database,
    data_dir: Path | str,
    dest: Path | str,
    *,
    now: datetime | None = None,
    progress: ProgressFn | None = None,
    suffix: str = "",
) -> BackupResult:
    """Back the office up into a new folder under *dest*; returns where it went.

    *db* is any keyed connection to the office (a reader does: the backup API reads a snapshot).
    """
    data_dir, dest = Path(data_dir), Path(dest)
    now = (now or datetime.now()).replace(microsecond=0)
    office = load_office(db)
    name = f"doudi-{office.code}-{now.strftime(STAMP)}{suffix}"
    try:
        private_dir(dest)
        final = dest / name
        n = 2
        while final.exists():  # two backups in one second (a test, a double click)
            final = dest / f"{name}-{n}"
            n += 1
        for stale in dest.glob(f".doudi-{office.code}-*.tmp"):
            shutil.rmtree(stale, ignore_errors=True)  # a backup cut short (the program killed at close)
        tmp = dest / f".{final.name}.tmp"
        private_dir(tmp)
    except OSError as exc:
        raise StorageProblem(f"无法在备份文件夹 {dest} 中写入：{exc.strerror or exc}。") from None
    try:
        head = chain_head(db)  # of exactly the snapshot copied below
        version = current_version(db)
        db.backup_to(tmp / DB_NAME, progress)
        for src in slot_files(data_dir):
            write_atomic(tmp / src.name, src.read_bytes())
        names = [DB_NAME] + [p.name for p in slot_files(data_dir)]
        files = {n: {"sha256": _sha256(tmp / n), "size": (tmp / n).stat().st_size} for n in names}
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "office_code": office.code,
            "office_name": office.name,
            "created_at": now.astimezone().isoformat(),
            "schema_version": version,
            MANIFEST_KEY: {"seq": head.seq, "hash": head.hash},
            "files": files,
        }
        write_atomic(tmp / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
        for p in tmp.iterdir():
            restrict(p)
        os.rename(tmp, final)
        sync_dir(dest)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise StorageProblem(f"无法把备份写入 {dest}：{exc.strerror or exc}。") from None
        raise
    _record_last(data_dir, now, final)
    # The data folder keeps its own list of anchors too; a backup carried away keeps its copy.
    record_anchor(data_dir, head, f"备份 {final.name}")
    return BackupResult(final, now, manifest)


def before_upgrade_backup(db: Database, data_dir: Path | str) -> Callable[[int, int], BackupResult]:
    """The callback for ``migrate(db, before_upgrade=...)``: back up before a newer program
    changes the schema. The name carries the old version, so rotation never removes it; the
    backup goes where this PC's backups go (Settings), encrypted and verified like any other."""

    def backup(old: int, new: int) -> BackupResult:
        return write_backup(db, data_dir, backup_folder(data_dir), suffix=f"-before-v{new}-from-v{old}")

    return backup


class BackupService(Service):
    """Backups of the signed-in office (any role: the close-of-day backup runs for every user)."""

    def backup_now(
        self, progress: ProgressFn | None = None, folder: Path | None = None, now: datetime | None = None
    ) -> BackupResult:
        data_dir = self.s.paths.data_dir
        dest = folder or backup_folder(data_dir)
        result = write_backup(self.db, data_dir, dest, now=now, progress=progress)
        rotate(dest, result.manifest["office_code"])
        return result

    def backup_if_due(self, now: datetime | None = None) -> BackupResult | None:
        """The once-a-day backup at sign-in: only when the last one is older than a day."""
        now = now or datetime.now()
        if not backup_due(self.s.paths.data_dir, now):
            return None
        return self.backup_now(now=now)

    def set_folder(self, folder: Path | str | None) -> Path:
        """Choose where this PC's backups go (None: the default under the data folder); the folder
        must be one this program can write to, checked now rather than at the next close."""
        data_dir = self.s.paths.data_dir
        if folder:
            try:
                private_dir(Path(folder))
                probe = Path(folder) / f".doudi-probe-{os.getpid()}"
                probe.write_bytes(b"")
                probe.unlink()
            except OSError as exc:
                raise StorageProblem(f"备份文件夹 {folder} 无法写入：{exc.strerror or exc}。") from None
        set_backup_folder(data_dir, folder)
        return backup_folder(data_dir)

    def status(self) -> dict[str, Any]:
        data_dir = self.s.paths.data_dir
        last = last_backup(data_dir)
        return {
            "folder": backup_folder(data_dir),
            "last_at": last[0] if last else None,
            "last_path": last[1] if last else None,
        }


# --- restoring --------------------------------------------------------------------------


def _backup_dir(path: Path) -> Path:
    return path.parent if path.name == MANIFEST else path


def read_manifest(backup: Path | str) -> dict[str, Any]:
    """The manifest of a backup, after checking every file it lists against its SHA-256."""
    folder = _backup_dir(Path(backup))
    where = f"备份 {folder}"
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{where} 中没有清单文件 {MANIFEST}，不是兜底的备份。") from None
    except (OSError, ValueError):
        raise DatabaseCorrupt(f"{where} 的清单文件已损坏；未作任何替换。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInput(f"{where} 不是兜底的备份。")
    files = manifest.get("files")
    if not isinstance(files, dict) or DB_NAME not in files:
        raise DatabaseCorrupt(f"{where} 的清单中没有数据库文件；未作任何替换。")
    for name, info in files.items():
        path = folder / name
        if "/" in name or "\\" in name or not path.is_file():
            raise DatabaseCorrupt(f"{where} 缺少文件 {name}；未作任何替换。")
        if _sha256(path) != info.get("sha256"):
            raise DatabaseCorrupt(f"{where} 中的文件 {name} 与清单不符（已被改动或损坏）；未作任何替换。")
    return manifest


def restore_needs(backup: Path | str) -> str:
    """``"password"`` when this PC holds the device secret of the backed-up office, else ``"recovery"``."""
    folder = _backup_dir(Path(backup))
    slots = _load_slots(folder)
    return "password" if device_secret.load(slots.store_id) is not None else "recovery"


def _load_slots(folder: Path) -> KeySlotFile:
    """The backed-up key slots; a second copy stands in when the first is damaged."""
    first_error: DoudiError | None = None
    for path in [folder / SLOTS_NAME] + [p for p in slot_files(folder) if p.name != SLOTS_NAME]:
        try:
            return KeySlotFile.load(path)
        except DoudiError as exc:
            first_error = first_error or exc
    assert first_error is not None
    raise first_error


def restore(
    backup: Path | str,
    data_dir: Path | str,
    *,
    username: str = "",
    password: str | None = None,
    recovery_code: str | None = None,
    now: datetime | None = None,
) -> RestoreResult:
    """Put a backup in place as the office of *data_dir*, keeping any office there aside."""
    folder = _backup_dir(Path(backup))
    target = Path(data_dir).absolute()
    manifest = read_manifest(folder)
    stamp = (now or datetime.now()).strftime(STAMP)
    staging = target.parent / f".{target.name}.restoring-{stamp}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        private_dir(staging)
        for name in manifest["files"]:
            write_atomic(staging / name, (folder / name).read_bytes())
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise StorageProblem(f"无法在 {target.parent} 中准备恢复：{exc.strerror or exc}。") from None
    try:
        code, needs_recover = _open_staged(
            staging, folder, manifest=manifest, username=username, password=password, recovery_code=recovery_code
        )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    aside = None
    try:
        if target.exists() and any(target.iterdir()):
            aside = target.with_name(f"{target.name}.before-restore-{stamp}")
            os.rename(target, aside)
        elif target.exists():
            target.rmdir()
        os.rename(staging, target)
        sync_dir(target.parent)
    except OSError as exc:
        raise StorageProblem(f"无法把备份放到 {target}：{exc.strerror or exc}。") from None
    if aside is not None:
        # This PC's choice of backup folder and the backups in the default one stay with the office folder.
        for name in (STATE_NAME, DEFAULT_FOLDER):
            if (aside / name).exists() and not (target / name).exists():
                with contextlib.suppress(OSError):
                    os.rename(aside / name, target / name)
    return RestoreResult(target, aside, str(code), needs_recover)


def _open_staged(
    staging: Path,
    folder: Path,
    *,
    manifest: dict[str, Any],
    username: str,
    password: str | None,
    recovery_code: str | None,
) -> tuple[str, bool]:
    """Open the copy about to be put in place with its key; returns its office code and whether
    it was opened with the recovery code on a PC without the device secret."""
    # What was copied is what is checked and what is put in place.
    for name, info in manifest["files"].items():
        if _sha256(staging / name) != info["sha256"]:
            raise StorageProblem(f"复制备份文件 {name} 时出错；未作任何替换。")
    slots = _load_slots(staging)
    needs_recover = False
    if recovery_code is not None:
        key = slots.unlock_recovery(recovery_code)
        needs_recover = device_secret.load(slots.store_id) is None
    else:
        secret = device_secret.load(slots.store_id)
        if secret is None:
            raise DeviceSecretMissing("这台电脑上没有这份备份的设备密钥；请改用恢复码恢复。")
        key = slots.unlock_user(username, password or "", secret)
    db = Database(staging / DB_NAME, key)
    try:
        problems = [r[0] for r in db.query("PRAGMA quick_check") if r[0] != "ok"]
        code = load_office(db).code
    finally:
        db.close()
    if problems:
        raise DatabaseCorrupt(f"备份 {folder} 中的数据库未通过完整性检查：{problems[0]}；未作任何替换。")
    if code != manifest.get("office_code"):
        raise DatabaseCorrupt(f"备份 {folder} 的数据库属于单位 {code}，与清单不符；未作任何替换。")
    return code, needs_recover
