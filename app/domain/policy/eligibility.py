"""Eligibility and monthly amounts for each programme (docs/domain.md §2, §2.2–§2.5).

Every function is pure and returns :class:`Decision` objects. Conventions used throughout:

* **Ages** are completed years on the 1st of the month assessed (so a person turning 60 or 18 on the
  2nd–31st changes status from the next month). 高龄补贴 follows ``gaoling.count_birthday_month``.
* **Death**: a member who died before the 1st of the month is neither counted nor paid; the month of
  death is still paid in full; no month after it ever is.
* "Below the standard" is strict: per-capita income exactly equal to the 低保标准 is **not** eligible (S1:
  低于). The 低保边缘 line is strict too (< 1.5 × standard).
* Property limits are applied only when the parameter is set; otherwise each decision says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import money, months
from .income import IncomeResult, assess_income
from .model import IN_SCHOOL_PAST_18, ORPHAN_AGE_LIMIT, HouseholdCase, PersonCase
from .params import BenefitClass, Params

DIBAO, TEKUN, LINSHI, LOW_INCOME = "低保", "特困", "临时救助", "低收入"
GAOLING, ORPHAN, DIS_LIVING, DIS_CARE = "高龄补贴", "孤儿基本生活费", "困难残疾人生活补贴", "重度残疾人护理补贴"


@dataclass(frozen=True)
class Decision:
    programme: str
    eligible: bool
    class_code: str = ""
    monthly_amount_fen: int = 0  # for payment == "one_off", the one-time amount
    persons_covered: int = 0
    reasons: tuple[str, ...] = ()
    single_person_member: str | None = None
    flags: tuple[str, ...] = ()
    covered_refs: tuple[str, ...] = ()
    payment: str = "monthly"  # monthly / one_off / none

    def to_dict(self) -> dict[str, object]:
        return {
            "programme": self.programme,
            "eligible": self.eligible,
            "class_code": self.class_code,
            "monthly_amount_fen": self.monthly_amount_fen,
            "persons_covered": self.persons_covered,
            "covered_members": list(self.covered_refs),
            "single_person_member": self.single_person_member,
            "payment": self.payment,
            "flags": list(self.flags),
            "reasons": list(self.reasons),
        }


def _no(
    programme: str,
    *reasons: str,
    class_code: str = "",
    refs: tuple[str, ...] = (),
    payment: str = "monthly",
    single: str | None = None,
    flags: tuple[str, ...] = (),
) -> Decision:
    return Decision(programme, False, class_code, 0, 0, tuple(reasons), single, flags, refs, payment)


def age_in_month(m: PersonCase, month: str) -> int:
    return m.age_on(months.first_day(month))


def _y(fen: int) -> str:
    return money.yuan(fen) + " 元"


def property_check(case: HouseholdCase, params: Params, persons: int) -> tuple[bool, str]:
    """(passes, explanation). Unset limits pass with a note asking for a manual check."""
    notes = []
    limit = params.deposit_limit_per_person_fen
    if limit is None:
        notes.append("存款限额参数未设定，财产状况须人工核对")
    elif case.property.deposits_fen > limit * max(persons, 1):
        return False, (
            f"家庭存款 {_y(case.property.deposits_fen)} 超过限额 {_y(limit)} × {persons} 人 = {_y(limit * persons)}"
        )
    if params.vehicle_limit is not None and case.property.vehicles > params.vehicle_limit:
        return False, f"非生产生活必需车辆 {case.property.vehicles} 辆，超过限额 {params.vehicle_limit} 辆"
    return True, "；".join(notes) if notes else "财产状况在限额内"


# --- 低保 -------------------------------------------------------------------


def per_person_amount(
    cls: BenefitClass, per_capita_fen: int, standard_fen: int, params: Params, urban: bool
) -> tuple[int, str]:
    """Monthly amount for one covered person under ``cls``, never negative, with the arithmetic."""
    if cls.rule == "差额":
        amt = standard_fen - per_capita_fen
        text = f"差额 = 低保标准 {_y(standard_fen)} − 月人均收入 {_y(per_capita_fen)} = {_y(amt)}"
    elif cls.rule == "定额":
        amt = cls.amount_fen or 0
        text = f"定额类别“{cls.code}”：每人 {_y(amt)}"
    else:
        assert cls.ratio is not None  # the book refuses a 标准×比例 class without a ratio
        amt = money.mul_half_up(standard_fen, cls.ratio)
        text = f"标准×比例：{_y(standard_fen)} × {cls.ratio} = {_y(amt)}（四舍五入到分）"
    if cls.min_fen is not None and amt < cls.min_fen:
        amt = cls.min_fen
        text += f"，低于类别下限，按 {_y(amt)}"
    floor = params.topup_floor_fen(urban)
    if floor is not None and params.topup_floor_mode == "per_person_minimum" and amt < floor:
        amt = floor
        text += f"，低于补差下限，按 {_y(amt)}"
    return max(0, amt), text


def _tekun_note(tekun_refs: tuple[str, ...]) -> str:
    return f"{'、'.join(tekun_refs)} 已认定为特困人员，按特困供养，不再计发低保（特困与低保不重复享受）"


def dibao(
    case: HouseholdCase,
    month: str,
    params: Params,
    income: IncomeResult | None = None,
    tekun_refs: tuple[str, ...] = (),
) -> Decision:
    """Household 低保 (差额 or the class rule × persons), including the 渐退期 (§2.6).

    ``tekun_refs`` are members recognised as 特困 this month: the household's income test still counts
    them (they live together), but they are supported as 特困 and are neither covered nor paid here.
    """
    income = income or assess_income(case, month, params, DIBAO)
    tekun_refs = tuple(r for r in income.counted_refs if r in tekun_refs)
    standard = params.standard_monthly_fen(case.urban)
    pc, n = income.per_capita_monthly_fen, income.persons
    kind = "城市" if case.urban else "农村"
    src = params.source_of("dibao.urban_standard_monthly" if case.urban else "dibao.rural_standard_annual")
    std_text = (
        f"{kind}低保标准 {_y(standard)}/人·月"
        + ("" if case.urban else f"（年 {_y(params.rural_standard_annual_fen)} ÷ 12）")
        + f"，来源 {src}"
    )
    cur = case.current_dibao if case.current_dibao and not case.current_dibao.single_person_ref else None
    if n == 0:
        return _no(DIBAO, "本月没有计入的家庭成员（均已死亡或不计入），不予保障")
    cls = params.class_or_default(cur.class_code if cur and cur.class_code else None)
    ok_prop, prop_text = property_check(case, params, n)
    refs = income.counted_refs
    if pc < standard:
        if not ok_prop:
            return _no(DIBAO, std_text, f"月人均收入 {_y(pc)} 低于标准，但{prop_text}，不符合")
        per, text = per_person_amount(cls, pc, standard, params, case.urban)
        paid = tuple(r for r in refs if r not in tekun_refs)
        total = per * len(paid)
        reasons = [
            std_text,
            f"月人均收入 {_y(pc)} < 标准 {_y(standard)}，符合低保收入条件",
            prop_text,
            f"类别“{cls.code}”（{cls.rule}）：{text}",
        ]
        if tekun_refs:
            reasons.append(_tekun_note(tekun_refs))
            if not paid:
                return _no(DIBAO, *reasons, "全部计入成员均按特困供养，本户不再计发低保", flags=("特困",))
        reasons.append(f"月保障金 = {_y(per)} × {len(paid)} 人 = {_y(total)}")
        flags = ["特困成员不计发"] if tekun_refs else []
        if cur and cur.grace_since:
            flags.append("渐退期结束")
            reasons.append("收入已回落到标准以下，渐退期结束，恢复正常保障")
        if per == 0:
            return _no(DIBAO, *reasons, "计算金额为 0，不予发放")
        return Decision(DIBAO, True, cls.code, total, len(paid), tuple(reasons), None, tuple(flags), paid)

    # pc >= standard: not eligible, unless in the 渐退期
    above = f"月人均收入 {_y(pc)} ≥ 标准 {_y(standard)}，不符合低保收入条件"
    if cur is None:
        return _no(DIBAO, std_text, above)
    start = cur.grace_since or month
    k = months.diff(month, start) + 1
    g = params.grace_months
    end = months.add(start, g - 1) if g > 0 else None
    gsrc = params.source_of("grace.months")
    if g == 0 or k > g:
        return _no(
            DIBAO,
            std_text,
            above,
            f"渐退期 {g} 个月（{start} 至 {end}）已满，本月起停保" if g else "渐退期参数为 0，本月起停保",
            f"渐退期长度来源 {gsrc}",
            class_code=cur.class_code,
            flags=("渐退期满",),
        )
    paid = tuple(r for r in refs if r not in tekun_refs)
    persons = min(cur.persons or n, len(paid))
    amount = cur.monthly_amount_fen
    reasons = [
        std_text,
        above,
        f"在保户收入超过标准，给予渐退期：第 {k} 个月，共 {g} 个月（{start} 至 {end}），来源 {gsrc}",
    ]
    if tekun_refs:
        reasons.append(_tekun_note(tekun_refs))
        if not paid:
            return _no(DIBAO, *reasons, "全部计入成员均按特困供养，本户不再计发低保", flags=("特困",))
    if cur.persons and persons < cur.persons:
        amount = money.div_floor(cur.monthly_amount_fen * persons, cur.persons)
        reasons.append(
            f"保障人数由 {cur.persons} 人减为 {persons} 人：{_y(cur.monthly_amount_fen)} × {persons} ÷ "
            f"{cur.persons} = {_y(amount)}（分以下舍去）"
        )
    else:
        reasons.append(f"渐退期内照原额发放 {_y(amount)}")
    if amount <= 0:
        reasons.append("未填原保障金额，渐退期金额为 0，请核对")
    return Decision(
        DIBAO,
        True,
        cur.class_code or cls.code,
        max(0, amount),
        persons,
        tuple(reasons),
        None,
        ("渐退",) + (("渐退期最后一个月",) if k == g else ()) + (("特困成员不计发",) if tekun_refs else ()),
        paid,
    )


def single_person(
    case: HouseholdCase,
    month: str,
    params: Params,
    income: IncomeResult | None = None,
    tekun_refs: tuple[str, ...] = (),
) -> list[Decision]:
    """单人保 (§2.7): a severely disabled or seriously ill member of a 低保边缘 household is enrolled alone.

    A member recognised as 特困 (``tekun_refs``) is supported as 特困 and gets no 单人保 on top.
    """
    income = income or assess_income(case, month, params, DIBAO)
    standard = params.standard_monthly_fen(case.urban)
    line = params.low_income_line_fen(case.urban)
    pc = income.per_capita_monthly_fen
    out: list[Decision] = []
    candidates = [
        m for m in case.members if m.ref in income.counted_refs and (m.severe_disability or m.serious_illness)
    ]
    for m in candidates:
        why = (
            (f"{m.disability_type}残疾{m.disability_grade}级" if m.severe_disability else "")
            + ("、" if m.severe_disability and m.serious_illness else "")
            + ("患重特大疾病" if m.serious_illness else "")
        )
        if m.ref in tekun_refs:
            out.append(
                _no(
                    DIBAO,
                    f"{m.ref} {why}，已认定为特困人员，按特困供养，不再单人保（特困与低保不重复享受）",
                    single=m.ref,
                    refs=(m.ref,),
                    flags=("单人保", "特困"),
                )
            )
            continue
        if pc < standard:
            out.append(
                _no(
                    DIBAO,
                    f"{m.ref} {why}，但全户月人均收入 {_y(pc)} 低于标准，全户符合低保，不得只保部分成员（S4 一(一)）",
                    single=m.ref,
                    refs=(m.ref,),
                    flags=("单人保",),
                )
            )
            continue
        if pc >= line:
            out.append(
                _no(
                    DIBAO,
                    f"{m.ref} {why}，但全户月人均收入 {_y(pc)} ≥ 低保边缘线 {_y(line)}"
                    f"（{params.low_income_factor} × {_y(standard)}），不属于低保边缘家庭",
                    single=m.ref,
                    refs=(m.ref,),
                    flags=("单人保",),
                )
            )
            continue
        own = max(0, income.own_monthly_fen.get(m.ref, 0))
        if own >= standard:
            out.append(
                _no(
                    DIBAO,
                    f"{m.ref} 本人月收入 {_y(own)} ≥ 标准 {_y(standard)}，单人保无差额",
                    single=m.ref,
                    refs=(m.ref,),
                    flags=("单人保",),
                )
            )
            continue
        cls = params.class_or_default(None)
        per, text = per_person_amount(cls, own, standard, params, case.urban)
        out.append(
            Decision(
                DIBAO,
                per > 0,
                cls.code,
                per,
                1 if per > 0 else 0,
                (
                    f"{m.ref} {why}（S1 第八条）",
                    f"全户月人均收入 {_y(pc)}：≥ 标准 {_y(standard)} 且 < 低保边缘线 {_y(line)}，属低保边缘家庭",
                    f"参照单人户：本人月收入 {_y(own)}；{text}",
                    f"月保障金 {_y(per)} × 1 人 = {_y(per)}",
                ),
                m.ref,
                ("单人保",),
                (m.ref,),
            )
        )
    return out


def low_income(case: HouseholdCase, month: str, params: Params, income: IncomeResult | None = None) -> Decision:
    """低保边缘家庭 (§1.4): not 低保-eligible and per-capita income < factor × standard. No cash; a recognition."""
    income = income or assess_income(case, month, params, DIBAO)
    standard = params.standard_monthly_fen(case.urban)
    line = params.low_income_line_fen(case.urban)
    pc, n = income.per_capita_monthly_fen, income.persons
    calc = (
        f"低保边缘线 = {params.low_income_factor} × {_y(standard)} = {_y(line)}"
        f"（{params.source_of('low_income.factor')}）"
    )
    if n == 0:
        return _no(LOW_INCOME, "本月没有计入的家庭成员", payment="none")
    if pc < standard:
        return _no(LOW_INCOME, calc, f"月人均收入 {_y(pc)} < 低保标准，应按低保处理", payment="none")
    if pc >= line:
        return _no(LOW_INCOME, calc, f"月人均收入 {_y(pc)} ≥ 低保边缘线", payment="none")
    ok_prop, prop_text = property_check(case, params, n)
    if not ok_prop:
        return _no(LOW_INCOME, calc, prop_text, payment="none")
    return Decision(
        LOW_INCOME,
        True,
        "低保边缘",
        0,
        n,
        (
            calc,
            f"标准 {_y(standard)} ≤ 月人均收入 {_y(pc)} < {_y(line)}，认定为低保边缘家庭，纳入低收入人口动态监测",
            prop_text,
        ),
        None,
        ("监测",),
        income.counted_refs,
        "none",
    )


# --- 特困 -------------------------------------------------------------------

# Disabilities that count as 无劳动能力 for 特困 (S3): the grades of each kind.
TEKUN_DISABLING_GRADES: dict[str, tuple[int, ...]] = {
    "智力": (1, 2, 3),
    "精神": (1, 2, 3),
    "肢体": (1, 2),
    "视力": (1,),
}


def no_labour_reason(m: PersonCase, month: str, params: Params) -> str | None:
    a = age_in_month(m, month)
    if a >= params.tekun_elder_age:
        return f"年满 {params.tekun_elder_age} 周岁（本月1日 {a} 岁）"
    if a < params.tekun_minor_age:
        return f"未满 {params.tekun_minor_age} 周岁（本月1日 {a} 岁）"
    if m.full_time_student and m.schooling in IN_SCHOOL_PAST_18:
        return f"年满 {params.tekun_minor_age} 周岁但仍在{m.schooling}就读"
    t, g = m.disability_type, m.disability_grade
    if g in TEKUN_DISABLING_GRADES.get(t, ()):
        return f"{t}残疾{g}级"
    return None


def tekun(case: HouseholdCase, month: str, params: Params, income: IncomeResult | None = None) -> list[Decision]:
    """特困 (S3): 三无 per person; amount = basic standard + care standard of the self-care tier."""
    income = income or assess_income(case, month, params, TEKUN)
    standard = params.standard_monthly_fen(case.urban)
    pc = income.per_capita_monthly_fen
    out = []
    for m in case.members:
        if not m.alive_in(month):
            continue
        if m.ref not in income.counted_refs:
            continue
        no_labour = no_labour_reason(m, month, params)
        if no_labour is None:
            continue  # has labour ability: not a 特困 candidate; no decision line
        reasons = [f"{m.ref} 无劳动能力：{no_labour}"]
        a = age_in_month(m, month)
        if m.orphan and a < params.tekun_minor_age and m.prefers_orphan_scheme:
            out.append(
                _no(
                    TEKUN,
                    *reasons,
                    "同时符合孤儿（事实无人抚养儿童）保障条件并选择孤儿保障，不认定为特困（S3 第九条）",
                    refs=(m.ref,),
                )
            )
            continue
        if pc >= standard:
            out.append(
                _no(
                    TEKUN,
                    *reasons,
                    f"特困口径月人均收入 {_y(pc)} ≥ 低保标准 {_y(standard)}，不属无生活来源",
                    refs=(m.ref,),
                )
            )
            continue
        reasons.append(
            f"特困口径月人均收入 {_y(pc)} < 低保标准 {_y(standard)}（基础养老金、高龄津贴等不计入），无生活来源"
        )
        if m.has_supporter and m.supporter_able:
            out.append(_no(TEKUN, *reasons, "有法定义务人且有履行能力，不符合", refs=(m.ref,)))
            continue
        reasons.append("无法定义务人" if not m.has_supporter else "法定义务人无履行义务能力")
        ok_prop, prop_text = property_check(case, params, 1)
        if not ok_prop:
            out.append(_no(TEKUN, *reasons, prop_text, refs=(m.ref,)))
            continue
        reasons.append(prop_text)
        basic = params.tekun_basic_monthly_fen(case.urban)
        if basic is None:
            out.append(_no(TEKUN, *reasons, "特困基本生活标准参数未设定，无法计算金额", refs=(m.ref,)))
            continue
        override = params.tekun_basic_urban_monthly_fen if case.urban else params.tekun_basic_rural_monthly_fen
        basic_text = (
            f"基本生活标准 {_y(basic)}"
            if override is not None
            else f"基本生活标准 = {params.tekun_basic_ratio} × {_y(standard)} = {_y(basic)}（四舍五入到分，"
            f"{params.source_of('tekun.basic_ratio')}）"
        )
        care = params.tekun_care_monthly_fen.get(m.self_care, 0)
        reasons.append(basic_text)
        reasons.append(f"照料护理标准（{m.self_care}）{_y(care)}（{params.source_of('tekun.care_monthly')}）")
        reasons.append(f"月供养金 = {_y(basic)} + {_y(care)} = {_y(basic + care)}")
        out.append(Decision(TEKUN, True, m.self_care, basic + care, 1, tuple(reasons), None, (), (m.ref,)))
    return out


# --- personal allowances -----------------------------------------------------


def gaoling(case: HouseholdCase, month: str, params: Params) -> list[Decision]:
    """高龄补贴: band by age (completed years on the 1st, or at month end if the birthday month counts)."""
    out: list[Decision] = []
    if not params.gaoling_bands:
        return out
    low = min(b.min_age for b in params.gaoling_bands)
    on = months.last_day(month) if params.gaoling_count_birthday_month else months.first_day(month)
    rule = "生日当月起计" if params.gaoling_count_birthday_month else "按本月1日周岁，生日当月的次月起计"
    for m in case.members:
        a = m.age_on(on)
        if a < low - 1:
            continue
        if m.deceased_on is not None and not m.alive_in(month):
            if a >= low:
                out.append(_no(GAOLING, f"{m.ref} 已于 {m.deceased_on.isoformat()} 死亡，次月起停发", refs=(m.ref,)))
            continue
        amt = params.gaoling_amount_fen(a)
        if amt <= 0:
            if a == low - 1 and m.age_on(months.last_day(month)) >= low:
                out.append(_no(GAOLING, f"{m.ref} 本月满 {low} 周岁，{rule}", refs=(m.ref,)))
            continue
        band = max(b.min_age for b in params.gaoling_bands if a >= b.min_age)
        out.append(
            Decision(
                GAOLING,
                True,
                f"{band}周岁以上",
                amt,
                1,
                (f"{m.ref} {a} 周岁（{rule}），{band} 周岁以上档 {_y(amt)}/月（{params.source_of('gaoling.bands')}）",),
                None,
                (),
                (m.ref,),
            )
        )
    return out


def orphan(case: HouseholdCase, month: str, params: Params) -> list[Decision]:
    """孤儿基本生活费 / 事实无人抚养儿童 (§1.8), until 18."""
    out = []
    for m in case.members:
        if not m.orphan:
            continue
        if m.deceased_on is not None and not m.alive_in(month):
            out.append(_no(ORPHAN, f"{m.ref} 已于 {m.deceased_on.isoformat()} 死亡，次月起停发", refs=(m.ref,)))
            continue
        a = age_in_month(m, month)
        if a >= ORPHAN_AGE_LIMIT:
            out.append(_no(ORPHAN, f"{m.ref} 本月1日已满 {ORPHAN_AGE_LIMIT} 周岁", class_code=m.orphan, refs=(m.ref,)))
            continue
        amt = params.orphan_monthly_fen.get(m.orphan)
        if amt is None:
            out.append(_no(ORPHAN, f"该月没有“{m.orphan}”的孤儿保障标准参数", class_code=m.orphan, refs=(m.ref,)))
            continue
        out.append(
            Decision(
                ORPHAN,
                True,
                m.orphan,
                amt,
                1,
                (f"{m.ref} {m.orphan}，{a} 周岁，标准 {_y(amt)}/月（{params.source_of('orphan.monthly')}）",),
                None,
                (),
                (m.ref,),
            )
        )
    return out


def disability_living(
    case: HouseholdCase, month: str, params: Params, dibao_decisions: list[Decision]
) -> list[Decision]:
    """困难残疾人生活补贴: a disabled member of a 低保 household (or enrolled alone by 单人保)."""
    covered = {r for d in dibao_decisions if d.eligible and d.programme == DIBAO for r in d.covered_refs}
    out = []
    for m in case.members:
        if m.disability_grade <= 0 or not m.alive_in(month):
            continue
        if m.ref not in covered:
            out.append(_no(DIS_LIVING, f"{m.ref} 持证残疾人，但不在低保保障范围内", refs=(m.ref,)))
            continue
        amt = params.disability_living_monthly_fen
        if not amt:
            out.append(_no(DIS_LIVING, "困难残疾人生活补贴标准参数未设定", refs=(m.ref,)))
            continue
        out.append(
            Decision(
                DIS_LIVING,
                True,
                f"{m.disability_grade}级",
                amt,
                1,
                (
                    (
                        f"{m.ref} {m.disability_type}残疾{m.disability_grade}级，属低保对象，补贴 {_y(amt)}/月（"
                        f"{params.source_of('disability.living_monthly')}）"
                    ),
                ),
                None,
                (),
                (m.ref,),
            )
        )
    return out


def disability_care(case: HouseholdCase, month: str, params: Params) -> list[Decision]:
    """重度残疾人护理补贴: disability grade 1 or 2."""
    out = []
    for m in case.members:
        if m.disability_grade not in (1, 2) or not m.alive_in(month):
            continue
        amt = params.disability_care_monthly_fen.get(str(m.disability_grade))
        if not amt:
            out.append(_no(DIS_CARE, f"{m.disability_grade}级护理补贴标准参数未设定", refs=(m.ref,)))
            continue
        out.append(
            Decision(
                DIS_CARE,
                True,
                f"{m.disability_grade}级",
                amt,
                1,
                (
                    (
                        f"{m.ref} {m.disability_type}残疾{m.disability_grade}级（重度），护理补贴 {_y(amt)}/月（"
                        f"{params.source_of('disability.care_monthly')}）"
                    ),
                ),
                None,
                (),
                (m.ref,),
            )
        )
    return out


# --- 临时救助 -----------------------------------------------------------------


def linshi_emergency(case: HouseholdCase, month: str, params: Params, income: IncomeResult | None = None) -> Decision:
    """急难型 (S8): disaster, fire or accident → multiple × monthly standard × persons, one-off; 先行救助 allowed."""
    income = income or assess_income(case, month, params, DIBAO)
    if not (case.disaster or case.accident):
        return _no(LINSHI, "未报告灾害、火灾或意外事故", class_code="急难型", payment="one_off")
    standard, n = params.standard_monthly_fen(case.urban), income.persons
    mult = params.linshi_emergency_multiple
    if mult is None or n == 0:
        return _no(LINSHI, "急难型临时救助倍数参数未设定或无计入成员", class_code="急难型", payment="one_off")
    amt = money.mul_half_up(standard * n, mult)
    what = "、".join(x for x, f in (("遭受灾害", case.disaster), ("意外事故", case.accident)) if f)
    return Decision(
        LINSHI,
        amt > 0,
        "急难型",
        amt,
        n,
        (
            f"家庭{what}，可先行救助，事后补齐手续（S8 二(二)）",
            (
                f"一次性金额 = {_y(standard)} × {n} 人 × {mult} = {_y(amt)}"
                f"（{params.source_of('linshi.emergency_multiple')}）"
            ),
        ),
        None,
        ("先行救助",),
        income.counted_refs,
        "one_off",
    )


def linshi_expense(case: HouseholdCase, month: str, params: Params, income: IncomeResult | None = None) -> Decision:
    """支出型 (S8): rigid spending beyond what the household can bear.

    capacity = max(0, annual household income − 12 × standard × persons); excess = spending − capacity;
    amount = min(excess, cap multiple × standard × persons).
    """
    income = income or assess_income(case, month, params, DIBAO)
    spending = case.medical_out_of_pocket_fen_12m + case.schooling_cost_fen_12m
    if spending <= 0:
        return _no(LINSHI, "近 12 个月无自付医疗或教育支出", class_code="支出型", payment="one_off")
    standard, n = params.standard_monthly_fen(case.urban), income.persons
    if n == 0:
        return _no(LINSHI, "本月没有计入的家庭成员", class_code="支出型", payment="one_off")
    reasons = []
    flags: tuple[str, ...] = ()
    local = params.local_disposable_income_annual_fen
    pc_year = income.per_capita_monthly_fen * 12
    if local is None:
        reasons.append("上年度当地居民人均可支配收入参数未设定，收入条件须人工核对")
        flags = ("待核",)
    elif pc_year >= local:
        return _no(
            LINSHI,
            f"年人均收入 {_y(pc_year)} ≥ 上年度当地人均可支配收入 {_y(local)}",
            class_code="支出型",
            payment="one_off",
        )
    else:
        reasons.append(f"年人均收入 {_y(pc_year)} < 上年度当地人均可支配收入 {_y(local)}")
    annual = income.household_monthly_fen * 12
    need = standard * 12 * n
    capacity = max(0, annual - need)
    excess = spending - capacity
    reasons.append(
        f"刚性支出 = 医疗自付 {_y(case.medical_out_of_pocket_fen_12m)}"
        f" + 教育 {_y(case.schooling_cost_fen_12m)} = {_y(spending)}"
    )
    reasons.append(f"家庭承受能力 = max(0, 年收入 {_y(annual)} − 12 × {_y(standard)} × {n} 人) = {_y(capacity)}")
    if excess <= 0:
        return _no(LINSHI, *reasons, "支出未超出家庭承受能力", class_code="支出型", payment="one_off")
    amt = excess
    mult = params.linshi_expense_cap_multiple
    if mult is not None:
        cap = money.mul_half_up(standard * n, mult)
        amt = min(excess, cap)
        reasons.append(
            f"超出部分 {_y(excess)}；上限 = {_y(standard)} × {n} 人 × {mult} = {_y(cap)}；救助 {_y(amt)}"
            f"（{params.source_of('linshi.expense_cap_multiple')}）"
        )
    else:
        reasons.append(f"超出部分 {_y(excess)}，无上限参数，救助 {_y(amt)}")
    return Decision(LINSHI, True, "支出型", amt, n, tuple(reasons), None, flags, income.counted_refs, "one_off")


def linshi_unemployed(
    case: HouseholdCase, month: str, params: Params, dibao_decision: Decision | None = None
) -> list[Decision]:
    """未参保失业人员一次性临时救助金 (S4 二(一)): no income for ≥ 3 months, uninsured, not in 低保."""
    out = []
    need = params.alert_unemployed_months
    for m in case.members:
        if m.unemployed_uninsured_months < need or not m.alive_in(month):
            continue
        in_dibao = "低保" in case.current_programmes or (dibao_decision is not None and dibao_decision.eligible)
        if in_dibao:
            out.append(
                _no(
                    LINSHI,
                    f"{m.ref} 未参保失业 {m.unemployed_uninsured_months} 个月，但家庭已纳入（或符合）低保",
                    class_code="失业一次性",
                    refs=(m.ref,),
                    payment="one_off",
                )
            )
            continue
        mult = params.linshi_unemployed_multiple
        if mult is None:
            out.append(
                _no(LINSHI, "一次性临时救助金倍数参数未设定", class_code="失业一次性", refs=(m.ref,), payment="one_off")
            )
            continue
        standard = params.standard_monthly_fen(case.urban)
        amt = money.mul_half_up(standard, mult)
        out.append(
            Decision(
                LINSHI,
                amt > 0,
                "失业一次性",
                amt,
                1,
                (
                    f"{m.ref} 未参加失业保险、连续 {m.unemployed_uninsured_months} 个月无收入，未纳入低保（S4 二(一)）",
                    (
                        f"一次性金额 = {_y(standard)} × {mult} = {_y(amt)}"
                        f"（{params.source_of('linshi.unemployed_multiple')}）"
                    ),
                ),
                None,
                (),
                (m.ref,),
                "one_off",
            )
        )
    return out


# --- everything --------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    income: IncomeResult
    tekun_income: IncomeResult
    decisions: tuple[Decision, ...] = field(default_factory=tuple)


def assess_case(case: HouseholdCase, month: str, params: Params) -> Assessment:
    inc = assess_income(case, month, params, DIBAO)
    tinc = assess_income(case, month, params, TEKUN)
    # 特困 is decided first: a person it supports is not also paid 低保 (docs/domain.md §2.4).
    d_tekun = tekun(case, month, params, tinc)
    tekun_refs = tuple(r for d in d_tekun if d.eligible for r in d.covered_refs)
    d_dibao = dibao(case, month, params, inc, tekun_refs)
    singles = [] if d_dibao.eligible else single_person(case, month, params, inc, tekun_refs)
    decisions: list[Decision] = [d_dibao, *singles]
    decisions += d_tekun
    decisions.append(low_income(case, month, params, inc))
    decisions.append(linshi_emergency(case, month, params, inc))
    decisions.append(linshi_expense(case, month, params, inc))
    decisions += linshi_unemployed(case, month, params, d_dibao)
    decisions += gaoling(case, month, params)
    decisions += orphan(case, month, params)
    decisions += disability_living(case, month, params, [d_dibao, *singles])
    decisions += disability_care(case, month, params)
    return Assessment(inc, tinc, tuple(decisions))
