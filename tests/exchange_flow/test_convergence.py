"""Convergence: the same set of packages, applied in any order and any number of times, leaves the
county with the same rows and the same conflicts."""

from __future__ import annotations

import contextlib
import itertools
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.entities import Household
from app.errors import PackageReplayed
from app.services.office import open_session

from .conftest import PASSWORD, Office, clone, digests, edit_household, export_one

_counter = itertools.count()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_order_of_a_set_of_packages_converges(offices, tmp_path, data):
    county, a, b = offices
    packages = _packages(county, a, b, tmp_path)
    order = data.draw(st.permutations(packages))
    extra = data.draw(st.lists(st.sampled_from(packages), max_size=3))
    for p in extra:  # duplicates, anywhere
        order.insert(data.draw(st.integers(min_value=0, max_value=len(order))), p)
    target = tmp_path / f"county-{next(_counter)}"
    shutil.copytree(_template(county, tmp_path), target)
    fresh = Office(open_session(target, "admin", PASSWORD), target, county.card)
    try:
        for path in order:
            with contextlib.suppress(PackageReplayed):  # older than one applied: the newer carried it all
                fresh.session.packages.import_file(path)
        outcome = (digests(fresh), _conflicts(fresh))
        notes = {h.notes for h in fresh.session.store.repo(Household).where("owner_office = ?", (a.code,))}
        assert {"一号电脑改的", "二号电脑改的"} <= notes  # both PCs' changes arrived
    finally:
        fresh.session.close()
    expected = _first_outcome.setdefault(id(county), outcome)
    assert outcome == expected
    assert len(outcome[1]) == 1  # the one concurrent edit, whatever the order; edits on top are none
    assert outcome[0][a.code] != outcome[0].get(b.code)


_first_outcome: dict[int, tuple] = {}
_made: dict[int, list] = {}
_templates: dict[int, object] = {}


def _template(county, tmp_path):
    """The county's folder as it was before any import (copied once, then copied for each example)."""
    if id(county) not in _templates:
        copy = clone(county, tmp_path / "county-template")
        copy.session.close()
        _templates[id(county)] = copy.data_dir
    return _templates[id(county)]


def _packages(county, a, b, tmp_path):
    """Two packages of township A (the second cumulative), one of a second PC of A that changed
    another household and, concurrently, one the first PC changed too, and one of township B:
    made once per test."""
    if id(county) in _made:
        return _made[id(county)]
    _template(county, tmp_path)
    folder = tmp_path / "packages"
    first = export_one(a, county, folder)
    second_pc = clone(a, tmp_path / "a-pc2", replica="pc2")
    edit_household(a, "一号电脑改的", index=0)
    edit_household(a, "两台电脑都改了（一号）", index=2)
    second = export_one(a, county, folder)
    edit_household(second_pc, "二号电脑改的", index=1)
    edit_household(second_pc, "两台电脑都改了（二号）", index=2)  # beside the first PC's edit: a conflict
    other_pc = export_one(second_pc, county, tmp_path / "pc2-packages")
    second_pc.session.close()
    town_b = export_one(b, county, folder)
    _made[id(county)] = [first, second, other_pc, town_b]
    return _made[id(county)]


def _conflicts(office):
    return sorted((c["entity"], c["row_id"], c["lost_updated_at"]) for c in office.session.packages.conflicts())
