"""Canonical JSON of many rows of one shape, written column by column.

A first package carries most of a register (three quarters of a million rows). Building a dict
per row and handing it to ``json.dumps(sort_keys=True)`` sorted the same keys again for every row
and was the largest share of an export. Rows of one table all have the same columns, so the
object text is one template per table with the keys already in canonical order, and each column
is encoded in one pass by the same C string encoder ``json.dumps`` uses. The bytes are exactly
``canonical_json`` of the rows as dicts (``tests/exchange/test_export_fast_path.py`` checks that
against the generic encoder); any value outside a column's usual type goes through the generic
encoder, so nothing unusual is ever spelled differently.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Sequence
from json.encoder import encode_basestring  # the C encoder json.dumps(ensure_ascii=False) uses
from typing import Any

# A value in the form canonical_json writes it (without the final UTF-8 encoding).
_generic: Callable[[Any], str] = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
).encode

# A column's kind says how its stored value becomes its JSON value:
#   str, int  the value as it is;
#   bool      its truth (stored as 0/1);
#   date      ISO text, an empty value meaning null;
#   list/dict JSON text, an empty value meaning [] / {}.
KINDS = ("str", "int", "bool", "date", "list", "dict")


def _strs(values: Sequence[Any]) -> list[str]:
    try:
        return list(map(encode_basestring, values))  # every value text: all in C
    except TypeError:
        return [encode_basestring(v) if type(v) is str else "null" if v is None else _generic(v) for v in values]


def _ints(values: Sequence[Any]) -> list[str]:
    if all(type(v) is int for v in values):
        return list(map(int.__repr__, values))  # what json writes for an int
    return [int.__repr__(v) if type(v) is int else "null" if v is None else _generic(v) for v in values]


def _bools(values: Sequence[Any]) -> list[str]:
    return ["true" if v else "false" for v in values]


def _dates(values: Sequence[Any]) -> list[str]:
    return [encode_basestring(v) if type(v) is str and v else "null" if not v else _generic(v) for v in values]


def _json_texts(empty: str) -> Callable[[Sequence[Any]], list[str]]:
    """Stored JSON text -> its canonical text. The same few lists (flags, risk signs, categories)
    come back on most rows, so each distinct text is parsed and written once per call."""

    def encode(values: Sequence[Any]) -> list[str]:
        seen: dict[Any, str] = {None: empty, "": empty, empty: empty}
        out = []
        for v in values:
            try:
                text = seen[v]
            except (KeyError, TypeError):  # TypeError: a value that cannot be a key (never from SQLite)
                text = empty if not v else _generic(json.loads(v))
                with contextlib.suppress(TypeError):
                    seen[v] = text
            out.append(text)
        return out

    return encode


_lists = _json_texts("[]")
_dicts = _json_texts("{}")


_COLUMN: dict[str, Callable[[Sequence[Any]], list[str]]] = {
    "str": _strs,
    "int": _ints,
    "bool": _bools,
    "date": _dates,
    "list": _lists,
    "dict": _dicts,
}


class RowEncoder:
    """Writes rows of one shape: *columns* are (name, kind) in the order of each row's values."""

    def __init__(self, columns: Sequence[tuple[str, str]]) -> None:
        if not columns:
            raise ValueError("a row needs at least one column")
        unknown = {kind for _, kind in columns} - set(KINDS)
        if unknown:
            raise ValueError(f"unknown column kinds {sorted(unknown)}")
        order = sorted(range(len(columns)), key=lambda i: columns[i][0])
        names = [columns[i][0] for i in order]
        if len(set(names)) != len(names):
            raise ValueError("column names must be unique")
        self._order = order
        self._encoders = [_COLUMN[columns[i][1]] for i in order]
        fields = ",".join(encode_basestring(name).replace("%", "%%") + ":%s" for name in names)
        self._template = "{" + fields + "}"

    def text(self, rows: Iterable[Sequence[Any]]) -> str:
        """``canonical_json(rows as dicts)`` without its brackets, as text: the objects joined by commas."""
        rows = rows if isinstance(rows, list) else list(rows)
        if not rows:
            return ""
        stored = list(zip(*rows, strict=True))  # by column; a row of another length raises ValueError
        if len(stored) != len(self._encoders):
            raise ValueError("every row must have one value per column")
        columns = [encode(stored[i]) for i, encode in zip(self._order, self._encoders)]  # noqa: B905
        return ",".join(map(self._template.__mod__, zip(*columns)))  # noqa: B905

    def json(self, rows: Iterable[Sequence[Any]]) -> bytes:
        """``canonical_json(rows as a list of dicts)``."""
        return b"[" + self.text(rows).encode("utf-8") + b"]"
