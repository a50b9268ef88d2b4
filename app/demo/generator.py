"""A deterministic synthetic register for the demo office, tests and benchmarks.

Every person is fictitious. The same ``(profile, office_code, seed, end_month,
households)`` always gives the same households, members, visits, enrolments and
payments, ids included (ids come from :func:`app.domain.ids.uuid7` fed by the one
seeded ``random.Random``). Pure Python, no numpy, no database: the villages come from a
:class:`~app.domain.divisions.DivisionTree` passed in as ``divisions=`` and the amounts
from the policy book passed in as ``policy=`` (the figures in force in ``end_month``);
when either is omitted the bundled file is loaded through :mod:`app.resource_files`.
It lives outside the domain because it is demo tooling, not a rule: the rules, the
vocabularies (risk signs, housing) and the month arithmetic it uses are the domain's.

Profiles (docs/architecture.md §7):

=============  ==========  =================  ======
profile        households  members (approx.)  months
=============  ==========  =================  ======
small          300         ~1,000             24
township-M     6,000       ~20,000            24
county-L       40,000      ~130,000           24
=============  ==========  =================  ======

What is plausible about it (docs/domain.md §2, §7.1, §8): about two-thirds Hui
families (villages vary from almost all Hui to mostly Han); households of 1–7
(mean ≈ 3.3) built as head + spouse + children, elderly parents, or a
three-generation family around an older head, with ages that fit the relations;
valid ID numbers, 640424 for people born 2001 on and mostly the former code 642225
before, odd sequence for men and even for women; labour ability from age (无 under 18 or
over 60) and health; disabilities with type, grade and a 20-character certificate
number (ID + type + grade); serious illness; schooling for children; 三留守;
categories (≈8 % 低保, ≈1.5 % 特困, ≈10 % 监测户, many 脱贫户) with a risk level;
monthly visits for households under watch with ≈5 % missed; enrolments in 低保, 特困,
高龄补贴, the two disability subsidies and 临时救助, and one regular payment per
enrolment per month in force (locked before ``end_month``).

Amounts follow the policy book (standards, 特困, 高龄, the disability subsidies); the dibao
classes' shares of the standard are illustrative (the Ningxia classes are open items, docs/domain.md §9.3).
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import TYPE_CHECKING, ClassVar

from ..domain import idnumber, money, months, vocab
from ..domain.entities import Enrolment, Household, IncomeRecord, Member, Payment, Visit
from ..domain.ids import uuid7
from ..domain.policy.params import Params, PolicyBook
from . import names

if TYPE_CHECKING:  # pragma: no cover
    from ..domain.divisions import Division, DivisionTree


@dataclass(frozen=True)
class Profile:
    name: str
    households: int
    months: int


PROFILES: dict[str, Profile] = {
    "small": Profile("small", 300, 24),
    "township-M": Profile("township-M", 6000, 24),
    "county-L": Profile("county-L", 40000, 24),
}


@dataclass
class Bundle:
    """One household with everything that belongs to it."""

    household: Household
    members: list[Member] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    income: list[IncomeRecord] = field(default_factory=list)


# --- small helpers ------------------------------------------------------------

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_CST_OFFSET_MS = 8 * 3600 * 1000
_WATCH_CATEGORIES = frozenset(("监测户", "低收入", "低保", "特困", "低保边缘", "刚性支出困难", "临时救助"))
HUI_SHARE_CHOICES = ((0.95, 3), (0.9, 2), (0.8, 2), (0.5, 2), (0.25, 2), (0.08, 2))
SIZE_WEIGHTS = ((1, 12), (2, 20), (3, 22), (4, 24), (5, 13), (6, 6), (7, 3))
DISABILITY_TYPE_WEIGHTS = (
    ("肢体", 40),
    ("听力", 15),
    ("视力", 12),
    ("精神", 12),
    ("智力", 10),
    ("多重", 8),
    ("言语", 3),
)
DISABILITY_TYPE_DIGIT = {"视力": "1", "听力": "2", "言语": "3", "肢体": "4", "智力": "5", "精神": "6", "多重": "7"}
# The share of the monthly standard a dibao class pays per person (illustrative: the book's classes
# are 差额 placeholders until the county confirms its tiers).
DIBAO_CLASS_SHARE = {"一类": 0.4, "二类": 0.3, "三类": 0.2}
BASIC_PENSION_ANNUAL_FEN = 158400  # 城乡居民基础养老金 a person over 60 receives (excluded from 低保 income)
# A month index is year × 12 + month − 1, so that index // 12 is the year; year 1 starts at 12.
_EPOCH_MONTH, _EPOCH_INDEX = "0001-01", 12


def _month_index(ym: str) -> int:
    return months.diff(ym, _EPOCH_MONTH) + _EPOCH_INDEX


def _month_str(index: int) -> str:
    return months.add(_EPOCH_MONTH, index - _EPOCH_INDEX)


def _month_first(index: int) -> date:
    return months.first_day(_month_str(index))


def _ts_ms(day: date, rng: random.Random) -> int:
    """Epoch milliseconds of a moment in office hours (08:30–17:30 Beijing time) on ``day``."""
    return (day.toordinal() - _EPOCH_ORDINAL) * 86_400_000 - _CST_OFFSET_MS + 30_600_000 + rng.randrange(32_400_000)


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _weighted(pairs):
    values = [v for v, _ in pairs]
    cum = list(accumulate(w for _, w in pairs))
    return values, cum


class _Picker:
    """Fast weighted choice with precomputed cumulative weights."""

    __slots__ = ("cum", "total", "values")

    def __init__(self, pairs):
        self.values, self.cum = _weighted(pairs)
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.values[bisect(self.cum, rng.random() * self.total)]


_HUI_SURNAME = _Picker(names.HUI_SURNAMES)
_HAN_SURNAME = _Picker(names.HAN_SURNAMES)
_SIZE = _Picker(SIZE_WEIGHTS)
_DISABILITY_TYPE = _Picker(DISABILITY_TYPE_WEIGHTS)
_HUI_SHARE = _Picker(HUI_SHARE_CHOICES)


def _birth_date(m: Member) -> date:
    """Every member the generator makes has a birth date (taken from the ID number it draws)."""
    assert m.birth_date is not None
    return m.birth_date


def _cohort(birth_year: int) -> int:
    if birth_year < 1955:
        return 0
    if birth_year < 1980:
        return 1
    if birth_year < 2000:
        return 2
    return 3


def resolve_villages(divisions: DivisionTree, office_code: str) -> list[Division]:
    """The villages an office covers: a township's (9 or 12 digits) or, for the county, all of them."""
    return divisions.villages_under(office_code)


# --- the generator ------------------------------------------------------------


@dataclass
class _Person:
    relation: str
    sex: str
    age: int
    surname: str
    ethnicity: str
    born_elsewhere: bool = False


class _Generator:
    def __init__(
        self,
        profile: Profile,
        office_code: str,
        *,
        office12: str,
        seed: int,
        end_month: str,
        villages: list[Division],
        town_names: dict[str, str],
        params: Params,
    ):
        self.office = office_code  # written to owner_office exactly as given
        self.params = params
        self.rng = random.Random(f"doudi-synthetic/{seed}/{office12}")
        self.end_index = _month_index(end_month)
        self.end_month = _month_str(self.end_index)
        self.start_index = self.end_index - profile.months + 1
        self.window_start = _month_first(self.start_index)
        # Ages are taken on the first day of the last month; nobody is born after it,
        # so every birth date is in the past whenever the data is loaded in or after end_month.
        self.ref = _month_first(self.end_index)
        self.used_ids: set[str] = set()
        self.villages = villages
        self.town_names = town_names
        rng = self.rng
        weights = [(v, (1.5 if v.urban else 1.0) * rng.uniform(0.5, 1.5)) for v in villages]
        self.village_pick = _Picker(weights)
        self.village_info = {}
        staff = [self._adult_name(rng.random() < 0.7) for _ in range(6)]
        self.staff = staff
        for v in villages:
            self.village_info[v.code] = {
                "hui": _HUI_SHARE(rng),
                "groups": rng.randint(4, 10),
                "cadres": [self._adult_name(rng.random() < 0.7) for _ in range(2)],
            }

    # names ---------------------------------------------------------------
    def _surname(self, hui: bool) -> str:
        return (_HUI_SURNAME if hui else _HAN_SURNAME)(self.rng)

    def _given(self, sex: str, birth_year: int) -> str:
        return self.rng.choice(names.GIVEN_NAMES[(sex, _cohort(birth_year))])

    def _adult_name(self, hui: bool) -> str:
        sex = "男" if self.rng.random() < 0.6 else "女"
        return self._surname(hui) + self._given(sex, self.rng.randint(1965, 1995))

    def _phone(self) -> str:
        rng = self.rng
        return rng.choice(names.PHONE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"

    # people --------------------------------------------------------------
    def _birth(self, age: int) -> date:
        hi = _years_before(self.ref, age)
        lo = _years_before(self.ref, age + 1) + timedelta(days=1)
        return date.fromordinal(self.rng.randint(lo.toordinal(), hi.toordinal()))

    def _id_number(self, born: date, sex: str, elsewhere: bool) -> str:
        rng = self.rng
        if born.year >= 2001:
            region = "640424"
        elif elsewhere:
            region = rng.choice(names.NEIGHBOUR_REGIONS)
        else:
            region = "642225" if rng.random() < 0.85 else "640424"
        odd = 1 if sex == "男" else 0
        seq = rng.randrange(500) * 2 + odd
        number = idnumber.make(region, born, seq)
        while number in self.used_ids:
            seq = (seq + 2) % 1000
            number = idnumber.make(region, born, seq)
        self.used_ids.add(number)
        return number

    def _family(self, size: int, hui: bool, kind: str) -> list[_Person]:
        """Relations, sexes and ages for one household that fit together."""
        rng = self.rng

        def eth(h: bool) -> str:
            return "回族" if h else "汉族"

        def spouse_of(p: _Person) -> _Person:
            h = hui if rng.random() < 0.95 else not hui
            sex = "女" if p.sex == "男" else "男"
            age = max(20, p.age + (rng.randint(-6, 1) if sex == "女" else rng.randint(0, 6)))
            return _Person("配偶", sex, age, self._surname(h), eth(h), born_elsewhere=rng.random() < 0.06)

        surname = self._surname(hui)
        if size == 1:
            return [self._alone(kind, surname, eth(hui))]

        if kind == "特困":  # an elderly couple or siblings with no one to support them
            head = _Person("本人", "男", rng.randint(62, 88), surname, eth(hui))
            if rng.random() < 0.8:
                return [head, spouse_of(head)]
            sib_sex = "男" if rng.random() < 0.5 else "女"
            return [
                head,
                _Person(
                    "兄弟" if sib_sex == "男" else "姐妹",
                    sib_sex,
                    max(55, head.age + rng.randint(-8, 8)),
                    surname,
                    eth(hui),
                ),
            ]

        if size >= 4 and rng.random() < 0.3:
            # three generations around an older head: head (+ spouse), a married son, grandchildren
            head_sex = "男" if rng.random() < 0.8 else "女"
            head = _Person(
                "本人", head_sex, rng.randint(55, 80), surname if head_sex == "男" else self._surname(hui), eth(hui)
            )
            people = [head]
            if head_sex == "男" and rng.random() < 0.85:
                people.append(spouse_of(head))
            father_age = head.age if head_sex == "男" else head.age + rng.randint(0, 5)
            son_surname = surname
            son_age = max(24, father_age - rng.randint(22, 32))
            people.append(_Person("子", "男", son_age, son_surname, eth(hui)))
            people.append(
                _Person(
                    "儿媳",
                    "女",
                    max(20, son_age + rng.randint(-5, 1)),
                    self._surname(hui),
                    eth(hui),
                    born_elsewhere=rng.random() < 0.08,
                )
            )
            max_child = max(0, son_age - 20)
            while len(people) < size:
                child_sex = "男" if rng.random() < 0.52 else "女"
                people.append(
                    _Person(
                        "孙子" if child_sex == "男" else "孙女",
                        child_sex,
                        rng.randint(0, max_child),
                        son_surname,
                        eth(hui),
                    )
                )
            return people

        # nuclear family, perhaps with the head's elderly parents
        head_sex = "男" if rng.random() < 0.88 else "女"
        head = _Person(
            "本人", head_sex, rng.randint(24, 62), surname if head_sex == "男" else self._surname(hui), eth(hui)
        )
        people = [head]
        has_spouse = head_sex == "男" and rng.random() < 0.9
        if has_spouse:
            people.append(spouse_of(head))
        child_surname = surname
        slots = size - len(people)
        parents = 0
        if head.age <= 55 and slots >= 1 and (slots > 3 or rng.random() < 0.2):
            parents = 2 if slots >= 3 and rng.random() < 0.6 else 1
        kids = slots - parents
        if parents:
            p_surname = surname if head_sex == "男" else head.surname
            father_age = min(96, head.age + rng.randint(22, 34))
            mother_age = max(head.age + 19, father_age - rng.randint(0, 6))
            if parents == 2:
                people.append(_Person("父亲", "男", father_age, p_surname, head.ethnicity))
                people.append(_Person("母亲", "女", mother_age, self._surname(hui), head.ethnicity))
            elif rng.random() < 0.6:  # widowed mothers outlive fathers
                people.append(_Person("母亲", "女", mother_age, self._surname(hui), head.ethnicity))
            else:
                people.append(_Person("父亲", "男", father_age, p_surname, head.ethnicity))
        oldest = max(0, min(head.age - 20, 28))
        age = rng.randint(max(0, oldest - 6), oldest) if kids else 0
        for _ in range(kids):
            child_sex = "男" if rng.random() < 0.52 else "女"
            people.append(_Person("子" if child_sex == "男" else "女", child_sex, age, child_surname, head.ethnicity))
            age = max(0, age - rng.randint(1, 4))
        return people

    def _alone(self, kind: str, surname: str, ethnicity: str) -> _Person:
        """The one person of a single-person household: mostly elderly."""
        rng = self.rng
        if kind == "特困":
            age = rng.randint(25, 59) if rng.random() < 0.2 else min(95, int(rng.triangular(60, 96, 74)))
        elif rng.random() < 0.75:
            age = min(95, int(rng.triangular(55, 95, 72)))
        else:
            age = rng.randint(25, 60)
        sex = "男" if rng.random() < 0.55 else "女"
        return _Person("本人", sex, age, surname, ethnicity)

    # one household -------------------------------------------------------
    # The steps below draw from self.rng in a fixed order: reordering them changes every
    # household after the first, so a seed would no longer give the same demo office.
    def household(self) -> Bundle:
        rng = self.rng
        village = self.village_pick(rng)
        vinfo = self.village_info[village.code]
        urban = village.name.endswith("居委会") or (village.urban and rng.random() < 0.3)
        hui = rng.random() < (vinfo["hui"] * (0.6 if urban else 1.0))

        # category group first, then a family that fits it
        kind = self._kind()
        size = (1 if rng.random() < 0.85 else 2) if kind == "特困" else _SIZE(rng)
        people = self._family(size, hui, kind)
        categories = self._categories(kind, urban)
        watch = any(c in _WATCH_CATEGORIES for c in categories)
        severity = 2 if kind in ("特困", "低保") else (1 if watch else 0)

        reg_day = date.fromordinal(self.rng.randint(date(2019, 1, 2).toordinal(), self.window_start.toordinal() - 1))
        ts = _ts_ms(reg_day, rng)
        hh_id = uuid7(ts, rng)

        members = [self._member(p, hh_id, ts, severity) for p in people]
        if severity == 2:
            self._health_reason(members)
        head = members[0]
        if kind == "特困" and head.age_on(self.ref) < 60 and head.disability_grade not in (1, 2):
            self._disable(head, grade=rng.choice((1, 2)))
            self._fix_labour(head)
        head_phone = self._phone()
        self._left_behind(members, urban)
        self._deaths(members)
        risk = self._risk(kind, watch, categories)
        causes = self._causes(members, watch)
        group, address, housing = self._address(village, vinfo["groups"], urban)

        hh = Household(
            id=hh_id,
            owner_office=self.office,
            village_code=village.code,
            group_name=group,
            address=address,
            phone=head_phone,
            head_name=head.name,
            categories=categories,
            risk_level=risk,
            urban=urban,
            under_watch=watch,
            poverty_causes=causes,
            housing=housing,
        )
        bundle = Bundle(household=hh, members=members)
        self._enrolments(bundle, kind)
        if bundle.enrolments:
            self._bank_and_filing(hh, hui)
        if watch:
            self._visits(bundle, village.code)
        self._income(bundle, kind)
        return bundle

    def _kind(self) -> str:
        r = self.rng.random()
        if r < 0.015:
            return "特困"
        if r < 0.095:
            return "低保"
        return "other"

    def _categories(self, kind: str, urban: bool) -> list[str]:
        rng = self.rng
        categories: list[str] = []
        if kind in ("特困", "低保"):
            categories.append(kind)
            if kind == "低保" and rng.random() < 0.25:
                categories.append("监测户")
        else:
            r = rng.random()
            if not urban and r < 0.10:
                categories.append("监测户")
            elif r < 0.11:
                categories.append("低保边缘")
            elif r < 0.12:
                categories.append("刚性支出困难")
            elif r < 0.135:
                categories.append("低收入")
            elif r < 0.145:
                categories.append("临时救助")
        if not urban and rng.random() < 0.45:
            categories.insert(0, "脱贫户")
        if not categories:
            categories.append("一般户")
        return categories

    def _health_reason(self, members: list[Member]) -> None:
        """A 低保 / 特困 household without any health reason usually has one."""
        rng = self.rng
        if any(m.disability_type or m.serious_illness for m in members) or rng.random() >= 0.6:
            return
        adults = [m for m in members if m.age_on(self.ref) >= 16] or members
        m = rng.choice(adults)
        if rng.random() < 0.6:
            self._disable(m)
        else:
            m.serious_illness = True
            m.health = "重病"
        self._fix_labour(m)

    def _left_behind(self, members: list[Member], urban: bool) -> None:
        """三留守: the working-age head works away and leaves the others behind."""
        rng = self.rng
        head = members[0]
        if not urban and rng.random() < 0.08 and 20 <= head.age_on(self.ref) <= 55 and len(members) > 1:
            head.employed = True
            head.notes = "外出务工"
            for m in members[1:]:
                age = m.age_on(self.ref)
                if age < 16:
                    m.left_behind = "留守儿童"
                elif m.relation == "配偶" and m.sex == "女" and age < 60:
                    m.left_behind = "留守妇女"
                elif age >= 60:
                    m.left_behind = "留守老人"
        elif len(members) == 1 and head.age_on(self.ref) >= 65 and rng.random() < 0.25:
            head.left_behind = "留守老人"

    def _deaths(self, members: list[Member]) -> None:
        """A few deceased members (never the head)."""
        rng = self.rng
        for m in members[1:]:
            age = m.age_on(self.ref)
            if rng.random() < (0.03 if age >= 70 else 0.0015):
                lo = max(self.window_start.toordinal(), _birth_date(m).toordinal())
                m.deceased_on = date.fromordinal(rng.randint(lo, self.ref.toordinal()))

    def _risk(self, kind: str, watch: bool, categories: list[str]) -> int:
        rng = self.rng
        if kind == "特困":
            return rng.choice((2, 2, 3))
        if kind == "低保":
            return rng.choice((1, 2, 2, 3))
        if watch:
            return rng.choice((1, 1, 2, 3))
        if "脱贫户" in categories:
            return 1 if rng.random() < 0.15 else 0
        return 0

    def _causes(self, members: list[Member], watch: bool) -> list[str]:
        rng = self.rng
        causes = []
        if any(m.disability_type for m in members):
            causes.append("残疾")
        if any(m.serious_illness or m.health == "慢性病" for m in members):
            causes.append("疾病")
        if any(m.schooling in ("高中", "中职", "大专及以上") for m in members) and rng.random() < 0.5:
            causes.append("因学")
        if not any(m.labour_ability == "有" and m.deceased_on is None for m in members):
            causes.append("缺乏劳动力")
        if watch and rng.random() < 0.05:
            causes.append("灾害")
        if watch and not causes:
            causes.append("其他")
        if not watch:
            causes = []
        return causes

    def _address(self, village: Division, groups: int, urban: bool) -> tuple[str, str, str]:
        """(village group, address, housing)."""
        rng = self.rng
        group = names.GROUP_NUMERALS[rng.randrange(groups)] + "组"
        town = self.town_names.get(village.parent, "")
        if urban:
            address = f"泾源县{town}{village.short_name}{rng.randint(1, 120)}号"
            housing = rng.choice(vocab.URBAN_HOUSING)
        else:
            address = f"泾源县{town}{village.short_name}{group}"
            housing = rng.choice(vocab.RURAL_HOUSING)
        return group, address, housing

    def _bank_and_filing(self, hh: Household, hui: bool) -> None:
        """The account benefits are paid into; now and then an official's relative (备案)."""
        rng = self.rng
        hh.bank_name = rng.choice(names.BANKS)
        hh.bank_account = "6230" + "".join(str(rng.randrange(10)) for _ in range(15))
        if rng.random() < 0.01:
            hh.official_relative = True
            hh.official_relative_note = (
                f"户主与{rng.choice(names.CADRE_POSTS)}{self._adult_name(hui)}"
                f"系{rng.choice(names.OFFICIAL_RELATIONS)}关系，已备案。"
            )

    # Per-capita monthly income by group, as a share of the 低保 standard in force in end_month:
    # 低保 below it, 低保边缘 between 1× and 1.5×, the others above. Illustrative, not survey data.
    INCOME_BANDS: ClassVar[dict[str, tuple[float, float]]] = {
        "特困": (0.0, 0.4),
        "低保": (0.15, 0.85),
        "低保边缘": (1.02, 1.45),
        "低收入": (1.05, 1.6),
        "监测户": (1.1, 2.2),
        "刚性支出困难": (1.3, 2.5),
        "临时救助": (0.9, 2.0),
        "other": (1.8, 5.5),
    }

    def _income(self, bundle: Bundle, kind: str) -> None:
        """The household's income items over the last 12 months, for the assessment screens.

        A separate generator seeded by the household id keeps every other figure of the
        synthetic register as it was before incomes were added.
        """
        hh = bundle.household
        rng = random.Random(hh.id)
        group = (
            kind
            if kind in ("特困", "低保")
            else next(
                (c for c in ("低保边缘", "低收入", "刚性支出困难", "临时救助", "监测户") if c in hh.categories), "other"
            )
        )
        lo, hi = self.INCOME_BANDS[group]
        living = [m for m in bundle.members if m.deceased_on is None]
        standard = self.params.standard_monthly_fen(hh.urban) / 100
        monthly = rng.uniform(lo, hi) * standard * len(living)  # 元 per month for the household
        annual_fen = int(monthly * 12) // 100 * 10000  # whole hundreds of 元
        items: list[IncomeRecord] = []

        def add(kind_: str, subtype: str, fen: int, member: Member | None = None, note: str = "") -> None:
            if fen > 0:
                items.append(
                    IncomeRecord(
                        id=uuid7(self._income_ts, rng),
                        owner_office=self.office,
                        household_id=hh.id,
                        member_id=member.id if member else "",
                        kind=kind_,
                        subtype=subtype,
                        amount_fen=fen,
                        months=12,
                        note=note,
                    )
                )

        workers = [m for m in living if m.employed]
        wage = annual_fen * (6 if workers else 0) // 10
        if workers:
            add("工资性", "务工", wage, workers[0], rng.choice(("县城务工", "外出务工", "灵活就业", "公益性岗位")))
        farm = (annual_fen - wage) * (7 if not hh.urban else 3) // 10
        add("经营净收入", "养殖" if rng.random() < 0.4 else "种植", farm // 100 * 100)
        add("转移净收入", "赡养费", annual_fen - wage - farm // 100 * 100)
        for m in living:
            if m.age_on(self.ref) >= 60:
                # Excluded from 低保 income in 2021–2025 (S1); listed because the household receives it.
                add("转移净收入", "城乡居民基础养老金", BASIC_PENSION_ANNUAL_FEN, m)
        if group == "刚性支出困难":
            sick = next((m for m in living if m.serious_illness or m.disability_type), None)
            add("刚性支出", "医疗自付", rng.randint(80, 300) * 10000, sick, "住院及门诊自付部分")
        bundle.income = items

    @property
    def _income_ts(self) -> int:
        return _ts_ms(self.ref, random.Random(0))

    def _member(self, p: _Person, hh_id: str, ts: int, severity: int) -> Member:
        rng = self.rng
        born = self._birth(p.age)
        number = self._id_number(born, p.sex, p.born_elsewhere)
        m = Member(
            id=uuid7(ts, rng),
            owner_office=self.office,
            household_id=hh_id,
            name=p.surname + self._given(p.sex, born.year),
            id_number=number,
            relation=p.relation,
            sex=p.sex,
            birth_date=born,
            ethnicity=p.ethnicity,
        )
        age = p.age
        p_dis = (0.03, 0.06, 0.14)[severity] * (2.0 if age >= 60 else 1.0)
        if age >= 3 and rng.random() < p_dis:
            self._disable(m)
        elif age >= 18 and rng.random() < (0.008, 0.03, 0.06)[severity]:
            m.serious_illness = True
            m.health = "重病"
        elif age >= 45 and rng.random() < (0.15, 0.25, 0.35)[severity]:
            m.health = "慢性病"
        # schooling
        if age < 3:
            m.schooling = ""
        elif age < 6:
            m.schooling = "学龄前"
        elif age < 12:
            m.schooling = "小学"
        elif age < 15:
            m.schooling = "初中"
        elif age < 18:
            r = rng.random()
            m.schooling = "高中" if r < 0.6 else ("中职" if r < 0.9 else "失学")
        elif age < 22 and rng.random() < 0.4:
            m.schooling = "大专及以上"
        elif age >= 65 and rng.random() < 0.5:
            m.schooling = "文盲或半文盲"
        m.pension_insurance = age >= 16 and not m.schooling and rng.random() < 0.8
        m.medical_insurance = rng.random() < 0.985
        m.employed = 18 <= age <= 60 and m.health == "健康" and rng.random() < 0.55
        if age >= 90:
            m.self_care = "全失能" if rng.random() < 0.15 else ("半失能" if rng.random() < 0.4 else m.self_care)
        elif age >= 85 and rng.random() < 0.3:
            m.self_care = "半失能"
        self._fix_labour(m)
        return m

    def _disable(self, m: Member, grade: int = 0) -> None:
        rng = self.rng
        kind = _DISABILITY_TYPE(rng)
        if not grade:
            r = rng.random()
            grade = 1 if r < 0.15 else (2 if r < 0.4 else (3 if r < 0.7 else 4))
        m.disability_type = kind
        m.disability_grade = grade
        m.disability_cert = m.id_number + DISABILITY_TYPE_DIGIT[kind] + str(grade)
        m.health = "残疾"
        m.serious_illness = False
        if grade == 1:
            m.self_care = "全失能" if rng.random() < 0.6 else "半失能"
        elif grade == 2 and rng.random() < 0.5:
            m.self_care = "半失能"
        m.employed = False

    def _fix_labour(self, m: Member) -> None:
        age = m.age_on(self.ref)
        if age < 18 or age > 60:
            m.labour_ability = "无"
        elif m.disability_grade in (1, 2) or m.self_care == "全失能":
            m.labour_ability = "完全丧失"
        elif m.disability_grade in (3, 4):
            m.labour_ability = "部分丧失"
        elif m.serious_illness:
            m.labour_ability = "完全丧失" if self.rng.random() < 0.4 else "部分丧失"
        else:
            m.labour_ability = "有"
        if m.labour_ability != "有":
            m.employed = False

    # enrolments and payments ---------------------------------------------
    def _approval(self, start_index: int):
        """Workflow dates that end with payment from ``start_index``."""
        rng = self.rng
        approved = _month_first(start_index) - timedelta(days=rng.randint(3, 20))
        publicity_to = approved - timedelta(days=rng.randint(2, 6))
        publicity_from = publicity_to - timedelta(days=6)
        applied = publicity_from - timedelta(days=rng.randint(15, 35))
        return applied, publicity_from, publicity_to, approved

    def _enrol(  # noqa: PLR0913 - an enrolment's fields, as keywords like the services take them
        self,
        bundle: Bundle,
        programme: str,
        start_index: int,
        *,
        member: Member | None = None,
        amount: int,
        persons: int,
        class_code: str = "",
        single: bool = False,
        status: str = "在保",
        end_index: int | None = None,
        grace_index: int | None = None,
        reason: str = "",
    ) -> Enrolment:
        rng = self.rng
        applied, pub_from, pub_to, approved = self._approval(start_index)
        e = Enrolment(
            id=uuid7(_ts_ms(applied, rng), rng),
            owner_office=self.office,
            household_id=bundle.household.id,
            member_id=member.id if member else "",
            programme=programme,
            class_code=class_code,
            single_person=single,
            status=status,
            applied_on=applied,
            publicity_from=pub_from,
            publicity_to=pub_to,
            approved_on=approved,
            start_month=_month_str(start_index),
            end_month=_month_str(end_index) if end_index is not None else None,
            grace_until=_month_str(grace_index) if grace_index is not None else None,
            monthly_amount_fen=amount,
            persons_covered=persons,
            reason=reason,
        )
        bundle.enrolments.append(e)
        # payments: every month in force inside the window
        last = self.end_index
        if end_index is not None:
            last = min(last, end_index)
        if grace_index is not None:
            last = min(last, grace_index)
        first = max(start_index, self.start_index)
        hh_id = bundle.household.id
        member_id = e.member_id
        end_month = self.end_month
        for mi in range(first, last + 1):
            month = _month_str(mi)
            pay_day = date(mi // 12, mi % 12 + 1, 20)
            # The roster code marks lines the same way, so the 增减名单 compares like with like.
            flags = (["单人保"] if single else []) + (
                ["渐退"] if grace_index is not None and mi > grace_index - 6 else []
            )
            bundle.payments.append(
                Payment(
                    id=uuid7(_ts_ms(pay_day, rng), rng),
                    owner_office=self.office,
                    month=month,
                    household_id=hh_id,
                    member_id=member_id,
                    enrolment_id=e.id,
                    programme=programme,
                    kind="regular",
                    amount_fen=amount,
                    persons=persons,
                    locked=month < end_month,
                    class_code=class_code,
                    flags=flags,
                )
            )
        return e

    def _dibao_amount(self, class_code: str, persons: int, *, single: bool = False) -> int:
        """A household's monthly 低保 in whole 元: the class's share of the standard per person,
        at least one share and at most four (a single-person enrolment gets one and a half)."""
        standard = self.params.rural_standard_monthly_fen
        per_person = money.mul_half_up(standard, Decimal(str(DIBAO_CLASS_SHARE[class_code])))
        if single:
            return per_person * 3 // 2 // 100 * 100
        amount = per_person * min(max(persons, 1), 4)
        return amount - amount % 100

    def _death_index(self, m: Member) -> int | None:
        """Last month paid for someone who died: the month of death."""
        if m.deceased_on is None:
            return None
        return m.deceased_on.year * 12 + m.deceased_on.month - 1

    def _start_index(self, earliest: int) -> int:
        lo = max(earliest, _month_index("2016-01"))
        return self.rng.randint(min(lo, self.end_index), self.end_index)

    def _enrolments(self, bundle: Bundle, kind: str) -> None:
        self._household_enrolments(bundle, kind)
        self._personal_enrolments(bundle, in_dibao=kind == "低保")

    def _household_enrolments(self, bundle: Bundle, kind: str) -> None:
        """低保, 特困 or 临时救助 for the household, or a 低保 application or stop."""
        rng = self.rng
        members = bundle.members
        living = [m for m in members if m.deceased_on is None]
        cats = bundle.household.categories
        if kind == "低保":
            cls = rng.choices(("一类", "二类", "三类"), (25, 45, 30))[0]
            candidates = [
                m
                for m in living
                if (
                    m.disability_grade in (1, 2)
                    or m.serious_illness
                    or (m.disability_type in ("智力", "精神") and m.disability_grade == 3)
                )
            ]
            single = bool(candidates) and len(living) > 1 and rng.random() < 0.25
            start = self._start_index(_month_index("2016-01"))
            status, grace = "在保", None
            if rng.random() < 0.05 and start < self.end_index - 6:
                status, grace = "渐退", self.end_index + rng.randint(0, 5)
            if single:
                who = rng.choice(candidates)
                self._enrol(
                    bundle,
                    "低保",
                    start,
                    member=who,
                    amount=self._dibao_amount("一类", 1, single=True),
                    persons=1,
                    class_code="一类",
                    single=True,
                    status=status,
                    end_index=grace,
                    grace_index=grace,
                    reason="单人保：重度残疾或重病",
                )
            else:
                persons = len(living)
                amount = self._dibao_amount(cls, persons)
                self._enrol(
                    bundle,
                    "低保",
                    start,
                    amount=amount,
                    persons=persons,
                    class_code=cls,
                    status=status,
                    end_index=grace,
                    grace_index=grace,
                    reason="收入增加，进入渐退期" if status == "渐退" else "",
                )
        elif kind == "特困":
            head = members[0]
            start = self._start_index(_month_index("2016-01"))
            tier = head.self_care
            amount = (
                self.params.tekun_basic_monthly_fen(bundle.household.urban) or 0
            ) + self.params.tekun_care_monthly_fen.get(tier, 0)
            self._enrol(
                bundle,
                "特困",
                start,
                member=head,
                amount=amount,
                persons=1,  # 特困 supports the person enrolled, not the household
                class_code=tier,
                reason="分散供养",
            )
        elif "临时救助" in cats:
            mi = rng.randint(self.start_index, self.end_index)
            amount = rng.choice((100000, 150000, 200000, 300000))
            self._enrol(
                bundle,
                "临时救助",
                mi,
                amount=amount,
                persons=len(living),
                end_index=mi,
                reason=rng.choice(names.TEMP_AID_REASONS),
            )
        elif any(c in cats for c in ("低保边缘", "监测户")) and rng.random() < 0.1:
            # an application for 低保 still in the workflow: no payments yet
            status = rng.choice(("申请", "入户调查", "民主评议", "公示", "审核审批"))
            applied = self.ref - timedelta(days=rng.randint(5, 45))
            e = Enrolment(
                id=uuid7(_ts_ms(applied, rng), rng),
                owner_office=self.office,
                household_id=bundle.household.id,
                programme="低保",
                status=status,
                applied_on=applied,
                persons_covered=len(living),
            )
            if status in ("公示", "审核审批"):
                e.publicity_from = applied + timedelta(days=20)
                e.publicity_to = e.publicity_from + timedelta(days=6)
            bundle.enrolments.append(e)
        elif "监测户" in cats and rng.random() < 0.08:
            # left 低保 inside the window (income rose): 停保, payments stop
            start = self._start_index(_month_index("2016-01"))
            stop = rng.randint(self.start_index, self.end_index - 1)
            if start <= stop:
                persons = len(living)
                amount = self._dibao_amount("三类", persons)
                self._enrol(
                    bundle,
                    "低保",
                    start,
                    amount=amount,
                    persons=persons,
                    class_code="三类",
                    status="停保",
                    end_index=stop,
                    reason="收入增加，停保",
                )

    def _personal_enrolments(self, bundle: Bundle, *, in_dibao: bool) -> None:
        """高龄补贴 and the two disability subsidies, each for one member."""
        rng = self.rng
        for m in bundle.members:
            age = m.age_on(self.ref)
            death = self._death_index(m)
            if age >= 80:
                born = _birth_date(m)
                turned = born.year * 12 + born.month - 1 + 80 * 12 + 1
                start = max(turned + rng.randint(0, 3), _month_index("2016-01"))
                if start <= self.end_index and (death is None or start <= death):
                    band = self.params.gaoling_amount_fen(age)
                    self._enrol(
                        bundle,
                        "高龄补贴",
                        start,
                        member=m,
                        amount=band,
                        persons=1,
                        class_code="100岁以上" if age >= 100 else ("90-99岁" if age >= 90 else "80-89岁"),
                        status="停保" if death is not None else "在保",
                        end_index=death,
                        reason="死亡" if death is not None else "",
                    )
            if m.disability_type:
                subsidies = []
                if in_dibao:
                    subsidies.append(("困难残疾人生活补贴", self.params.disability_living_monthly_fen or 0))
                if m.disability_grade in (1, 2):
                    subsidies.append(
                        ("重度残疾人护理补贴", self.params.disability_care_monthly_fen.get(str(m.disability_grade), 0))
                    )
                for programme, amount in subsidies:
                    start = self._start_index(_month_index("2016-01"))
                    if death is not None and start > death:
                        continue
                    self._enrol(
                        bundle,
                        programme,
                        start,
                        member=m,
                        amount=amount,
                        persons=1,
                        class_code=f"{m.disability_grade}级",
                        status="停保" if death is not None else "在保",
                        end_index=death,
                        reason="死亡" if death is not None else "",
                    )

    # visits --------------------------------------------------------------
    def _visits(self, bundle: Bundle, village_code: str) -> None:
        """One visit a month, a few missed. The month temporary assistance was granted the visit is
        the 临时救助入户 one, and the visit after a worrying one is its 回访; each is still the
        household's one visit that month."""
        rng = self.rng
        hh = bundle.household
        cadres = self.village_info[village_code]["cadres"]
        has_school_age = any(6 <= m.age_on(self.ref) < 16 for m in bundle.members)
        aid_months = {e.start_month for e in bundle.enrolments if e.programme == "临时救助"}
        often_missed = rng.random() < 0.05
        follow_up = False
        for mi in range(self.start_index, self.end_index + 1):
            if rng.random() < (0.25 if often_missed else 0.04):
                continue
            last_day = 25 if mi < self.end_index else 20
            day = date(mi // 12, mi % 12 + 1, rng.randint(1, last_day))
            v = Visit(
                id=uuid7(_ts_ms(day, rng), rng),
                owner_office=self.office,
                household_id=hh.id,
                visit_date=day,
                visitors=f"{rng.choice(self.staff)}、{rng.choice(cadres)}",
                next_due=day + timedelta(days=30),
            )
            if day.strftime("%Y-%m") in aid_months:
                v.kind = "临时救助入户"
            elif follow_up:
                v.kind = "回访"
            if rng.random() < 0.08:  # something to note
                r = rng.random()
                if r < 0.3:
                    v.medical_ok = False
                    v.risk_signs = [vocab.ILLNESS]
                elif r < 0.5:
                    v.housing_ok = False
                    v.risk_signs = [vocab.DISASTER] if rng.random() < 0.3 else []  # hail or storm damage
                elif r < 0.6:
                    v.water_ok = False
                    v.risk_signs = []
                elif r < 0.7 and has_school_age:
                    v.schooling_ok = False
                    v.risk_signs = [vocab.SCHOOLING]
                elif r < 0.72:
                    v.food_ok = False
                    v.risk_signs = [vocab.UNSTABLE_WORK]
                else:
                    v.risk_signs = [rng.choice(vocab.RISK_SIGNS)]
                r = rng.random()
                v.income_change = "减少" if r < 0.5 else ("大幅减少" if r < 0.7 else "无变化")
                v.notes = rng.choice(names.VISIT_NOTES_CONCERN)
                v.item_notes = {attr: rng.choice(notes) for attr, notes in _ITEM_NOTES.items() if not getattr(v, attr)}
                follow_up = True
            else:
                r = rng.random()
                if r < 0.06:
                    v.income_change = "增加"
                elif r < 0.09:
                    v.income_change = "减少"
                v.notes = rng.choice(names.VISIT_NOTES_OK)
                follow_up = False
            bundle.visits.append(v)


# What a visitor writes beside an item found not assured (a few for each item).
_ITEM_NOTES: dict[str, tuple[str, ...]] = {
    "food_ok": ("口粮不足，靠亲戚接济。", "户主失业，家中存粮仅够半月。"),
    "clothing_ok": ("冬衣被褥不足。",),
    "schooling_ok": ("子女辍学在家，已联系学校劝返。", "子女上学路远，时常缺课。"),
    "medical_ok": ("户主住院治疗，自付费用较高。", "慢性病长期服药，未办门诊慢特病。", "家人因病卧床，需长期照护。"),
    "housing_ok": ("房屋墙体开裂，雨天漏水。", "冰雹损坏屋顶，需维修加固。", "土坯房年久失修，属危房。"),
    "water_ok": ("自来水管冻裂，靠拉运取水。", "井水干涸，吃水困难。"),
}


def generate(
    profile: str,
    office_code: str,
    seed: int = 2021,
    end_month: str = "2026-11",
    households: int | None = None,
    *,
    divisions: DivisionTree | None = None,
    policy: PolicyBook | None = None,
) -> Iterator[Bundle]:
    """Yield synthetic households one at a time, each with its members, visits, enrolments and payments.

    ``office_code`` is a township (9 or 12 digits: its villages are used) or the county
    (``640424`` or 12 digits: every village). ``households`` overrides the profile's count.
    ``divisions`` is the division tree to take villages from; when omitted, the bundled
    table is loaded through :func:`app.resource_files.divisions`. ``policy`` is the policy
    book whose figures for ``end_month`` give the amounts (the shipped book when omitted).
    """
    if profile not in PROFILES:
        raise ValueError(f"未知的数据规模“{profile}”，可选：{'、'.join(PROFILES)}。")
    prof = PROFILES[profile]
    if divisions is None:
        from app.resource_files import divisions as _load  # outside the domain layer; see module docstring

        divisions = _load()
    if policy is None:
        from app.resource_files import policy_book

        policy = policy_book()
    from ..domain.divisions import normalize_code

    office12 = normalize_code(office_code)
    villages = resolve_villages(divisions, office12)
    if not villages:
        raise ValueError(f"区划 {office_code} 下没有村或社区。")
    count = prof.households if households is None else households
    if count < 0:
        raise ValueError("户数不能为负。")
    _month_index(end_month)  # raises on a malformed month
    params = policy.for_month(end_month)
    town_names = {t.code: t.name for t in divisions.townships()}
    gen = _Generator(
        prof,
        office_code.strip(),
        office12=office12,
        seed=seed,
        end_month=end_month,
        villages=villages,
        town_names=town_names,
        params=params,
    )
    for _ in range(count):
        yield gen.household()
