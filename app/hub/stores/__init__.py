"""Where the hub keeps package bytes, its mailbox index and the nonces it has seen.

Two stores with one interface: a folder (the default, nothing to install) and PostgreSQL (several
hub processes behind a load balancer, the database's replication keeping the data). The server and
the tests speak only this interface, so both stores pass the same test suite.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from app.errors import InvalidInput

READ_CHUNK = 1 << 20


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

    def spool_dir(self) -> Path:
        """Where an upload in progress is written (on the store's own disk for the folder store, so the
        final rename is atomic)."""
        ...

    def spool_name(self) -> str:
        """A fresh file name for one upload's spool."""
        ...

    def put(self, meta: PackageMeta, spooled: Path) -> bool:
        """Store the spooled file under meta.package_id atomically and consume *spooled*. True when newly
        stored, False when the same id with the same digest was already there; SameIdOtherBytes else."""
        ...

    def meta(self, package_id: str) -> PackageMeta | None: ...

    def read(self, package_id: str) -> Iterator[bytes]: ...

    def mailbox(self, receiver: str) -> list[PackageMeta]: ...

    def ack(self, package_id: str, receiver: str) -> bool: ...

    def pending_bytes(self, sender: str) -> int:
        """Bytes this office has sent that their receivers have not acknowledged yet (its quota use)."""
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
