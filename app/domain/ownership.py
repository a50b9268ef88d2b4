"""Who owns which rows, and which of two versions of a row stands (docs/exchange.md).

Packages from other offices are applied by these rules and no others, so they live here, pure:
a township owns its register (households and everything hanging off them); the county owns what
it decides and sends down (policy periods; later approvals and tasks). Nobody may write a row it
does not own, and a village belongs to exactly one township, judged from its division code.

Versions are ordered by their hybrid-logical-clock stamp (``updated_at``). The newer version wins
everywhere, whatever order the packages came in; an older version written on another node with
other content is not silently dropped but kept as a conflict for a person to look at.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .divisions import DivisionError, is_county_code, township_code_of
from .ids import Timestamp

TOWNSHIP = "township"
COUNTY = "county"

# What each kind of office owns and sends. Users are local to each office and never travel.
TOWNSHIP_TABLES: frozenset[str] = frozenset(
    {
        "households",
        "members",
        "visits",
        "income_items",
        "enrolments",
        "enrolment_steps",
        "care_records",
        "alerts",
        "payments",
        "month_closes",
        "attachments",
        "task_replies",
        "handover_replies",
        "comparisons",
        "comparison_findings",
    }
)
COUNTY_TABLES: frozenset[str] = frozenset({"policy_periods", "county_decisions", "county_tasks", "handovers"})
# County rows about one township carry its code: they go to that township only, never its neighbours.
ADDRESSED_FIELD = "township_code"
ADDRESSED_TABLES: frozenset[str] = frozenset({"county_decisions", "county_tasks", "handovers"})
# A hand-over concerns two townships: it goes to the receiver (``township_code``) and to the sender
# (this field), which releases the household. No third township gets it.
SENDER_FIELD = "from_township"
TWO_SIDED_TABLES: frozenset[str] = frozenset({"handovers"})
EXCHANGED_TABLES: frozenset[str] = TOWNSHIP_TABLES | COUNTY_TABLES

# The row a row hangs off: (field, table). A row whose parent is neither held nor sent is refused.
PARENTS: Mapping[str, tuple[str, str]] = {
    "members": ("household_id", "households"),
    "visits": ("household_id", "households"),
    "income_items": ("household_id", "households"),
    "enrolments": ("household_id", "households"),
    "care_records": ("household_id", "households"),
    "alerts": ("household_id", "households"),
    "payments": ("household_id", "households"),
    "attachments": ("household_id", "households"),
    "enrolment_steps": ("enrolment_id", "enrolments"),
    "county_decisions": ("enrolment_id", "enrolments"),
    "county_tasks": ("household_id", "households"),
    "task_replies": ("task_id", "county_tasks"),
    # Not "handovers" -> households: the receiver never holds the sender's household.
    "handover_replies": ("handover_id", "handovers"),
    # A finding names a household only when the row matched one; its comparison is always there.
    "comparison_findings": ("comparison_id", "comparisons"),
}

# Parents first, so that a package's rows can be checked in one pass.
APPLY_ORDER: tuple[str, ...] = (
    "households",
    "members",
    "enrolments",
    "enrolment_steps",
    "county_decisions",
    "county_tasks",
    "task_replies",
    "handovers",
    "handover_replies",
    "visits",
    "income_items",
    "care_records",
    "alerts",
    "comparisons",
    "comparison_findings",
    "payments",
    "month_closes",
    "attachments",
    "policy_periods",
)

_TABLE_NAMES = {
    "households": "户档案",
    "members": "家庭成员",
    "visits": "入户核查",
    "income_items": "收入项",
    "enrolments": "救助申请",
    "enrolment_steps": "办理环节",
    "care_records": "照料记录",
    "alerts": "预警",
    "payments": "发放记录",
    "month_closes": "月结",
    "attachments": "附件",
    "policy_periods": "政策参数",
    "county_decisions": "县级决定",
    "county_tasks": "县级任务",
    "task_replies": "任务答复",
    "handovers": "跨乡镇迁移",
    "handover_replies": "迁移办理",
    "comparisons": "数据比对",
    "comparison_findings": "比对结论",
    "audit": "审计记录",
    "blobs": "附件内容",
}


def table_name(table: str) -> str:
    """The table as a clerk calls it, for sentences."""
    return _TABLE_NAMES.get(table, table)


def kind_of_code(code: str) -> str:
    """The kind of office a division code names: a county code is the county, anything else a township."""
    return COUNTY if is_county_code(code) else TOWNSHIP


def tables_owned_by(kind: str) -> frozenset[str]:
    return COUNTY_TABLES if kind == COUNTY else TOWNSHIP_TABLES


def may_own(kind: str, table: str) -> bool:
    return table in tables_owned_by(kind)


def village_in_township(village_code: str, township_code: str) -> bool:
    """Whether the village lies in the township (both as division codes; any length form)."""
    try:
        return township_code_of(village_code) == township_code_of(township_code)
    except DivisionError:
        return False


def ownership_problem(
    table: str,
    row: Mapping[str, Any],
    *,
    sender_code: str,
    sender_kind: str,
    stored_owner: str | None,
    known_villages: Collection[str],
    receiver_code: str = "",
) -> str:
    """Why *sender* may not write this row (a Chinese sentence), or "" when it may.

    ``stored_owner`` is the owner of the version this office holds (None: it holds none);
    ``known_villages`` are the 12-digit village codes of the division table; ``receiver_code`` is
    this office when it is a township (a county row about another township is not for it).
    """
    what = f"{table_name(table)} {row.get('id', '')}"
    if table not in EXCHANGED_TABLES:
        return f"{what}：表 {table} 不在单位之间交换。"
    owner = str(row.get("owner_office", ""))
    if owner != sender_code:
        return f"{what}：属于单位 {owner or '（空）'}，不是发送方 {sender_code} 的数据。"
    if not may_own(sender_kind, table):
        who = "县级单位" if sender_kind == COUNTY else "乡镇"
        return f"{what}：{who}不能拥有{table_name(table)}。"
    if receiver_code and not addressed_to(table, row, receiver_code):
        return f"{what}：是发给乡镇 {row.get(ADDRESSED_FIELD, '')} 的，不是发给本单位的。"
    if stored_owner is not None and stored_owner != sender_code:
        return f"{what}：本单位保存的这一行属于 {stored_owner}，不能被 {sender_code} 覆盖。"
    if table == "households":
        village = str(row.get("village_code", ""))
        if village not in known_villages:
            return f"{what}：村代码 {village} 不在区划表中。"
        if not village_in_township(village, sender_code):
            return f"{what}：村 {village} 不属于发送方乡镇 {sender_code}。"
    return ""


def parent_problem(
    table: str,
    row: Mapping[str, Any],
    *,
    sender_code: str,
    parent_owner: str,
    parent_township: str = "",
    parent_from_township: str = "",
    parent_household: str = "",
    parent_withdrawn: bool = False,
) -> str:
    """Why *sender* may not hang this row off its parent (a Chinese sentence), or "" when it may.

    A row owned by the sender is written under a parent row this office holds (``PARENTS``): a
    parent of a table the sender's kind owns must be the sender's own, or one township could file
    members and visits under another township's household; a task reply must answer a county task
    addressed to the sender (``parent_township``); a hand-over's 接收 comes from its receiver
    (``parent_township``), its 迁出 from its sender (``parent_from_township``) and about the
    hand-over's own household (``parent_household``), and nothing answers a withdrawn hand-over
    (``parent_withdrawn``): else a sender could report another household as gone and the county
    would close a move while the family still lives in both townships. ``parent_owner`` is the
    held parent's owner.
    """
    link = PARENTS.get(table)
    if link is None:
        return ""
    field_name, parent_table = link
    parent_id = row.get(field_name, "")
    what = f"{table_name(table)} {row.get('id', '')}"
    if table == "task_replies":
        if not _same_township(parent_township, sender_code):
            return (
                f"{what}：{table_name(parent_table)} {parent_id} 是发给乡镇 {parent_township or '（空）'} 的，"
                f"不能由 {sender_code} 答复。"
            )
        return ""
    if table == "handover_replies":
        released = row.get("side") == "迁出"
        side = parent_from_township if released else parent_township
        if not _same_township(side, sender_code):
            return (
                f"{what}：{table_name(parent_table)} {parent_id} 的{'迁出方' if released else '迁入方'}是 "
                f"{side or '（空）'}，不能由 {sender_code} 办理。"
            )
        if parent_withdrawn:
            return f"{what}：{table_name(parent_table)} {parent_id} 已被县民政局撤回，不再办理。"
        household = row.get("household_id", "")
        if released and household != parent_household:
            return (
                f"{what}：迁出的户 {household or '（空）'} 不是{table_name(parent_table)} {parent_id} "
                f"所迁的户 {parent_household or '（空）'}。"
            )
        return ""
    if may_own(kind_of_code(sender_code), parent_table) and parent_owner != sender_code:
        return (
            f"{what}：{table_name(parent_table)} {parent_id} 属于 {parent_owner or '（空）'}，"
            f"不能由 {sender_code} 登记其下的{table_name(table)}。"
        )
    return ""


def _same_township(value: Any, township: str) -> bool:
    try:
        return isinstance(value, str) and township_code_of(value) == township_code_of(township)
    except DivisionError:
        return False


def addressed_to(table: str, row: Mapping[str, Any], township: str) -> bool:
    """Whether a county row goes to *township* (rows not about one township go to every one; a
    hand-over goes to both of its townships)."""
    if table not in ADDRESSED_TABLES:
        return True
    if _same_township(row.get(ADDRESSED_FIELD), township):
        return True
    return table in TWO_SIDED_TABLES and _same_township(row.get(SENDER_FIELD), township)


class Verdict(Enum):
    """What to do with an incoming version of a row, given the one held."""

    APPLY = "apply"  # newer (or not held): it becomes the row
    SAME = "same"  # the very version held: nothing to do
    STALE = "stale"  # an older version from the node that wrote the held one: superseded, ignore
    CONFLICT_INCOMING_WINS = "conflict_incoming_wins"  # newer, but the held one came from another node
    CONFLICT_STORED_WINS = "conflict_stored_wins"  # older, from another node, with other content


@dataclass(frozen=True)
class Version:
    updated_at: str
    content: str  # the content hash (any stable digest of the row)

    @property
    def node(self) -> str:
        return node_of(self.updated_at)


def node_of(stamp: str) -> str:
    """The node part of an HLC stamp (after the second '-'): the database that wrote the version."""
    return Timestamp.decode(stamp).node


def decide(
    incoming: Version,
    stored: Version | None,
    *,
    incoming_history: Collection[str] = (),
    stored_history: Collection[str] = (),
) -> Verdict:
    """The version rule: the newer stamp wins; a loser from another node with other content is a conflict.

    An incoming version newer than a held one from the same node simply supersedes it (that node
    had seen its own earlier version). A newer version from another node wins too, but the held
    one is kept as a conflict when its content differs: the two nodes changed the row concurrently.

    Not concurrent, and so no conflict, is a version the other one was made from: the sender lists
    the earlier stamps it held of the row (``incoming_history``), and this office knows the stamps
    it held before (``stored_history``).
    """
    if stored is None:
        return Verdict.APPLY
    if incoming.updated_at == stored.updated_at:
        return Verdict.SAME
    newer = Timestamp.decode(incoming.updated_at) > Timestamp.decode(stored.updated_at)
    same_node = incoming.node == stored.node
    if newer:
        if same_node or incoming.content == stored.content or stored.updated_at in incoming_history:
            return Verdict.APPLY
        return Verdict.CONFLICT_INCOMING_WINS
    if same_node or incoming.content == stored.content or incoming.updated_at in stored_history:
        return Verdict.STALE
    return Verdict.CONFLICT_STORED_WINS
