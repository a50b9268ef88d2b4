"""The deterministic synthetic register (docs/architecture.md §7 reference data sets)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date

import pytest

from app import resource_files
from app.demo import generator as synthetic
from app.domain import entities as ent
from app.domain import idnumber, vocab
from app.domain.divisions import DivisionError

TOWN = "640424100"  # 香水镇
END = "2026-11"
REF = date(2026, 11, 1)  # ages are taken on the first day of the last month
PARAMS = resource_files.policy_book().for_month(END)


@pytest.fixture(scope="module")
def tree():
    return resource_files.divisions()


@pytest.fixture(scope="module")
def small(tree):
    return list(synthetic.generate("small", TOWN, divisions=tree))


def rows(bundle):
    return [bundle.household, *bundle.members, *bundle.visits, *bundle.enrolments, *bundle.payments]


def test_same_seed_gives_identical_output(tree):
    a = list(synthetic.generate("small", TOWN, seed=7, households=40, divisions=tree))
    b = list(synthetic.generate("small", TOWN, seed=7, households=40, divisions=tree))
    assert a == b
    assert [x.id for bundle in a for x in rows(bundle)] == [x.id for bundle in b for x in rows(bundle)]


def test_different_seed_gives_different_output(tree):
    a = list(synthetic.generate("small", TOWN, seed=1, households=20, divisions=tree))
    b = list(synthetic.generate("small", TOWN, seed=2, households=20, divisions=tree))
    assert [x.household.id for x in a] != [x.household.id for x in b]
    assert [m.id_number for x in a for m in x.members] != [m.id_number for x in b for m in x.members]


def test_loads_divisions_itself_when_none_given(tree):
    with_tree = list(synthetic.generate("small", TOWN, households=5, divisions=tree))
    without = list(synthetic.generate("small", TOWN, households=5))
    assert with_tree == without


def test_profile_counts_and_override(small, tree):
    assert len(small) == 300
    assert len(list(synthetic.generate("county-L", "640424", households=12, divisions=tree))) == 12
    assert list(synthetic.generate("small", TOWN, households=0, divisions=tree)) == []


def test_bad_arguments(tree):
    with pytest.raises(ValueError, match="未知的数据规模"):
        list(synthetic.generate("huge", TOWN, divisions=tree))
    with pytest.raises(DivisionError):
        list(synthetic.generate("small", "640424999", divisions=tree))
    with pytest.raises(ValueError, match="应写作 YYYY-MM"):
        list(synthetic.generate("small", TOWN, end_month="November", divisions=tree))


def test_every_entity_validates_and_ids_are_unique(small):
    ids = set()
    for bundle in small:
        for row in rows(bundle):
            row.validate()
            assert row.id and row.id not in ids
            ids.add(row.id)
            assert row.owner_office == TOWN
            assert row.updated_at == "" and row.updated_by == "" and not row.deleted


def test_id_numbers_valid_unique_and_consistent(small):
    seen = set()
    for bundle in small:
        for m in bundle.members:
            info = idnumber.parse(m.id_number)
            assert m.id_number not in seen
            seen.add(m.id_number)
            assert info.birth_date == m.birth_date and info.sex == m.sex
            assert (int(m.id_number[16]) % 2 == 1) == (m.sex == "男")
            if m.birth_date.year >= 2001:
                assert info.region_code == "640424"
            else:
                assert info.region_code in ("642225", "640424") or info.region_code[:2] in ("64", "62")
    regions = Counter(idnumber.parse(n).region_code for n in seen)
    assert regions["642225"] > regions["640424"] * 0.5  # most older people carry the former code


def test_relations_consistent(small):
    for bundle in small:
        members = bundle.members
        assert 1 <= len(members) <= 7
        heads = [m for m in members if m.relation == "本人"]
        assert len(heads) == 1
        head = heads[0]
        assert members[0] is head and head.deceased_on is None
        assert bundle.household.head_name == head.name
        head_age = head.age_on(REF)
        spouses = [m for m in members if m.relation == "配偶"]
        assert len(spouses) <= 1
        for s in spouses:
            assert s.sex != head.sex and s.age_on(REF) >= 18
        for m in members:
            assert m.relation in ent.RELATIONS
            assert m.household_id == bundle.household.id
            age = m.age_on(REF)
            if m.relation in ("子", "女"):
                assert head_age - age >= 16
                assert m.sex == ("男" if m.relation == "子" else "女")
            if m.relation in ("孙子", "孙女"):
                assert head_age - age >= 36
            if m.relation in ("父亲", "母亲"):
                assert age - head_age >= 16
            if m.relation in ("父亲", "儿媳", "母亲"):
                assert m.sex == ("男" if m.relation == "父亲" else "女")


def test_labour_ability_schooling_and_disability_fit(small):
    for bundle in small:
        for m in bundle.members:
            age = m.age_on(REF)
            assert (m.labour_ability == "无") == (age < 18 or age > 60)
            if 6 <= age < 15:
                assert m.schooling in ("小学", "初中")
            if m.disability_type:
                assert m.disability_cert == m.id_number + "1234567"[
                    ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"].index(m.disability_type)
                ] + str(m.disability_grade)
                assert m.health == "残疾"
            if m.left_behind == "留守儿童":
                assert age < 16


def test_village_codes_belong_to_the_office(small, tree):
    own = {v.code for v in tree.villages(TOWN)}
    used = {b.household.village_code for b in small}
    assert used <= own
    assert len(used) > 10  # spread over the township


def test_county_office_uses_villages_of_every_township(tree):
    bundles = list(synthetic.generate("county-L", "640424", households=400, divisions=tree))
    towns = {tree.township_of(b.household.village_code).code for b in bundles}
    assert len(towns) == 7
    assert all(b.household.owner_office == "640424" for b in bundles)


def test_household_flags(small):
    watch_categories = {"监测户", "低收入", "低保", "特困", "低保边缘", "刚性支出困难", "临时救助"}
    for bundle in small:
        hh = bundle.household
        assert hh.under_watch == bool(watch_categories & set(hh.categories))
        assert hh.categories
        if not hh.under_watch:
            assert not bundle.visits
        if "特困" in hh.categories or "低保" in hh.categories:
            assert hh.risk_level >= 1
        assert hh.phone and hh.phone[0] == "1" and len(hh.phone) == 11


def test_visits_monthly_with_some_missed(small):
    months = [f"{y}-{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13)]
    window = set(months[months.index("2024-12") : months.index("2026-11") + 1])
    assert len(window) == 24
    watched = [b for b in small if b.household.under_watch]
    assert watched
    total = 0
    overdue = 0
    for bundle in watched:
        visited = [v.visit_date.strftime("%Y-%m") for v in bundle.visits]
        assert len(visited) == len(set(visited))  # at most one a month
        assert set(visited) <= window
        total += len(visited)
        overdue += END not in visited
        for v in bundle.visits:
            assert v.household_id == bundle.household.id
            assert "、" in v.visitors
    share = total / (24 * len(watched))
    assert 0.85 < share < 0.99
    assert overdue >= 1


def test_enrolments_and_payments_link_up(small):
    for bundle in small:
        members = {m.id: m for m in bundle.members}
        enrolments = {e.id: e for e in bundle.enrolments}
        for e in bundle.enrolments:
            assert e.household_id == bundle.household.id
            if e.member_id:
                assert e.member_id in members
            if e.programme == "高龄补贴":
                assert members[e.member_id].age_on(REF) >= 80
            if e.programme in ("困难残疾人生活补贴", "重度残疾人护理补贴"):
                assert members[e.member_id].disability_type
            if e.programme == "低保" and e.status == "在保":
                assert e.class_code in ("一类", "二类", "三类")
                # Amounts come from the policy book: never above the standard for each person covered.
                standard = PARAMS.standard_monthly_fen(bundle.household.urban)
                assert 0 < e.monthly_amount_fen <= standard * max(e.persons_covered, 1)
            if e.programme == "高龄补贴":
                assert e.monthly_amount_fen == PARAMS.gaoling_amount_fen(members[e.member_id].age_on(REF))
        per_month: Counter[tuple[str, str]] = Counter()
        for p in bundle.payments:
            e = enrolments[p.enrolment_id]
            assert p.household_id == bundle.household.id and p.member_id == e.member_id
            assert p.programme == e.programme and p.kind == "regular"
            assert p.amount_fen == e.monthly_amount_fen
            assert e.start_month <= p.month <= (e.end_month or END)
            assert e.status in ("在保", "渐退", "停保")
            assert p.locked == (p.month < END)
            assert "2024-12" <= p.month <= END
            per_month[(p.enrolment_id, p.month)] += 1
        assert all(n == 1 for n in per_month.values())


def test_category_shares_and_sizes_on_township_m(tree):
    start = time.perf_counter()
    households = members = dibao = tekun = monitored = hui = 0
    for bundle in synthetic.generate("township-M", TOWN, divisions=tree):
        households += 1
        members += len(bundle.members)
        cats = bundle.household.categories
        dibao += "低保" in cats
        tekun += "特困" in cats
        monitored += "监测户" in cats
        hui += sum(m.ethnicity == "回族" for m in bundle.members)
    elapsed = time.perf_counter() - start
    assert households == 6000
    assert 18_000 <= members <= 22_000
    assert 0.06 < dibao / households < 0.10
    assert 0.008 < tekun / households < 0.025
    assert 0.06 < monitored / households < 0.14
    assert 0.3 < hui / members < 0.9
    assert elapsed < 20, f"township-M took {elapsed:.1f} s"


def test_county_l_ratio_on_a_sample(tree):
    sample = list(synthetic.generate("county-L", "640424", households=3000, divisions=tree))
    members = sum(len(b.members) for b in sample)
    assert abs(members / len(sample) - 130_000 / 40_000) < 0.1 * 130_000 / 40_000
    hui = sum(m.ethnicity == "回族" for b in sample for m in b.members) / members
    assert 0.55 < hui < 0.8  # about two-thirds Hui county-wide


def test_incomes_sit_on_the_right_side_of_the_dibao_standard():
    """低保 households earn under the standard per person; ordinary households over it (rural 460, urban 650 元)."""
    from app.demo.generator import generate

    checked = {"低保": 0, "一般户": 0}
    for b in generate("small", "640424100", seed=11):
        living = [m for m in b.members if m.deceased_on is None]
        counted = sum(i.amount_fen for i in b.income if i.kind != "刚性支出" and i.subtype != "城乡居民基础养老金")
        per_capita_month = counted / 12 / len(living)
        standard = (650 if b.household.urban else 460) * 100
        for i in b.income:
            i.validate()
            assert i.household_id == b.household.id
        if "低保" in b.household.categories:
            assert per_capita_month < standard
            checked["低保"] += 1
        elif b.household.categories == ["一般户"]:
            assert per_capita_month > standard
            checked["一般户"] += 1
    assert checked["低保"] > 5 and checked["一般户"] > 50


def test_demo_visits_note_risk_signs_the_rules_know(small):
    """The demo's disasters are written with the rules' word, so they raise the disaster alert."""
    signs = {sign for bundle in small for v in bundle.visits for sign in v.risk_signs}
    assert signs <= set(vocab.RISK_SIGNS)
    assert vocab.DISASTER in signs and vocab.ILLNESS in signs
