"""家庭收入核算 (household income for 低保 and 特困, docs/domain.md §3.1, §3.2, §2.4).

Rules, in order (each step is written to ``steps`` in Chinese with its arithmetic):

1. Who counts (§2.1): members alive on the 1st of the month who live together; not counted are
   persons in prison, in compulsory drug rehabilitation, declared missing, clergy living apart
   ≥ 3 years, and anyone marked ``lives_together: false``. A member who dies during the month
   still counts for that month.
2. Each income item's monthly amount = amount ÷ its months, **rounded down to the fen**.
   Items of members who do not count are left out.
3. Excluded items (S1 第十三条): 优待抚恤金, 计划生育奖励扶助金, 奖学金, 见义勇为奖励, 社会救助款物, and
   城乡居民基础养老金 while ``income.exclude_basic_pension`` is true (2021–2025). For the 特困 test
   (S3 第六条) also 基础养老金 always, 基本医疗保险 and other social insurance, and 高龄津贴. For 低保
   also the local items of the dated figure ``income.dibao_excluded_items`` (the Ningxia default:
   高龄津贴, 困难残疾人生活补贴, 重度残疾人护理补贴, unconfirmed).
4. 转移性支出 (taxes, contributions, support paid to others) is subtracted from transfer income.
5. 必要就业成本 (S1 第十三条): for each counted member marked employed, min(own wage, cap,
   fixed + wage × rate), the product rounded down to the fen.
6. 刚性支出 deductions (disability / serious illness): amount ÷ months, rounded down.
7. Household monthly income = sum − deductions, never below 0.
8. Per-capita monthly income = household monthly income ÷ persons counted, **rounded down to the fen**.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import money
from .model import EXCLUDED_SUBTYPES, PENSION_SUBTYPE, TEKUN_EXCLUDED_SUBTYPES, HouseholdCase, PersonCase
from .params import Params

ABSENT_LABEL = {
    "服刑": "正在服刑",
    "强制隔离戒毒": "强制隔离戒毒中",
    "失踪": "宣告失踪",
    "宗教教职": "宗教教职人员离家满三年",
}


@dataclass(frozen=True)
class IncomeResult:
    purpose: str  # 低保 or 特困
    counted_refs: tuple[str, ...]
    excluded_members: tuple[tuple[str, str], ...]  # (ref, reason)
    gross_monthly_fen: int  # counted items, before deductions
    employment_cost_fen: int
    rigid_deduction_fen: int
    household_monthly_fen: int
    per_capita_monthly_fen: int
    own_monthly_fen: dict[
        str, int
    ]  # ref → counted monthly income attributed to that member (after own employment cost)
    steps: tuple[str, ...]

    @property
    def persons(self) -> int:
        return len(self.counted_refs)

    @property
    def per_capita_annual_fen(self) -> int:
        return self.per_capita_monthly_fen * 12


def counted_members(case: HouseholdCase, month: str) -> tuple[list[PersonCase], list[tuple[str, str]]]:
    counted, excluded = [], []
    for m in case.members:
        if m.deceased_on is not None and not m.alive_in(month):
            excluded.append((m.ref, f"已于 {m.deceased_on.isoformat()} 死亡"))
        elif m.absent_reason:
            excluded.append((m.ref, ABSENT_LABEL[m.absent_reason]))
        elif not m.lives_together:
            excluded.append((m.ref, "不共同生活"))
        else:
            counted.append(m)
    return counted, excluded


def _label(m: PersonCase) -> str:
    return f"{m.name or m.ref}（{m.ref}）"


def _count_items(
    case: HouseholdCase,
    refs: set[str],
    excluded_subtypes: set[str],
    *,
    own: dict[str, int],
    wages: dict[str, int],
    steps: list[str] | None,
) -> int:
    """The counted income items' monthly total; adds to ``own`` and ``wages`` per member and, unless
    ``steps`` is None, explains each item."""
    gross = 0
    head = ""
    for i, item in enumerate(case.income_items):
        monthly = money.div_floor(item.amount_fen, item.months)
        if steps is not None:
            who = f"{item.member_ref}的" if item.member_ref else "家庭"
            name = f"{item.kind}{'·' + item.subtype if item.subtype else ''}"
            head = (
                f"收入{i + 1} {who}{name}：{money.yuan(item.amount_fen)} 元 ÷ {item.months} 个月"
                f" = {money.yuan(monthly)} 元/月"
            )
        if item.member_ref is not None and item.member_ref not in refs:
            if steps is not None:
                steps.append(head + "，该成员不计入，不计")
            continue
        if item.subtype in excluded_subtypes:
            if steps is not None:
                steps.append(head + f"，{item.subtype}不计入收入")
            continue
        if item.kind == "转移性支出":
            gross -= monthly
            if item.member_ref:
                own[item.member_ref] -= monthly
            if steps is not None:
                steps.append(head + "，为转移性支出，从收入中减去")
            continue
        gross += monthly
        if item.member_ref:
            own[item.member_ref] += monthly
            if item.kind == "工资性":
                wages[item.member_ref] += monthly
        if steps is not None:
            steps.append(head + "，计入")
    return gross


def _employment_costs(
    counted: list[PersonCase], wages: dict[str, int], params: Params, own: dict[str, int], steps: list[str] | None
) -> int:
    """The 必要就业成本 of the counted members in work; each is taken off that member's ``own`` income."""
    employment_cost = 0
    for m in counted:
        if not m.employed:
            continue
        wage = wages[m.ref]
        if wage <= 0:
            if steps is not None:
                steps.append(f"{_label(m)}有就业但无本人工资性收入记录，不扣就业成本")
            continue
        pct = money.mul_floor(wage, params.employment_cost_rate)
        raw = params.employment_cost_fixed_fen + pct
        cap = params.employment_cost_cap_fen
        ded = min(wage, raw if cap is None else min(raw, cap))
        employment_cost += ded
        own[m.ref] -= ded
        if steps is None:
            continue
        steps.append(
            f"扣减{_label(m)}必要就业成本：min(本人工资 {money.yuan(wage)}，上限 "
            f"{'无' if cap is None else money.yuan(cap)}，定额 {money.yuan(params.employment_cost_fixed_fen)} + "
            f"工资×{params.employment_cost_rate} = {money.yuan(raw)}) = {money.yuan(ded)} 元/月"
            f"（参数来源 {params.source_of('employment_cost.fixed_per_person_monthly')}）"
        )
    return employment_cost


def assess_income(
    case: HouseholdCase, month: str, params: Params, purpose: str = "低保", *, explain: bool = True
) -> IncomeResult:
    """The household's income for ``purpose`` in ``month``; with ``explain`` False the same figures
    without the written ``steps`` (the monitoring rules read only the figures, for every household
    of the county, and writing the steps took most of their time)."""
    if purpose not in ("低保", "特困"):
        raise ValueError("purpose 应为 低保 或 特困。")
    steps: list[str] | None = [] if explain else None
    counted, excluded = counted_members(case, month)
    refs = {m.ref for m in counted}
    if steps is not None:
        steps.append(
            f"【{purpose}收入核算，{month}】计入家庭成员 {len(counted)} 人："
            + ("、".join(_label(m) for m in counted) or "无")
        )
        for ref, why in excluded:
            member = case.member(ref)
            assert member is not None  # counted_members took the ref from case.members
            steps.append(f"不计入成员 {_label(member)}：{why}")

    excluded_subtypes = set(EXCLUDED_SUBTYPES)
    if params.exclude_basic_pension or purpose == "特困":
        excluded_subtypes.add(PENSION_SUBTYPE)
    if purpose == "特困":
        excluded_subtypes.update(TEKUN_EXCLUDED_SUBTYPES)
    local = set()
    if purpose == "低保":
        local = set(params.dibao_excluded_items) - excluded_subtypes
        excluded_subtypes |= local

    own: dict[str, int] = {m.ref: 0 for m in counted}
    wages: dict[str, int] = {m.ref: 0 for m in counted}
    gross = _count_items(case, refs, excluded_subtypes, own=own, wages=wages, steps=steps)
    if steps is not None:
        if local & {item.subtype for item in case.income_items}:
            steps.append(
                f"{'、'.join(s for s in params.dibao_excluded_items if s in local)}按当地规定不计入低保收入"
                f"（参数来源 {params.source_of('income.dibao_excluded_items')}）"
            )
        steps.append(f"计入收入合计 {money.yuan(gross)} 元/月")
    employment_cost = _employment_costs(counted, wages, params, own, steps)

    rigid = 0
    for i, d in enumerate(case.deductions):
        if d.member_ref is not None and d.member_ref not in refs:
            if steps is not None:
                steps.append(f"扣减{i + 1} {d.kind}：该成员不计入，不扣")
            continue
        monthly = money.div_floor(d.amount_fen, d.months)
        rigid += monthly
        if steps is not None:
            steps.append(
                f"扣减{i + 1} {d.kind}{'（' + d.note + '）' if d.note else ''}：{money.yuan(d.amount_fen)} 元 ÷ "
                f"{d.months} 个月 = {money.yuan(monthly)} 元/月"
            )

    household = max(0, gross - employment_cost - rigid)
    n = len(counted)
    per_capita = money.div_floor(household, n) if n else 0
    if steps is not None:
        steps.append(
            f"家庭月收入 = {money.yuan(gross)} − 就业成本 {money.yuan(employment_cost)} − 刚性支出 "
            f"{money.yuan(rigid)} = {money.yuan(gross - employment_cost - rigid)} 元"
            + ("，不足 0 按 0 计" if gross - employment_cost - rigid < 0 else "")
        )
        if n:
            steps.append(
                f"家庭月人均收入 = {money.yuan(household)} ÷ {n} 人 = {money.yuan(per_capita)} 元（分以下舍去）"
            )
        else:
            steps.append("本月无计入的家庭成员，不计算人均收入")
    return IncomeResult(
        purpose,
        tuple(m.ref for m in counted),
        tuple(excluded),
        gross,
        employment_cost,
        rigid,
        household,
        per_capita,
        own,
        tuple(steps or ()),
    )
