"""Key slots guard the office's data key: a wrong password, another PC or an edited file must never open it."""

import json

import pytest

from app.db.keyslots import KdfParams, KeySlotFile, new_recovery_code, normalise_recovery_code
from app.errors import AuthFailed, KeySlotCorrupt

KEY = bytes(range(32))
DEVICE = b"d" * 32


def make_file():
    f = KeySlotFile(store_id="store-1", office_code="640424100000")
    f.set_user("admin", "correct horse", KEY, DEVICE)
    code = new_recovery_code()
    f.set_recovery(code, KEY)
    return f, code


def test_user_slot_opens_only_with_password_and_device_secret():
    f, _ = make_file()
    assert f.unlock_user("admin", "correct horse", DEVICE) == KEY
    with pytest.raises(AuthFailed):
        f.unlock_user("admin", "wrong horse", DEVICE)
    with pytest.raises(AuthFailed):
        f.unlock_user("admin", "correct horse", b"x" * 32)  # same password, other PC
    with pytest.raises(AuthFailed):
        f.unlock_user("nobody", "correct horse", DEVICE)


def test_recovery_code_opens_without_device_secret_and_forgives_case_and_dashes():
    f, code = make_file()
    assert f.unlock_recovery(code) == KEY
    sloppy = code.lower().replace("-", " ").replace("0", "o")
    assert f.unlock_recovery(sloppy) == KEY
    with pytest.raises(AuthFailed):
        f.unlock_recovery(new_recovery_code())


def test_recovery_code_has_120_bits_in_readable_groups():
    code = new_recovery_code()
    groups = code.split("-")
    assert len(groups) == 6 and all(len(g) == 4 for g in groups)
    assert normalise_recovery_code(code) == code.replace("-", "")
    assert len({new_recovery_code() for _ in range(50)}) == 50


def test_changing_a_password_rewraps_one_slot_only(tmp_path):
    f, _code = make_file()
    f.set_user("clerk", "clerk password", KEY, DEVICE)
    before = {(s.kind, s.user): s.wrapped for s in f.slots}
    f.set_user("admin", "a new password", KEY, DEVICE)
    after = {(s.kind, s.user): s.wrapped for s in f.slots}
    assert after[("recovery", "")] == before[("recovery", "")]
    assert after[("user", "clerk")] == before[("user", "clerk")]
    assert after[("user", "admin")] != before[("user", "admin")]
    assert f.unlock_user("admin", "a new password", DEVICE) == KEY


def test_slot_header_is_authenticated(tmp_path):
    f, _ = make_file()
    path = tmp_path / "keyslots.json"
    f.save(path)
    data = json.loads(path.read_text())
    data["slots"][0]["kdf"]["iterations"] += 1  # a downgrade or edit of the parameters
    path.write_text(json.dumps(data))
    with pytest.raises(AuthFailed):
        KeySlotFile.load(path).unlock_user("admin", "correct horse", DEVICE)


def test_file_round_trip_and_no_key_material_in_clear(tmp_path):
    f, code = make_file()
    path = tmp_path / "keyslots.json"
    f.save(path)
    text = path.read_text()
    assert KEY.hex() not in text and "correct horse" not in text and code not in text
    assert KeySlotFile.load(path).unlock_user("admin", "correct horse", DEVICE) == KEY


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "不是有效的 JSON"),
        ('{"format": "something-else"}', "不是兜底的密钥槽文件"),
        ('{"format": "doudi-keyslots", "version": 1}', "缺少必要的字段"),
    ],
)
def test_corrupt_file_gives_one_clear_sentence(tmp_path, content, words):
    path = tmp_path / "keyslots.json"
    path.write_text(content)
    with pytest.raises(KeySlotCorrupt) as exc:
        KeySlotFile.load(path)
    assert words in str(exc.value) and str(path) in str(exc.value)


def test_real_argon2id_parameters_are_the_design_ones(monkeypatch):
    monkeypatch.delenv("DOUDI_KDF_PROFILE", raising=False)
    params = KdfParams.default()
    assert (params.name, params.memory_kib, params.iterations, params.lanes) == ("argon2id", 65536, 3, 4)
    f = KeySlotFile(store_id="s", office_code="640424100000")
    f.set_user("admin", "pw with real kdf", KEY, DEVICE)
    assert f.slots[0].kdf.memory_kib == 65536
    assert f.unlock_user("admin", "pw with real kdf", DEVICE) == KEY


def test_saved_twice_and_a_lost_first_copy_falls_back_to_the_second(tmp_path):
    f, code = make_file()
    path = tmp_path / "keyslots.json"
    f.save(path)
    backup = tmp_path / "keyslots.backup.json"
    assert backup.read_text() == path.read_text()
    path.unlink()
    assert KeySlotFile.load(path).unlock_recovery(code) == KEY
    path.write_text('{"format": "doudi-keyslots", "ver')  # a write cut off half-way
    assert KeySlotFile.load(path).unlock_user("admin", "correct horse", DEVICE) == KEY
    backup.unlink()
    with pytest.raises(KeySlotCorrupt):
        KeySlotFile.load(path)


@pytest.mark.parametrize(
    ("field", "value"),
    [("salt", "***"), ("nonce", "AAAA"), ("wrapped", 17), ("kdf", {"name": "argon2id", "memory_kib": "lots"})],
)
def test_a_garbled_slot_field_is_corruption_not_a_wrong_password(tmp_path, field, value):
    f, _ = make_file()
    path = tmp_path / "keyslots.json"
    f.save(path)
    for p in (path, tmp_path / "keyslots.backup.json"):
        data = json.loads(p.read_text())
        data["slots"][0][field] = value
        p.write_text(json.dumps(data))
    with pytest.raises(KeySlotCorrupt) as exc:
        KeySlotFile.load(path).unlock_user("admin", "correct horse", DEVICE)
    assert str(path) in str(exc.value) and "密码" not in str(exc.value)


def test_recovery_slot_round_trips_through_the_sheet_lines_and_the_qr_text():
    f, code = make_file()
    lines = f.recovery_sheet_lines()
    assert all(len(line.split()) == 2 + 8 or line is lines[-1] for line in lines)
    typed = "\n".join(line.lower().replace("0", "o") for line in lines)  # as a person may type it
    for text in (typed, f.recovery_sheet_payload()):
        paper = KeySlotFile.from_recovery_sheet(text)
        assert (paper.store_id, paper.office_code) == (f.store_id, f.office_code)
        assert paper.unlock_recovery(code) == KEY
    assert code not in "".join(lines) and KEY.hex() not in "".join(lines)


def test_recovery_slot_round_trips_with_a_uuid_store_id():
    from app.domain.ids import uuid7

    f = KeySlotFile(store_id=uuid7(), office_code="640424100000")
    code = new_recovery_code()
    f.set_recovery(code, KEY)
    assert KeySlotFile.from_recovery_sheet("\n".join(f.recovery_sheet_lines())).unlock_recovery(code) == KEY


def test_a_mistyped_sheet_line_is_named():
    from app.errors import InvalidInput

    f, _ = make_file()
    lines = f.recovery_sheet_lines()
    number, *groups, check = lines[2].split()
    groups[3] = groups[3][:-1] + ("A" if groups[3][-1] != "A" else "B")
    lines[2] = " ".join([number, *groups, check])
    with pytest.raises(InvalidInput) as exc:
        KeySlotFile.from_recovery_sheet("\n".join(lines))
    assert "第 3 行" in str(exc.value) and exc.value.item == 2
    with pytest.raises(InvalidInput) as exc:
        KeySlotFile.from_recovery_sheet("\n".join(f.recovery_sheet_lines()[:-1]))  # a line left out
    assert "恢复页" in str(exc.value)
