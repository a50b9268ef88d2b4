"""The errors every layer raises, in one place (as Anki's ``pylib/anki/errors.py``).

Each carries one sentence a clerk can act on. A form also needs to know *where* the fault is,
without reading the sentence: ``field`` names the entity field at fault (``"id_number"``) and
``item`` the position of the row in a list the user typed (0-based: the third member is
``item=2``). Both are empty when the error is not about one field.
"""

from __future__ import annotations


class DoudiError(Exception):
    """Base for every error that ends a command with a clear sentence (never a traceback)."""

    exit_code = 1

    def __init__(self, message: str = "", *, field: str = "", item: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.item = item

    def __str__(self) -> str:
        return self.message


class NoDatabase(DoudiError):
    exit_code = 3


class AlreadyExists(DoudiError):
    exit_code = 4


class AuthFailed(DoudiError):
    exit_code = 5


class DeviceSecretMissing(DoudiError):
    exit_code = 6


class KeySlotCorrupt(DoudiError):
    exit_code = 7


class DatabaseCorrupt(DoudiError):
    exit_code = 8


class PermissionDenied(DoudiError):
    exit_code = 9


class NotFound(DoudiError):
    exit_code = 10


class InvalidInput(DoudiError):
    exit_code = 2


class ChangedMeanwhile(DoudiError):
    """The row was saved by someone else since it was read: nothing is written, the edit stays on screen."""

    exit_code = 11


class StorageProblem(DoudiError):
    """The disk is full, read-only or not writable, or the data folder is not a folder."""

    exit_code = 12


class DatabaseBusy(DoudiError):
    """Another program held the database longer than the wait allows."""

    exit_code = 13


class NoDisplay(DoudiError):
    """The GUI was asked for where there is no screen to show it on."""

    exit_code = 14


# --- packages refused (docs/package-format.md): each its own exit code, so a script can tell
# a stick that was damaged from a package meant for another office. Nothing is applied.


class PackageRefused(DoudiError):
    """Base for a package that is not applied; the sentence says why."""

    exit_code = 20


class PackageDamaged(PackageRefused):
    """Truncated, altered after signing, or not a Doudi package at all."""

    exit_code = 21


class PackageUnsigned(PackageRefused):
    """The manifest carries no signature, or one that the sender's key does not verify."""

    exit_code = 22


class UnknownSender(PackageRefused):
    """The sending office's card was never added (``doudi trust add``)."""

    exit_code = 23


class SenderRevoked(PackageRefused):
    """The sender's keys were revoked (a stolen PC) before this package was signed."""

    exit_code = 24


class NotAddressedToUs(PackageRefused):
    """The package is for another office."""

    exit_code = 25


class PackageReplayed(PackageRefused):
    """An older package of a channel whose newer packages were already applied."""

    exit_code = 26


class PackageTooLarge(PackageRefused):
    """Bigger than the size cap; refused before anything is read."""

    exit_code = 27


class FingerprintMismatch(DoudiError):
    """The fingerprint typed does not match the card: the card is not added."""

    exit_code = 28


# The OS's own reason is English (and its wording differs by platform); a sentence in Chinese gets a
# Chinese reason for the errors a clerk meets, and the OS's text only for the rare rest.
_OS_REASONS: tuple[tuple[type[OSError], str], ...] = (
    (FileNotFoundError, "文件不存在"),
    (PermissionError, "没有权限"),
    (IsADirectoryError, "这是一个文件夹"),
    (NotADirectoryError, "路径中有一段不是文件夹"),
    (FileExistsError, "文件已存在"),
)


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, as a few words to put inside a Chinese sentence."""
    for kind, reason in _OS_REASONS:
        if isinstance(exc, kind):
            return reason
    if exc.errno == 28:  # noqa: PLR2004 - ENOSPC, the same number on Linux, macOS and Windows' C runtime
        return "磁盘已满"
    return exc.strerror or str(exc)
