"""The register's entities as plain dataclasses.

Pure Python: no Qt, no SQL, no files. Each entity validates itself with
``validate()``, which raises :class:`ValidationError` naming the field at fault,
so the UI can put the message beside that field and the CLI can print it.

Syncable rows share the bookkeeping fields of :class:`Syncable`
(docs/architecture.md §3): a time-ordered UUID made where the row was created, the owning
office, a hybrid-logical-clock ``updated_at``, ``updated_by`` and a ``deleted``
tombstone. Money is always integer fen.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from . import idnumber, months, vocab
from .phone import phone_problem
from .workflow import AlertStatus, Status


class ValidationError(ValueError):
    """A value the register cannot accept; ``field`` names where it is."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


# --- vocabularies (stored as these Chinese codes; the UI shows them as is) ---

ROLES = ("clerk", "reviewer", "county", "admin")
ROLE_NAMES = {"clerk": "经办人", "reviewer": "审核人", "county": "县级", "admin": "管理员"}

OFFICE_KINDS = ("township", "county")

HOUSEHOLD_CATEGORIES = (
    "脱贫户",
    "监测户",
    "低收入",
    "低保",
    "特困",
    "低保边缘",
    "刚性支出困难",
    "临时救助",
    "一般户",
)
RISK_LEVELS = (0, 1, 2, 3)  # 无, 低, 中, 高
RISK_NAMES = {0: "无", 1: "低", 2: "中", 3: "高"}

RELATIONS = (
    "本人",
    "配偶",
    "子",
    "女",
    "儿媳",
    "女婿",
    "孙子",
    "孙女",
    "外孙子",
    "外孙女",
    "父亲",
    "母亲",
    "公公",
    "婆婆",
    "岳父",
    "岳母",
    "兄弟",
    "姐妹",
    "祖父",
    "祖母",
    "其他",
)
ETHNICITIES = ("回族", "汉族", "其他")
LABOUR_ABILITIES = ("有", "部分丧失", "完全丧失", "无")
HEALTH = ("健康", "慢性病", "重病", "残疾")
DISABILITY_TYPES = ("", "视力", "听力", "言语", "肢体", "智力", "精神", "多重")
SCHOOLING = ("", "学龄前", "小学", "初中", "高中", "中职", "大专及以上", "失学", "文盲或半文盲", "其他")
SELF_CARE = ("全自理", "半失能", "全失能")
LEFT_BEHIND = ("", "留守儿童", "留守妇女", "留守老人")
CARE_MODES = ("集中照料", "日间照料", "邻里照料", "亲属照料")

PROGRAMMES = (
    "低保",
    "特困",
    "临时救助",
    "低收入",
    "高龄补贴",
    "孤儿基本生活费",
    "困难残疾人生活补贴",
    "重度残疾人护理补贴",
)
ENROLMENT_STATUSES: tuple[str, ...] = tuple(Status)
ALERT_LEVELS = (1, 2, 3)  # 黄, 橙, 红
ALERT_STATUSES: tuple[str, ...] = tuple(AlertStatus)

MAX_NAME_CHARS = 30


def _check_phone(text: str, field_name: str) -> None:
    problem = phone_problem(text)
    if problem:
        raise ValidationError(field_name, problem)


def _require(cond: bool, field_name: str, message: str) -> None:
    if not cond:
        raise ValidationError(field_name, message)


def _one_of(value: object, allowed: Collection[object], field_name: str, label: str) -> None:
    _require(
        value in allowed,
        field_name,
        f"{label}“{value}”不在可选值中（{'、'.join(str(a) for a in allowed if a != '')}）。",
    )


def _month_ok(value: str | None) -> bool:
    return value is None or months.is_month(value)


@dataclass
class Syncable:
    """Bookkeeping shared by every row that travels in sync packages."""

    id: str = ""
    owner_office: str = ""
    updated_at: str = ""
    updated_by: str = ""
    deleted: bool = False

    TABLE: ClassVar[str] = ""

    def validate(self) -> None:  # overridden; the base has nothing to check
        return None


@dataclass
class Office:
    """The office this database belongs to (one row)."""

    code: str = ""  # 12-digit division code of the township or county
    name: str = ""
    kind: str = "township"
    parent_code: str = ""

    def validate(self) -> None:
        _require(
            bool(re.fullmatch(r"\d{6}|\d{9}|\d{12}", self.code or "")),
            "code",
            "单位代码应为 6、9 或 12 位数字的区划代码。",
        )
        _require(bool(self.name.strip()), "name", "单位名称不能为空。")
        _one_of(self.kind, OFFICE_KINDS, "kind", "单位类型")


@dataclass
class User(Syncable):
    TABLE: ClassVar[str] = "users"

    username: str = ""
    display_name: str = ""
    role: str = "clerk"
    active: bool = True

    def validate(self) -> None:
        _require(
            bool(re.fullmatch(r"[A-Za-z0-9_.\-\u4e00-\u9fff]{1,32}", self.username or "")),
            "username",
            "用户名应为 1–32 个字母、数字、汉字或 _.- 。",
        )
        _one_of(self.role, ROLES, "role", "角色")


@dataclass
class Household(Syncable):
    TABLE: ClassVar[str] = "households"

    village_code: str = ""
    group_name: str = ""  # 村民小组
    address: str = ""
    phone: str = ""
    head_name: str = ""  # kept in step with the member whose relation is 本人
    categories: list[str] = field(default_factory=list)
    risk_level: int = 0
    urban: bool = False  # 城市 / 农村 standard
    under_watch: bool = True  # visited every month (the notice's monthly 入户核查)
    poverty_causes: list[str] = field(default_factory=list)
    housing: str = ""
    bank_name: str = ""
    bank_account: str = ""
    official_relative: bool = False  # 村干部/经办人近亲属 → 备案, must home-visit
    official_relative_note: str = ""
    notes: str = ""
    archived: bool = False
    archived_reason: str = ""

    def validate(self) -> None:
        _require(
            bool(re.fullmatch(r"\d{12}", self.village_code or "")), "village_code", "所在村应为 12 位村级区划代码。"
        )
        _require(bool(self.head_name.strip()), "head_name", "户主姓名不能为空。")
        for c in self.categories:
            _one_of(c, HOUSEHOLD_CATEGORIES, "categories", "户类别")
        _one_of(self.risk_level, RISK_LEVELS, "risk_level", "风险等级")
        _check_phone(self.phone, "phone")
        for c in self.poverty_causes:
            _one_of(c, vocab.POVERTY_CAUSES, "poverty_causes", "致贫原因")
        if self.housing:
            _one_of(self.housing, vocab.HOUSING, "housing", "住房情况")
        _require(
            not self.official_relative or bool(self.official_relative_note.strip()),
            "official_relative_note",
            "近亲属备案需写明相关干部的姓名和职务。",
        )
        _require(not self.archived or bool(self.archived_reason.strip()), "archived_reason", "归档需写明原因。")


@dataclass
class Member(Syncable):
    TABLE: ClassVar[str] = "members"

    household_id: str = ""
    name: str = ""
    id_number: str = ""
    relation: str = "本人"
    sex: str = ""  # 男 / 女, derived from the ID number
    birth_date: date | None = None  # derived from the ID number
    ethnicity: str = "回族"
    labour_ability: str = "有"
    health: str = "健康"
    serious_illness: bool = False  # 重特大疾病
    disability_type: str = ""
    disability_grade: int = 0  # 1 (most severe) … 4; 0 = none
    disability_cert: str = ""
    schooling: str = ""
    medical_insurance: bool = True
    pension_insurance: bool = False
    self_care: str = "全自理"
    left_behind: str = ""
    employed: bool = False
    deceased_on: date | None = None
    notes: str = ""

    def validate(self) -> None:
        _require(bool(self.name.strip()), "name", "姓名不能为空。")
        _require(len(self.name) <= MAX_NAME_CHARS, "name", f"姓名不能超过 {MAX_NAME_CHARS} 个字。")
        try:
            info = idnumber.parse(self.id_number)
        except idnumber.IdNumberError as exc:
            raise ValidationError("id_number", f"身份证号：{exc}") from exc
        self.id_number = info.number
        self.sex = info.sex
        self.birth_date = info.birth_date
        _one_of(self.relation, RELATIONS, "relation", "与户主关系")
        _one_of(self.ethnicity, ETHNICITIES, "ethnicity", "民族")
        _one_of(self.labour_ability, LABOUR_ABILITIES, "labour_ability", "劳动能力")
        _one_of(self.health, HEALTH, "health", "健康状况")
        _one_of(self.disability_type, DISABILITY_TYPES, "disability_type", "残疾类别")
        _require(self.disability_grade in (0, 1, 2, 3, 4), "disability_grade", "残疾等级应为 1–4 级（无残疾填 0）。")
        _require(
            bool(self.disability_type) == (self.disability_grade > 0),
            "disability_grade",
            "残疾类别和残疾等级须同时填写或同时留空。",
        )
        _one_of(self.schooling, SCHOOLING, "schooling", "在学情况")
        _one_of(self.self_care, SELF_CARE, "self_care", "自理能力")
        _one_of(self.left_behind, LEFT_BEHIND, "left_behind", "留守类型")
        if self.deceased_on is not None and self.birth_date is not None:
            _require(self.deceased_on >= self.birth_date, "deceased_on", "死亡日期不能早于出生日期。")

    def age_on(self, on: date) -> int:
        return (
            idnumber.age_on(self.birth_date, on)
            if self.birth_date
            else idnumber.age_on(idnumber.parse(self.id_number).birth_date, on)
        )


@dataclass
class Visit(Syncable):
    """One 入户核查 home visit, with the 两不愁三保障 checklist.

    ``kind`` is 常规核查 (the monthly list), 临时救助入户 or 回访. Each item found not assured
    carries its own note in ``item_notes`` (keyed by the item's field, e.g. ``housing_ok``), so a
    report can say what is wrong with the housing, not only that something is. Visits saved
    before migration m0005 kept the kind as a 〔kind〕 prefix of ``notes``; the migration moved it.
    """

    TABLE: ClassVar[str] = "visits"

    household_id: str = ""
    visit_date: date | None = None
    visitors: str = ""  # at least two investigators by rule; names separated by 、
    food_ok: bool = True  # 不愁吃
    clothing_ok: bool = True  # 不愁穿
    schooling_ok: bool = True  # 义务教育有保障
    medical_ok: bool = True  # 基本医疗有保障
    housing_ok: bool = True  # 住房安全有保障
    water_ok: bool = True  # 饮水安全
    income_change: str = "无变化"  # 无变化 / 增加 / 减少 / 大幅减少
    risk_signs: list[str] = field(default_factory=list)
    notes: str = ""
    next_due: date | None = None
    kind: str = "常规核查"
    item_notes: dict[str, str] = field(default_factory=dict)

    INCOME_CHANGES: ClassVar[tuple[str, ...]] = vocab.INCOME_CHANGES
    KINDS: ClassVar[tuple[str, ...]] = vocab.VISIT_KINDS
    MIN_VISITORS: ClassVar[int] = 2

    def validate(self) -> None:
        _require(bool(self.household_id), "household_id", "请选择被核查的户。")
        _require(self.visit_date is not None, "visit_date", "请填写核查日期。")
        _require(bool(self.visitors.strip()), "visitors", "请填写核查人。")
        _one_of(self.income_change, self.INCOME_CHANGES, "income_change", "收入变化")
        for sign in self.risk_signs:
            _one_of(sign, vocab.RISK_SIGNS, "risk_signs", "风险信号")
        if self.next_due is not None and self.visit_date is not None:
            _require(self.next_due > self.visit_date, "next_due", "下次核查日期应晚于本次核查日期。")
        if self.deleted:
            return  # a tombstone records no visit: an old one-visitor row can still be deleted
        _require(
            len(set(self.visitor_names)) >= self.MIN_VISITORS,
            "visitors",
            "核查人至少两名（入户核查须两人进行），名字之间用“、”分开。",
        )
        _one_of(self.kind, self.KINDS, "kind", "核查类别")
        for attr in self.item_notes:
            _one_of(attr, vocab.CONCERNS, "item_notes", "两不愁三保障事项")
        unexplained = [
            label for attr, label in vocab.CONCERNS.items() if not getattr(self, attr) and not self.item_note(attr)
        ]
        _require(not unexplained, "item_notes", f"两不愁三保障中“{'、'.join(unexplained)}”没有保障，请逐项写明情况。")

    @property
    def visitor_names(self) -> list[str]:
        return split_names(self.visitors)

    @property
    def concerns(self) -> list[str]:
        return [label for attr, label in vocab.CONCERNS.items() if not getattr(self, attr)]

    def item_note(self, attr: str) -> str:
        return self.item_notes.get(attr, "").strip()


def split_names(text: str) -> list[str]:
    """Names typed in one box, separated by 、 ， , or spaces."""
    return [n for n in re.split(r"[、，,\s]+", text.strip()) if n]


@dataclass
class Enrolment(Syncable):
    """A household's (or, for 单人保, one member's) place in a programme."""

    TABLE: ClassVar[str] = "enrolments"

    household_id: str = ""
    member_id: str = ""  # set for 单人保 and for personal programmes (高龄, 残疾两项, 孤儿)
    programme: str = "低保"
    class_code: str = ""  # 分类施保 class, 特困 care tier, …
    single_person: bool = False  # 单人保
    status: str = "申请"
    applied_on: date | None = None
    publicity_from: date | None = None
    publicity_to: date | None = None
    approved_on: date | None = None
    start_month: str | None = None  # YYYY-MM, first month paid
    end_month: str | None = None  # YYYY-MM, last month paid
    grace_until: str | None = None  # YYYY-MM, last month of 渐退期
    monthly_amount_fen: int = 0
    persons_covered: int = 0
    case_by_case_reason: str = ""  # 一事一议
    reason: str = ""

    def validate(self) -> None:
        _require(bool(self.household_id), "household_id", "请选择户。")
        _one_of(self.programme, PROGRAMMES, "programme", "救助项目")
        _one_of(self.status, ENROLMENT_STATUSES, "status", "办理状态")
        _require(self.monthly_amount_fen >= 0, "monthly_amount_fen", "月保障金额不能为负。")
        for name in ("start_month", "end_month", "grace_until"):
            _require(_month_ok(getattr(self, name)), name, "月份应写作 YYYY-MM。")
        _require(not self.single_person or bool(self.member_id), "member_id", "单人保须指定保障的家庭成员。")
        if self.start_month and self.end_month:
            # Stopped before the first payment: the last paid month is the one before the start.
            _require(self.end_month >= months.previous(self.start_month), "end_month", "停发月份不能早于起始月份。")
        if self.publicity_from and self.publicity_to:
            _require(self.publicity_to >= self.publicity_from, "publicity_to", "公示结束日期不能早于开始日期。")


@dataclass
class EnrolmentStep(Syncable):
    """One step of an enrolment's workflow: who did what, when."""

    TABLE: ClassVar[str] = "enrolment_steps"

    enrolment_id: str = ""
    step: str = ""
    done_on: date | None = None
    done_by: str = ""
    note: str = ""

    def validate(self) -> None:
        _one_of(self.step, ENROLMENT_STATUSES, "step", "办理环节")


@dataclass
class Payment(Syncable):
    """One line of a month's payment roster. A locked line never changes; corrections are new lines."""

    TABLE: ClassVar[str] = "payments"

    month: str = ""  # YYYY-MM
    household_id: str = ""
    member_id: str = ""
    enrolment_id: str = ""
    programme: str = ""
    kind: str = "regular"  # regular / holiday / correction
    amount_fen: int = 0
    persons: int = 0
    note: str = ""
    locked: bool = False
    class_code: str = ""
    flags: list[str] = field(default_factory=list)  # 渐退, 单人保 …

    KINDS: ClassVar[tuple[str, ...]] = ("regular", "holiday", "correction")

    def validate(self) -> None:
        _require(_month_ok(self.month) and bool(self.month), "month", "发放月份应写作 YYYY-MM。")
        _require(bool(self.household_id), "household_id", "发放行须属于某一户。")
        _one_of(self.kind, self.KINDS, "kind", "发放类型")
        _require(
            self.kind == "correction" or self.amount_fen >= 0, "amount_fen", "发放金额不能为负（更正请用更正行）。"
        )


@dataclass
class Alert(Syncable):
    TABLE: ClassVar[str] = "alerts"

    household_id: str = ""
    member_id: str = ""
    rule: str = ""
    level: int = 1
    message: str = ""
    raised_on: date | None = None
    status: str = "open"
    follow_visit_id: str = ""
    closed_on: date | None = None
    close_note: str = ""

    def validate(self) -> None:
        _require(bool(self.rule), "rule", "预警规则不能为空。")
        _one_of(self.level, ALERT_LEVELS, "level", "预警等级")
        _one_of(self.status, ALERT_STATUSES, "status", "预警状态")
        _require(self.status != "closed" or bool(self.close_note.strip()), "close_note", "关闭预警须写明处理结果。")


INCOME_KINDS = ("工资性", "经营净收入", "财产净收入", "转移净收入", "其他")
CARE_LEDGERS = ("重度残疾人照料", "三留守关爱")


@dataclass
class IncomeRecord(Syncable):
    """One income item (or 刚性支出 deduction) of a household over its assessment period."""

    TABLE: ClassVar[str] = "income_items"

    household_id: str = ""
    member_id: str = ""
    kind: str = "工资性"  # an INCOME_KINDS value, or 刚性支出 for a deduction
    subtype: str = ""  # 务工, 种植, 城乡居民基础养老金, 奖学金 … (exclusions are decided by the rules)
    amount_fen: int = 0  # total over ``months``
    months: int = 12
    note: str = ""

    def validate(self) -> None:
        _require(bool(self.household_id), "household_id", "收入项须属于某一户。")
        _one_of(self.kind, (*INCOME_KINDS, "刚性支出"), "kind", "收入类别")
        _require(self.amount_fen >= 0, "amount_fen", "金额不能为负（支出请记为刚性支出）。")
        _require(1 <= self.months <= months.MONTHS_PER_YEAR, "months", "核算月数应在 1–12 之间。")


@dataclass
class CareRecord(Syncable):
    """A care-service ledger entry: 重度残疾人照料 or 三留守关爱 (docs/domain.md §7.2)."""

    TABLE: ClassVar[str] = "care_records"

    household_id: str = ""
    member_id: str = ""
    ledger: str = "重度残疾人照料"
    care_mode: str = "亲属照料"
    carer_name: str = ""
    carer_phone: str = ""
    absent_member: str = ""  # 三留守: the family member away (name, where)
    visit_date: date | None = None
    problems: str = ""
    follow_up: str = ""

    def validate(self) -> None:
        _require(bool(self.member_id), "member_id", "请选择照料或关爱的对象。")
        _one_of(self.ledger, CARE_LEDGERS, "ledger", "台账")
        if self.ledger == "重度残疾人照料":
            _one_of(self.care_mode, CARE_MODES, "care_mode", "照料方式")
        _require(self.visit_date is not None, "visit_date", "请填写走访日期。")
        _check_phone(self.carer_phone, "carer_phone")


@dataclass
class PolicyPeriod(Syncable):
    """A period of policy parameters added by the county or an administrator (the shipped ones stay)."""

    TABLE: ClassVar[str] = "policy_periods"

    effective_from: date | None = None
    values_json: str = "{}"
    source: str = ""
    note: str = ""
    unconfirmed: bool = False

    def validate(self) -> None:
        _require(self.effective_from is not None, "effective_from", "请填写生效日期。")
        _require(bool(self.source.strip()), "source", "请写明文件依据（文号）。")


@dataclass
class MonthClose(Syncable):
    """The monthly close by the 25th: the checklist as it stood and the month's frozen figures."""

    TABLE: ClassVar[str] = "month_closes"

    month: str = ""
    closed_on: date | None = None
    checklist_json: str = "{}"
    figures_json: str = "{}"
    changes_json: str = "[]"
    note: str = ""

    def validate(self) -> None:
        _require(_month_ok(self.month) and bool(self.month), "month", "月份应写作 YYYY-MM。")


SHA256_HEX_LENGTH = 64


@dataclass
class Attachment(Syncable):
    """A scan or photo (证明材料, 病历, 残疾证, 入户照片) attached to a household, or to one of its
    members, visits or application steps.

    The bytes live in ``attachment_blobs``, keyed by their SHA-256, and never as a plain file: the
    row's content hash covers ``sha256``, so ``doudi check`` vouches for the bytes through the row.
    """

    TABLE: ClassVar[str] = "attachments"

    household_id: str = ""
    subject_table: str = "households"  # households / members / visits / enrolment_steps
    subject_id: str = ""
    kind: str = "证明材料"
    file_name: str = ""
    media_type: str = ""  # image/jpeg, image/png, application/pdf
    size_bytes: int = 0
    sha256: str = ""
    width: int = 0
    height: int = 0
    note: str = ""

    SUBJECTS: ClassVar[tuple[str, ...]] = ("households", "members", "visits", "enrolment_steps")

    def validate(self) -> None:
        _require(bool(self.household_id), "household_id", "附件应属于某一户。")
        _one_of(self.subject_table, self.SUBJECTS, "subject_table", "附件所属")
        _require(bool(self.subject_id), "subject_id", "附件应属于某一条记录。")
        _one_of(self.kind, vocab.ATTACHMENT_KINDS, "kind", "附件类别")
        _require(len(self.sha256) == SHA256_HEX_LENGTH, "sha256", "附件缺少内容摘要。")
        _require(self.size_bytes > 0, "size_bytes", "附件是空文件。")


@dataclass
class CountyDecision(Syncable):
    """The county's 审批 of an application a township submitted (when 审批 is the county's, not
    delegated to the township): owned by the county, it travels back in the county's package and the
    township applies it to its own enrolment row, which the county may not touch."""

    TABLE: ClassVar[str] = "county_decisions"

    enrolment_id: str = ""
    household_id: str = ""
    township_code: str = ""  # the office the application came from (12 digits)
    approved: bool = False
    class_code: str = ""
    monthly_amount_fen: int = 0
    persons_covered: int = 0
    member_id: str = ""  # the one person covered by 单人保, if so
    start_month: str | None = None
    decided_on: date | None = None
    case_by_case_reason: str = ""
    reason: str = ""  # the written reason of a refusal, told to the household

    def validate(self) -> None:
        _require(bool(self.enrolment_id), "enrolment_id", "县级决定应针对一项申请。")
        _require(self.decided_on is not None, "decided_on", "请填写审批日期。")
        _require(self.monthly_amount_fen >= 0, "monthly_amount_fen", "月保障金额不能为负。")
        _require(_month_ok(self.start_month), "start_month", "起始月份应写作 YYYY-MM。")
        _require(self.approved or bool(self.reason.strip()), "reason", "不予批准须写明理由（将书面告知当事人）。")


@dataclass
class CountyTask(Syncable):
    """Work the county sends a township about one household ("请再次入户核查"): owned by the county;
    it shows in the township's work queue until the township answers it with a :class:`TaskReply`."""

    TABLE: ClassVar[str] = "county_tasks"

    household_id: str = ""
    township_code: str = ""
    text: str = ""
    due_on: date | None = None
    sent_on: date | None = None
    withdrawn: bool = False

    def validate(self) -> None:
        _require(bool(self.household_id), "household_id", "任务应针对某一户。")
        _require(bool(self.text.strip()), "text", "请写明要乡镇做什么。")
        _require(self.due_on is not None, "due_on", "请填写完成期限。")


@dataclass
class TaskReply(Syncable):
    """The township's answer to a county task (owned by the township)."""

    TABLE: ClassVar[str] = "task_replies"

    task_id: str = ""
    household_id: str = ""
    done_on: date | None = None
    note: str = ""

    def validate(self) -> None:
        _require(bool(self.task_id), "task_id", "答复应针对一项任务。")
        _require(self.done_on is not None, "done_on", "请填写完成日期。")
        _require(bool(self.note.strip()), "note", "请写明办理情况。")


HANDOVER_ACCEPTED = "接收"  # the receiving township registered the household anew
HANDOVER_RELEASED = "迁出"  # the sending township stopped its assistance and archived it
HANDOVER_SIDES = (HANDOVER_ACCEPTED, HANDOVER_RELEASED)
# Where a hand-over stands, as the county records it on its own row (the townships see it so).
HANDOVER_WAITING = "待办理"
HANDOVER_ONLY_ACCEPTED = "已接收，待迁出"
HANDOVER_ONLY_RELEASED = "已迁出，待接收"
HANDOVER_DONE = "已完成"
HANDOVER_WITHDRAWN = "已撤回"
HANDOVER_STATUSES = (
    HANDOVER_WAITING,
    HANDOVER_ONLY_ACCEPTED,
    HANDOVER_ONLY_RELEASED,
    HANDOVER_DONE,
    HANDOVER_WITHDRAWN,
)


def handover_status(*, accepted: bool, released: bool, withdrawn: bool = False) -> str:
    """The status that the two townships' parts amount to."""
    if withdrawn:
        return HANDOVER_WITHDRAWN
    if accepted and released:
        return HANDOVER_DONE
    if accepted:
        return HANDOVER_ONLY_ACCEPTED
    return HANDOVER_ONLY_RELEASED if released else HANDOVER_WAITING


def handover_sides(status: str) -> tuple[bool, bool]:
    """(accepted, released) as a status says them: the inverse of :func:`handover_status`."""
    return status in (HANDOVER_ONLY_ACCEPTED, HANDOVER_DONE), status in (HANDOVER_ONLY_RELEASED, HANDOVER_DONE)


@dataclass
class Handover(Syncable):
    """The county's decision that a household moves from one township to another (issue 10).

    Owned by the county and sent to both townships: the sender (``from_township``) releases the
    household, the receiver (``township_code``, the addressee) registers it anew from ``snapshot``
    (the household's facts and its living members; no visits, no payments). ``household_id`` is the
    sender's household: the receiver never holds it, so it is a reference, not a parent link.
    """

    TABLE: ClassVar[str] = "handovers"

    household_id: str = ""
    from_township: str = ""
    township_code: str = ""
    snapshot: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    decided_on: date | None = None
    withdrawn: bool = False
    # What the county holds of the two parts (HandoverService.record_progress): each township holds
    # only its own part, and learns of the other's from this field.
    status: str = HANDOVER_WAITING

    def validate(self) -> None:
        _require(bool(self.household_id), "household_id", "迁移应针对某一户。")
        _one_of(self.status, HANDOVER_STATUSES, "status", "迁移状态")
        _require(
            bool(re.fullmatch(r"\d{12}", self.from_township or "")), "from_township", "迁出乡镇应为 12 位区划代码。"
        )
        _require(bool(re.fullmatch(r"\d{12}", self.township_code or "")), "township_code", "请选择迁入的乡镇。")
        _require(self.township_code != self.from_township, "township_code", "迁入乡镇不能是该户现在所在的乡镇。")
        _require(bool(self.reason.strip()), "reason", "请写明迁移原因。")
        _require(self.decided_on is not None, "decided_on", "请填写批准日期。")
        members = self.snapshot.get("members")
        _require(isinstance(members, list) and bool(members), "snapshot", "迁移的户没有在世的成员。")


@dataclass
class HandoverReply(Syncable):
    """A township's part of a hand-over, done (owned by the township, sent to the county): the
    receiver's 接收 names its new household, the sender's 迁出 the household it archived."""

    TABLE: ClassVar[str] = "handover_replies"

    handover_id: str = ""
    household_id: str = ""
    side: str = HANDOVER_ACCEPTED
    done_on: date | None = None
    note: str = ""

    def validate(self) -> None:
        _require(bool(self.handover_id), "handover_id", "办理情况应针对一项迁移。")
        _require(bool(self.household_id), "household_id", "办理情况应写明所涉的户。")
        _one_of(self.side, HANDOVER_SIDES, "side", "办理环节")
        _require(self.done_on is not None, "done_on", "请填写办理日期。")


COMPARISON_DISPOSITIONS = ("待核实", "属实", "不属实", "已处理")
# What a finding's disposition may link to: the work it led to.
COMPARISON_LINKS = ("", "visit", "alert", "stop", "application", "household")


@dataclass
class Comparison(Syncable):
    """One partner department's list compared with the register (issue 12): the file by its name and
    SHA-256 (never its content), the source kind, the month it counts for and what was found."""

    TABLE: ClassVar[str] = "comparisons"

    month: str = ""
    source: str = ""  # the source kind's name (公安, 残联 …)
    file_name: str = ""
    sha256: str = ""
    sheet: str = ""
    rows_read: int = 0
    summary: dict[str, int] = field(default_factory=dict)  # {match: count, finding: count}
    compared_on: date | None = None

    def validate(self) -> None:
        _require(bool(self.month) and _month_ok(self.month), "month", "比对月份应写作 YYYY-MM。")
        _require(bool(self.source.strip()), "source", "请选择比对来源。")
        _require(len(self.sha256) == SHA256_HEX_LENGTH, "sha256", "比对记录缺少文件摘要。")
        _require(self.rows_read >= 0, "rows_read", "读取行数不能为负。")
        _require(self.compared_on is not None, "compared_on", "请填写比对日期。")


@dataclass
class ComparisonFinding(Syncable):
    """One row of a compared list worth a person's look, and what was done about it:
    待核实 → 属实 / 不属实, then 已处理, linked to the visit, alert, stop or application it led to."""

    TABLE: ClassVar[str] = "comparison_findings"

    comparison_id: str = ""
    household_id: str = ""  # the household matched ("" when the row names nobody in the register)
    member_id: str = ""
    row: int = 0  # data rows counted from 1 under the header
    sheet_row: int = 0  # the spreadsheet's own row number
    id_number: str = ""  # normalised, or "" when the row's number is unusable
    name: str = ""
    match: str = ""
    code: str = ""
    text: str = ""
    disposition: str = "待核实"
    note: str = ""
    link_kind: str = ""
    link_id: str = ""
    disposed_on: date | None = None

    def validate(self) -> None:
        _require(bool(self.comparison_id), "comparison_id", "比对结论应属于一次比对。")
        _require(bool(self.code), "code", "比对结论缺少类别。")
        _one_of(self.disposition, COMPARISON_DISPOSITIONS, "disposition", "核实结果")
        _one_of(self.link_kind, COMPARISON_LINKS, "link_kind", "关联事项")
        _require(not self.link_kind or bool(self.link_id), "link_id", "请写明关联的记录。")
        _require(self.disposition != "不属实" or bool(self.note.strip()), "note", "核实为不属实的，须写明核实情况。")


SYNCABLE_TYPES: tuple[type[Syncable], ...] = (
    User,
    Household,
    Member,
    Visit,
    Enrolment,
    EnrolmentStep,
    Payment,
    Alert,
    IncomeRecord,
    CareRecord,
    PolicyPeriod,
    MonthClose,
    Attachment,
    CountyDecision,
    CountyTask,
    TaskReply,
    Handover,
    HandoverReply,
    Comparison,
    ComparisonFinding,
)
