"""A hub in memory with the protocol's mailbox rules, for the sync service's tests that need to
switch the network off, spoil a stored package or count acknowledgements; the real hub is tested
against the same service in test_real_hub.py."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from app.exchange.package_file import parse_package
from app.hub.client import HubError, HubUnreachable, MailboxEntry


@dataclass
class Stored:
    data: bytes
    sender: str
    receiver: str
    seq: int
    acked: bool = False


@dataclass
class FakeHub:
    url: str = "http://127.0.0.1:8765"
    down: bool = False
    packages: dict[str, Stored] = field(default_factory=dict)
    acks: list[str] = field(default_factory=list)
    uploads: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)

    def client(self, url: str, office_code: str, _key: object, _ca_file: object = None) -> FakeClient:
        return FakeClient(self, url, office_code)

    def waiting_for(self, code: str) -> list[str]:
        return [pid for pid, p in self.packages.items() if p.receiver == code and not p.acked]

    def spoil(self, package_id: str) -> None:
        """Flip a byte of the encrypted data: the hub lists it as stored, the receiver refuses it."""
        p = self.packages[package_id]
        data = bytearray(p.data)
        data[-10] ^= 0xFF
        p.data = bytes(data)


class FakeClient:
    def __init__(self, hub: FakeHub, url: str, office_code: str) -> None:
        self.hub, self.url, self.office = hub, url, office_code

    def _check(self) -> None:
        if self.hub.down:
            raise HubUnreachable(f"无法连接县级数据中转站 {self.url}：连接被拒绝或找不到该地址。")

    def close(self) -> None:
        pass

    def health(self) -> dict[str, object]:
        self._check()
        return {"status": "ok"}

    def upload(self, package_id: str, data: bytes, progress=None) -> bool:
        self._check()
        manifest = parse_package(data, source=package_id).manifest
        if manifest["sender"]["code"] != self.office:
            raise HubError("发送单位与身份令牌不符。", status=403)
        if progress:
            progress(len(data), len(data))
        self.hub.uploads.append(package_id)
        if package_id in self.hub.packages:
            return False
        self.hub.packages[package_id] = Stored(
            data, self.office, manifest["receiver"]["code"], int(manifest["channel_seq"])
        )
        return True

    def mailbox(self) -> list[MailboxEntry]:
        self._check()
        return [
            MailboxEntry(
                pid, p.sender, p.receiver, p.seq, len(p.data), hashlib.sha256(p.data).hexdigest(), "2026-11-30"
            )
            for pid, p in self.hub.packages.items()
            if p.receiver == self.office and not p.acked
        ]

    def download(self, entry: MailboxEntry, progress=None) -> bytes:
        self._check()
        data = self.hub.packages[entry.package_id].data
        self.hub.downloads.append(entry.package_id)
        if progress:
            progress(len(data) // 2, len(data))
            progress(len(data), len(data))
        return data

    def ack(self, package_id: str) -> None:
        self._check()
        self.hub.packages[package_id].acked = True
        self.hub.acks.append(package_id)
