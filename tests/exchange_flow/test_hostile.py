"""A trusted peer is not a trusted payload: what a hostile (or broken) but trusted office sends is
refused or quarantined, and nothing of it lands (docs/exchange.md §Import).

Each test here is a review finding: rows filed under another township's household, a sender's kind
taken from an editable card, signed payloads of the wrong shape or with numbers no database holds,
attachment contents that skip the cleaning a clerk's upload gets, and one version stamp with two
contents.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from app.db import blobs
from app.errors import PackageDamaged

from .conftest import Office, digests, export_one, forge_package, row_of


def _forge(
    sender: Office,
    receiver: Office,
    folder: Path,
    rows: dict[str, Any] | None = None,
    *,
    manifest: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
    seq: int = 99,
) -> Path:
    """A correctly signed and encrypted package whose manifest and payload parts can be replaced."""
    from app.db.store import now_text
    from app.domain.ids import uuid7
    from app.exchange.canonical import canonical_json
    from app.exchange.package_file import build_package, write_package_file
    from app.services.exchange.office_keys import ensure_office_keys

    keys = ensure_office_keys(sender.session.store, "admin")
    package_id = uuid7()
    head = {
        "package_id": package_id,
        "sender": {"code": sender.code, "node": f"{sender.code}-forge"},
        "receiver": {"code": receiver.code},
        "channel_seq": seq,
        "changes": {"from": 1, "to": 0},
        "created_at": now_text(),
        "counts": {},
        **(manifest or {}),
    }
    body = {"package_id": package_id, "rows": rows or {}, "audit": [], "blobs": [], "acks": [], "receipts": []}
    body.update(payload or {})
    folder.mkdir(parents=True, exist_ok=True)
    data = build_package(head, canonical_json(body), keys, receiver.session.trust.card().box_public)
    return write_package_file(folder, f"forged-{package_id}.doudipkg", data)


def _fresh(office: Office, table: str, index: int = 0, **changes: Any) -> dict[str, Any]:
    """One of the office's rows as a newer version of itself (a fresh stamp), with *changes*."""
    return {**row_of(office, table, index), "updated_at": office.session.store.clock.tick(), **changes}


def _state(office: Office) -> tuple[Any, ...]:
    """Everything an import could change: logs, package records, quarantine, blobs, acknowledgements."""
    db = office.session.db
    return tuple(
        db.scalar(sql)
        for sql in (
            "SELECT coalesce(max(seq), 0) FROM change_log",
            "SELECT count(*) FROM packages WHERE direction = 'in'",
            "SELECT count(*) FROM inbound",
            "SELECT count(*) FROM quarantine",
            "SELECT count(*) FROM attachment_blobs",
            "SELECT group_concat(acked_change_seq || '/' || acked_audit_seq) FROM channels",
        )
    )


def _reasons(receipt) -> dict[str, str]:
    return {q["row_id"]: q["reason"] for q in receipt.quarantined}


# --- 1. rows under another office's parent ------------------------------------------------------


def test_rows_under_another_townships_household_are_quarantined_naming_its_owner(offices, tmp_path):
    county, a, b = offices
    county.session.packages.import_file(export_one(b, county, tmp_path / "b"))
    county.session.packages.import_file(export_one(a, county, tmp_path / "a"))
    b_house = row_of(b, "households")["id"]
    b_enrolment = row_of(b, "enrolments")["id"]
    member = _fresh(a, "members", id="019999aa-0000-7000-8000-000000000001", household_id=b_house)
    visit = _fresh(a, "visits", id="019999aa-0000-7000-8000-000000000002", household_id=b_house)
    step = {
        "id": "019999aa-0000-7000-8000-000000000003",
        "owner_office": a.code,
        "updated_at": a.session.store.clock.tick(),
        "updated_by": "admin",
        "deleted": False,
        "enrolment_id": b_enrolment,
        "step": "申请",
        "done_on": "2026-10-01",
        "done_by": "admin",
        "note": "",
    }
    own_member = _fresh(a, "members", 1, notes="A 自己的户，照常导入")
    receipt = county.session.packages.import_file(
        forge_package(
            a, county, tmp_path / "f", {"members": [member, own_member], "visits": [visit], "enrolment_steps": [step]}
        )
    )
    reasons = _reasons(receipt)
    assert set(reasons) == {member["id"], visit["id"], step["id"]}
    assert f"户档案 {b_house} 属于 {b.code}，不能由 {a.code} 登记其下的家庭成员" in reasons[member["id"]]
    assert f"属于 {b.code}" in reasons[step["id"]]
    assert receipt.applied == {"members": 1}
    db = county.session.db
    assert db.scalar("SELECT count(*) FROM members WHERE household_id = ? AND owner_office = ?", (b_house, a.code)) == 0
    assert db.scalar("SELECT count(*) FROM visits WHERE id = ?", (visit["id"],)) == 0


def test_a_task_reply_answers_only_a_task_sent_to_the_replying_township(offices, tmp_path):
    county, a, b = offices
    county.session.packages.import_file(export_one(b, county, tmp_path / "b"))
    from app.domain.entities import CountyTask

    task = CountyTask(
        household_id=row_of(b, "households")["id"],
        township_code=b.code,
        text="请复核家庭收入",
        due_on=date(2026, 12, 31),
        sent_on=date(2026, 11, 1),
    )
    with county.session.store.transaction():  # as county_work.send_task writes it
        county.session.store.save(task, "admin", "下发任务")
    reply = {
        "id": "019999aa-0000-7000-8000-0000000000c1",
        "owner_office": a.code,
        "updated_at": a.session.store.clock.tick(),
        "updated_by": "admin",
        "deleted": False,
        "task_id": task.id,
        "household_id": task.household_id,
        "done_on": "2026-11-01",
        "note": "已办",
    }
    hostile = county.session.packages.import_file(forge_package(a, county, tmp_path / "f", {"task_replies": [reply]}))
    assert f"是发给乡镇 {b.code} 的，不能由 {a.code} 答复" in _reasons(hostile)[reply["id"]]
    honest = {**reply, "id": "019999aa-0000-7000-8000-0000000000c2", "owner_office": b.code}
    honest["updated_at"] = b.session.store.clock.tick()
    receipt = county.session.packages.import_file(forge_package(b, county, tmp_path / "g", {"task_replies": [honest]}))
    assert receipt.applied == {"task_replies": 1} and receipt.quarantined == []


# --- 2. the sender's kind ---------------------------------------------------------------------


def test_the_senders_kind_is_judged_by_its_code_not_by_its_stored_card(offices, tmp_path):
    county, a, _b = offices
    with county.session.store.transaction():  # a card edited to say "county" (the fingerprint does not cover it)
        county.session.db.execute("UPDATE peers SET kind = 'county' WHERE office_code = ?", (a.code,))
    policy = {
        "id": "019999aa-0000-7000-8000-0000000000f1",
        "owner_office": a.code,
        "updated_at": a.session.store.clock.tick(),
        "updated_by": "admin",
        "deleted": False,
        "effective_from": "2026-01-01",
        "values_json": json.dumps({"dibao.urban_standard": 1}),
        "source": "forged",
        "note": "",
        "unconfirmed": False,
    }
    receipt = county.session.packages.import_file(
        forge_package(a, county, tmp_path / "f", {"policy_periods": [policy]})
    )
    assert "乡镇不能拥有政策参数" in _reasons(receipt)[policy["id"]]
    assert county.session.db.scalar("SELECT count(*) FROM policy_periods WHERE owner_office = ?", (a.code,)) == 0


# --- 3. payloads of the wrong shape, numbers no database holds -------------------------------------

HUGE = 2**70


def _malformed(case: str, a: Office, county: Office) -> dict[str, Any]:
    household = _fresh(a, "households")
    income = _fresh(a, "income_items")
    cases: dict[str, dict[str, Any]] = {
        "history_table_is_list": {"rows": {"households": [household]}, "payload": {"history": {"households": []}}},
        "history_row_is_dict": {
            "rows": {"households": [household]},
            "payload": {"history": {"households": {household["id"]: {"a": 1}}}},
        },
        "history_stamp_not_text": {
            "rows": {"households": [household]},
            "payload": {"history": {"households": {household["id"]: [1]}}},
        },
        "blobs_is_int": {"payload": {"blobs": 5}},
        "blob_item_is_str": {"payload": {"blobs": ["x"]}},
        "blob_not_base64": {"payload": {"blobs": [{"sha256": "0" * 64, "data": "%%%", "thumbnail": ""}]}},
        "blob_not_its_hash": {
            "payload": {"blobs": [{"sha256": "0" * 64, "data": base64.b64encode(b"x").decode(), "thumbnail": ""}]}
        },
        "acks_is_text": {"payload": {"acks": "NODE"}},
        "ack_without_numbers": {"payload": {"acks": [{"node": county.session.store.node}]}},
        "ack_huge": {"payload": {"acks": [{"node": county.session.store.node, "change_seq": HUGE, "audit_seq": 1}]}},
        "receipts_is_dict": {"payload": {"receipts": {}}},
        "audit_is_dict": {"payload": {"audit": {}}},
        "audit_entry_seq_text": {
            "payload": {
                "audit": [
                    {
                        "seq": "x",
                        **dict.fromkeys(("hash", "prev_hash", "at", "username", "action", "entity", "row_id"), ""),
                        "detail": "",
                    }
                ]
            }
        },
        "rows_table_is_text": {"payload": {"rows": {"households": "abc"}}},
        "changes_to_huge": {"manifest": {"changes": {"from": 1, "to": HUGE}}},
        "changes_is_list": {"manifest": {"changes": [1, 2]}},
        "channel_seq_huge": {"seq": HUGE},
        "row_int_huge": {"rows": {"households": [{**household, "risk_level": 10**30}]}},
        "income_amount_huge": {"rows": {"income_items": [{**income, "amount_fen": HUGE}]}},
    }
    return cases[case]


MALFORMED = [
    "history_table_is_list",
    "history_row_is_dict",
    "history_stamp_not_text",
    "blobs_is_int",
    "blob_item_is_str",
    "blob_not_base64",
    "blob_not_its_hash",
    "acks_is_text",
    "ack_without_numbers",
    "ack_huge",
    "receipts_is_dict",
    "audit_is_dict",
    "audit_entry_seq_text",
    "rows_table_is_text",
    "changes_to_huge",
    "changes_is_list",
    "channel_seq_huge",
    "row_int_huge",
    "income_amount_huge",
]


@pytest.mark.parametrize("case", MALFORMED)
def test_a_signed_package_of_the_wrong_shape_is_damaged_and_changes_nothing(offices, tmp_path, case):
    county, a, _b = offices
    county.session.packages.import_file(export_one(a, county, tmp_path / "a"))
    spec = _malformed(case, a, county)
    path = _forge(
        a,
        county,
        tmp_path / "f",
        spec.get("rows"),
        manifest=spec.get("manifest"),
        payload=spec.get("payload"),
        seq=spec.get("seq", 99),
    )
    before, digest_before = _state(county), digests(county)
    with pytest.raises(PackageDamaged) as refused:
        county.session.packages.import_file(path)
    assert refused.value.exit_code == 21
    message = str(refused.value)
    assert path.name in message and message.count("。") == 1  # one sentence naming the file
    assert _state(county) == before and digests(county) == digest_before
    assert not county.session.db.in_transaction


def test_an_error_nobody_foresaw_inside_the_applier_is_a_damaged_package(offices, tmp_path, monkeypatch):
    from app.services.exchange.apply import Applier

    county, a, _b = offices
    path = export_one(a, county, tmp_path / "a")
    before = _state(county)

    def broken(self) -> None:
        raise TypeError("'int' object is not iterable")

    monkeypatch.setattr(Applier, "apply_rows", broken)
    with pytest.raises(PackageDamaged, match=path.name):
        county.session.packages.import_file(path)
    assert _state(county) == before


def test_an_acknowledgement_beyond_what_was_sent_is_clamped_to_it(offices, tmp_path):
    county, a, _b = offices
    county.session.packages.import_file(export_one(a, county, tmp_path / "a"))
    sent = export_one(county, a, tmp_path / "c")  # the county sends its changes up to some point
    a.session.packages.import_file(sent)
    manifest = json.loads(
        county.session.db.scalar("SELECT manifest FROM packages WHERE direction = 'out' AND peer_code = ?", (a.code,))
    )
    node = county.session.store.node
    far = manifest["changes"]["to"] + 1000
    acks = [{"node": node, "change_seq": far, "audit_seq": manifest["audit"]["to"] + 1000}]
    receipt = county.session.packages.import_file(_forge(a, county, tmp_path / "f", payload={"acks": acks}))
    assert receipt.acknowledged == {"change_seq": manifest["changes"]["to"], "audit_seq": manifest["audit"]["to"]}


# --- 4. attachment contents ------------------------------------------------------------------------


def _jpeg(*, gps: bool = False, pad: int = 0) -> bytes:
    img = Image.new("RGB", (64, 64), "red")
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (35.0, 30.0, 0.0), 3: "E", 4: (106.0, 20.0, 0.0)}
        img.save(out, "JPEG", exif=exif.tobytes())
    else:
        img.save(out, "JPEG")
    return out.getvalue() + b"\0" * pad


def _attachment(a: Office, n: int, data: bytes, **changes: Any) -> dict[str, Any]:
    hid = row_of(a, "households")["id"]
    return {
        "id": f"019999aa-0000-7000-8000-0000000000a{n}",
        "owner_office": a.code,
        "updated_at": a.session.store.clock.tick(),
        "updated_by": "admin",
        "deleted": False,
        "household_id": hid,
        "subject_table": "households",
        "subject_id": hid,
        "kind": "证明材料",
        "file_name": f"{n}.jpg",
        "media_type": "image/jpeg",
        "size_bytes": len(data),
        "sha256": blobs.sha256_of(data),
        "width": 64,
        "height": 64,
        "note": "",
        **changes,
    }


def _carried(data: bytes) -> dict[str, str]:
    return {"sha256": blobs.sha256_of(data), "data": base64.b64encode(data).decode(), "thumbnail": ""}


def test_carried_attachment_contents_are_held_to_what_a_clerk_may_store(offices, tmp_path):
    county, a, _b = offices
    county.session.packages.import_file(export_one(a, county, tmp_path / "a"))
    clean, gps, huge = _jpeg(), _jpeg(gps=True), _jpeg(pad=blobs.MAX_STORED_BYTES)
    lying, not_image, orphan = _jpeg(pad=10), b"%PDF-1.4 not a picture", b"unreferenced plaintext bytes"
    rows = [
        _attachment(a, 1, clean),
        _attachment(a, 2, gps),
        _attachment(a, 3, huge),
        _attachment(a, 4, lying, size_bytes=1),
        _attachment(a, 5, not_image),
    ]
    carried = [_carried(x) for x in (clean, gps, huge, lying, not_image, orphan)]
    receipt = county.session.packages.import_file(
        _forge(a, county, tmp_path / "f", {"attachments": rows}, payload={"blobs": carried})
    )
    reasons = _reasons(receipt)
    assert receipt.applied == {"attachments": 1}
    assert "EXIF" in reasons[rows[1]["id"]]
    assert "上限" in reasons[rows[2]["id"]]
    assert "与记录的大小 1 字节不符" in reasons[rows[3]["id"]]
    assert "不是可以打开的图片" in reasons[rows[4]["id"]]
    stored = {r[0] for r in county.session.db.query("SELECT sha256 FROM attachment_blobs")}
    assert blobs.sha256_of(clean) in stored
    assert not {blobs.sha256_of(x) for x in (gps, huge, lying, not_image, orphan)} & stored
    assert county.session.attachments.data(rows[0]["id"]) == clean


def test_a_carried_thumbnail_with_exif_quarantines_its_attachment(offices, tmp_path):
    county, a, _b = offices
    county.session.packages.import_file(export_one(a, county, tmp_path / "a"))
    picture = Image.new("RGB", (32, 32), "blue")
    out = io.BytesIO()
    picture.save(out, "PNG")
    data = out.getvalue()
    row = _attachment(a, 7, data, media_type="image/png", file_name="7.png")
    carried = {**_carried(data), "thumbnail": base64.b64encode(_jpeg(gps=True)).decode()}
    receipt = county.session.packages.import_file(
        _forge(a, county, tmp_path / "f", {"attachments": [row]}, payload={"blobs": [carried]})
    )
    assert "缩略图" in _reasons(receipt)[row["id"]] and "EXIF" in _reasons(receipt)[row["id"]]
    assert county.session.db.scalar("SELECT count(*) FROM attachment_blobs WHERE sha256 = ?", (row["sha256"],)) == 0


def test_an_attachment_exported_by_a_township_arrives_with_its_content(offices, tmp_path):
    county, a, _b = offices
    hid = row_of(a, "households")["id"]
    added = a.session.attachments.add("households", hid, _jpeg(gps=True), "低保证.jpg")  # the clerk's upload is cleaned
    receipt = county.session.packages.import_file(export_one(a, county, tmp_path / "a"))
    assert receipt.quarantined == []
    assert county.session.attachments.data(added.id) == a.session.attachments.data(added.id)


# --- 5. one stamp, one content ----------------------------------------------------------------------


def test_the_same_version_with_other_content_is_quarantined_not_counted_unchanged(offices, tmp_path):
    county, a, _b = offices
    county.session.packages.import_file(export_one(a, county, tmp_path / "a"))
    row = {**row_of(a, "households"), "notes": "内容不同，但时间戳相同"}
    receipt = county.session.packages.import_file(forge_package(a, county, tmp_path / "f", {"households": [row]}))
    assert receipt.unchanged == 0 and receipt.applied == {}
    assert "同一版本内容不同" in _reasons(receipt)[row["id"]]
    assert county.session.db.scalar("SELECT notes FROM households WHERE id = ?", (row["id"],)) != row["notes"]


def test_equal_digests_mean_equal_content_not_only_equal_stamps(offices, tmp_path):
    county, a, _b = offices
    county.session.packages.import_file(export_one(a, county, tmp_path / "a"))
    assert digests(county)[a.code] == digests(a)[a.code]
    row_id = row_of(a, "households")["id"]
    with county.session.store.transaction():  # the copy altered behind the program's back, stamp untouched
        county.session.db.execute("UPDATE households SET notes = 'changed' WHERE id = ?", (row_id,))
    assert digests(county)[a.code] != digests(a)[a.code]


def test_a_digest_is_the_same_whatever_the_row_order():
    from app.services.exchange.digests import digest_of

    keys = [("households", "2", "t", 0, "h2"), ("households", "1", "t", 0, "h1")]
    assert digest_of(keys) == digest_of(list(reversed(keys)))
    assert digest_of(keys) != digest_of([keys[0], ("households", "1", "t", 0, "other")])
    assert hashlib.sha256(b"").hexdigest() == digest_of([])
