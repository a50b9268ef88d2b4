"""Monitoring and early-warning rules (docs/domain.md §6) over one household snapshot.

Each rule is a pure function ``rule(snapshot, params) -> list[AlertFinding]``; thresholds come from
:class:`Params` (``alerts.*`` figures) so the county can change them. Levels: 1 黄 (check),
2 橙 (act this month), 3 红 (act now: benefits may be wrong or someone may be without help).

Alert texts are read by clerks and shown to households, so they cite a policy by its name
("政策依据：《最低生活保障审核确认办法》第十一条"), never by the source codes (S1, S15) the policy book
uses internally; a figure with no citable source (a placeholder, background knowledge) cites nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from .. import money, months
from .income import IncomeResult, assess_income
from .model import HouseholdCase
from .params import Params

# The policy book's source codes (docs/domain.md §1.3) by the name a clerk can look up. Codes missing
# here (Memory, placeholder, a code added later) are not cited at all rather than shown raw.
SOURCE_NAMES: dict[str, str] = {
    "S1": "《最低生活保障审核确认办法》",
    "S2": "《最低生活保障审核审批办法（试行）》",
    "S3": "《特困人员认定办法》",
    "S4": "《关于进一步做好最低生活保障等社会救助兜底保障工作的通知》",
    "S5": "《关于加强低收入人口动态监测做好分层分类社会救助工作的意见》",
    "S6": "《关于改革完善社会救助制度的意见》",
    "S7": "《刚性支出困难家庭认定办法》",
    "S8": "《关于进一步加强和改进临时救助工作的意见》",
    "S9": "《社会救助暂行办法》",
    "S10": "新华社2022年2月22日报道《宁夏：提高孤儿养育津贴标准》",
    "S11": "宁财（社）发〔2015〕250号",
    "S12": "《宁夏日报》2013年7月16日报道的低保标准",
    "S15": "外地（陕西某县）2021年防返贫监测方案",
    "S17": "外地县防返贫监测部门推送标准",
}

_CODE = re.compile(r"^(S\d+)\s*(.*)$")


def source_name(source: str) -> str:
    """The policy named in words for a source such as ``"S1 第十一条"``; "" when it cannot be named."""
    m = _CODE.match(source.strip())
    if m is None or m.group(1) not in SOURCE_NAMES:
        return ""
    article = m.group(2).strip().replace("(", "（").replace(")", "）")
    return SOURCE_NAMES[m.group(1)] + article


def with_basis(text: str, source: str, unconfirmed: bool = False) -> str:
    """``text`` followed by "。政策依据：…" naming ``source`` in words, or ``text`` alone if it has no name."""
    name = source_name(source)
    if not name:
        return text
    return f"{text}。政策依据：{name}" + ("（该数值尚未确认）" if unconfirmed else "")


# A code cited in parentheses, possibly with a nested "（2021-01-01 起，未确认）" as params.source_of wrote it.
_CITED = re.compile(r"（((?:S\d+|Memory|占位值|placeholder)[^（）]*)(?:（([^（）]*)）)?[^（）]*）")


def plain_message(message: str) -> str:
    """A stored alert text with its source codes put in words (alerts raised before the codes were dropped)."""
    bases: list[str] = []

    def cite(m: re.Match[str]) -> str:
        name = source_name(m.group(1))
        if name:
            bases.append(name + ("（该数值尚未确认）" if "未确认" in (m.group(2) or "") else ""))
        return ""

    text = _CITED.sub(cite, message)
    return text + "".join(f"。政策依据：{b}" for b in bases)


# 孤寡老人: every living member is 60 or older (老年人权益保障法 第二条), with no able supporter.
ELDER_AGE = 60


@dataclass(frozen=True)
class AlertFinding:
    rule: str
    level: int
    message: str
    member_ref: str | None = None


@dataclass(frozen=True)
class MonitoringSnapshot:
    case: HouseholdCase
    month: str
    as_of: date  # the day the rules run
    previous_per_capita_monthly_fen: int | None = None
    last_visit: date | None = None
    last_review: date | None = None
    income_unstable: bool = False  # → review every 6 months
    inpatient_out_of_pocket_ytd_fen: int = 0
    outpatient_out_of_pocket_month_fen: int = 0
    schooling_out_of_pocket_year_fen: int = 0
    new_disability_refs: tuple[str, ...] = ()
    new_illness_refs: tuple[str, ...] = ()
    grace_until: str | None = None  # last month of a running 渐退期
    # Programmes with an application under way (申请 … 审核审批) or approved but not yet paid this month:
    # the household has already asked, so telling it to apply is noise.
    open_applications: tuple[str, ...] = ()
    income: IncomeResult | None = field(default=None, compare=False)

    def income_result(self, params: Params) -> IncomeResult:
        return self.income or assess_income(self.case, self.month, params, "低保", explain=False)

    @property
    def enrolled(self) -> tuple[str, ...]:
        return self.case.current_programmes


def _y(fen: int) -> str:
    return money.yuan(fen) + " 元"


def _basis_of(text: str, p: Params, key: str) -> str:
    item = p.items.get(key)
    return with_basis(text, item.source, item.unconfirmed) if item is not None else text


def below_monitoring_line(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    if s.case.urban or p.monitoring_annual_line_fen is None:
        return []
    inc = s.income_result(p)
    annual = inc.per_capita_monthly_fen * 12
    if inc.persons and annual < p.monitoring_annual_line_fen:
        return [
            AlertFinding(
                "低于监测线",
                2,
                _basis_of(
                    f"年人均收入 {_y(annual)} 低于防返贫监测线 {_y(p.monitoring_annual_line_fen)}，纳入监测",
                    p,
                    "monitoring.annual_line",
                ),
            )
        ]
    return []


def may_qualify_dibao(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    inc = s.income_result(p)
    standard = p.standard_monthly_fen(s.case.urban)
    asked = {"低保", "特困"} & {*s.enrolled, *s.open_applications}
    if inc.persons and inc.per_capita_monthly_fen < standard and not asked:
        return [
            AlertFinding(
                "可能符合低保",
                3,
                f"月人均收入 {_y(inc.per_capita_monthly_fen)} 低于低保标准 {_y(standard)}，"
                "尚未纳入低保或特困，请入户核查并告知申请",
            )
        ]
    return []


def dibao_edge(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    inc = s.income_result(p)
    standard, line = p.standard_monthly_fen(s.case.urban), p.low_income_line_fen(s.case.urban)
    if inc.persons and standard <= inc.per_capita_monthly_fen < line and "低保" not in s.enrolled:
        out = [
            AlertFinding(
                "低保边缘",
                1,
                f"月人均收入 {_y(inc.per_capita_monthly_fen)} 在低保标准 {_y(standard)} 与 {_y(line)} 之间，"
                "认定低保边缘家庭，录入低收入人口动态监测库",
            )
        ]
        out.extend(
            AlertFinding("建议单人保", 2, f"{m.ref} 重残或重病，家庭属低保边缘，可参照单人户申请低保", m.ref)
            for m in s.case.members
            if m.ref in inc.counted_refs and (m.severe_disability or m.serious_illness)
        )
        return out
    return []


def income_drop(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    prev, ratio = s.previous_per_capita_monthly_fen, p.alert_income_drop_ratio
    if not prev or ratio is None:
        return []
    now = s.income_result(p).per_capita_monthly_fen
    if now <= prev - money.mul_half_up(prev, ratio):
        return [
            AlertFinding(
                "收入骤降", 2, f"月人均收入由 {_y(prev)} 降至 {_y(now)}，降幅达 {ratio} 以上，核查是否突发严重困难"
            )
        ]
    return []


def medical_cost(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    out = []
    limit = p.alert_inpatient_formerly_poor_fen if s.case.formerly_poor else p.alert_inpatient_other_fen
    if limit is not None and s.inpatient_out_of_pocket_ytd_fen >= limit:
        out.append(
            AlertFinding(
                "大额医疗支出",
                2,
                f"本年住院自付 {_y(s.inpatient_out_of_pocket_ytd_fen)} ≥ {_y(limit)}"
                f"（{'脱贫人口' if s.case.formerly_poor else '其他农村人口'}口径），核查支出型临时救助或刚性支出困难",
            )
        )
    lim = p.alert_outpatient_monthly_fen
    if lim is not None and s.outpatient_out_of_pocket_month_fen >= lim:
        out.append(AlertFinding("门诊费用", 1, f"本月门诊自付 {_y(s.outpatient_out_of_pocket_month_fen)} ≥ {_y(lim)}"))
    return out


def schooling_cost(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    lim = p.alert_schooling_yearly_fen
    if lim is not None and s.schooling_out_of_pocket_year_fen > lim:
        return [
            AlertFinding(
                "教育支出",
                1,
                f"非义务教育自付 {_y(s.schooling_out_of_pocket_year_fen)} 超过 {_y(lim)}，核查教育救助或刚性支出困难",
            )
        ]
    return []


def new_disability_or_illness(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    out = [
        AlertFinding("新增残疾", 2, f"{ref} 新办残疾证，核查残疾人两项补贴、单人保和重度残疾人照料台账", ref)
        for ref in s.new_disability_refs
    ]
    out.extend(
        AlertFinding("新增重病", 2, f"{ref} 新发重特大疾病，核查医疗救助、单人保和支出型临时救助", ref)
        for ref in s.new_illness_refs
    )
    return out


def member_death(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    out = []
    for m in s.case.members:
        if m.deceased_on is None or m.deceased_on > s.as_of:
            continue
        deadline_month = months.add(months.of(m.deceased_on), p.alert_death_review_months)
        if months.diff(s.month, deadline_month) > 0:
            continue  # long past: already handled or listed in earlier months
        paid = bool(s.enrolled)
        stop_from = months.following(months.of(m.deceased_on))
        out.append(
            AlertFinding(
                "成员死亡",
                3 if paid else 2,
                with_basis(
                    f"{m.ref} 已于 {m.deceased_on.isoformat()} 死亡：{stop_from} 起停发其个人待遇，"
                    f"并于 {deadline_month} 前完成全户复核和增发/减发/停发手续",
                    "S4 一(三)",
                ),
                m.ref,
            )
        )
    return out


def disaster(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    if s.case.disaster or s.case.accident:
        return [AlertFinding("灾害事故", 3, with_basis("家庭遭受灾害或意外事故，可先行实施急难型临时救助", "S8"))]
    return []


def above_standard(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    if "低保" not in s.enrolled:
        return []
    out = []
    inc = s.income_result(p)
    standard = p.standard_monthly_fen(s.case.urban)
    if inc.persons and inc.per_capita_monthly_fen >= standard and not s.grace_until:
        out.append(
            AlertFinding(
                "收入超标渐退",
                2,
                f"低保户月人均收入 {_y(inc.per_capita_monthly_fen)} ≥ 标准 {_y(standard)}，"
                f"按规定给予不超过 {p.grace_months} 个月的渐退期",
            )
        )
    if s.grace_until and 0 <= months.diff(s.grace_until, s.month) <= 1:
        out.append(AlertFinding("渐退期将满", 1, f"渐退期至 {s.grace_until} 结束，请复核收入并办理停保或续保"))
    return out


def visit_overdue(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    days = None if s.last_visit is None else (s.as_of - s.last_visit).days
    lim = p.alert_visit_max_days
    if days is None:
        return [AlertFinding("未入户核查", 2, "本户没有入户核查记录（泾源县要求每月入户核查）")]
    if days > 2 * lim:
        return [AlertFinding("入户核查逾期", 2, f"距上次入户核查已 {days} 天，超过 {2 * lim} 天")]
    if days > lim:
        return [AlertFinding("入户核查逾期", 1, f"距上次入户核查已 {days} 天，超过 {lim} 天")]
    return []


def lonely_without_visit(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    days = None if s.last_visit is None else (s.as_of - s.last_visit).days
    if days is not None and days <= p.alert_care_visit_max_days:
        return []
    living = [m for m in s.case.members if m.deceased_on is None or m.deceased_on > s.as_of]
    not_visited = "无走访记录" if days is None else f"已 {days} 天未走访"
    # One alert per household: the visit that answers it sees every left-behind member at once.
    left_behind = [f"{m.ref}（{m.left_behind}）" for m in living if m.left_behind]
    out = [AlertFinding("三留守未走访", 2, f"{'、'.join(left_behind)}：{not_visited}")] if left_behind else []
    elders = [m for m in living if m.age_on(s.as_of) >= ELDER_AGE]
    if living and len(elders) == len(living) and not any(m.has_supporter and m.supporter_able for m in living):
        out.append(AlertFinding("孤寡老人未走访", 2, f"孤寡老人户{not_visited}"))
    return out


def official_relative(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    if s.case.official_relative:
        return [
            AlertFinding(
                "近亲属备案",
                1,
                with_basis("本户为经办人或村干部近亲属，须单独登记备案，县级须入户核查", "S1 第十一条、第二十条"),
            )
        ]
    return []


def _age_marks(p: Params) -> dict[int, str]:
    marks = {
        p.tekun_elder_age: "复核特困（无劳动能力）条件",
        16: "复核未成年人保障",
        p.tekun_minor_age: "未成年人保障到期，复核特困或孤儿保障",
    }
    for b in p.gaoling_bands:
        marks.setdefault(b.min_age, "高龄补贴起发或调档")
    return marks


@lru_cache(maxsize=64)
def _month_edges(month: str) -> tuple[date, date]:
    """The eve of the month and its last day (asked once per household of the county)."""
    return months.first_day(month) - timedelta(days=1), months.last_day(month)


def age_milestones(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    out = []
    eve, last = _month_edges(s.month)
    marks: dict[int, str] | None = None
    for m in s.case.members:
        if m.deceased_on is not None and m.deceased_on <= eve:
            continue
        before, after = m.age_on(eve), m.age_on(last)
        # Within one month a person turns at most one year older, so the only age reached is ``after``.
        if after > before:
            marks = marks if marks is not None else _age_marks(p)
            what = marks.get(after)
            if what is not None:
                out.append(AlertFinding("年龄节点", 1, f"{m.ref} 本月满 {after} 周岁：{what}", m.ref))
    return out


def unemployed_uninsured(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    return [
        AlertFinding(
            "失业无收入",
            2,
            with_basis(
                f"{m.ref} 未参保失业已 {m.unemployed_uninsured_months} 个月无收入，可申请一次性临时救助金", "S4 二(一)"
            ),
            m.ref,
        )
        for m in s.case.members
        if m.unemployed_uninsured_months >= p.alert_unemployed_months and "低保" not in s.enrolled
    ]


def review_due(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    if not {"低保", "特困"} & set(s.enrolled) or s.last_review is None:
        return []
    n = p.alert_review_months_unstable if s.income_unstable else p.alert_review_months_stable
    due = months.add(months.of(s.last_review), n)
    if months.diff(s.month, due) >= 0:
        return [AlertFinding("复核到期", 1, f"上次复核 {s.last_review.isoformat()}，每 {n} 个月复核一次，{due} 到期")]
    return []


RULES: tuple[Callable[[MonitoringSnapshot, Params], list[AlertFinding]], ...] = (
    member_death,
    disaster,
    may_qualify_dibao,
    below_monitoring_line,
    dibao_edge,
    income_drop,
    medical_cost,
    schooling_cost,
    new_disability_or_illness,
    above_standard,
    unemployed_uninsured,
    visit_overdue,
    lonely_without_visit,
    official_relative,
    age_milestones,
    review_due,
)


# Rules that judge the household's income: they say nothing when no income has been recorded,
# since an unknown income is not an income of zero.
INCOME_RULES = (may_qualify_dibao, below_monitoring_line, dibao_edge, income_drop, above_standard)


def evaluate(
    snapshot: MonitoringSnapshot, params: Params, income_known: bool = True, under_watch: bool = True
) -> list[AlertFinding]:
    """All findings, most urgent first.

    ``under_watch`` False: the household is not on the monthly visit list, so an old visit is no alarm.
    """
    if snapshot.income is None:
        snapshot = MonitoringSnapshot(
            **{**snapshot.__dict__, "income": assess_income(snapshot.case, snapshot.month, params, explain=False)}
        )
    rules = RULES if income_known else tuple(r for r in RULES if r not in INCOME_RULES)
    if not under_watch:
        rules = tuple(r for r in rules if r is not visit_overdue)
    out = [f for rule in rules for f in rule(snapshot, params)]
    return sorted(out, key=lambda f: -f.level)
