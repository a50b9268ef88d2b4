"""Digests that show two offices hold the same rows (``doudi check --json`` → ``digests``).

For each owner office: SHA-256 over its rows' (table, id, updated_at, deleted), sorted. Two offices
holding the same versions of a township's rows show the same digest, and a person can compare the
first 8 characters over the phone. Only the tables that travel count (users stay local).

The county's own rows are digested per township, under ``<county>→<township>``: the policy periods
and the decisions and tasks about that township, which is exactly what the township holds of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...db.sync_rows import owned_row_keys, owners
from ...domain import ownership

if TYPE_CHECKING:
    from ...db.database import Database


def digest_of(keys: Iterable[tuple[str, str, str, int]]) -> str:
    h = hashlib.sha256()
    for table, row_id, updated_at, deleted in sorted(keys):
        h.update(f"{table}\t{row_id}\t{updated_at}\t{int(deleted)}\n".encode())
    return h.hexdigest()


def county_key(county: str, township: str) -> str:
    return f"{county}→{township}"


def digests(db: Database, kinds: dict[str, str], townships: Iterable[str]) -> dict[str, str]:
    """owner office → digest of the rows it owns; a county owner's rows per township of *townships*.

    ``kinds`` names the kind of known offices (this one, its peers); others are judged by their code.
    """
    out = {}
    for owner in sorted(owners(db, ownership.EXCHANGED_TABLES)):
        kind = kinds.get(owner) or ownership.kind_of_code(owner)
        tables = ownership.tables_owned_by(kind)
        if kind == ownership.COUNTY:
            for township in sorted(townships):
                keys = list(owned_row_keys(db, owner, tables, township=township, addressed=ownership.ADDRESSED_TABLES))
                if keys:
                    out[county_key(owner, township)] = digest_of(keys)
            continue
        keys = list(owned_row_keys(db, owner, tables))
        if keys:
            out[owner] = digest_of(keys)
    return out


def office_kinds(db: Database, own_code: str, own_kind: str) -> dict[str, str]:
    kinds = dict(db.query("SELECT office_code, kind FROM peers"))
    kinds[own_code] = own_kind
    return kinds


def townships_seen(db: Database, own_code: str, own_kind: str) -> list[str]:
    """The townships whose view of the county's rows this office can digest: itself, or the county's peers."""
    if own_kind == ownership.TOWNSHIP:
        return [own_code]
    return [code for code, kind in db.query("SELECT office_code, kind FROM peers") if kind == ownership.TOWNSHIP]
