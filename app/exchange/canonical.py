"""One byte form for a JSON value, so that what is signed and hashed is the same on every office."""

from __future__ import annotations

import json


def canonical_json(value: object) -> bytes:
    """Sorted keys, no spaces, UTF-8 (not \\u escapes); NaN and infinities are refused."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
