"""Small builders for households and members used across tests."""

from __future__ import annotations

import itertools
from datetime import date

from app.domain import idnumber
from app.domain.entities import Household, Member

_counter = itertools.count(1)


def member(name: str, born: date, relation: str = "本人", male: bool = True, **kw) -> Member:
    # Odd sequence numbers are men, even are women (GB 11643).
    seq = (next(_counter) * 2 + (1 if male else 0)) % 1000
    return Member(name=name, id_number=idnumber.make("640424", born, seq), relation=relation, **kw)


def household(village: str = "640424100200", **kw) -> Household:
    kw.setdefault("categories", ["低保"])
    return Household(village_code=village, **kw)
