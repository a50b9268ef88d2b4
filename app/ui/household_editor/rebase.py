"""Lay a refused edit over the version someone else saved meanwhile, so nothing typed is lost.

When a save is refused because the household changed since it was opened (ChangedMeanwhile), the
editor reloads the stored version and shows, field by field and member by member:
- what this user changed, as typed;
- what only the other person changed, as they saved it;
- members the other person added (this user never saw them, so never meant to remove them).
A member this user removed stays removed; one the other person removed comes back only if this
user edited it (as a new row, since the stored one is gone). The editor then holds the stored
version, so the next save states it and can go through: the user saves again knowingly.
Pure data, no Qt: tested on its own.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import TypeVar

from ...domain.entities import Member, Syncable

T = TypeVar("T", bound=Syncable)

_BOOKKEEPING = {"id", "owner_office", "updated_at", "updated_by", "deleted"}


def rebase(base: T, mine: T, theirs: T) -> T:
    """``theirs`` with every field this user changed from ``base`` set to the user's value."""
    out = copy.deepcopy(theirs)
    for f in dataclasses.fields(theirs):
        if f.name in _BOOKKEEPING:
            continue
        typed = getattr(mine, f.name)
        if typed != getattr(base, f.name):
            setattr(out, f.name, copy.deepcopy(typed))
    return out


def rebase_members(base: list[Member], mine: list[Member], theirs: list[Member]) -> list[Member]:
    """The member list to show after a refusal: the user's order, then members added elsewhere."""
    base_by = {m.id: m for m in base if m.id}
    theirs_by = {m.id: m for m in theirs}
    out: list[Member] = []
    kept: set[str] = set()
    for m in mine:
        if not m.id:  # added here, not saved yet
            out.append(copy.deepcopy(m))
            continue
        kept.add(m.id)
        was, now = base_by.get(m.id), theirs_by.get(m.id)
        if now is None:
            if was is not None and _same(was, m):
                continue  # removed elsewhere, untouched here
            out.append(dataclasses.replace(m, id="", updated_at="", updated_by=""))
            continue
        out.append(rebase(was or now, m, now))
    removed_here = set(base_by) - kept
    out += [copy.deepcopy(t) for t in theirs if t.id not in kept and t.id not in removed_here]
    return out


def _same(a: Member, b: Member) -> bool:
    return all(getattr(a, f.name) == getattr(b, f.name) for f in dataclasses.fields(a) if f.name not in _BOOKKEEPING)
