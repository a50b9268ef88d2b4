"""Key slots: the database key, stored only wrapped, once per user and once for recovery.

As in LUKS and Bitwarden (docs/architecture.md §4). The database key is 32 random bytes.
Each slot wraps it with AES-256-GCM under a key-encryption key (KEK):

* user slot: KEK = HMAC-SHA256(device secret, Argon2id(password)) — the
  password alone is not enough on another PC;
* recovery slot: KEK = Argon2id(recovery code) — opens the database on a new PC.

The slot header (kind, user, KDF parameters, algorithm names) is the AEAD's
associated data, so a changed header fails like a wrong password. Changing a
password rewraps one slot; the database is never re-encrypted.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..errors import AuthFailed, KeySlotCorrupt

FORMAT = "doudi-keyslots"
VERSION = 1
AEAD = "AES-256-GCM"
MIX = "HMAC-SHA256(device-secret, kdf(password))"

# Crockford base32 without I, L, O, U: nothing a clerk can misread on paper.
_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class KdfParams:
    name: str = "argon2id"
    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    @classmethod
    def default(cls) -> KdfParams:
        # Tests may lower the cost (parameters are stored per slot, so this is honest).
        if os.environ.get("DOUDI_KDF_PROFILE") == "fast":
            return cls(memory_kib=8 * 1024, iterations=1, lanes=1)
        return cls()


def derive(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    if params.name != "argon2id":
        raise KeySlotCorrupt(f"密钥槽使用了不支持的算法 {params.name}。")
    return hash_secret_raw(
        secret,
        salt,
        time_cost=params.iterations,
        memory_cost=params.memory_kib,
        parallelism=params.lanes,
        hash_len=32,
        type=Type.ID,
    )


def new_recovery_code() -> str:
    """120 random bits as 24 characters in six groups: ABCD-EFGH-…"""
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(24))
    return "-".join(chars[i : i + 4] for i in range(0, 24, 4))


def normalise_recovery_code(code: str) -> str:
    text = unicodedata.normalize("NFKC", code or "").upper()
    text = text.replace("O", "0").replace("I", "1").replace("L", "1")
    return "".join(ch for ch in text if ch in _RECOVERY_ALPHABET)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path.with_name(path.name + ".lock"), "w") as fh:
        try:
            import fcntl

            fcntl.flock(fh, fcntl.LOCK_EX)
        except ImportError:  # Windows: msvcrt locking is per byte range; one office PC, one writer
            pass
        yield


@dataclass
class Slot:
    kind: str  # "user" | "recovery"
    user: str  # username, "" for recovery
    kdf: KdfParams
    salt: str
    nonce: str
    wrapped: str
    aead: str = AEAD
    mix: str = ""  # how the device secret is mixed in; "" = not used

    def header(self, store_id: str) -> bytes:
        head = {
            "store": store_id,
            "kind": self.kind,
            "user": self.user,
            "kdf": asdict(self.kdf),
            "salt": self.salt,
            "aead": self.aead,
            "mix": self.mix,
        }
        return json.dumps(head, sort_keys=True, separators=(",", ":")).encode()


@dataclass
class KeySlotFile:
    store_id: str
    office_code: str
    slots: list[Slot] = field(default_factory=list)

    # --- wrapping ---------------------------------------------------------------

    @staticmethod
    def _kek(secret: bytes, salt: bytes, params: KdfParams, device_secret: bytes | None) -> bytes:
        stretched = derive(secret, salt, params)
        if device_secret is None:
            return stretched
        return hmac.new(device_secret, stretched, hashlib.sha256).digest()

    def _wrap(
        self,
        kind: str,
        user: str,
        secret: bytes,
        db_key: bytes,
        *,
        device_secret: bytes | None,
        params: KdfParams | None = None,
    ) -> Slot:
        params = params or KdfParams.default()
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(12)
        slot = Slot(
            kind=kind,
            user=user,
            kdf=params,
            salt=_b64(salt),
            nonce=_b64(nonce),
            wrapped="",
            mix=MIX if device_secret is not None else "",
        )
        kek = self._kek(secret, salt, params, device_secret)
        slot.wrapped = _b64(AESGCM(kek).encrypt(nonce, db_key, slot.header(self.store_id)))
        return slot

    def _unwrap(self, slot: Slot, secret: bytes, device_secret: bytes | None) -> bytes:
        try:
            salt, nonce, wrapped = _unb64(slot.salt), _unb64(slot.nonce), _unb64(slot.wrapped)
        except ValueError:
            raise KeySlotCorrupt("密钥槽文件已损坏（内容不是有效的编码）。") from None
        kek = self._kek(secret, salt, slot.kdf, device_secret)
        try:
            return AESGCM(kek).decrypt(nonce, wrapped, slot.header(self.store_id))
        except InvalidTag:
            raise AuthFailed("用户名或密码不正确。") from None

    def wrap_user(self, username: str, password: str, db_key: bytes, device_secret: bytes) -> Slot:
        """A new user slot (the slow key derivation happens here, outside any lock or transaction)."""
        return self._wrap("user", username, password.encode(), db_key, device_secret=device_secret)

    def put(self, slot: Slot) -> None:
        """Replace the slot of the same kind and user."""
        self.slots = [s for s in self.slots if not (s.kind == slot.kind and s.user == slot.user)]
        self.slots.append(slot)

    def set_user(self, username: str, password: str, db_key: bytes, device_secret: bytes) -> None:
        self.put(self.wrap_user(username, password, db_key, device_secret))

    def remove_user(self, username: str) -> None:
        self.slots = [s for s in self.slots if not (s.kind == "user" and s.user == username)]

    def set_recovery(self, code: str, db_key: bytes) -> None:
        self.slots = [s for s in self.slots if s.kind != "recovery"]
        secret = normalise_recovery_code(code).encode()
        self.slots.append(self._wrap("recovery", "", secret, db_key, device_secret=None))

    def user_slot(self, username: str) -> Slot | None:
        return next((s for s in self.slots if s.kind == "user" and s.user == username), None)

    def unlock_user(self, username: str, password: str, device_secret: bytes) -> bytes:
        slot = self.user_slot(username)
        if slot is None:
            raise AuthFailed("用户名或密码不正确。")
        return self._unwrap(slot, password.encode(), device_secret)

    def unlock_recovery(self, code: str) -> bytes:
        slot = next((s for s in self.slots if s.kind == "recovery"), None)
        if slot is None:
            raise KeySlotCorrupt("密钥槽文件中没有恢复槽。")
        try:
            return self._unwrap(slot, normalise_recovery_code(code).encode(), None)
        except AuthFailed:
            raise AuthFailed("恢复码不正确。") from None

    # --- file -------------------------------------------------------------------

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "store_id": self.store_id,
            "office_code": self.office_code,
            "slots": [dict(asdict(s), kdf=asdict(s.kdf)) for s in self.slots],
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(self.to_json())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        try:  # make the rename itself durable
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError:
            pass

    @classmethod
    def modify(cls, path: Path, change: Callable[[KeySlotFile], object]) -> KeySlotFile:
        """Reload the file under a lock, apply ``change`` to it, save it; returns the new state.

        Two sessions (a clerk still signed in, ``doudi recover`` beside the GUI) each hold a copy;
        changing one slot on a fresh copy means neither undoes the other's change.
        """
        with _locked(path):
            current = cls.load(path)
            change(current)
            current.save(path)
        return current

    @classmethod
    def load(cls, path: Path) -> KeySlotFile:
        where = f"密钥槽文件 {path}"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KeySlotCorrupt(f"{where} 不存在；数据库无法打开，请从备份恢复。") from None
        except (ValueError, UnicodeDecodeError):
            raise KeySlotCorrupt(f"{where} 已损坏（不是有效的 JSON）；请从备份恢复该文件。") from None
        try:
            if data.get("format") != FORMAT:
                raise KeySlotCorrupt(f"{where} 不是兜底的密钥槽文件。")
            if data.get("version") != VERSION:
                raise KeySlotCorrupt(f"{where} 的版本 {data.get('version')} 不受支持。")
            slots = []
            for raw in data["slots"]:
                kdf = KdfParams(**raw["kdf"])
                slots.append(
                    Slot(
                        kind=raw["kind"],
                        user=raw["user"],
                        kdf=kdf,
                        salt=raw["salt"],
                        nonce=raw["nonce"],
                        wrapped=raw["wrapped"],
                        aead=raw.get("aead", AEAD),
                        mix=raw.get("mix", ""),
                    )
                )
                if slots[-1].aead != AEAD:
                    raise KeySlotCorrupt(f"{where} 使用了不支持的加密算法 {slots[-1].aead}。")
            return cls(store_id=str(data["store_id"]), office_code=str(data["office_code"]), slots=slots)
        except KeySlotCorrupt:
            raise
        except (KeyError, TypeError, AttributeError):
            raise KeySlotCorrupt(f"{where} 已损坏（缺少必要的字段）；请从备份恢复该文件。") from None
