"""The only door to pyrage (age, X25519), so that the rest of app.exchange stays typed.

pyrage ships no type information; these wrappers say what goes in and out, and turn its errors
into the ones this package handles.
"""

from __future__ import annotations

import pyrage  # type: ignore[import-untyped]
from pyrage import x25519


class AgeKeyError(ValueError):
    """A recipient or identity text that is not an age X25519 key."""


class AgeNotForUs(Exception):
    """None of our identities opens the file: it was encrypted to someone else."""


class AgeDamaged(Exception):
    """The ciphertext is not a whole, unaltered age file."""


def new_identity() -> str:
    return str(x25519.Identity.generate())


def recipient_of(identity: str) -> str:
    try:
        return str(x25519.Identity.from_str(identity).to_public())
    except Exception as exc:  # pyrage raises its own IdentityError / ValueError
        raise AgeKeyError(str(exc)) from exc


def check_recipient(recipient: str) -> None:
    try:
        x25519.Recipient.from_str(recipient)
    except Exception as exc:
        raise AgeKeyError(str(exc)) from exc


def encrypt(plaintext: bytes, recipient: str) -> bytes:
    try:
        key = x25519.Recipient.from_str(recipient)
    except Exception as exc:
        raise AgeKeyError(str(exc)) from exc
    return bytes(pyrage.encrypt(plaintext, [key]))


def decrypt(ciphertext: bytes, identity: str) -> bytes:
    try:
        key = x25519.Identity.from_str(identity)
    except Exception as exc:
        raise AgeKeyError(str(exc)) from exc
    try:
        return bytes(pyrage.decrypt(ciphertext, [key]))
    except pyrage.DecryptError as exc:
        # age reports "No matching keys found" only after it parsed a well-formed header whose
        # stanzas none of our keys unwrap; anything else is a broken file.
        if "no matching keys" in str(exc).lower():
            raise AgeNotForUs(str(exc)) from exc
        raise AgeDamaged(str(exc)) from exc
    except Exception as exc:
        raise AgeDamaged(str(exc)) from exc
