"""The office's side of the hub: upload, list, download and acknowledge packages over HTTP.

Every request carries a fresh signed token (app.hub.protocol). Each call is one attempt: a transport
failure becomes HubUnreachable and a refusal HubError with the hub's own sentence, and retrying with
back-off is the caller's choice (the sync service), which knows whether a write is running.
"""

from __future__ import annotations

import hashlib
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.errors import DoudiError
from app.hub import protocol

Progress = Callable[[int, int], None]
CHUNK = 1 << 20
FIRST_ERROR_STATUS = 400
FIRST_SERVER_ERROR = 500
# What OpenSSL says when an https request meets a server that speaks plain http.
_PLAIN_HTTP_SIGNS = ("WRONG_VERSION_NUMBER", "wrong version number", "record layer failure", "PACKET_LENGTH_TOO_LONG")


class HubError(DoudiError):
    """The hub refused a request, or answered something this program cannot read."""

    exit_code = 30

    def __init__(self, message: str, *, status: int = 0, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class HubUnreachable(HubError):
    """No answer: connection refused, name not found, TLS failure or timeout."""

    exit_code = 31


@dataclass(frozen=True)
class MailboxEntry:
    package_id: str
    sender: str
    receiver: str
    channel_seq: int
    size: int
    sha256: str
    created_at: str
    # The PC of the receiving office the package is encrypted to; "" from a hub that does not say.
    receiver_fingerprint: str = ""


class HubClient:
    def __init__(
        self,
        url: str,
        office_code: str,
        signing_key: Ed25519PrivateKey,
        *,
        timeout: float = 30,
        ca_file: Path | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.office_code = office_code
        self._key = signing_key
        # A slow line must not hang a sync forever, but a big package may take minutes: the timeout
        # bounds each read or write of a chunk, not the whole transfer.
        limits = httpx.Timeout(timeout, connect=min(timeout, 10.0))
        # The county's own (often self-signed) certificate, when given, is the only one trusted.
        verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=str(ca_file)) if ca_file else True
        self._http = http_client or httpx.Client(base_url=self.url, timeout=limits, verify=verify)
        self._own_http = http_client is None

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- requests -------------------------------------------------------------------------------

    def _headers(self, method: str, path: str, body_sha256: str = "") -> dict[str, str]:
        token = protocol.make_token(self.office_code, self._key, method, path, body_sha256)
        return {"Authorization": protocol.authorization(token)}

    def _unreachable(self, exc: Exception) -> HubUnreachable:
        if isinstance(exc, httpx.TimeoutException):
            why = "等待应答超时"
        elif isinstance(exc, httpx.ConnectError) and "CERTIFICATE_VERIFY_FAILED" in str(exc):
            why = "中转站的证书无法验证（请管理员在“数据交换”页面用“证书…”导入县里的证书）"
        elif isinstance(exc, httpx.ConnectError) and any(sign in str(exc) for sign in _PLAIN_HTTP_SIGNS):
            why = "这个地址上的服务不使用 HTTPS（地址也许应以 http:// 开头，请与县里核对地址）"
        elif isinstance(exc, httpx.ConnectError):
            why = "连接被拒绝或找不到该地址"
        else:
            why = "网络传输中断"
        return HubUnreachable(f"无法连接县级数据中转站 {self.url}：{why}。")

    def _refusal(self, response: httpx.Response) -> HubError:
        code, message = "", ""
        try:
            body = response.json()
            if isinstance(body, dict):
                code, message = str(body.get("error", "")), str(body.get("message", ""))
        except (ValueError, UnicodeDecodeError, httpx.ResponseNotRead):
            pass
        if not message and response.status_code < FIRST_SERVER_ERROR:
            # Any web server answers 404 to a path it does not know; only the hub says why in its JSON.
            message = f"地址 {self.url} 上的服务不是县级数据中转站（HTTP {response.status_code}），请与县里核对地址。"
        elif not message:
            message = f"县级数据中转站 {self.url} 拒绝了请求（HTTP {response.status_code}）。"
        return HubError(message, status=response.status_code, code=code)

    def _json(self, method: str, path: str, *, auth: bool = True) -> Any:
        headers = self._headers(method, path) if auth else {}
        try:
            response = self._http.request(method, path, headers=headers)
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        if response.status_code >= FIRST_ERROR_STATUS:
            raise self._refusal(response)
        try:
            return response.json()
        except ValueError:
            raise HubError(f"县级数据中转站 {self.url} 的应答无法读取。", status=response.status_code) from None

    # --- the API --------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        body = self._json("GET", protocol.HEALTH_PATH, auth=False)
        if not isinstance(body, dict):
            raise HubError(f"县级数据中转站 {self.url} 的应答无法读取。")
        return body

    def upload(self, package_id: str, data: bytes, progress: Progress | None = None) -> bool:
        """True when the hub stored it now, False when it already held these very bytes."""
        path = protocol.package_path(package_id)
        total = len(data)

        def chunks() -> Iterator[bytes]:
            for start in range(0, total, CHUNK):
                piece = data[start : start + CHUNK]
                yield piece
                if progress:
                    progress(start + len(piece), total)

        headers = self._headers("PUT", path, protocol.body_digest(data))
        headers["Content-Length"] = str(total)
        headers["Content-Type"] = "application/octet-stream"
        try:
            response = self._http.put(path, content=chunks(), headers=headers)
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        if response.status_code >= FIRST_ERROR_STATUS:
            raise self._refusal(response)
        try:
            stored = response.json().get("stored")
        except (ValueError, AttributeError):
            stored = None
        if not isinstance(stored, bool):
            raise HubError(f"县级数据中转站 {self.url} 对上传的应答无法读取。", status=response.status_code)
        return stored

    def mailbox(self) -> list[MailboxEntry]:
        body = self._json("GET", protocol.MAILBOX_PATH)
        try:
            return [
                MailboxEntry(
                    package_id=str(p["package_id"]),
                    sender=str(p["sender"]),
                    receiver=str(p["receiver"]),
                    channel_seq=int(p["channel_seq"]),
                    size=int(p["size"]),
                    sha256=str(p["sha256"]),
                    created_at=str(p["created_at"]),
                    receiver_fingerprint=str(p.get("receiver_fingerprint") or ""),
                )
                for p in body["packages"]
            ]
        except (KeyError, TypeError, ValueError):
            raise HubError(f"县级数据中转站 {self.url} 的收件列表无法读取。") from None

    def download(self, entry: MailboxEntry, progress: Progress | None = None) -> bytes:
        """The package's bytes, checked against the size and digest the mailbox listed."""
        path = protocol.package_path(entry.package_id)
        digest = hashlib.sha256()
        parts: list[bytes] = []
        received = 0
        try:
            with self._http.stream("GET", path, headers=self._headers("GET", path)) as response:
                if response.status_code >= FIRST_ERROR_STATUS:
                    response.read()
                    raise self._refusal(response)
                for piece in response.iter_bytes(CHUNK):
                    received += len(piece)
                    if received > entry.size:
                        break
                    digest.update(piece)
                    parts.append(piece)
                    if progress:
                        progress(received, entry.size)
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        if received != entry.size or digest.hexdigest() != entry.sha256:
            raise HubError(f"从县级数据中转站 {self.url} 下载的数据包 {entry.package_id} 不完整或与清单不符，请重试。")
        return b"".join(parts)

    def ack(self, package_id: str) -> None:
        self._json("POST", protocol.ack_path(package_id))
