"""Errors the storage layer raises. Each carries one sentence a clerk can act on."""


class DoudiError(Exception):
    """Base for every error that ends a command with a clear sentence (never a traceback)."""

    exit_code = 1


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
