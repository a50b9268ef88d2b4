"""An office's two key pairs: Ed25519 to sign what it sends, age X25519 to open what it receives.

The private halves exist only here and, as one JSON text, inside the office's encrypted database
(docs/package-format.md §Keys). Their repr never shows them, so a log line or a traceback cannot.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.errors import InvalidInput
from app.exchange import age

SECRET_FORMAT = "doudi-office-keys"
SECRET_VERSION = 1
SEED_BYTES = 32
SIGNATURE_BYTES = 64
PUBLIC_KEY_BYTES = 32


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    """Strict standard base64 (padded); raises ValueError on anything else."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(str(exc)) from exc


@dataclass(frozen=True)
class OfficeKeys:
    sign_seed: bytes = field(repr=False)  # 32-byte Ed25519 private seed
    age_identity: str = field(repr=False)  # "AGE-SECRET-KEY-1..."

    def __post_init__(self) -> None:
        if len(self.sign_seed) != SEED_BYTES:
            raise InvalidInput("签名私钥应为 32 字节。", field="sign_seed")
        try:
            age.recipient_of(self.age_identity)
        except age.AgeKeyError:
            raise InvalidInput("加密私钥不是有效的 age X25519 私钥。", field="age_identity") from None

    def _private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.sign_seed)

    @property
    def sign_public(self) -> str:
        raw = self._private().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return _b64(raw)

    @property
    def box_public(self) -> str:
        return age.recipient_of(self.age_identity)

    def sign(self, data: bytes) -> bytes:
        return self._private().sign(data)

    def to_secret_text(self) -> str:
        return json.dumps(
            {
                "format": SECRET_FORMAT,
                "version": SECRET_VERSION,
                "algorithms": {"sign": "ed25519", "box": "age-x25519"},
                "sign_seed": _b64(self.sign_seed),
                "age_identity": self.age_identity,
            },
            sort_keys=True,
        )

    @classmethod
    def from_secret_text(cls, text: str) -> OfficeKeys:
        bad = InvalidInput("本单位的交换密钥记录已损坏，无法读取。", field="exchange_keys")
        try:
            value = json.loads(text)
        except (ValueError, TypeError):
            raise bad from None
        if not isinstance(value, dict) or value.get("format") != SECRET_FORMAT:
            raise bad
        if value.get("version") != SECRET_VERSION:
            raise InvalidInput(
                f"本单位的交换密钥记录是第 {value.get('version')} 版，本程序只认识第 {SECRET_VERSION} 版。",
                field="exchange_keys",
            )
        seed_text, identity = value.get("sign_seed"), value.get("age_identity")
        if not isinstance(seed_text, str) or not isinstance(identity, str):
            raise bad
        try:
            seed = _unb64(seed_text)
        except ValueError:
            raise bad from None
        try:
            return cls(sign_seed=seed, age_identity=identity)
        except InvalidInput:
            raise bad from None


def new_office_keys() -> OfficeKeys:
    return OfficeKeys(sign_seed=os.urandom(SEED_BYTES), age_identity=age.new_identity())


def public_key_problem(sign_public: str) -> str:
    """Why this text is not an Ed25519 public key in our form, or "" when it is one."""
    try:
        raw = _unb64(sign_public)
    except ValueError:
        return "签名公钥不是标准的 base64 文本"
    if len(raw) != PUBLIC_KEY_BYTES or _b64(raw) != sign_public:
        return "签名公钥应为 32 字节"
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        return "签名公钥不是有效的 Ed25519 公钥"
    return ""


def signature_holds(sign_public: str, signature: bytes, data: bytes) -> bool:
    """True only for a well-formed key whose signature over exactly these bytes verifies."""
    if public_key_problem(sign_public) or len(signature) != SIGNATURE_BYTES:
        return False
    key = Ed25519PublicKey.from_public_bytes(_unb64(sign_public))
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
