"""``doudi check`` as a service: is the register whole, unaltered, its history unbroken and anchored.

The command line only prints what :func:`check_report` finds, so the GUI (or a support
script) can ask the same questions. What each check catches, and what none of them can, is
in docs/integrity.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..db import device_secret
from ..db.blobs import blob_problems
from ..db.integrity import LIST_AT_MOST, content_problems, schema_problems, unreadable_tables
from ..db.store import unlogged_changes
from . import anchors

if TYPE_CHECKING:
    from .session import Session


def check_report(
    session: Session, data_dir: Path | str, *, extra_dirs: Iterable[Path | str] = (), record: bool = True
) -> dict[str, Any]:
    """Everything check finds, as the JSON ``doudi check --json`` prints; ``problems`` lists one
    sentence per problem (long lists of one kind are cut, with a count). When nothing is wrong and
    *record* is set, the chain head is written to the data folder's anchors."""
    db = session.db
    integrity = db.integrity_problems()
    audit = session.store.verify_audit_chain()
    schema = schema_problems(db)
    missing = unreadable_tables(db)
    if missing:
        # A register view or base table is gone (the schema problems say which): rows unread, not a crash.
        schema.append(f"表 {'、'.join(missing)} 无法读取，未检查行内容、附件与数据摘要。")
        unlogged, content, blobs = {}, [], []
    else:
        unlogged = unlogged_changes(db)
        content = [p.as_dict() for p in content_problems(db)]
        blobs = blob_problems(db)  # an attachment's bytes are vouched for through its row's sha256
    slots = [
        {
            "kind": s.kind,
            "user": s.user,
            "kdf": s.kdf.name,
            "memory_kib": s.kdf.memory_kib,
            "iterations": s.kdf.iterations,
        }
        for s in session.slots.slots
    ]
    recovery = any(s["kind"] == "recovery" for s in slots)
    entries = int(db.scalar("SELECT count(*) FROM audit_log"))
    head = anchors.current_anchor(session)
    from .backup import backup_folder

    # The office's own backups are anchors held outside the database: always consulted.
    folders = [backup_folder(data_dir), *extra_dirs]
    anchor = _anchor_report(session, anchors.known_anchors(data_dir, folders))

    problems = list(integrity) + audit + schema
    problems += _cut([p["message"] for p in content])
    problems += _cut(blobs)
    if anchor["known"] and not anchor["continues"]:
        problems.append(anchor["message"])
    if not recovery:
        problems.append("密钥槽文件中没有恢复槽。")
    problems += [
        f"表 {table} 有 {n} 行的当前版本不在变更日志中（绕过程序直接改过），同步会漏掉。"
        for table, n in unlogged.items()
    ]
    if not problems and record:
        anchors.record_anchor(data_dir, head, "检查")
    return {
        "ok": not problems,
        "problems": problems,
        "integrity": integrity or ["ok"],
        "audit_entries": entries,
        "unlogged_changes": unlogged,
        "audit_problems": audit,
        "content_problems": content[: LIST_AT_MOST * 20],
        "content_problem_count": len(content),
        "schema_problems": schema,
        "blob_problems": blobs[: LIST_AT_MOST * 20],
        "anchor": anchor,
        "chain_head": {"seq": head.seq, "hash": head.hash},
        "key_slots": slots,
        "device_secret_store": device_secret.storage_kind(),
        "digests": {} if missing else office_digests(session),
    }


def office_digests(session: Session) -> dict[str, str]:
    """Per owner office, the digest of the rows it owns (the county's per township it concerns):
    equal at two offices means the same data."""
    from .exchange.digests import digests, office_kinds, townships_seen

    office, db = session.office, session.db
    return digests(db, office_kinds(db, office.code, office.kind), townships_seen(db, office.code, office.kind))


def _anchor_report(session: Session, known: list[anchors.Anchor]) -> dict[str, Any]:
    if not known:
        return {
            "known": 0,
            "continues": None,
            "message": "还没有保存在别处的审计链锚点（备份、上报包或恢复单）；无法证明历史没有被整体改写。",
        }
    # Every anchor must still lie on the chain, not only the newest: an older one kept on a USB stick
    # is the evidence that survives when the data folder's own list was rewritten along with the log.
    newest = known[-1]
    broken = [a for a in known if not anchors.chain_continues(session, a)]

    def where(a: anchors.Anchor) -> str:
        return f"（{a.where}，{a.at[:19].replace('T', ' ')}）" if a.where else ""

    if not broken:
        message = f"审计链仍经过已知的全部 {len(known)} 个锚点，最新的是第 {newest.seq} 条{where(newest)}。"
    else:
        first = broken[0]
        message = f"审计链已不再经过锚点第 {first.seq} 条{where(first)}：此后的历史被改写或删除过。"
    return {
        "known": len(known),
        "continues": not broken,
        "newest": newest.as_dict(),
        "broken": [a.as_dict() for a in broken],
        "message": message,
    }


def _cut(messages: list[str]) -> list[str]:
    if len(messages) <= LIST_AT_MOST:
        return messages
    return [*messages[:LIST_AT_MOST], f"……另有 {len(messages) - LIST_AT_MOST} 处内容问题（见 --json 输出）。"]
