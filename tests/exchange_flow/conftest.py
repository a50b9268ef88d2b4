"""Offices that exchange packages: a county (泾源县) and two of its townships, small and quick.

Each office is made with ``create_office``; the townships are filled by the demo generator. Cards
are exchanged as a person would (the fingerprint read off the other card).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from app.services.demo import load_synthetic
from app.services.office import create_office
from app.services.session import Session

PASSWORD = "exchange-pass-2021"
COUNTY = "640424"
TOWN_A = "640424100"  # 香水镇
TOWN_B = "640424101"  # 泾河源镇
END_MONTH = "2026-10"


@dataclass
class Office:
    session: Session
    data_dir: Path
    card: Path

    @property
    def code(self) -> str:
        return self.session.office.code


def make_office(root: Path, code: str, *, households: int = 0, seed: int = 1, kind: str | None = None) -> Office:
    def fill(s: Session) -> None:
        if households:
            load_synthetic(s, "small", households=households, seed=seed, end_month=END_MONTH)

    data_dir = root / code
    session, _code = create_office(data_dir, code, "admin", PASSWORD, kind=kind, fill=fill)
    card = root / f"{code}.card.json"
    session.trust.write_card(card)
    return Office(session, data_dir, card)


def trust_each_other(a: Office, b: Office) -> None:
    a.session.trust.add(b.card, b.session.trust.card().fingerprint)
    b.session.trust.add(a.card, a.session.trust.card().fingerprint)


@pytest.fixture(scope="session")
def office_templates(tmp_path_factory):
    """The three offices, made once per test session (with their own credential store) and copied
    for each test: making an office costs a few seconds of key derivation and fsyncs."""
    import keyring

    from tests.conftest import MemoryKeyring

    root = tmp_path_factory.mktemp("exchange-templates")
    ring = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(ring)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("DOUDI_CONFIG_DIR", str(root / "config"))
            made = [
                make_office(root, COUNTY, kind="county"),
                make_office(root, TOWN_A, households=25, seed=11),
                make_office(root, TOWN_B, households=20, seed=12),
            ]
            county, a, b = made
            trust_each_other(county, a)
            trust_each_other(county, b)
            for o in made:
                o.session.close()
    finally:
        keyring.set_keyring(previous)
    return root, dict(ring.items), [(o.data_dir, o.card) for o in made]


@pytest.fixture
def offices(office_templates, memory_keyring, tmp_path):
    """(county, township A, township B), each township and the county trusting each other."""
    import shutil

    from app.services.office import open_session

    _root, secrets, made = office_templates
    memory_keyring.items.update(secrets)
    out = []
    for data_dir, card in made:
        target = tmp_path / data_dir.name
        shutil.copytree(data_dir, target)
        out.append(Office(open_session(target, "admin", PASSWORD), target, card))
    yield tuple(out)
    for o in out:
        o.session.close()


def export_one(office: Office, to: Office, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    written = office.session.packages.export(folder, for_code=to.code)
    assert len(written) == 1
    return written[0].path


def digests(office: Office) -> dict[str, str]:
    from app.services.integrity import office_digests

    return office_digests(office.session)


def clone(office: Office, dest: Path, *, replica: str = "") -> Office:
    """A copy of *office*'s data folder opened as its own database: another PC of the same office
    (a replica, with its own clock node) or, without *replica*, a second county to compare orders on."""
    import shutil

    from app.services.office import open_session

    office.session.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copytree(office.data_dir, dest)
    if replica:
        s = open_session(dest, "admin", PASSWORD)
        with s.store.transaction():
            s.db.execute("INSERT INTO meta(key, value) VALUES ('replica', ?)", (replica,))
        s.close()
    return Office(open_session(dest, "admin", PASSWORD), dest, office.card)


def edit_household(office: Office, notes: str, index: int = 0):
    """Change one household's notes through the store (a clerk's edit, without the form)."""
    from app.domain.entities import Household

    s = office.session
    h = s.store.repo(Household).where("1", order="id")[index]
    h.notes = notes
    with s.store.transaction():
        s.store.save(h, "admin", "修改户档案")
    return h


def forge_package(sender: Office, receiver: Office, folder: Path, rows: dict, *, seq: int = 99) -> Path:
    """A correctly signed and encrypted package from *sender* carrying exactly *rows* (no audit entries):
    what a sender that breaks the ownership rules (or a buggy one) could send."""
    from app.db.store import now_text
    from app.domain.ids import uuid7
    from app.exchange.canonical import canonical_json
    from app.exchange.package_file import build_package, write_package_file
    from app.services.exchange.office_keys import ensure_office_keys

    keys = ensure_office_keys(sender.session.store, "admin")
    package_id = uuid7()
    manifest = {
        "package_id": package_id,
        "sender": {
            "code": sender.code,
            "name": "x",
            "kind": sender.session.office.kind,
            "node": f"{sender.code}-forge",
        },
        "receiver": {"code": receiver.code},
        "channel_seq": seq,
        "changes": {"from": 1, "to": 0},
        "created_at": now_text(),
        "counts": {t: len(r) for t, r in rows.items()},
    }
    payload = {"package_id": package_id, "rows": rows, "audit": [], "blobs": [], "acks": [], "receipts": []}
    folder.mkdir(parents=True, exist_ok=True)
    data = build_package(manifest, canonical_json(payload), keys, receiver.session.trust.card().box_public)
    return write_package_file(folder, f"forged-{package_id}.doudipkg", data)


def row_of(office: Office, table: str, index: int = 0) -> dict:
    from app.db.repository import to_dict
    from app.db.sync_rows import TYPES_BY_TABLE

    return to_dict(office.session.store.repo(TYPES_BY_TABLE[table]).where("1", order="id")[index])
