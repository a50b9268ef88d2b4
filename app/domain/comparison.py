"""Matching a partner department's list against the register, and what each difference means (issue 12).

Every month the township compares the register with the lists other departments send (公安's deaths,
残联's certificate holders, 乡村振兴's monitored households …) and acts on what differs. This module
decides, row by row and without any I/O, whom a row names (:func:`match`) and which findings it
raises (:func:`findings`); the service reads the file and the register and stores the result.

Matching is by the normalised ID number first. A row whose number was damaged (a float that lost
its last digits) or is invalid is never ``in_register``: it may name one person by name, birth date
(from the row, or the intact birth part of the number) and village whose number agrees with the
digits that survive (:func:`digits_agree`), and then it is a ``possible_match`` that a person
confirms. A row never matches two people: an ambiguous name stays unmatched.

Source kinds are data (``app/resources/sources/*.json``, parsed by :func:`parse_source`): a kind
names its department, its extra column synonyms, the fields it requires, and its rules. A rule is
``{"finding": CODE, "when": COND | [COND…], "and": COND | [COND…]}``; every condition must hold.
The conditions (a small, closed vocabulary):

- ``row_has:FIELD``: the row's FIELD cell is not empty (e.g. ``row_has:death_date``);
- ``row_matches:FIELD=REGEX``: the row's FIELD text matches REGEX (e.g. ``row_matches:disability_grade=[一二12]``);
- ``row_at_least:FIELD=N``: the row's FIELD is an amount of at least N, however the department wrote
  it (8600, "5,600.00", "8600元", full-width digits);
- ``in_register``: the row names a person of the register (matched, or a possible match);
- ``not_in_register``: the row's ID number is valid and nobody in the register has it;
- ``alive``: the person named is in the register and not recorded as deceased;
- ``not_dead``: the person named is not recorded as deceased (or is not in the register): a 漏保线索
  is about someone who can still be helped;
- ``enrolled``: the person named is covered by a programme in force this month;
- ``not_enrolled``: the person named is covered by no programme this month (or is not in the register);
- ``with:P1|P2``: the person is covered by one of these programmes this month;
- ``without:P1|P2``: the person is covered by none of these programmes (or is not in the register);
- ``lacks:FACT``: the register does not record FACT for the person: ``serious_illness``,
  ``disability``, ``pension`` (a pension income item), ``employment``, ``death``.

The finding codes and their sentences are :data:`FINDINGS`; a kind may use only those.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from . import idnumber
from .sheet_layout import Cell, DataRow

# What a row's match is.
IN_REGISTER = "in_register"
NOT_IN_REGISTER = "not_in_register"
POSSIBLE_MATCH = "possible_match"
ID_DAMAGED = "id_damaged"
ID_INVALID = "id_invalid"
MATCHES = (IN_REGISTER, NOT_IN_REGISTER, POSSIBLE_MATCH, ID_DAMAGED, ID_INVALID)
MATCH_LABELS = {
    IN_REGISTER: "在台账中",
    NOT_IN_REGISTER: "不在台账中",
    POSSIBLE_MATCH: "可能是台账中的人",
    ID_DAMAGED: "身份证号已损坏",
    ID_INVALID: "身份证号无效",
}

# The programmes whose absence 残联's list points at.
DISABILITY_SUBSIDIES = ("困难残疾人生活补贴", "重度残疾人护理补贴")

# code → (short label, sentence template). Templates take {who} (the person or the row's name),
# {household} (the household matched, or ""), {programmes}, {value} (the cell the rule tested).
FINDINGS: dict[str, tuple[str, str]] = {
    "deceased_still_enrolled": (
        "死亡仍在保",
        "{who}在部门名单中已死亡（{value}），本月仍在{programmes}中享受待遇，应核实后停保。",
    ),
    "deceased_not_recorded": ("死亡未登记", "{who}在部门名单中已死亡（{value}），台账中尚未登记死亡。"),
    "moved_out": ("户籍迁出", "{who}的户籍已迁出（迁往{value}），仍在本乡镇台账中，应核实是否随户迁移。"),
    "missed_candidate": ("漏保线索", "{who}在部门名单中（{value}），本月未享受任何救助，是漏保线索，应入户核查。"),
    "disability_subsidy_missing": (
        "残疾补贴缺失",
        "{who}持残疾证（{value}），本月未享受残疾人两项补贴，应核实是否符合条件。",
    ),
    "disability_not_recorded": ("残疾未登记", "{who}持残疾证（{value}），台账中未登记残疾情况。"),
    "illness_not_recorded": ("重病未登记", "{who}在部门名单中患重病（{value}），台账中未登记重病。"),
    "business_owner_enrolled": ("经营主体在保", "{who}登记有经营主体（{value}），本月仍在{programmes}中，是错保线索。"),
    "vehicle_owner_enrolled": ("有车在保", "{who}名下有车辆（{value}），本月仍在{programmes}中，是错保线索。"),
    "property_owner_enrolled": ("有房产在保", "{who}名下有不动产（{value}），本月仍在{programmes}中，是错保线索。"),
    "pension_not_recorded": ("养老金未计入", "{who}领取养老金（{value}），台账中未登记养老金收入，应重新核算收入。"),
    "employment_not_recorded": ("就业未登记", "{who}有就业或参保单位（{value}），台账中未登记就业，应重新核算收入。"),
    "medical_expense_high": ("医疗支出大", "{who}有较大医疗支出（{value}），应核实是否需要临时救助或刚性支出认定。"),
    # Not from a kind's rules: a row a person must look at before anything else can be said of it.
    "confirm_match": (
        "待确认身份",
        "{who}的身份证号无法核对（{value}），按姓名、出生日期和村可能是{household}的成员，请确认。",
    ),
    "id_unusable": ("身份证号无法比对", "{who}的身份证号无法比对（{value}），请向部门核实号码。"),
    "name_differs": ("姓名不一致", "身份证号对应台账中的{who}，部门名单写作“{value}”，请核实。"),
}
# Findings that point at wrongly paid or missed assistance: they feed the alerts once found true.
ALERTING = {
    "deceased_still_enrolled": 3,
    "deceased_not_recorded": 2,
    "missed_candidate": 2,
    "disability_subsidy_missing": 1,
    "business_owner_enrolled": 2,
    "vehicle_owner_enrolled": 2,
    "property_owner_enrolled": 2,
    "moved_out": 2,
}

# Below this a whole float prints as the integer a clerk typed; above it Excel has rounded it anyway.
_EXACT_DIGITS = 1e15
_FACTS = ("serious_illness", "disability", "pension", "employment", "death")
_ROW_CONDITIONS = ("row_has:", "row_matches:", "row_at_least:")
_SIMPLE_CONDITIONS = ("in_register", "not_in_register", "alive", "not_dead", "enrolled", "not_enrolled")


class SourceError(ValueError):
    """A source-kind file that cannot be used (one sentence naming the file)."""


# A condition read once into a test of (the row's values, its match): findings() runs for every row.
Check = Callable[[Mapping[str, Cell], "Match"], bool]


@dataclass(frozen=True)
class Rule:
    finding: str
    conditions: tuple[str, ...]
    value_field: str = ""  # the cell quoted in the sentence (the first row_has/row_matches field)
    checks: tuple[Check, ...] = field(init=False, repr=False, compare=False)
    # The fields its row_* conditions test: each holds only where that cell is filled.
    row_fields: tuple[str, ...] = field(init=False, repr=False, compare=False)

    # Its checks but those of row_has conditions: what is left to test of a row whose row fields
    # are known to be filled (a row_has holds exactly then).
    rest: tuple[Check, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "checks", tuple(_compile(c) for c in self.conditions))
        fields = (c.split(":", 1)[1].split("=", 1)[0] for c in self.conditions if c.startswith(_ROW_CONDITIONS))
        object.__setattr__(self, "row_fields", tuple(dict.fromkeys(fields)))
        rest = (check for c, check in zip(self.conditions, self.checks, strict=True) if not c.startswith("row_has:"))
        object.__setattr__(self, "rest", tuple(rest))


@dataclass(frozen=True)
class SourceKind:
    name: str  # as clerks say it: 公安, 残联 …
    label: str  # the department, in full
    description: str
    fields: dict[str, str]  # field → its Chinese label, for the mapping dialog
    synonyms: dict[str, tuple[str, ...]]  # extra header texts per field (beside the common ones)
    required: tuple[str, ...]
    rules: tuple[Rule, ...]
    aliases: tuple[str, ...] = ()  # other names the command line accepts (the file's ASCII name)
    # When every rule tests a row cell: the cells of which one at least must be filled for any rule
    # to hold. Most rows of a list fill none (公安's: no death, no move), and skip the rules at once.
    gate: tuple[str, ...] | None = field(init=False, repr=False, compare=False)

    # The rules that can hold for each set of gate cells filled, with the checks left to make (kept
    # as rows meet them: a kind's lists fill the same few combinations).
    plans: dict[tuple[str, ...] | None, tuple[tuple[Rule, tuple[Check, ...]], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        gated = all(r.row_fields for r in self.rules)
        gate = tuple(dict.fromkeys(f for r in self.rules for f in r.row_fields)) if gated else None
        object.__setattr__(self, "gate", gate)

    def plan(self, filled: tuple[str, ...] | None) -> tuple[tuple[Rule, tuple[Check, ...]], ...]:
        """(rule, checks left) of the rules that can hold on a row whose gate cells *filled* (in the
        gate's order) are filled and the others blank: each row_* condition needs its cell filled.
        None: every rule with all its checks (a kind without a gate)."""
        found = self.plans.get(filled)
        if found is None:
            if filled is None:
                found = tuple((r, r.checks) for r in self.rules)
            else:
                found = tuple((r, r.rest) for r in self.rules if set(filled).issuperset(r.row_fields))
            self.plans[filled] = found
        return found


class Person(NamedTuple):
    """What the comparison needs of one member of the register (read in one pass by the service).

    A named tuple, not a dataclass: the service builds one for each of a county's 130,000 members
    per run, and a tuple is made several times faster than a frozen dataclass."""

    member_id: str
    household_id: str
    id_number: str
    name: str
    birth_date: date | None = None
    village_code: str = ""
    village_name: str = ""
    head_name: str = ""
    alive: bool = True
    programmes: frozenset[str] = frozenset()  # in force this month, the household's and the person's own
    serious_illness: bool = False
    health: str = ""
    disability_type: str = ""
    disability_grade: int = 0
    disability_cert: str = ""
    employed: bool = False
    pension: bool = False  # a pension income item is recorded
    left_behind: str = ""

    @property
    def household_label(self) -> str:
        return f"{self.village_name}{self.head_name}户" if self.head_name else ""


@dataclass
class RegisterIndex:
    """The register's people by normalised ID number, and by (name, birth date) for possible matches."""

    by_id: dict[str, Person] = field(default_factory=dict)
    by_name_birth: dict[tuple[str, date], list[Person]] = field(default_factory=dict)

    @classmethod
    def build(cls, people: Iterable[Person]) -> RegisterIndex:
        index = cls()
        by_id, by_name_birth = index.by_id, index.by_name_birth
        for p in people:
            if p.id_number:
                by_id[p.id_number] = p
            if p.birth_date is not None:
                key = (name_key(p.name), p.birth_date)
                found = by_name_birth.get(key)
                if found is None:
                    by_name_birth[key] = [p]
                else:
                    found.append(p)
        return index


class Match(NamedTuple):
    """Whom a row names (a named tuple: one is made for every row of a 100,000-row list)."""

    kind: str  # one of MATCHES
    person: Person | None = None
    id_number: str | None = None  # normalised, when the row's number is usable
    note: str = ""  # why the number could not be used


@dataclass(frozen=True)
class Finding:
    code: str
    text: str


# --- source kinds -------------------------------------------------------------------------------


def parse_source(data: Mapping[str, Any], file_name: str) -> SourceKind:
    """A source kind from its JSON (already decoded); refuses anything it cannot interpret."""

    def fail(why: str) -> SourceError:
        return SourceError(f"比对来源文件 {file_name}：{why}")

    if not isinstance(data, Mapping):
        raise fail("应是一个 JSON 对象。")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail("缺少来源名称（name）。")
    fields = data.get("fields", {})
    synonyms = data.get("synonyms", {})
    if not isinstance(fields, Mapping) or not all(isinstance(v, str) for v in fields.values()):
        raise fail("fields 应是“字段: 中文名”的对象。")
    if not isinstance(synonyms, Mapping) or not all(
        isinstance(v, list) and all(isinstance(s, str) for s in v) for v in synonyms.values()
    ):
        raise fail("synonyms 应是“字段: [表头写法…]”的对象。")
    required = data.get("required", ["name"])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        raise fail("required 应是字段名的列表。")
    rules = tuple(_parse_rule(r, fail) for r in data.get("rules", []))
    aliases = data.get("aliases", [])
    return SourceKind(
        name=name.strip(),
        label=str(data.get("label", name)),
        description=str(data.get("description", "")),
        fields={str(k): v for k, v in fields.items()},
        synonyms={str(k): tuple(v) for k, v in synonyms.items()},
        required=tuple(required),
        rules=rules,
        aliases=tuple(str(a) for a in aliases),
    )


def _parse_rule(raw: Any, fail: Any) -> Rule:
    if not isinstance(raw, Mapping) or raw.get("finding") not in FINDINGS:
        raise fail(f"规则 {raw!r} 的 finding 不是已知的比对结论（{'、'.join(FINDINGS)}）。")
    conditions: list[str] = []
    for key in ("when", "and"):
        part = raw.get(key, [])
        conditions.extend([part] if isinstance(part, str) else list(part))
    value_field = ""
    for cond in conditions:
        if not _known_condition(cond):
            raise fail(f"规则 {raw['finding']} 的条件“{cond}”不是已知的条件。")
        if not value_field and cond.startswith(("row_has:", "row_matches:", "row_at_least:")):
            value_field = cond.split(":", 1)[1].split("=", 1)[0]
    if not conditions:
        raise fail(f"规则 {raw['finding']} 没有条件。")
    return Rule(str(raw["finding"]), tuple(conditions), value_field)


def _known_condition(cond: object) -> bool:
    if not isinstance(cond, str):
        return False
    if cond in _SIMPLE_CONDITIONS:
        return True
    head, _, arg = cond.partition(":")
    if head == "row_has":
        return bool(arg)
    if head == "row_matches":
        fld, eq, pattern = arg.partition("=")
        if not (fld and eq):
            return False
        try:
            re.compile(pattern)
        except re.error:
            return False
        return True
    if head == "row_at_least":
        fld, eq, bound = arg.partition("=")
        return bool(fld and eq) and amount_of(bound) is not None
    if head in ("with", "without"):
        return bool(arg)
    return head == "lacks" and arg in _FACTS


# --- matching -----------------------------------------------------------------------------------


def text_of(cell: Cell) -> str:
    """A cell as a clerk reads it (a whole float without its .0, a date as ISO)."""
    if type(cell) is str:  # most cells; a str subclass takes the general path below
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < _EXACT_DIGITS:
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def id_cell(row: DataRow) -> Cell:
    """The cell that holds the row's ID number: its ID column, or else the certificate number (残联
    lists often carry only the certificate number, which begins with the ID number)."""
    cell = row.values.get("id_number")
    if cell.__class__ is str and cell.strip():  # most rows: the number as text (str subclasses go below)
        return cell
    if _blank(cell) and not _blank(row.values.get("disability_cert")):
        return row.values.get("disability_cert")
    return cell


def match(row: DataRow, index: RegisterIndex, repaired: idnumber.IdRepair | None = None) -> Match:
    """Whom the row names: by its normalised ID number, or else as a possible match (see the module).
    *repaired* is the row's number as repaired with its whole column (``idnumber.repair_column``)."""
    if repaired is None:
        repaired = idnumber.repair(id_cell(row))
    if repaired.status == "ok" and repaired.number:
        person = index.by_id.get(repaired.number)
        return Match(IN_REGISTER if person else NOT_IN_REGISTER, person, repaired.number)
    cell = id_cell(row)
    kind = ID_DAMAGED if repaired.status == "id_damaged" else ID_INVALID
    note = repaired.note or ("身份证号为空" if repaired.status == "empty" else "身份证号无效")
    candidate = _possible(row, cell, index)
    if candidate is not None:
        return Match(POSSIBLE_MATCH, candidate, None, note)
    return Match(kind, None, None, note)


def _possible(row: DataRow, id_cell: Cell, index: RegisterIndex) -> Person | None:
    """The one person with the row's name and birth date (and village, when the row names one) whose
    number agrees with every digit the row's number still has (:func:`digits_agree`)."""
    name = name_key(text_of(row.values.get("name")))
    born = birth_of(row.values.get("birth_date")) or _birth_in_number(id_cell)
    if not name or born is None:
        return None
    candidates = index.by_name_birth.get((name, born), [])
    village = text_of(row.values.get("village"))
    if village:
        candidates = [p for p in candidates if _same_village(village, p)]
    if not _blank(id_cell):
        # A number from another region, or another person's, names someone else with the same name.
        candidates = [p for p in candidates if digits_agree(id_cell, p.id_number)]
    return candidates[0] if len(candidates) == 1 else None


def digits_agree(cell: Cell, number: str) -> bool:
    """Whether a damaged or invalid number can be *number* (a register's normalised 18-char number).

    A float keeps its leading 15 significant digits (rounded or cut, as the spreadsheet did): those
    must be the number's. An invalid 18-char text must equal the number in its first 17 (a wrong
    check digit) or in all but one character (one mistyped digit); a 15-digit text likewise against
    the number's legacy form (a disability certificate by its ID part). Anything else has lost too
    much to say whose it is."""
    if len(number) != idnumber.LENGTH:
        return False
    if isinstance(cell, float):
        kept = _float_digits(cell)
        if len(kept) != idnumber.LENGTH:
            return False
        head = kept[:15]
        if head == number[:15]:
            return True
        whole = number[:17] + ("0" if number[17] in "Xx" else number[17])
        return head == _float_digits(float(whole))[:15]  # the spreadsheet rounded the 16th digit up
    text = idnumber.clean(text_of(cell)).upper()
    if len(text) in (20, 22):  # a disability certificate number: the ID number, then type and grade
        text = text[: idnumber.LENGTH]
    if len(text) == idnumber.OLD_LENGTH:
        number = number[:6] + number[8:17]
    elif len(text) != idnumber.LENGTH:
        return False
    if text[:17] == number[:17]:
        return True
    return sum(a != b for a, b in zip(text, number, strict=True)) <= 1


def _float_digits(cell: float) -> str:
    # A float holds the 15 digits a spreadsheet kept; printed whole it would show binary noise instead.
    return format(Decimal(f"{cell:.15g}"), "f")


def name_key(name: str) -> str:
    """A name as the index keys it: without whitespace (马 文华 is 马文华)."""
    # Every whitespace character but the ASCII space is unprintable: a printable name without a
    # space has nothing to remove, and that is nearly every name.
    if " " not in name and name.isprintable():
        return name
    return "".join(name.split())


def _blank(cell: Cell) -> bool:
    return cell is None or text_of(cell) == ""


_DATE_TEXT = re.compile(r"(\d{4})\D?(\d{1,2})\D?(\d{1,2})")


def birth_of(cell: Cell) -> date | None:
    """A birth date from a date cell or text such as 1980-01-02, 1980.1.2, 19800102, 1980年1月2日."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    found = _DATE_TEXT.search(text_of(cell))
    if not found:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def _birth_in_number(cell: Cell) -> date | None:
    """The birth part of a damaged or invalid number, when its digits 7–14 are still there.

    A number stored as a float keeps its first 15 significant digits, so its birth date usually
    survives the lost check digits; an invalid check digit does not touch it either.
    """
    digits = _float_digits(cell) if isinstance(cell, float) else idnumber.clean(text_of(cell))
    if len(digits) == idnumber.LENGTH and digits[:14].isdigit():
        part = digits[6:14]
    elif len(digits) == idnumber.OLD_LENGTH and digits.isdigit():
        part = "19" + digits[6:12]
    else:
        return None
    try:
        return date(int(part[:4]), int(part[4:6]), int(part[6:8]))
    except ValueError:
        return None


def _same_village(text: str, p: Person) -> bool:
    text = text.strip()
    if text.isdigit():
        return p.village_code.startswith(text) or text.startswith(p.village_code)
    short = p.village_name.removesuffix("村委会").removesuffix("居委会").removesuffix("村")
    return bool(short) and short in text


# --- findings -----------------------------------------------------------------------------------


def findings(kind: SourceKind, row: DataRow, found: Match) -> list[Finding]:
    """What the row says about the register, by the kind's rules (each finding once)."""
    who = _who(row, found.person)
    return [Finding(code, sentence(code, who, found.person, value)) for code, value in said(kind, row.values, found)]


def said(kind: SourceKind, values: Mapping[str, Cell], found: Match) -> list[tuple[str, str]]:
    """:func:`findings` of a row's *values* without their sentences: (code, the value quoted) for
    each, in order. The sentences are made only where they are read or stored (:func:`sentence`):
    a 100,000-row list's comparison decides its findings long before anyone reads one."""
    out: list[tuple[str, str]] = []
    person = found.person
    if found.kind == POSSIBLE_MATCH and person is not None:
        out.append(("confirm_match", found.note))
    elif found.kind in (ID_DAMAGED, ID_INVALID):
        out.append(("id_unusable", found.note))
    elif found.kind == IN_REGISTER and person is not None:
        listed = name_key(text_of(values.get("name")))
        if listed and listed != name_key(person.name):
            out.append(("name_differs", listed))
    gate = kind.gate
    if gate is not None:
        # Every rule tests row cells, and each row_* condition holds only where its cell is filled:
        # a rule with a blank one is passed over (most rules, on most rows of a list).
        present = tuple([f for f in gate if filled(values.get(f))])
        if not present:
            return out
        plan = kind.plan(present)
    else:
        plan = kind.plan(None)
    seen = {out[0][0]} if out else set()  # at most one finding so far: the match's own
    for rule, checks in plan:
        if rule.finding in seen:
            continue
        for check in checks:
            if not check(values, found):
                break
        else:
            seen.add(rule.finding)
            out.append((rule.finding, text_of(values.get(rule.value_field)) if rule.value_field else ""))
    return out


def who_of(name: str, row: int, person: Person | None) -> str:
    """Whom a finding's sentence names: the person matched, or the row's name, or the row."""
    if person is not None:
        return person.name
    return name or f"第 {row} 行"


def _who(row: DataRow, person: Person | None) -> str:
    return who_of(text_of(row.values.get("name")), row.row, person)


def sentence(code: str, who: str, person: Person | None, value: str) -> str:
    """The Chinese sentence of finding *code* (:data:`FINDINGS`) about *who*, quoting *value*."""
    programmes = "、".join(sorted(person.programmes)) if person is not None else ""
    household = person.household_label if person is not None else ""
    return FINDINGS[code][1].format(who=who, household=household, programmes=programmes, value=value or "—")


def _compile(cond: str) -> Check:
    """The test a condition names (see the module's docstring), its argument parsed once."""
    if cond == "in_register":
        return lambda values, found: found.person is not None
    if cond == "not_in_register":
        return lambda values, found: found.kind == NOT_IN_REGISTER
    if cond == "alive":
        return lambda values, found: found.person is not None and found.person.alive
    if cond == "not_dead":
        return lambda values, found: found.person is None or found.person.alive
    if cond == "enrolled":
        return lambda values, found: found.person is not None and bool(found.person.programmes)
    if cond == "not_enrolled":
        return lambda values, found: found.person is None or not found.person.programmes
    head, _, arg = cond.partition(":")
    if head == "row_has":
        return lambda values, found: filled(values.get(arg))
    if head == "row_matches":
        fld, _, pattern = arg.partition("=")
        search = re.compile(pattern).search
        return lambda values, found: _matches(search, text_of(values.get(fld)))
    if head == "row_at_least":
        fld, _, text = arg.partition("=")
        bound = amount_of(text)
        return lambda values, found: (n := amount_of(values.get(fld))) is not None and bound is not None and n >= bound
    if head in ("with", "without"):
        wanted = frozenset(arg.split("|"))
        if head == "with":
            return lambda values, found: found.person is not None and not found.person.programmes.isdisjoint(wanted)
        return lambda values, found: found.person is None or found.person.programmes.isdisjoint(wanted)
    if head == "lacks":
        return lambda values, found: found.person is not None and not _has_fact(found.person, arg)

    def unknown(values: Mapping[str, Cell], found: Match) -> bool:
        raise ValueError(f"unknown condition {cond!r}")  # parse_source let it through: a bug

    return unknown


# What a department writes in a cell to say it has nothing to report there (no death date, no
# pension paid, no illness): the fact a row_has condition asks about is then absent, not "否".
_SAYS_NONE = re.compile(r"(?:否|无|没有|[-—/\uff0f]|0+(?:\.0+)?)")


def filled(cell: Cell) -> bool:
    """Whether a cell (as the layout reads it) reports something: a row_has condition's test, and
    the gate's (a blank cell, or one saying 否, 无, 0, - or /, reports nothing)."""
    if cell is None:
        return False
    text = cell.strip() if type(cell) is str else text_of(cell)
    return text != "" and _SAYS_NONE.fullmatch(text) is None


_AMOUNT = re.compile(r"-?\d+(?:\.\d+)?")


def amount_of(cell: Cell) -> Decimal | None:
    """A cell as an amount: a number, or text such as "5,600.00", "8600元" or in full-width digits
    (NFKC folds them to ASCII); None when it holds no number."""
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int | float):
        return Decimal(str(cell)) if math.isfinite(cell) else None
    text = unicodedata.normalize("NFKC", text_of(cell)).replace(",", "").replace(" ", "")
    found = _AMOUNT.search(text)
    return Decimal(found.group()) if found else None


def _matches(search: Callable[[str], re.Match[str] | None], text: str) -> bool:
    return bool(text) and search(text) is not None


def _has_fact(p: Person, fact: str) -> bool:
    if fact == "serious_illness":
        return p.serious_illness or p.health == "重病"
    if fact == "disability":
        return bool(p.disability_type) or p.disability_grade > 0 or bool(p.disability_cert)
    if fact == "pension":
        return p.pension
    if fact == "employment":
        return p.employed
    return not p.alive  # "death"


def summarise(matches: Iterable[str], codes: Iterable[str]) -> dict[str, int]:
    """``{match: count, finding: count}``, every match kind listed (0 included), findings as found."""
    out = dict.fromkeys(MATCHES, 0)
    # Counter counts in C: a 100,000-row list's matches are counted in milliseconds.
    for m, n in Counter(matches).items():
        out[m] += n
    for code in codes:
        out[code] = out.get(code, 0) + 1
    return out
