"""The device secret: 32 random bytes that bind user key slots to this PC.

Kept in the OS credential store through ``keyring`` (Windows Credential
Manager, macOS Keychain, Secret Service on UOS/Kylin). A headless Linux box has
no store: then, and only then, the secret goes to a file in the user's
configuration folder — outside the data folder, owner-only — and the program
says so once (docs/architecture.md §4). ``keyrings.alt`` is deliberately not used: it
writes secrets to plain files without telling anyone.

``DOUDI_KEYRING=file`` forces the file store (documented for servers and used
by the command-line tests); ``DOUDI_CONFIG_DIR`` moves the configuration folder.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import os
import secrets
from pathlib import Path

import keyring
import keyring.errors
from platformdirs import user_config_dir

from ..errors import DeviceSecretMissing
from .private_files import private_dir, write_atomic

log = logging.getLogger(__name__)

SERVICE = "Doudi device secret"
SECRET_BYTES = 32
_warned = False


def config_dir() -> Path:
    return Path(os.environ.get("DOUDI_CONFIG_DIR") or user_config_dir("doudi", appauthor=False))


def _secret_file(store_id: str) -> Path:
    return config_dir() / "device-secrets" / f"{store_id}.key"


def _keyring_usable() -> bool:
    if os.environ.get("DOUDI_KEYRING", "").lower() == "file":
        return False
    backend = keyring.get_keyring()
    # The "fail" backend and a chainer with nothing behind it mean: no credential store here.
    name = type(backend).__module__ + "." + type(backend).__name__
    if name.startswith("keyring.backends.fail"):
        return False
    return not (name.endswith("ChainerBackend") and not getattr(backend, "backends", None))


def storage_kind() -> str:
    """'keyring' or 'file' — shown in settings so the weaker state is visible."""
    return "keyring" if _keyring_usable() else "file"


def _warn_file_store() -> None:
    global _warned
    if not _warned:
        _warned = True
        log.warning("这台电脑没有系统凭据库；设备密钥改存在仅本用户可读的文件 %s 中（较弱）。", config_dir())


def _decode(text: str, where: str) -> bytes:
    """The secret from its stored text; a garbled one is one sentence, never a wrong-password message."""
    try:
        secret = base64.b64decode(text.strip().encode(), validate=True)
    except (binascii.Error, ValueError, UnicodeError):
        secret = b""
    if len(secret) != SECRET_BYTES:
        raise DeviceSecretMissing(
            f"{where}中保存的设备密钥已损坏；请用恢复码运行 doudi recover 重新设置密码（会生成新的设备密钥）。"
        )
    return secret


def _read_file(store_id: str) -> bytes | None:
    path = _secret_file(store_id)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeError):
        text = ""
    return _decode(text, f"文件 {path} ")


def _write_file(store_id: str, secret: bytes) -> None:
    path = _secret_file(store_id)
    private_dir(path.parent)
    write_atomic(path, base64.b64encode(secret))


def load(store_id: str) -> bytes | None:
    """The device secret for this office database, or None when this PC does not have it.

    Raises DeviceSecretMissing when a secret is there but garbled.
    """
    if _keyring_usable():
        try:
            value = keyring.get_password(SERVICE, store_id)
        except keyring.errors.KeyringError as exc:
            log.warning("系统凭据库不可用（%s），改用文件。", exc)
            value = None
        if value:
            return _decode(value, "系统凭据库")
    return _read_file(store_id)


def create(store_id: str) -> bytes:
    """Make and keep a new device secret; returns it."""
    secret = secrets.token_bytes(32)
    save(store_id, secret)
    return secret


def save(store_id: str, secret: bytes) -> None:
    if _keyring_usable():
        try:
            keyring.set_password(SERVICE, store_id, base64.b64encode(secret).decode())
            return
        except keyring.errors.KeyringError as exc:
            log.warning("系统凭据库不可写（%s），改用文件。", exc)
    _warn_file_store()
    _write_file(store_id, secret)


def forget(store_id: str) -> None:
    """Remove the secret from this PC (used by tests and when an office is retired)."""
    if _keyring_usable():
        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.delete_password(SERVICE, store_id)
    path = _secret_file(store_id)
    if path.exists():
        path.unlink()
