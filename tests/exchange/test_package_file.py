"""The package file: a county must be able to trust that nothing damaged, forged or misdirected
is ever opened, and a township that a half-written file on a stick is never taken for a package."""

from __future__ import annotations

import hashlib
import os
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import (
    DoudiError,
    InvalidInput,
    NotAddressedToUs,
    NotFound,
    PackageDamaged,
    PackageRefused,
    PackageTooLarge,
    PackageUnsigned,
    StorageProblem,
)
from app.exchange import age
from app.exchange.canonical import canonical_json
from app.exchange.package_file import (
    SUFFIX,
    build_package,
    check_signature,
    encode_package,
    open_payload,
    parse_package,
    partial_name,
    read_package_file,
    write_package_file,
)

MANIFEST = {
    "package_id": "01J8Z3K6Q4T9V2M7X5R1C0B8NA",
    "sender": {"code": "640424100000", "fingerprint": "R88J-C0PN-CZR0-SENR-XCJC-ZSHG"},
    "receiver": {"code": "640424", "fingerprint": "AMS8-RD17-78NA-ANM3-KX83-209A"},
    "channel_seq": 1,
    "created_at": "2025-03-25T09:30:00.000+08:00",
}
PAYLOAD = canonical_json({"rows": [{"table": "households", "id": str(i), "v": "x" * 40} for i in range(50)]})
NAME = "640424100000-to-640424-000001" + SUFFIX


@pytest.fixture(scope="module")
def package(township, county) -> bytes:
    return build_package(MANIFEST, PAYLOAD, township, county.box_public)


def _accept(data: bytes, township, county) -> bytes:
    """Every step an importer runs, in the order of docs/package-format.md."""
    parsed = parse_package(data, source="p.doudipkg")
    check_signature(parsed, township.sign_public, source="p.doudipkg")
    return open_payload(parsed, county, source="p.doudipkg")


def test_round_trip_gives_back_the_payload_and_the_manifest(package, township, county):
    assert _accept(package, township, county) == PAYLOAD
    manifest = parse_package(package, source="p").manifest
    assert {k: manifest[k] for k in MANIFEST} == MANIFEST
    assert manifest["format"] == "doudi-package" and manifest["version"] == 1


def test_the_payload_is_encrypted_not_only_compressed(township, county):
    secret = os.urandom(4096)  # incompressible: zlib stores it as is, so only encryption can hide it
    assert secret[1000:1032] in zlib.compress(secret)
    data = build_package(MANIFEST, secret, township, county.box_public)
    assert secret[1000:1032] not in data


def test_an_empty_payload_round_trips(township, county):
    data = build_package(MANIFEST, b"", township, county.box_public)
    assert _accept(data, township, county) == b""


def test_a_package_for_another_office_is_not_addressed_to_us(package, township, stranger):
    parsed = parse_package(package, source="p.doudipkg")
    check_signature(parsed, township.sign_public, source="p.doudipkg")
    with pytest.raises(NotAddressedToUs, match=r"p\.doudipkg.*不是发给本单位"):
        open_payload(parsed, stranger, source="p.doudipkg")


def test_a_package_checked_with_another_offices_key_is_unsigned(package, stranger):
    parsed = parse_package(package, source="p.doudipkg")
    with pytest.raises(PackageUnsigned, match=r"p\.doudipkg.*签名"):
        check_signature(parsed, stranger.sign_public, source="p.doudipkg")


def test_a_package_signed_by_someone_else_under_the_townships_name_is_unsigned(township, county, stranger):
    forged = build_package(MANIFEST, PAYLOAD, stranger, county.box_public)
    with pytest.raises(PackageUnsigned):
        _accept(forged, township, county)


def test_an_empty_signature_is_unsigned(package):
    parsed = parse_package(package, source="p")
    data = encode_package(parsed.manifest_bytes, b"", parsed.ciphertext)
    with pytest.raises(PackageUnsigned, match="没有签名"):
        parse_package(data, source="p")


def test_trailing_bytes_are_refused(package):
    with pytest.raises(PackageDamaged, match="末尾多出 1 字节"):
        parse_package(package + b"\0", source="p")


def test_something_else_is_not_a_package(tmp_path):
    with pytest.raises(PackageDamaged, match=r"文件 报表\.xlsx 不是兜底数据包"):
        parse_package(b"PK\x03\x04 a zip file", source="报表.xlsx")


def test_a_newer_format_version_says_so(package):
    data = package[:8] + b"\x02" + package[9:]
    with pytest.raises(PackageDamaged, match="格式版本是 2"):
        parse_package(data, source="p")


def test_a_manifest_that_is_not_canonical_is_refused(package, township):
    """The same fields spelled with spaces would be a second meaning of the signed bytes."""
    parsed = parse_package(package, source="p")
    loose = parsed.manifest_bytes.replace(b",", b", ", 1)
    data = encode_package(loose, township.sign(loose), parsed.ciphertext)
    with pytest.raises(PackageDamaged, match="清单"):
        parse_package(data, source="p")


def test_a_swapped_payload_is_refused_even_with_a_valid_signature(township, county):
    one = parse_package(build_package(MANIFEST, PAYLOAD, township, county.box_public), source="p")
    two = parse_package(build_package(MANIFEST, b"other rows", township, county.box_public), source="p")
    with pytest.raises(PackageDamaged, match="加密数据"):
        parse_package(encode_package(one.manifest_bytes, one.signature, two.ciphertext), source="p")


def test_a_decompression_bomb_is_capped(township, county):
    bomb = b"\0" * (4 << 20)  # compresses to about 4 KB
    parsed = parse_package(build_package(MANIFEST, bomb, township, county.box_public), source="p")
    assert len(parsed.ciphertext) < 10_000
    with pytest.raises(PackageTooLarge, match="解压后超过上限"):
        open_payload(parsed, county, source="p", max_bytes=1 << 20)
    assert open_payload(parsed, county, source="p", max_bytes=4 << 20) == bomb  # exactly at the cap is fine


def test_a_compressed_stream_that_is_not_whole_is_damaged(township, county):
    """Signed and encrypted by the sender, but the zlib stream inside is cut: refused, not half-applied."""
    cut = zlib.compress(PAYLOAD)[:-6]
    ciphertext = age.encrypt(cut, county.box_public)
    parsed = parse_package(build_package(MANIFEST, b"", township, county.box_public), source="p")
    manifest = dict(parsed.manifest, payload_length=len(ciphertext))
    manifest["payload_sha256"] = hashlib.sha256(ciphertext).hexdigest()
    manifest_bytes = canonical_json(manifest)
    data = encode_package(manifest_bytes, township.sign(manifest_bytes), ciphertext)
    with pytest.raises(PackageDamaged, match="压缩数据"):
        _accept(data, township, county)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_package_cut_anywhere_is_damaged(package, township, county, data):
    length = data.draw(st.integers(0, len(package) - 1))
    with pytest.raises(PackageDamaged):
        _accept(package[:length], township, county)


def test_a_package_cut_at_every_part_boundary_is_damaged(package, township, county):
    manifest_len = int.from_bytes(package[9:13], "big")
    ends = [0, 8, 9, 13, 13 + manifest_len, 15 + manifest_len, 79 + manifest_len, 87 + manifest_len]
    for end in ends + [e - 1 for e in ends if e] + [e + 1 for e in ends]:
        with pytest.raises(PackageDamaged, match=r"不完整|不是兜底数据包"):
            parse_package(package[:end], source="p")


@settings(max_examples=500, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_flipped_byte_anywhere_is_refused_never_a_traceback(package, township, county, data):
    position = data.draw(st.integers(0, len(package) - 1))
    flip = data.draw(st.integers(1, 255))
    damaged = bytearray(package)
    damaged[position] ^= flip
    with pytest.raises(PackageRefused):
        _accept(bytes(damaged), township, county)


def test_every_single_bit_flip_in_the_header_and_signature_is_refused(package, township, county):
    manifest_len = int.from_bytes(package[9:13], "big")
    for position in range(87 + manifest_len):
        for bit in (0x01, 0x80):
            damaged = bytearray(package)
            damaged[position] ^= bit
            with pytest.raises(PackageRefused):
                _accept(bytes(damaged), township, county)


# --- files


def test_write_then_read_gives_the_same_bytes_and_no_partial(tmp_path, package):
    path = write_package_file(tmp_path, NAME, package)
    assert path == tmp_path / NAME
    assert read_package_file(path) == package
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAME]


def test_read_refuses_a_file_over_the_cap_before_reading_it(tmp_path, package, monkeypatch):
    path = write_package_file(tmp_path, NAME, package)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened although it is over the cap")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(PackageTooLarge, match="超过上限"):
        read_package_file(path, max_bytes=len(package) - 1)


def test_read_of_a_missing_file_or_a_folder_says_so(tmp_path):
    with pytest.raises(NotFound, match="找不到数据包文件"):
        read_package_file(tmp_path / "none.doudipkg")
    with pytest.raises(InvalidInput, match="不是一个文件"):
        read_package_file(tmp_path)


def test_a_failed_read_back_leaves_neither_the_package_nor_the_partial(tmp_path, package, monkeypatch):
    real = Path.read_bytes

    def flaky_stick(self):
        return real(self)[:-1]  # what a failing USB stick returns

    monkeypatch.setattr(Path, "read_bytes", flaky_stick)
    with pytest.raises(StorageProblem, match="读回"):
        write_package_file(tmp_path, NAME, package)
    assert list(tmp_path.iterdir()) == []


def test_a_read_back_that_does_not_parse_leaves_nothing(tmp_path):
    with pytest.raises(PackageDamaged):
        write_package_file(tmp_path, NAME, b"DOUDIPKG\x01 garbage")
    assert list(tmp_path.iterdir()) == []


def test_a_cancel_during_the_write_leaves_nothing(tmp_path, package, monkeypatch):
    def cancelled(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", cancelled)
    with pytest.raises(KeyboardInterrupt):
        write_package_file(tmp_path, NAME, package)
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_is_a_storage_problem_and_leaves_nothing(tmp_path, package, monkeypatch):
    def full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(StorageProblem, match=NAME):
        write_package_file(tmp_path, NAME, package)
    assert list(tmp_path.iterdir()) == []


def test_a_stale_partial_from_a_killed_export_is_replaced(tmp_path, package):
    (tmp_path / partial_name(NAME)).write_bytes(b"half a package")
    write_package_file(tmp_path, NAME, package)
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAME]


def test_a_partial_file_is_never_taken_for_a_package(tmp_path, package):
    partial = tmp_path / partial_name(NAME)
    partial.write_bytes(package[: len(package) // 2])
    assert not partial.name.endswith(SUFFIX)
    with pytest.raises(PackageDamaged):
        parse_package(read_package_file(partial), source=partial.name)


@pytest.mark.parametrize("name", ["", ".hidden.doudipkg", "../up.doudipkg", "a/b.doudipkg", "a\\b.doudipkg"])
def test_a_name_that_would_leave_the_folder_is_refused(tmp_path, package, name):
    with pytest.raises(InvalidInput):
        write_package_file(tmp_path, name, package)
    assert list(tmp_path.iterdir()) == []


def test_writing_into_a_missing_folder_says_so(tmp_path, package):
    with pytest.raises(StorageProblem, match="不存在"):
        write_package_file(tmp_path / "stick", NAME, package)


def test_every_refusal_is_a_sentence_naming_the_file(package, township, stranger):
    cases = [package[:20], package + b"x", b"nothing"]
    for data in cases:
        with pytest.raises(DoudiError) as caught:
            parse_package(data, source="乡镇包.doudipkg")
        assert "乡镇包.doudipkg" in str(caught.value) and str(caught.value).endswith("。")
