"""The test vectors of docs/package-format.md §Test vectors, checked byte for byte.

Another implementation (a county's script, a future hub) reproduces these numbers to prove it
reads and writes the same format. Where a value is random (the age ciphertext), the test
decrypts instead of comparing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib

import pyrage  # type: ignore[import-untyped]
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyrage import x25519

from app.exchange.canonical import canonical_json
from app.exchange.cards import Card, card_for
from app.exchange.keys import OfficeKeys, signature_holds
from app.exchange.package_file import (
    build_package,
    check_signature,
    encode_package,
    open_payload,
    parse_package,
)

TOWNSHIP_SEED = bytes([0x01]) * 32
TOWNSHIP_AGE = "AGE-SECRET-KEY-1QGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQ0N3JDM"  # 0x02 * 32
COUNTY_SEED = bytes([0x03]) * 32
COUNTY_AGE = "AGE-SECRET-KEY-1QSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQMDXKL7"  # 0x04 * 32

TOWNSHIP_SIGN_PUBLIC = "iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="
TOWNSHIP_BOX_PUBLIC = "age1e6xn45wvkce7c7msc9upffw8dmxs9959q5xng369hgzcwrjc04vszex59m"
TOWNSHIP_FINGERPRINT = "R88J-C0PN-CZR0-SENR-XCJC-ZSHG"
COUNTY_SIGN_PUBLIC = "7UkoxijRwsbq6QM4kFmVYSlZJzpcY/k2NsFGFKyHN9E="
COUNTY_BOX_PUBLIC = "age14sqmygy7sc65lwznyda4mc85l2cncl7t7se6v8qpjd5kzllv7y9suj5vde"
COUNTY_FINGERPRINT = "AMS8-RD17-78NA-ANM3-KX83-209A"

TOWNSHIP_CARD_JSON = """{
  "box_public": "age1e6xn45wvkce7c7msc9upffw8dmxs9959q5xng369hgzcwrjc04vszex59m",
  "fingerprint": "R88J-C0PN-CZR0-SENR-XCJC-ZSHG",
  "format": "doudi-card",
  "kind": "township",
  "office_code": "640424100000",
  "office_name": "示例镇人民政府",
  "sign_public": "iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=",
  "version": 1
}
"""

# The manifest fields the sync service fills; build_package adds the rest.
SENDER_FIELDS = {
    "package_id": "01J8Z3K6Q4T9V2M7X5R1C0B8NA",
    "sender": {"code": "640424100000", "fingerprint": TOWNSHIP_FINGERPRINT},
    "receiver": {"code": "640424", "fingerprint": COUNTY_FINGERPRINT},
    "channel_seq": 3,
    "changes": {"from": 101, "to": 250},
    "audit": {"from": 88, "to": 190, "head": "7e4dbd4e469d35a0375dc8c0a6489471615e1bc299f13e09f3616f5528a530e5"},
    "created_at": "2025-03-25T09:30:00.000+08:00",
    "counts": {"households": 12, "members": 40, "visits": 9},
}
PAYLOAD = b"doudi test vector payload\n" * 4

MANIFEST_BYTES = (
    b'{"algorithms":{"compression":"zlib","digest":"sha256","encryption":"age-x25519","signature":"ed25519"},'
    b'"audit":{"from":88,"head":"7e4dbd4e469d35a0375dc8c0a6489471615e1bc299f13e09f3616f5528a530e5","to":190},'
    b'"changes":{"from":101,"to":250},"channel_seq":3,'
    b'"counts":{"households":12,"members":40,"visits":9},"created_at":"2025-03-25T09:30:00.000+08:00",'
    b'"format":"doudi-package","package_id":"01J8Z3K6Q4T9V2M7X5R1C0B8NA","payload_length":369,'
    b'"payload_sha256":"0d8dcc158ecc0f459c49e1947b871ce3560b62b5357f8aa1ccf928f6cd7ba41f",'
    b'"receiver":{"code":"640424","fingerprint":"AMS8-RD17-78NA-ANM3-KX83-209A"},'
    b'"sender":{"code":"640424100000","fingerprint":"R88J-C0PN-CZR0-SENR-XCJC-ZSHG"},"version":1}'
)
MANIFEST_SHA256 = "8d15742ea2fb1bdd7cdc62d62daa4387693f1f5334fed2f8d197965bdfb21371"
SIGNATURE_HEX = (
    "43c8c0c222f5c41c2a7533283befccb1b7e1530c31f1bc89e318e49f95b977f6"
    "bb879986294a4a8885794e1afb16088428b6bf3bfa815e7e143ad2d7aecfc00f"
)
# magic "DOUDIPKG", version 01, manifest length 0x2b0 = 688, then the manifest's first bytes '{"algorithms":{"'
HEADER_HEX = "444f554449504b47" + "01" + "000002b0" + "7b22616c676f726974686d73223a7b22"


def township() -> OfficeKeys:
    return OfficeKeys(sign_seed=TOWNSHIP_SEED, age_identity=TOWNSHIP_AGE)


def county() -> OfficeKeys:
    return OfficeKeys(sign_seed=COUNTY_SEED, age_identity=COUNTY_AGE)


def _bech32_age_recipient(public: bytes) -> str:
    """BIP-173 bech32 with the "age" prefix, written out here so the vector does not trust app code."""
    charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
    acc = bits = 0
    data = []
    for byte in public:
        acc, bits = (acc << 8) | byte, bits + 8
        while bits >= 5:
            bits -= 5
            data.append((acc >> bits) & 31)
    if bits:
        data.append((acc << (5 - bits)) & 31)
    hrp = "age"
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + data + [0] * 6
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i, gen in enumerate((0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)):
            chk ^= gen if (top >> i) & 1 else 0
    chk ^= 1
    return hrp + "1" + "".join(charset[d] for d in data + [(chk >> 5 * (5 - i)) & 31 for i in range(6)])


def test_keys_from_fixed_seeds_give_the_published_public_keys():
    assert township().sign_public == TOWNSHIP_SIGN_PUBLIC
    assert township().box_public == TOWNSHIP_BOX_PUBLIC
    assert county().sign_public == COUNTY_SIGN_PUBLIC
    assert county().box_public == COUNTY_BOX_PUBLIC
    # RFC 8032 public key of the all-0x01 seed, as every Ed25519 library computes it.
    assert base64.b64decode(TOWNSHIP_SIGN_PUBLIC).hex().startswith("8a88e3dd7409f195")


def test_the_age_recipient_is_plain_x25519_of_the_identity_bytes():
    public = X25519PrivateKey.from_private_bytes(bytes([0x02]) * 32).public_key()
    assert _bech32_age_recipient(public.public_bytes(Encoding.Raw, PublicFormat.Raw)) == TOWNSHIP_BOX_PUBLIC


def test_card_json_and_fingerprint_match_the_vector():
    card = card_for(township(), "640424100000", "示例镇人民政府", "township")
    assert card.to_json() == TOWNSHIP_CARD_JSON
    assert card.fingerprint == TOWNSHIP_FINGERPRINT
    assert card_for(county(), "640424", "示例县民政局", "county").fingerprint == COUNTY_FINGERPRINT
    assert Card.from_json(TOWNSHIP_CARD_JSON, source="vector.json") == card


def test_fingerprint_is_crockford_base32_of_the_sha256_of_code_and_keys():
    digest = hashlib.sha256(
        json.dumps(
            {"box": TOWNSHIP_BOX_PUBLIC, "code": "640424100000", "sign": TOWNSHIP_SIGN_PUBLIC},
            separators=(",", ":"),
        ).encode()
    ).digest()
    # RFC 4648 base32 and Crockford's use the same bit grouping; only the alphabet differs.
    rfc = base64.b32encode(digest).decode()[:24]
    crockford = rfc.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHJKMNPQRSTVWXYZ"))
    assert "-".join(crockford[i : i + 4] for i in range(0, 24, 4)) == TOWNSHIP_FINGERPRINT


def test_manifest_canonical_bytes_digest_and_signature_match_the_vector():
    manifest = dict(SENDER_FIELDS)
    manifest.update(
        format="doudi-package",
        version=1,
        algorithms={"signature": "ed25519", "encryption": "age-x25519", "compression": "zlib", "digest": "sha256"},
        payload_length=369,
        payload_sha256="0d8dcc158ecc0f459c49e1947b871ce3560b62b5357f8aa1ccf928f6cd7ba41f",
    )
    assert canonical_json(manifest) == MANIFEST_BYTES
    assert hashlib.sha256(MANIFEST_BYTES).hexdigest() == MANIFEST_SHA256
    signature = township().sign(MANIFEST_BYTES)
    assert signature.hex() == SIGNATURE_HEX  # Ed25519 is deterministic
    assert signature_holds(TOWNSHIP_SIGN_PUBLIC, signature, MANIFEST_BYTES)


def test_package_header_bytes_match_the_vector():
    ciphertext = b"\x00" * 369  # only the layout is checked here; the real ciphertext is random
    data = encode_package(MANIFEST_BYTES, bytes.fromhex(SIGNATURE_HEX), ciphertext)
    assert data[:29].hex() == HEADER_HEX
    after_manifest = data[13 + len(MANIFEST_BYTES) :]
    assert after_manifest[:2].hex() == "0040"  # signature length 64
    assert after_manifest[66:74].hex() == "0000000000000171"  # payload length 369


def test_a_package_built_from_the_vector_fields_opens_with_the_county_identity():
    data = build_package(SENDER_FIELDS, PAYLOAD, township(), COUNTY_BOX_PUBLIC)
    assert data[:9].hex() == "444f554449504b4701"
    parsed = parse_package(data, source="vector.doudipkg")
    check_signature(parsed, TOWNSHIP_SIGN_PUBLIC, source="vector.doudipkg")
    assert {k: v for k, v in parsed.manifest.items() if k in SENDER_FIELDS} == SENDER_FIELDS
    assert parsed.manifest["payload_sha256"] == hashlib.sha256(parsed.ciphertext).hexdigest()
    assert parsed.ciphertext.startswith(b"age-encryption.org/v1\n-> X25519 ")
    assert open_payload(parsed, county(), source="vector.doudipkg") == PAYLOAD
    # An independent reader needs only age and zlib: no Doudi code between the file and the payload.
    plain = pyrage.decrypt(parsed.ciphertext, [x25519.Identity.from_str(COUNTY_AGE)])
    assert zlib.decompress(plain) == PAYLOAD
