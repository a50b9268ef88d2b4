"""The demo's visits have kinds and item notes a clerk would recognise, and each passes the visit rules."""

from __future__ import annotations

from collections import Counter

import pytest

from app import resource_files
from app.demo import generator as synthetic
from app.domain import vocab


@pytest.fixture(scope="module")
def bundles():
    return list(synthetic.generate("small", "640424100", divisions=resource_files.divisions()))


def test_every_item_not_assured_has_its_own_note_and_every_visit_validates(bundles):
    noted = 0
    for bundle in bundles:
        for v in bundle.visits:
            v.validate()
            unassured = {attr for attr in vocab.CONCERNS if not getattr(v, attr)}
            assert set(v.item_notes) == unassured
            noted += len(unassured)
    assert noted > 20


def test_ad_hoc_kinds_follow_their_occasion(bundles):
    kinds: Counter[str] = Counter()
    for bundle in bundles:
        aid = {e.start_month for e in bundle.enrolments if e.programme == "临时救助"}
        ordered = sorted(bundle.visits, key=lambda v: v.visit_date)
        for before, v in zip([None, *ordered], ordered, strict=False):
            kinds[v.kind] += 1
            month = v.visit_date.strftime("%Y-%m")
            if v.kind == "临时救助入户":
                assert month in aid
            elif v.kind == "回访":
                # the visit before it found something: an item not assured or a risk sign
                assert before is not None and (before.concerns or before.risk_signs)
    assert kinds["常规核查"] > kinds["回访"] > 0
