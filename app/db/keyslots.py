"""Key slots: the database key, stored only wrapped, once per user and once for recovery.

As in LUKS and Bitwarden (docs/architecture.md §4). The database key is 32 random bytes.
Each slot wraps it with AES-256-GCM under a key-encryption key (KEK):

* user slot: KEK = HMAC-SHA256(device secret, Argon2id(password)) — the
  password alone is not enough on another PC;
* recovery slot: KEK = Argon2id(recovery code) — opens the database on a new PC.

The slot header (kind, user, KDF parameters, algorithm names) is the AEAD's
associated data, so a changed header fails like a wrong password. Changing a
password rewraps one slot; the database is never re-encrypted.

The file is written atomically and kept twice (``keyslots.json`` and ``keyslots.backup.json``):
losing it would lose the office. The recovery slot is also printed on the recovery sheet as
base32 lines (each with a check) and a QR code; it is sealed by the recovery code, so printing it
gives nothing away, and the sheet plus the code reopen the database with no slot file at all.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import struct
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..errors import AuthFailed, InvalidInput, KeySlotCorrupt
from .private_files import write_atomic

log = logging.getLogger(__name__)

FORMAT = "doudi-keyslots"
VERSION = 1
AEAD = "AES-256-GCM"
MIX = "HMAC-SHA256(device-secret, kdf(password))"

# Crockford base32 without I, L, O, U: nothing a clerk can misread on paper.
_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

# The recovery slot on the sheet: groups of four characters, SHEET_GROUPS groups a line, then a
# two-character check of the line (and its number, so two swapped lines are caught too).
SHEET_GROUP = 4
SHEET_GROUPS = 8
SHEET_CHECK = 2
_SHEET_MAGIC = b"DR"
_SHEET_VERSION = 1
_SHEET_DIGEST = 4
# Sizes in bytes: AES-GCM nonce, the wrapped key (32 bytes and a 16-byte tag), the shortest salt accepted.
NONCE_BYTES = 12
WRAPPED_BYTES = 48
MIN_SALT_BYTES = 8


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
            # Same work as a known name, so the time taken does not tell which names exist.
            params = next((s.kdf for s in self.slots if s.kind == "user"), None) or KdfParams.default()
            self._kek(password.encode(), secrets.token_bytes(16), params, device_secret)
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

    def save(self, path: Path, *, backup: bool = True) -> None:
        """Write both copies, each atomically: a crash leaves at least one whole copy.

        ``backup=False`` for a file that is not the office's own slot file (a pending re-key).
        """
        data = self.to_json().encode("utf-8")
        write_atomic(path, data)
        if backup:
            write_atomic(backup_path(path), data)

    @classmethod
    def modify(
        cls, path: Path, change: Callable[[KeySlotFile], object], *, rebuild: KeySlotFile | None = None
    ) -> KeySlotFile:
        """Reload the file under a lock, apply ``change`` to it, save it; returns the new state.

        Two sessions (a clerk still signed in, ``doudi recover`` beside the GUI) each hold a copy;
        changing one slot on a fresh copy means neither undoes the other's change. ``rebuild``
        (the recovery sheet's slot file) stands in when both copies are lost, or belong to another database.
        """
        with _locked(path):
            try:
                current = cls.load(path)
            except KeySlotCorrupt:
                if rebuild is None:
                    raise
                current = rebuild
            if rebuild is not None and current.store_id != rebuild.store_id:
                current = rebuild
            change(current)
            current.save(path)
        return current

    @classmethod
    def load(cls, path: Path) -> KeySlotFile:
        """The slots from *path*, or from its second copy when *path* is missing or damaged."""
        try:
            return cls.load_copy(path)
        except KeySlotCorrupt as first:
            backup = backup_path(path)
            try:
                loaded = cls.load_copy(backup)
            except KeySlotCorrupt:
                raise first from None
            log.warning("密钥槽文件 %s 缺失或已损坏，已改用第二份 %s：%s", path, backup, first)
            return loaded

    @classmethod
    def load_copy(cls, path: Path) -> KeySlotFile:
        """One copy only, with no fallback (for ``check``, which reports a damaged copy)."""
        where = f"密钥槽文件 {path}"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KeySlotCorrupt(
                f"{where} 不存在；请用恢复页和恢复码运行 doudi recover --sheet，或从备份恢复。"
            ) from None
        except (ValueError, UnicodeDecodeError):
            raise KeySlotCorrupt(f"{where} 已损坏（不是有效的 JSON）；请从备份恢复该文件。") from None
        except OSError as exc:
            raise KeySlotCorrupt(f"{where} 无法读取（{exc.strerror or exc}）。") from None
        try:
            if data.get("format") != FORMAT:
                raise KeySlotCorrupt(f"{where} 不是兜底的密钥槽文件。")
            if data.get("version") != VERSION:
                raise KeySlotCorrupt(f"{where} 的版本 {data.get('version')} 不受支持。")
            slots = [_slot_from_dict(raw, where) for raw in data["slots"]]
            return cls(store_id=str(data["store_id"]), office_code=str(data["office_code"]), slots=slots)
        except KeySlotCorrupt:
            raise
        except (KeyError, TypeError, AttributeError, ValueError):
            raise KeySlotCorrupt(f"{where} 已损坏（缺少必要的字段）；请从备份恢复该文件。") from None

    # --- the recovery slot on paper -------------------------------------------------

    def recovery_slot(self) -> Slot:
        slot = next((s for s in self.slots if s.kind == "recovery"), None)
        if slot is None:
            raise KeySlotCorrupt("密钥槽文件中没有恢复槽。")
        return slot

    def recovery_sheet_payload(self) -> str:
        """The recovery slot with the office's ids, as one base32 string (what the QR code holds)."""
        slot = self.recovery_slot()
        if slot.kdf.name != "argon2id" or slot.aead != AEAD or slot.mix:
            raise KeySlotCorrupt("恢复槽使用了恢复页不支持的算法。")
        raw_store = self.store_id.encode()
        store_field = bytes([len(raw_store)]) + raw_store
        with contextlib.suppress(ValueError):
            parsed = uuid.UUID(self.store_id)
            if str(parsed) == self.store_id:  # only a canonical id survives the round trip unchanged
                store_field = b"\x00" + parsed.bytes
        code = self.office_code.encode()
        body = (
            _SHEET_MAGIC
            + bytes([_SHEET_VERSION])
            + store_field
            + bytes([len(code)])
            + code
            + struct.pack(">IHB", slot.kdf.memory_kib, slot.kdf.iterations, slot.kdf.lanes)
            + _unb64(slot.salt)
            + _unb64(slot.nonce)
            + _unb64(slot.wrapped)
        )
        return _b32encode(body + hashlib.sha256(body).digest()[:_SHEET_DIGEST])

    def recovery_sheet_lines(self) -> list[str]:
        """The payload as numbered lines of four-character groups, each ending in its check."""
        payload = self.recovery_sheet_payload()
        per_line = SHEET_GROUP * SHEET_GROUPS
        lines = []
        for n, i in enumerate(range(0, len(payload), per_line), start=1):
            chunk = payload[i : i + per_line]
            groups = " ".join(chunk[j : j + SHEET_GROUP] for j in range(0, len(chunk), SHEET_GROUP))
            lines.append(f"{n:02d}  {groups}  {_line_check(n, chunk)}")
        return lines

    @classmethod
    def from_recovery_sheet(cls, text: str) -> KeySlotFile:
        """A slot file holding only the recovery slot, from the sheet's lines as typed (or the QR text)."""
        payload = _sheet_payload(text)
        try:
            raw = _b32decode(payload)
        except ValueError:
            raise InvalidInput("恢复页内容的长度不对，请核对是否漏抄了字符。", field="sheet") from None
        body, digest = raw[:-_SHEET_DIGEST], raw[-_SHEET_DIGEST:]
        if len(raw) <= _SHEET_DIGEST or hashlib.sha256(body).digest()[:_SHEET_DIGEST] != digest:
            raise InvalidInput("恢复页内容的总校验不符，请逐行核对抄写的字符。", field="sheet")
        try:
            return cls._from_sheet_body(body)
        except (IndexError, struct.error, ValueError):
            raise InvalidInput("恢复页内容不是兜底的恢复槽，请核对是否抄错了纸。", field="sheet") from None

    @classmethod
    def _from_sheet_body(cls, body: bytes) -> KeySlotFile:
        if body[:2] != _SHEET_MAGIC or body[2] != _SHEET_VERSION:
            raise ValueError("not a doudi recovery slot")
        pos = 3
        size = body[pos]
        if size == 0:
            store_id = str(uuid.UUID(bytes=body[pos + 1 : pos + 17]))
            pos += 17
        else:
            store_id = body[pos + 1 : pos + 1 + size].decode()
            pos += 1 + size
        size = body[pos]
        office_code = body[pos + 1 : pos + 1 + size].decode()
        pos += 1 + size
        memory, iterations, lanes = struct.unpack(">IHB", body[pos : pos + 7])
        pos += 7
        salt, nonce, wrapped = (
            body[pos : pos + 16],
            body[pos + 16 : pos + 16 + NONCE_BYTES],
            body[pos + 16 + NONCE_BYTES :],
        )
        if len(nonce) != NONCE_BYTES or len(wrapped) != WRAPPED_BYTES:
            raise ValueError("wrong lengths")
        slot = Slot(
            kind="recovery",
            user="",
            kdf=KdfParams(memory_kib=memory, iterations=iterations, lanes=lanes),
            salt=_b64(salt),
            nonce=_b64(nonce),
            wrapped=_b64(wrapped),
        )
        return cls(store_id=store_id, office_code=office_code, slots=[slot])


def backup_path(path: Path) -> Path:
    """Where the second copy of the slot file at *path* lives."""
    return path.with_name(f"{path.stem}.backup{path.suffix}")


def _slot_from_dict(raw: dict[str, Any], where: str) -> Slot:
    kdf_raw = raw["kdf"]
    kdf = KdfParams(**kdf_raw)
    if not all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (kdf.memory_kib, kdf.iterations, kdf.lanes)
    ):
        raise KeySlotCorrupt(f"{where} 中用户 {raw.get('user') or '恢复槽'} 的 KDF 参数已损坏；请从备份恢复该文件。")
    slot = Slot(
        kind=raw["kind"],
        user=raw["user"],
        kdf=kdf,
        salt=raw["salt"],
        nonce=raw["nonce"],
        wrapped=raw["wrapped"],
        aead=raw.get("aead", AEAD),
        mix=raw.get("mix", ""),
    )
    if slot.aead != AEAD:
        raise KeySlotCorrupt(f"{where} 使用了不支持的加密算法 {slot.aead}。")
    if slot.kind not in ("user", "recovery") or not isinstance(slot.user, str):
        raise KeySlotCorrupt(f"{where} 中有一个种类不明的密钥槽；请从备份恢复该文件。")
    try:
        sizes = (len(_unb64(slot.salt)), len(_unb64(slot.nonce)), len(_unb64(slot.wrapped)))
    except (ValueError, TypeError, AttributeError):
        sizes = (0, 0, 0)
    if sizes[0] < MIN_SALT_BYTES or sizes[1] != NONCE_BYTES or sizes[2] != WRAPPED_BYTES:
        who = f"用户 {slot.user} 的密钥槽" if slot.kind == "user" else "恢复槽"
        raise KeySlotCorrupt(
            f"{where} 中{who}的内容已损坏（编码无效）；请从备份恢复该文件，或用恢复码运行 doudi recover。"
        )
    return slot


def _b32encode(data: bytes) -> str:
    bits = int.from_bytes(data, "big")
    count = (len(data) * 8 + 4) // 5
    bits <<= count * 5 - len(data) * 8
    return "".join(_RECOVERY_ALPHABET[(bits >> (5 * (count - 1 - i))) & 31] for i in range(count))


def _b32decode(text: str) -> bytes:
    size = len(text) * 5 // 8
    if (size * 8 + 4) // 5 != len(text):
        raise ValueError("impossible length")
    bits = 0
    for ch in text:
        bits = (bits << 5) | _RECOVERY_ALPHABET.index(ch)
    bits >>= len(text) * 5 - size * 8
    return bits.to_bytes(size, "big")


def _line_check(number: int, chunk: str) -> str:
    digest = hashlib.sha256(f"{number}:{chunk}".encode()).digest()
    return "".join(_RECOVERY_ALPHABET[b % 32] for b in digest[:SHEET_CHECK])


def _sheet_payload(text: str) -> str:
    """The base32 payload from typed sheet lines (checked line by line) or from the QR code's text."""
    lines = [line.split() for line in unicodedata.normalize("NFKC", text or "").splitlines() if line.strip()]
    if not lines:
        raise InvalidInput("恢复页内容是空的。", field="sheet")
    numbered = all(len(t) >= 3 and normalise_recovery_code(t[0]).isdigit() for t in lines)  # noqa: PLR2004 - number, groups, check
    if not numbered:
        return normalise_recovery_code("".join("".join(t) for t in lines))
    chunks = []
    for expected, tokens in enumerate(lines, start=1):
        number = int(normalise_recovery_code(tokens[0]))
        if number != expected:
            raise InvalidInput(
                f"恢复页第 {expected} 行的行号是 {number}，请按纸上的顺序逐行输入。", field="sheet", item=expected - 1
            )
        chunk = normalise_recovery_code("".join(tokens[1:-1]))
        if normalise_recovery_code(tokens[-1]) != _line_check(number, chunk):
            raise InvalidInput(f"恢复页第 {number} 行的校验码不符，请核对这一行。", field="sheet", item=expected - 1)
        chunks.append(chunk)
    return "".join(chunks)
