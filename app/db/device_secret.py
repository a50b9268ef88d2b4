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
import contextlib
import logging
import os
import secrets
from pathlib import Path

import keyring
import keyring.errors
from platformdirs import user_config_dir

log = logging.getLogger(__name__)

SERVICE = "Doudi device secret"
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


def _read_file(store_id: str) -> bytes | None:
    path = _secret_file(store_id)
    if not path.exists():
        return None
    return base64.b64decode(path.read_text().strip())


def _write_file(store_id: str, secret: bytes) -> None:
    path = _secret_file(store_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(base64.b64encode(secret).decode())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load(store_id: str) -> bytes | None:
    """The device secret for this office database, or None when this PC does not have it."""
    if _keyring_usable():
        try:
            value = keyring.get_password(SERVICE, store_id)
        except keyring.errors.KeyringError as exc:
            log.warning("系统凭据库不可用（%s），改用文件。", exc)
            value = None
        if value:
            return base64.b64decode(value)
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
