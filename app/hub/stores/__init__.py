"""Where the hub keeps package bytes, its mailbox index and the nonces it has seen.

Two stores with one interface: a folder (the default, nothing to install) and PostgreSQL (several
hub processes behind a load balancer, the database's replication keeping the data). The server and
the tests speak only this interface, so both stores pass the same test suite.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from app.errors import InvalidInput

READ_CHUNK = 1 << 20
RESERVATION_TTL_S = 600.0  # an upload in progress refreshes its hold on the quota every minute
NO_LIMIT = 1 << 62


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in Chinese: the system's own words are English."""
    reasons = {
        errno.ENOTDIR: "路径中有一部分是文件而不是文件夹",
        errno.EISDIR: "这是一个文件夹而不是文件",
        errno.ENOENT: "文件或文件夹不存在",
        errno.EACCES: "没有权限",
        errno.EPERM: "没有权限",
        errno.ENOSPC: "磁盘空间已满",
        errno.EROFS: "磁盘是只读的",
        errno.EEXIST: "这里已有一个同名的文件，不是文件夹",
    }
    return reasons.get(exc.errno or 0, f"系统错误 {exc.errno}" if exc.errno else "系统错误")


def pid_alive(pid: int) -> bool:
    """Whether a process of this machine still runs: its spooled upload may still be in progress."""
    if pid == os.getpid() or os.name == "nt":
        # On Windows os.kill(pid, 0) would terminate the process: there, spools are swept by age only.
        return True
    try:
        os.kill(pid, 0)  # signal 0 only asks
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class SameIdOtherBytes(Exception):
    """A package id already stored with other bytes: a second upload must never replace the first."""


@dataclass(frozen=True)
class PackageMeta:
    package_id: str
    sender: str
    receiver: str
    channel_seq: int
    size: int
    sha256: str
    created_at: str
    stored_at: float = 0.0
    acked: bool = False
    # Which PC of the receiving office the payload is encrypted to (its card's fingerprint): the two PCs
    # of one office share a mailbox, and each takes only its own packages (docs/exchange.md, two PCs).
    receiver_fingerprint: str = ""

    def listing(self) -> dict[str, object]:
        return {
            "package_id": self.package_id,
            "sender": self.sender,
            "receiver": self.receiver,
            "channel_seq": self.channel_seq,
            "size": self.size,
            "sha256": self.sha256,
            "created_at": self.created_at,
            "receiver_fingerprint": self.receiver_fingerprint,
            "stored_at": datetime.fromtimestamp(self.stored_at, UTC).isoformat(timespec="milliseconds"),
        }


class HubStore(Protocol):
    kind: str  # "folder" | "postgresql", as /v1/health says
    package_limit: int  # the largest package this store can hold (PostgreSQL: one bytea value)

    def spool_dir(self) -> Path:
        """Where an upload in progress is written (on the store's own disk for the folder store, so the
        final rename is atomic)."""
        ...

    def spool_name(self) -> str:
        """A fresh file name for one upload's spool."""
        ...

    def put(self, meta: PackageMeta, spooled: Path, reservation: str = "") -> bool:
        """Store the spooled file under meta.package_id atomically and consume *spooled* and the quota
        *reservation* with it. True when newly stored, False when the same id with the same digest was
        already there; SameIdOtherBytes else."""
        ...

    def meta(self, package_id: str) -> PackageMeta | None: ...

    def read(self, package_id: str) -> Iterator[bytes]: ...

    def mailbox(self, receiver: str) -> list[PackageMeta]: ...

    def ack(self, package_id: str, receiver: str) -> bool: ...

    def pending_bytes(self, sender: str) -> int:
        """This office's quota use: bytes it sent that their receivers have not acknowledged yet, and
        what it sent to its own other PC until pruned (that PC acknowledges for the same office)."""
        ...

    def reserve(self, reservation: str, sender: str, size: int, quota: int) -> int | None:
        """Hold *size* bytes of the sender's quota for an upload about to arrive, atomically with every
        hub process on this store: None when held, else the bytes in use (stored and held) that leave no
        room. A hold not refreshed for RESERVATION_TTL_S lapses (its hub process died)."""
        ...

    def refresh_reservation(self, reservation: str) -> None: ...

    def release(self, reservation: str) -> None:
        """Give a hold back (the upload failed); put() consumes it when the package is stored."""
        ...

    def use_nonce(self, nonce: str, now: int, window_s: int) -> bool:
        """True the first time a nonce is seen within the window, for every hub process on this store."""
        ...

    def prune(self, now: float, retention_s: float) -> int:
        """Drop acknowledged packages older than the retention time; the number dropped."""
        ...

    def setting(self, name: str) -> str | None: ...

    def set_setting(self, name: str, value: str) -> None: ...

    def close(self) -> None: ...


def open_store(spec: str) -> HubStore:
    """`postgresql://…` opens the PostgreSQL store; anything else is a folder."""
    if spec.startswith(("postgresql://", "postgres://")):
        try:
            from app.hub.stores.postgres import PostgresStore
        except ImportError:  # the frozen program and a plain install leave the driver out
            raise InvalidInput(
                "这个兜底程序没有带 PostgreSQL 驱动：请在中转站机器上用源码安装 pip install 'doudi[postgres]'，"
                "或者用文件夹存储（--store 文件夹路径）。",
                field="store",
            ) from None

        return PostgresStore(spec)
    from app.hub.stores.folder import FolderStore

    return FolderStore(Path(spec))
