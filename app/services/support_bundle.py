"""The technical-support bundle (``doudi support bundle``, 帮助 → 生成技术支持包…): one zip a clerk can
send to the county's support staff when something fails, holding what they ask first.

Inside: the program's version, schema version and build date; the platform, Python and Qt; the
result of ``doudi check`` (when the password was given — else a line saying it was not run); the
data folder's listing (names and sizes only); and the last lines of the log, masked again
(:mod:`app.services.support_masking`). Never the database, the key slots, the device secret,
backups or passwords: only the listing names them. The zip is written owner-only, all at once.
"""

from __future__ import annotations

import io
import json
import os
import platform
import sys
import zipfile
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..db.private_files import restrict, write_atomic
from ..errors import StorageProblem, os_reason
from .support_masking import mask_support_text

if TYPE_CHECKING:
    from .session import Session

__all__ = ["LOG_LINES", "BundleResult", "check_not_run", "run_check", "write_support_bundle"]

# Log lines put in the bundle: a few sessions' worth, a few hundred KB at most.
LOG_LINES = 500
# The data folder's listing stops here (a backup folder on a USB stick may hold thousands).
LIST_AT_MOST = 2000
LIST_DEPTH = 3
# The files of the log folder whose tail goes in, newest first within each name.
_LOG_NAMES = ("doudi.log", "faulthandler.log")

README = """兜底技术支持包
================

本文件由兜底生成，供县民政局或技术支持人员排查问题。

包含：
- summary.json：程序版本、数据库版本、构建日期、操作系统、Python 和 Qt 版本；
- check.json：数据库检查（doudi check）的结果，或未运行检查的原因；
- files.txt：数据文件夹里的文件名和大小（不含文件内容）；
- log-tail.txt：日志最后几百行。身份证号、手机号、银行账号已遮盖；跟在“姓名”“户主”“成员”“户”
  “申请人”等字样后面的姓名也已遮盖（只留第一个字）。其他位置的姓名可能仍然完整，发送前可以打开看一看。
  数据包编号（如 404bbd12-…）保持完整，便于和县级数据中转站的日志对照。

不包含：数据库、密钥、密钥槽、备份、密码和任何户档案内容。
"""


@dataclass(frozen=True)
class BundleResult:
    path: Path
    check_run: bool
    log_lines: int
    names: list[str]


def run_check(session: Session, data_dir: Path | str) -> dict[str, Any]:
    """What ``doudi check --json`` reports, without recording an anchor (the bundle only looks)."""
    from .integrity import check_report
    from .office_files import key_slot_copy_problems

    report = check_report(session, data_dir, record=False)
    report["key_slot_copy_problems"] = key_slot_copy_problems(Path(data_dir))
    return report


def check_not_run(reason: str) -> dict[str, Any]:
    return {"run": False, "reason": reason}


def _listing(data_dir: Path) -> list[str]:
    """``relative/path<TAB>size`` for the data folder's files, folders first-level deep to LIST_DEPTH."""
    if not data_dir.is_dir():
        return [f"（数据文件夹 {data_dir} 不存在）"]
    lines: list[str] = []
    base_depth = len(data_dir.parts)
    for root, dirs, files in os.walk(data_dir):
        here = Path(root)
        dirs.sort()
        if len(here.parts) - base_depth >= LIST_DEPTH:
            dirs[:] = []
        for name in sorted(files):
            path = here / name
            try:
                size = path.lstat().st_size
            except OSError:
                size = -1
            lines.append(f"{path.relative_to(data_dir).as_posix()}\t{size}")
            if len(lines) >= LIST_AT_MOST:
                lines.append(f"（只列出前 {LIST_AT_MOST} 个文件）")
                return lines
    return lines


def _tail(path: Path, count: int) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return list(deque(f, maxlen=count))
    except OSError:
        return []


def log_tail(log_dir: Path, count: int = LOG_LINES) -> list[str]:
    """The last *count* lines of the log (reaching into the previous rotation when the current one is
    short), then the fault log's tail; every line masked."""
    lines: list[str] = []
    for name in _LOG_NAMES:
        own: list[str] = []
        for n in range(6):  # doudi.log, doudi.log.1, … (newest first)
            if len(own) >= count:
                break
            path = log_dir / (name if n == 0 else f"{name}.{n}")
            if not path.exists():
                break
            own = _tail(path, count - len(own)) + own
        if own:
            lines.append(f"===== {name} =====\n")
            lines += own[-count:]
    return [mask_support_text(line if line.endswith("\n") else line + "\n") for line in lines]


def summary(data_dir: Path, log_dir: Path, qt_version: str = "") -> dict[str, Any]:
    from ..build_info import version_lines

    info = version_lines()
    return {
        "program": "兜底 Doudi",
        "version": info["version"],
        "schema_version": int(info["schema_version"]),
        "build_date": info["build_date"],
        "commit": info["commit"],
        "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "frozen": bool(getattr(sys, "frozen", False)),
        # PySide6's version is the Qt version it ships; the GUI passes Qt's own (qVersion) when it runs.
        "pyside6": _package_version("PySide6-Essentials") or _package_version("PySide6"),
        "qt": qt_version or _package_version("PySide6-Essentials") or _package_version("PySide6"),
        "sqlcipher3": _package_version("sqlcipher3"),
        "data_dir": _home_as_tilde(data_dir),
        "log_dir": _home_as_tilde(log_dir),
    }


def _home_as_tilde(path: Path) -> str:
    """The OS user's name is in their home folder's path; support needs the rest, not the name."""
    try:
        home = Path.home()
        return str(Path("~") / path.relative_to(home)) if path.is_relative_to(home) else str(path)
    except (RuntimeError, ValueError):  # no home folder known
        return str(path)


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def write_support_bundle(
    out: Path | str,
    data_dir: Path | str,
    check: dict[str, Any],
    *,
    log_dir: Path | str | None = None,
    log_lines: int = LOG_LINES,
    qt_version: str = "",
) -> BundleResult:
    """Write the bundle to *out* (a .zip); *check* is :func:`run_check`'s report or :func:`check_not_run`'s."""
    from ..logs import default_log_dir

    out, data_dir = Path(out), Path(data_dir)
    logs = Path(log_dir) if log_dir is not None else default_log_dir()
    tail = log_tail(logs, log_lines)
    check_text = mask_support_text(json.dumps(check, ensure_ascii=False, indent=2, default=str))
    members = {
        "README.txt": README,
        "summary.json": json.dumps(summary(data_dir, logs, qt_version), ensure_ascii=False, indent=2),
        "check.json": check_text,
        "files.txt": mask_support_text("\n".join(_listing(data_dir)) + "\n"),
        "log-tail.txt": "".join(tail) or "（日志文件夹中没有日志）\n",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, text in members.items():
            z.writestr(name, text.encode("utf-8"))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, buffer.getvalue())
        restrict(out)
    except OSError as exc:
        raise StorageProblem(f"无法把技术支持包写入 {out}：{os_reason(exc)}。") from None
    return BundleResult(out, check.get("run", True) is not False, len(tail), list(members))
