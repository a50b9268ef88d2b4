"""The export writes its rows without a dict per row (issue 10, point 9): the bytes must still be
exactly the canonical JSON of the rows as dicts, whatever a column holds."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.db.sync_rows import RowTable, changed_row_tables, changed_rows, last_change_seq
from app.domain import ownership
from app.exchange.canonical import canonical_json
from app.exchange.canonical_rows import KINDS, RowEncoder
from app.exchange.package_file import open_payload, parse_package
from app.services.exchange import export
from app.services.exchange.office_keys import ensure_office_keys
from tests.exchange_flow.conftest import edit_household, export_one, office_templates, offices  # noqa: F401

# Text a register really holds and text that needs escaping: quotes, backslashes, controls, CJK, emoji.
_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12) | st.sampled_from(
    ["", '"', "\\", "\n\t\x00\x1f\x7f", "屋顶漏雨", "𠀀😀", "\u2028\u2029", "%s", "null"]
)
_json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)
# What SQLite may hand back for a column of each kind, the usual value first and then the odd ones
# (NULL, a number in a text column, a float, an empty text) that must still be spelled as json.dumps would.
_stored = {
    "str": st.one_of(_text, st.none(), st.integers(), st.floats(allow_nan=False, allow_infinity=False)),
    "int": st.one_of(
        st.integers(min_value=-(2**63), max_value=2**63 - 1), st.none(), _text, st.floats(allow_nan=False)
    ),
    "bool": st.one_of(st.sampled_from([0, 1]), st.none(), st.integers(), _text),
    "date": st.one_of(st.dates().map(lambda d: d.isoformat()), st.just(""), st.none(), st.integers()),
    "list": st.one_of(
        st.lists(_json_value, max_size=3).map(lambda v: json.dumps(v, ensure_ascii=False)),
        st.sampled_from(["", "[]", None, '[1, "a", {"b": 2, "a": 1}]']),
    ),
    "dict": st.one_of(
        st.dictionaries(_text, _json_value, max_size=3).map(lambda v: json.dumps(v, ensure_ascii=False)),
        st.sampled_from(["", "{}", None, '{"z": 1, "a": [true, null]}']),
    ),
}


@st.composite
def _tables(draw):
    names = draw(
        st.lists(st.text(min_size=1, max_size=6) | st.sampled_from(["id", "a%s", 'q"', "标题"]), min_size=1, max_size=6)
    )
    columns = [(name, draw(st.sampled_from(KINDS))) for name in dict.fromkeys(names)]
    rows = draw(st.lists(st.tuples(*(_stored[kind] for _, kind in columns)), max_size=6))
    return columns, rows


@settings(max_examples=300, deadline=None)
@given(table=_tables())
def test_the_row_encoder_writes_what_canonical_json_writes_of_the_dicts(table):
    columns, rows = table
    as_dicts = RowTable("t", tuple(columns), rows).dicts()  # what the generic reading gives of them
    try:
        expected = canonical_json(as_dicts)
    except (TypeError, ValueError, UnicodeEncodeError) as exc:  # e.g. a stored list text that is not JSON
        with pytest.raises(type(exc)):
            RowEncoder(columns).json(rows)
        return
    assert RowEncoder(columns).json(rows) == expected


def test_a_row_of_the_wrong_length_is_refused():
    encoder = RowEncoder([("a", "str"), ("b", "int")])
    with pytest.raises(ValueError, match="argument"):  # zip(strict=True): a short row
        encoder.text([("x", 1), ("y",)])
    with pytest.raises(ValueError, match="one value per column"):
        encoder.text([("x", 1, 2)])


def _payload(receiver, path) -> bytes:
    keys = ensure_office_keys(receiver.session.store, "admin")
    return open_payload(parse_package(path.read_bytes(), source=str(path)), keys, source=str(path))


@pytest.mark.parametrize("rows_per_piece", [1, 2000])  # pieces cut inside tables, and whole tables
def test_the_exported_payload_is_the_canonical_json_of_the_rows_as_dicts(
    offices,  # noqa: F811  (the fixture, imported above)
    tmp_path,
    monkeypatch,
    rows_per_piece,
):
    county, a, _b = offices
    edit_household(a, "第一次修改")
    edit_household(a, "第二次修改")  # history travels too
    monkeypatch.setattr(export, "_ROWS_PER_PIECE", rows_per_piece)
    db = a.session.db
    tables = ownership.tables_owned_by(a.session.office.kind)
    as_dicts = changed_rows(db, 0, last_change_seq(db), a.code, tables)  # the generic reading, before the export
    path = export_one(a, county, tmp_path / "usb")
    payload = json.loads(_payload(county, path))
    assert payload["rows"] == as_dicts
    assert canonical_json(payload) == _payload(county, path)  # the rows are in canonical form
    assert payload["history"]["households"]
    assert not county.session.packages.import_file(path).quarantined


def test_row_tables_hold_the_rows_changed_rows_gives(offices):  # noqa: F811
    _county, a, _b = offices
    db = a.session.db
    tables = ownership.tables_owned_by(a.session.office.kind)
    found = changed_row_tables(db, 0, last_change_seq(db), a.code, tables)
    dicts = changed_rows(db, 0, last_change_seq(db), a.code, tables)
    assert set(found) == set(dicts)
    for table, rows in found.items():
        assert isinstance(rows, RowTable)
        assert rows.dicts() == dicts[table]
        assert [name for name, _ in rows.columns] == sorted(dicts[table][0])  # keys in canonical order
        assert [r["id"] for r in dicts[table]] == sorted(r["id"] for r in dicts[table])
        half = dicts[table][: len(dicts[table]) // 2]
        below = dicts[table][len(half)]["id"]

        def before(row: dict[str, Any], below: str = below) -> bool:
            return str(row["id"]) < below

        assert rows.keep(before).dicts() == half
