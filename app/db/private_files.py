"""Files that hold the office's data are readable by their owner only.

On Linux and macOS the data, log and backup folders are 0700 and their files 0600, whatever the
umask (a shared office PC has other accounts). On Windows the user's profile folder already
keeps other users out, and these calls change nothing. Writes that must never be seen half done
go through :func:`write_atomic`: a temporary file in the same folder, flushed to the disk, then
renamed over the old one (a rename within a folder is atomic).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows, where O_EXCL already refuses a link
_BINARY = getattr(os, "O_BINARY", 0)  # Windows only: no newline translation


def private_dir(path: Path) -> Path:
    """Create *path* (and its parents) if needed, and make it owner-only."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    restrict(path)
    return path


def restrict(path: Path) -> None:
    """Owner-only permissions on an existing file or folder (no-op where POSIX modes do not apply)."""
    if os.name != "posix" or not path.exists():
        return
    with contextlib.suppress(PermissionError):
        os.chmod(path, PRIVATE_DIR if path.is_dir() else PRIVATE_FILE)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace *path* with *data* so that a reader sees the old or the new content, never a mix."""
    # A fresh random name, created exclusively and never through a symlink: a link planted under a
    # guessable temporary name would otherwise carry the register into a file of its owner's choosing,
    # and a stale temporary left by a crash would block saving for ever.
    tmp, fd = _fresh_temporary(path)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_dir(path.parent)


def _fresh_temporary(path: Path, attempts: int = 8) -> tuple[Path, int]:
    """A new temporary file next to *path*, opened for writing; a name already taken is never reused."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY
    for attempt in range(1, attempts + 1):
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            fd = os.open(tmp, flags, PRIVATE_FILE)
        except FileExistsError:
            if attempt == attempts:
                raise
            continue
        return tmp, fd
    raise FileExistsError(path)  # attempts < 1


def sync_dir(path: Path) -> None:
    """Flush a folder's entries (a rename is durable only once its folder is), where the OS allows."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def disable_core_dumps() -> None:
    """No core file after unlock: it would hold the database key and decrypted rows."""
    try:
        import resource
    except ImportError:  # Windows
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
