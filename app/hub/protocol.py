"""The hub's wire protocol in one place: paths, limits and the signed request token.

Client and server both build and read tokens here, so the bytes one signs are the bytes the other
checks (docs/hub.md §Token). A token proves which office's PC made this very request, for this
method, path and body, within a few minutes; the hub keeps its nonces so it works only once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.exchange.canonical import canonical_json
from app.exchange.keys import signature_holds

API = "/v1"
HEALTH_PATH = f"{API}/health"
MAILBOX_PATH = f"{API}/mailbox"
TOKEN_SCHEME = "Doudi"
TOKEN_WINDOW_S = 300  # a token older or newer than this is refused; nonces are kept twice as long
NONCE_HEX = 32
MAX_TOKEN_CHARS = 4096
# uuid7 in its usual spelling, or any short id of letters, digits, '-' and '_': nothing that could
# name another folder or a file outside the store.
PACKAGE_ID_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$")
CLAIM_KEYS = frozenset({"office", "key", "method", "path", "body_sha256", "time", "nonce"})
_NONCE_RE = re.compile(r"^[0-9a-f]{32}$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def package_path(package_id: str) -> str:
    return f"{API}/packages/{package_id}"


def ack_path(package_id: str) -> str:
    return f"{API}/packages/{package_id}/ack"


def valid_package_id(package_id: str) -> bool:
    return bool(PACKAGE_ID_RE.match(package_id))


def sign_public_of(key: Ed25519PrivateKey) -> str:
    """The key's public half in the form cards and offices files use (standard base64)."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64url(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(str(exc)) from exc


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def make_token(
    office: str,
    key: Ed25519PrivateKey,
    method: str,
    path: str,
    body_sha256: str = "",
    *,
    now: float | None = None,
    nonce: str | None = None,
) -> str:
    claims = {
        "office": office,
        "key": sign_public_of(key),
        "method": method.upper(),
        "path": path,
        "body_sha256": body_sha256,
        "time": int(time.time() if now is None else now),
        "nonce": nonce if nonce is not None else os.urandom(NONCE_HEX // 2).hex(),
    }
    signed = canonical_json(claims)
    return f"{_b64url(signed)}.{_b64url(key.sign(signed))}"


def authorization(token: str) -> str:
    return f"{TOKEN_SCHEME} {token}"


class TokenRefused(Exception):
    """Why a request's token is not accepted: one Chinese sentence for the 401 answer."""


@dataclass(frozen=True)
class Token:
    office: str
    key: str
    method: str
    path: str
    body_sha256: str
    time: int
    nonce: str


def read_token(header: str | None) -> Token:
    """The claims of a well-formed, self-consistently signed token; who may use it is the server's
    question (the key must also be the office's, in the offices file)."""
    if not header:
        raise TokenRefused("请求没有带身份令牌，中转站不予受理。")
    scheme, _, token = header.partition(" ")
    if scheme != TOKEN_SCHEME or not token or len(token) > MAX_TOKEN_CHARS:
        raise TokenRefused("请求的身份令牌格式不对，中转站不予受理。")
    first, dot, second = token.strip().partition(".")
    try:
        signed, signature = _unb64url(first), _unb64url(second)
        claims: Any = json.loads(signed.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise TokenRefused("请求的身份令牌无法读取，中转站不予受理。") from None
    if not dot or not isinstance(claims, dict) or set(claims) != CLAIM_KEYS or canonical_json(claims) != signed:
        raise TokenRefused("请求的身份令牌内容不完整或不规范，中转站不予受理。")
    texts = ("office", "key", "method", "path", "body_sha256", "nonce")
    if any(not isinstance(claims[k], str) for k in texts) or type(claims["time"]) is not int:
        raise TokenRefused("请求的身份令牌内容类型不对，中转站不予受理。")
    if not _NONCE_RE.match(claims["nonce"]) or (claims["body_sha256"] and not _SHA256_RE.match(claims["body_sha256"])):
        raise TokenRefused("请求的身份令牌中随机数或校验值格式不对，中转站不予受理。")
    if not signature_holds(claims["key"], signature, signed):
        raise TokenRefused("请求的身份令牌签名不对，中转站不予受理。")
    return Token(
        office=claims["office"],
        key=claims["key"],
        method=claims["method"],
        path=claims["path"],
        body_sha256=claims["body_sha256"],
        time=claims["time"],
        nonce=claims["nonce"],
    )


def check_request(token: Token, method: str, path: str, now: float) -> None:
    """The token names this request and is fresh; the body and the nonce are checked by the caller."""
    if token.method != method.upper() or token.path != path:
        raise TokenRefused(f"身份令牌是为另一个请求签发的（{token.method} {token.path}），不能用于 {method} {path}。")
    if abs(now - token.time) > TOKEN_WINDOW_S:
        raise TokenRefused(
            f"身份令牌已过期或时间不对（与中转站时间相差超过 {TOKEN_WINDOW_S // 60} 分钟），请核对本机时间后重试。"
        )
