"""Digests that show two offices hold the same rows (``doudi check --json`` → ``digests``).

For each owner office: SHA-256 over its rows' (table, id, updated_at, deleted, content hash), sorted.
Two offices holding the same versions of a township's rows, with the same content, show the same
digest, and a person can compare the first 8 characters over the phone. Only the tables that travel
count (users stay local). An office's kind is judged from its code, never from a card, whose kind
is not covered by the fingerprint.

The county's own rows are digested per township, under ``<county>→<township>``: the policy periods
and the decisions and tasks about that township, which is exactly what the township holds of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ...db.integrity import hash_values, names_of
from ...db.sync_rows import TYPES_BY_TABLE, owners
from ...domain import ownership

if TYPE_CHECKING:
    from ...db.database import Database


def digest_of(keys: Iterable[tuple[str, str, str, int, str]]) -> str:
    h = hashlib.sha256()
    for table, row_id, updated_at, deleted, content in sorted(keys):
        h.update(f"{table}\t{row_id}\t{updated_at}\t{int(deleted)}\t{content}\n".encode())
    return h.hexdigest()


def owned_row_keys(
    db: Database, owner: str, tables: Iterable[str], *, township: str | None = None
) -> Iterator[tuple[str, str, str, int, str]]:
    """(table, id, updated_at, deleted, content hash) of every row of *tables* that *owner* owns; with
    *township*, of the tables that carry a ``township_code`` only the rows about it.

    The content hash is recomputed from the row as stored (as ``doudi check`` does), so two offices
    holding one stamp with different content show different digests.
    """
    for table in sorted(set(tables) & set(TYPES_BY_TABLE)):
        names = names_of(TYPES_BY_TABLE[table])
        at, gone = names.index("updated_at"), names.index("deleted")
        where = "owner_office = ?"
        params: tuple[str, ...] = (owner,)
        if township is not None and table in ownership.TWO_SIDED_TABLES:
            # A hand-over is held by both townships it is about: each digests it.
            where += f" AND (township_code = ? OR {ownership.SENDER_FIELD} = ?)"
            params = (owner, township, township)
        elif township is not None and table in ownership.ADDRESSED_TABLES:
            where += " AND township_code = ?"
            params = (owner, township)
        for row in db.execute(f"SELECT {', '.join(names)} FROM {table} WHERE {where}", params):
            yield table, str(row[0]), str(row[at]), int(row[gone]), hash_values(names, row)


def county_key(county: str, township: str) -> str:
    return f"{county}→{township}"


def digests(db: Database, kinds: dict[str, str], townships: Iterable[str]) -> dict[str, str]:
    """owner office → digest of the rows it owns; a county owner's rows per township of *townships*.

    ``kinds`` names the kind of this office (see ``office_kinds``); others are judged by their code.
    """
    out = {}
    for owner in sorted(owners(db, ownership.EXCHANGED_TABLES)):
        kind = kinds.get(owner) or ownership.kind_of_code(owner)
        tables = ownership.tables_owned_by(kind)
        if kind == ownership.COUNTY:
            for township in sorted(townships):
                keys = list(owned_row_keys(db, owner, tables, township=township))
                if keys:
                    out[county_key(owner, township)] = digest_of(keys)
            continue
        keys = list(owned_row_keys(db, owner, tables))
        if keys:
            out[owner] = digest_of(keys)
    return out


def office_kinds(db: Database, own_code: str, own_kind: str) -> dict[str, str]:
    """This office's own kind; a peer's is judged by its code (the stored card's kind could be edited)."""
    return {own_code: own_kind}


def townships_seen(db: Database, own_code: str, own_kind: str) -> list[str]:
    """The townships whose view of the county's rows this office can digest: itself, or the county's peers."""
    if own_kind == ownership.TOWNSHIP:
        return [own_code]
    return [
        code
        for (code,) in db.query("SELECT DISTINCT office_code FROM peers ORDER BY office_code")
        if ownership.kind_of_code(code) == ownership.TOWNSHIP
    ]
