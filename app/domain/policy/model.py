"""Pure input dataclasses for an assessment, and their validation.

``HouseholdCase.from_dict`` reads the JSON shape documented in docs/assess.md and raises
:class:`CaseError` (a ``ValueError``) whose ``field`` is the path at fault, e.g.
``members[2].id_number``. Money is always integer fen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import idnumber, months
from ..entities import DISABILITY_TYPES, LABOUR_ABILITIES, LEFT_BEHIND, RELATIONS, SCHOOLING, SELF_CARE

INCOME_KINDS = ("工资性", "经营净收入", "财产净收入", "转移净收入", "转移性支出", "其他")
# Subtypes that are never counted as 低保 income (S1 第十三条); 基础养老金 only while the parameter says so.
EXCLUDED_SUBTYPES = ("优待抚恤金", "计划生育奖励扶助金", "奖学金", "见义勇为奖励", "社会救助款物")
PENSION_SUBTYPE = "城乡居民基础养老金"
# Further items not counted in the 特困 无生活来源 test (S3 第六条).
TEKUN_EXCLUDED_SUBTYPES = ("高龄津贴", "基本医疗保险", "其他社会保险")
# Allowances a 低保 household may receive; whether they count for 低保 is the dated figure
# income.dibao_excluded_items (the national rule lets the 设区的市 and above leave items out).
DISABILITY_SUBSIDY_SUBTYPES = ("困难残疾人生活补贴", "重度残疾人护理补贴")
INCOME_SUBTYPES = (
    "",
    *EXCLUDED_SUBTYPES,
    PENSION_SUBTYPE,
    *TEKUN_EXCLUDED_SUBTYPES,
    *DISABILITY_SUBSIDY_SUBTYPES,
    "工资",
    "务工",
    "种植",
    "养殖",
    "赡养费",
    "抚养费",
    "扶养费",
    "养老金",
    "失业保险金",
    "赔偿",
    "租金",
    "分红",
    "利息",
    "其他",
)
DEDUCTION_KINDS = ("刚性支出",)
ABSENT_REASONS = ("", "服刑", "强制隔离戒毒", "失踪", "宗教教职")
ORPHAN_KINDS = ("", "机构", "散居", "事实无人抚养")
# 孤儿基本生活费 is paid to children: it ends with the month a child is 18 on its 1st (§1.8).
ORPHAN_AGE_LIMIT = 18
# S3: beyond 18 while in compulsory, senior-high or secondary-vocational school
IN_SCHOOL_PAST_18 = ("初中", "高中", "中职")
# 单人保's 重度残疾 (S1 第八条): grade 1–2 of any kind, and grade 3 too for intellectual or mental.
SEVERE_GRADES = (1, 2)
SEVERE_GRADES_BY_TYPE = {"智力": (1, 2, 3), "精神": (1, 2, 3)}


class CaseError(ValueError):
    """Invalid assessment input. ``field`` is the path (``members[2].id_number``); str() is one sentence.

    ``subject`` names the person and the field in words ("m2 马小燕 的身份证号") when the fault is in a
    member: a clerk knows the household by its people, not by list positions.
    """

    def __init__(self, field_path: str, message: str, subject: str = ""):
        super().__init__(f"{subject}（{field_path}）：{message}" if subject else f"{field_path}: {message}")
        self.field = field_path
        self.message = message
        self.subject = subject


@dataclass(frozen=True)
class PersonCase:
    ref: str
    name: str = ""
    id_number: str = ""
    birth_date: date | None = None
    sex: str = ""
    relation: str = "本人"
    deceased_on: date | None = None
    absent_reason: str = ""  # 服刑 / 强制隔离戒毒 / 失踪 / 宗教教职 (≥ 3 years apart): not counted (§2.1)
    lives_together: bool = True
    labour_ability: str = "有"
    disability_type: str = ""
    disability_grade: int = 0
    serious_illness: bool = False  # 重特大疾病, recognised locally
    full_time_student: bool = False
    schooling: str = ""
    employed: bool = False
    has_supporter: bool = True  # 有法定赡养/抚养/扶养义务人
    supporter_able: bool = True  # … and the supporter can support (S3 第八条)
    orphan: str = ""  # 机构 / 散居 / 事实无人抚养
    prefers_orphan_scheme: bool = True  # S3 第九条 overlap: a minor choosing the orphan scheme is not 特困
    self_care: str = "全自理"
    left_behind: str = ""
    unemployed_uninsured_months: int = 0  # months with no income while unemployed and outside unemployment insurance

    def __post_init__(self) -> None:
        if self.birth_date is None:
            if not self.id_number:
                raise CaseError(f"{self.ref}.birth_date", "须填写身份证号或出生日期（年龄判断要用）。")
            try:
                info = idnumber.parse(self.id_number)
            except idnumber.IdNumberError as exc:
                raise CaseError(f"{self.ref}.id_number", str(exc)) from None
            object.__setattr__(self, "birth_date", info.birth_date)
            object.__setattr__(self, "sex", self.sex or info.sex)

    def age_on(self, on: date) -> int:
        assert self.birth_date is not None  # __post_init__ derives it from the ID number or refuses the case
        return idnumber.age_on(self.birth_date, on)

    def alive_in(self, month: str) -> bool:
        return months.alive_in(self.deceased_on, month)

    @property
    def severe_disability(self) -> bool:
        """单人保 condition (S1 第八条): grade 1–2, or grade 3 intellectual or mental."""
        return self.disability_grade in SEVERE_GRADES_BY_TYPE.get(self.disability_type, SEVERE_GRADES)


@dataclass(frozen=True)
class IncomeItem:
    kind: str
    amount_fen: int  # total over ``months`` months
    member_ref: str | None = None
    months: int = 12
    subtype: str = ""
    note: str = ""


@dataclass(frozen=True)
class Deduction:
    kind: str  # 刚性支出 (disability / serious illness, S1 第十三条)
    amount_fen: int
    months: int = 12
    member_ref: str | None = None
    note: str = ""


@dataclass(frozen=True)
class PropertySummary:
    deposits_fen: int = 0
    vehicles: int = 0  # non-exempt vehicles
    houses: int = 1


@dataclass(frozen=True)
class CurrentDibao:
    """The household's 低保 enrolment as it stands before this month."""

    class_code: str = ""
    monthly_amount_fen: int = 0
    persons: int = 0
    grace_since: str | None = None  # first month over the standard (渐退期 start), YYYY-MM
    single_person_ref: str | None = None


@dataclass(frozen=True)
class HouseholdCase:
    urban: bool
    members: tuple[PersonCase, ...]
    income_items: tuple[IncomeItem, ...] = ()
    deductions: tuple[Deduction, ...] = ()
    property: PropertySummary = field(default_factory=PropertySummary)
    disaster: bool = False
    accident: bool = False
    medical_out_of_pocket_fen_12m: int = 0
    schooling_cost_fen_12m: int = 0
    current_dibao: CurrentDibao | None = None
    current_programmes: tuple[str, ...] = ()
    official_relative: bool = False
    formerly_poor: bool = False

    def member(self, ref: str) -> PersonCase | None:
        return next((m for m in self.members if m.ref == ref), None)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], today: date | None = None) -> HouseholdCase:
        return _parse_case(d, today)


# --- parsing --------------------------------------------------------------

_MEMBER_KEYS = {
    "ref",
    "name",
    "id_number",
    "birth_date",
    "sex",
    "relation",
    "deceased_on",
    "absent_reason",
    "lives_together",
    "labour_ability",
    "disability_type",
    "disability_grade",
    "serious_illness",
    "full_time_student",
    "schooling",
    "employed",
    "has_supporter",
    "supporter_able",
    "orphan",
    "prefers_orphan_scheme",
    "self_care",
    "left_behind",
    "unemployed_uninsured_months",
}
_CASE_KEYS = {
    "schema_version",
    "urban",
    "members",
    "income_items",
    "deductions",
    "property",
    "flags",
    "medical_out_of_pocket_fen_12m",
    "schooling_cost_fen_12m",
    "current",
    "official_relative",
    "formerly_poor",
    "note",
}


def _need(cond: bool, path: str, msg: str) -> None:
    if not cond:
        raise CaseError(path, msg)


def _bool(d: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
    v = d.get(key, default)
    if not isinstance(v, bool):
        raise CaseError(f"{path}.{key}" if path else key, "应为 true 或 false。")
    return v


def _int(d: Mapping[str, Any], key: str, path: str, default: int, lo: int | None = 0) -> int:
    v = d.get(key, default)
    p = f"{path}.{key}" if path else key
    if not isinstance(v, int) or isinstance(v, bool):
        raise CaseError(p, "应为整数（金额一律以分计）。")
    _need(lo is None or v >= lo, p, f"不能小于 {lo}。")
    return v


def _str(d: Mapping[str, Any], key: str, path: str, default: str, allowed: tuple[str, ...] | None = None) -> str:
    v = d.get(key, default)
    p = f"{path}.{key}" if path else key
    if v is None:
        v = default
    if not isinstance(v, str):
        raise CaseError(p, "应为文字。")
    if allowed is not None:
        _need(v in allowed, p, f"“{v}”不在可选值中（{'、'.join(a for a in allowed if a)}）。")
    return v


def _date(d: Mapping[str, Any], key: str, path: str) -> date | None:
    v = d.get(key)
    if v is None or v == "":
        return None
    try:
        return date.fromisoformat(v)
    except (TypeError, ValueError):
        raise CaseError(f"{path}.{key}", f"“{v}”不是 YYYY-MM-DD 日期。") from None


def _unknown(d: Mapping[str, Any], allowed: set[str], path: str) -> None:
    extra = sorted(set(d) - allowed)
    if extra:
        p = f"{path}.{extra[0]}" if path else extra[0]
        raise CaseError(p, "不认识的字段（请对照 docs/assess.md 检查拼写）。")


# Member fields as a clerk calls them, for error sentences that name the person.
MEMBER_FIELD_NAMES = {
    "ref": "成员编号",
    "name": "姓名",
    "id_number": "身份证号",
    "birth_date": "出生日期",
    "sex": "性别",
    "relation": "与户主关系",
    "deceased_on": "死亡日期",
    "absent_reason": "不计入原因",
    "lives_together": "是否共同生活",
    "labour_ability": "劳动能力",
    "disability_type": "残疾类别",
    "disability_grade": "残疾等级",
    "serious_illness": "重特大疾病",
    "full_time_student": "全日制在校",
    "schooling": "在读学段",
    "employed": "就业",
    "has_supporter": "法定义务人",
    "supporter_able": "义务人履行能力",
    "orphan": "孤儿类别",
    "prefers_orphan_scheme": "选择孤儿保障",
    "self_care": "生活自理能力",
    "left_behind": "留守类别",
    "unemployed_uninsured_months": "未参保失业月数",
}


def member_label(d: Any, i: int) -> str:
    """ "m2 马小燕": the member's ref (or the default one) and name, as far as the raw entry gives them."""
    raw_ref = d.get("ref") if isinstance(d, Mapping) else None
    ref = raw_ref.strip() if isinstance(raw_ref, str) and raw_ref.strip() else f"m{i + 1}"
    name = d.get("name") if isinstance(d, Mapping) else None
    return f"{ref} {name.strip()}" if isinstance(name, str) and name.strip() else ref


def _about_member(exc: CaseError, d: Any, i: int) -> CaseError:
    """The same error, its sentence naming the member and the field in words."""
    key = exc.field.rsplit(".", 1)[-1] if exc.field.startswith(f"members[{i}].") else ""
    what = MEMBER_FIELD_NAMES.get(key, key)
    subject = f"{member_label(d, i)} 的{what}" if what else f"第 {i + 1} 名成员 {member_label(d, i)}"
    return CaseError(exc.field, exc.message, subject)


def _parse_member(d: Any, i: int, today: date | None) -> PersonCase:
    try:
        return _parse_member_fields(d, i, today)
    except CaseError as exc:
        raise _about_member(exc, d, i) from None


def _parse_member_fields(d: Any, i: int, today: date | None) -> PersonCase:
    path = f"members[{i}]"
    _need(isinstance(d, Mapping), path, "每个成员应为对象。")
    _unknown(d, _MEMBER_KEYS, path)
    ref = d.get("ref", f"m{i + 1}")
    _need(isinstance(ref, str) and bool(ref.strip()), f"{path}.ref", "成员编号应为非空文字。")
    id_number = _str(d, "id_number", path, "")
    birth = _date(d, "birth_date", path)
    sex = _str(d, "sex", path, "", ("", "男", "女"))
    if id_number:
        try:
            info = idnumber.parse(id_number, today)
        except idnumber.IdNumberError as exc:
            raise CaseError(f"{path}.id_number", str(exc)) from None
        id_number = info.number
        _need(
            birth is None or birth == info.birth_date,
            f"{path}.birth_date",
            f"与身份证号中的出生日期 {info.birth_date.isoformat()} 不一致。",
        )
        _need(not sex or sex == info.sex, f"{path}.sex", f"与身份证号中的性别（{info.sex}）不一致。")
        birth, sex = info.birth_date, info.sex
    if birth is None:
        raise CaseError(f"{path}.id_number", "须填写身份证号或出生日期（年龄判断要用）。")
    deceased = _date(d, "deceased_on", path)
    _need(deceased is None or deceased >= birth, f"{path}.deceased_on", "死亡日期不能早于出生日期。")
    dtype = _str(d, "disability_type", path, "", DISABILITY_TYPES)
    grade = _int(d, "disability_grade", path, 0)
    _need(grade in (0, 1, 2, 3, 4), f"{path}.disability_grade", "残疾等级应为 1–4（无残疾填 0）。")
    _need(bool(dtype) == (grade > 0), f"{path}.disability_grade", "残疾类别和残疾等级须同时填写或同时留空。")
    return PersonCase(
        ref=ref.strip(),
        name=_str(d, "name", path, ""),
        id_number=id_number,
        birth_date=birth,
        sex=sex,
        relation=_str(d, "relation", path, "本人", RELATIONS),
        deceased_on=deceased,
        absent_reason=_str(d, "absent_reason", path, "", ABSENT_REASONS),
        lives_together=_bool(d, "lives_together", path, True),
        labour_ability=_str(d, "labour_ability", path, "有", LABOUR_ABILITIES),
        disability_type=dtype,
        disability_grade=grade,
        serious_illness=_bool(d, "serious_illness", path, False),
        full_time_student=_bool(d, "full_time_student", path, False),
        schooling=_str(d, "schooling", path, "", SCHOOLING),
        employed=_bool(d, "employed", path, False),
        has_supporter=_bool(d, "has_supporter", path, True),
        supporter_able=_bool(d, "supporter_able", path, True),
        orphan=_str(d, "orphan", path, "", ORPHAN_KINDS),
        prefers_orphan_scheme=_bool(d, "prefers_orphan_scheme", path, True),
        self_care=_str(d, "self_care", path, "全自理", SELF_CARE),
        left_behind=_str(d, "left_behind", path, "", LEFT_BEHIND),
        unemployed_uninsured_months=_int(d, "unemployed_uninsured_months", path, 0),
    )


def _parse_case(d: Any, today: date | None) -> HouseholdCase:
    _need(isinstance(d, Mapping), "(root)", "输入应为 JSON 对象。")
    _unknown(d, _CASE_KEYS, "")
    sv = d.get("schema_version", 1)
    _need(sv == 1, "schema_version", f"只支持第 1 版输入格式，收到 {sv!r}。")
    _need("urban" in d, "urban", "须注明城市（true）或农村（false）低保标准。")
    urban = _bool(d, "urban", "", False)
    raw_members = d.get("members")
    _need(isinstance(raw_members, list) and bool(raw_members), "members", "至少要有一名家庭成员。")
    members = tuple(_parse_member(m, i, today) for i, m in enumerate(raw_members))
    refs = [m.ref for m in members]
    for i, r in enumerate(refs):
        if refs.index(r) != i:
            raise _about_member(CaseError(f"members[{i}].ref", f"成员编号“{r}”重复。"), raw_members[i], i)
    for i, m in enumerate(members):
        other = next((j for j, o in enumerate(members[:i]) if m.id_number and o.id_number == m.id_number), None)
        if other is not None:
            raise _about_member(
                CaseError(
                    f"members[{i}].id_number",
                    f"与 {member_label(raw_members[other], other)} 的身份证号相同，同一人不能登记两次。",
                ),
                raw_members[i],
                i,
            )

    def member_ref(item: Mapping[str, Any], path: str) -> str | None:
        r = item.get("member")
        if r is None:
            return None
        _need(r in refs, f"{path}.member", f"成员编号“{r}”不在 members 中。")
        return str(r)  # one of the refs, which are text

    items = []
    raw_items = d.get("income_items", [])
    _need(isinstance(raw_items, list), "income_items", "应为列表。")
    for i, it in enumerate(raw_items):
        path = f"income_items[{i}]"
        _need(isinstance(it, Mapping), path, "应为对象。")
        _unknown(it, {"kind", "subtype", "amount_fen", "months", "member", "note"}, path)
        kind = _str(it, "kind", path, "", INCOME_KINDS)
        lo = None if kind == "经营净收入" else 0  # a business may make a loss
        amount = _int(it, "amount_fen", path, 0, lo)
        n = _int(it, "months", path, months.MONTHS_PER_YEAR)
        _need(1 <= n <= months.MONTHS_PER_YEAR, f"{path}.months", "收入所属月数应为 1–12。")
        items.append(
            IncomeItem(
                kind,
                amount,
                member_ref(it, path),
                n,
                _str(it, "subtype", path, "", INCOME_SUBTYPES),
                _str(it, "note", path, ""),
            )
        )
    deductions = []
    raw_ded = d.get("deductions", [])
    _need(isinstance(raw_ded, list), "deductions", "应为列表。")
    for i, it in enumerate(raw_ded):
        path = f"deductions[{i}]"
        _need(isinstance(it, Mapping), path, "应为对象。")
        _unknown(it, {"kind", "amount_fen", "months", "member", "note"}, path)
        n = _int(it, "months", path, months.MONTHS_PER_YEAR)
        _need(1 <= n <= months.MONTHS_PER_YEAR, f"{path}.months", "所属月数应为 1–12。")
        deductions.append(
            Deduction(
                _str(it, "kind", path, "", DEDUCTION_KINDS),
                _int(it, "amount_fen", path, 0),
                n,
                member_ref(it, path),
                _str(it, "note", path, ""),
            )
        )
    prop = d.get("property", {}) or {}
    _need(isinstance(prop, Mapping), "property", "应为对象。")
    _unknown(prop, {"deposits_fen", "vehicles", "houses"}, "property")
    prop_s = PropertySummary(
        _int(prop, "deposits_fen", "property", 0),
        _int(prop, "vehicles", "property", 0),
        _int(prop, "houses", "property", 1),
    )
    flags = d.get("flags", {}) or {}
    _need(isinstance(flags, Mapping), "flags", "应为对象。")
    _unknown(flags, {"disaster", "accident"}, "flags")
    current = d.get("current", {}) or {}
    _need(isinstance(current, Mapping), "current", "应为对象。")
    _unknown(current, {"programmes", "dibao"}, "current")
    progs = current.get("programmes", [])
    from ..entities import PROGRAMMES

    _need(
        isinstance(progs, list) and all(p in PROGRAMMES for p in progs),
        "current.programmes",
        f"应为救助项目列表（{'、'.join(PROGRAMMES)}）。",
    )
    cur_dibao = None
    if current.get("dibao") is not None:
        cd = current["dibao"]
        path = "current.dibao"
        _need(isinstance(cd, Mapping), path, "应为对象。")
        _unknown(cd, {"class_code", "monthly_amount_fen", "persons", "grace_since", "single_person"}, path)
        gs = cd.get("grace_since")
        _need(gs is None or months.is_month(gs), f"{path}.grace_since", "月份应写作 YYYY-MM。")
        sp = cd.get("single_person")
        _need(sp is None or sp in refs, f"{path}.single_person", f"成员编号“{sp}”不在 members 中。")
        cur_dibao = CurrentDibao(
            _str(cd, "class_code", path, ""),
            _int(cd, "monthly_amount_fen", path, 0),
            _int(cd, "persons", path, 0),
            gs,
            sp,
        )
        if "低保" not in progs:
            progs = [*list(progs), "低保"]
    return HouseholdCase(
        urban=urban,
        members=members,
        income_items=tuple(items),
        deductions=tuple(deductions),
        property=prop_s,
        disaster=_bool(flags, "disaster", "flags", False),
        accident=_bool(flags, "accident", "flags", False),
        medical_out_of_pocket_fen_12m=_int(d, "medical_out_of_pocket_fen_12m", "", 0),
        schooling_cost_fen_12m=_int(d, "schooling_cost_fen_12m", "", 0),
        current_dibao=cur_dibao,
        current_programmes=tuple(progs),
        official_relative=_bool(d, "official_relative", "", False),
        formerly_poor=_bool(d, "formerly_poor", "", False),
    )
