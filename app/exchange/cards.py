"""The public card an office hands to its peers, and the fingerprint a person reads over the phone.

The fingerprint covers the division code and both public keys (not the name, which a person checks
by eye): two people comparing six groups of four characters know they hold the same keys.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from app.errors import InvalidInput, NotFound, os_reason
from app.exchange import age
from app.exchange.canonical import canonical_json
from app.exchange.keys import OfficeKeys, public_key_problem

from ..domain.divisions import is_county_code

CARD_FORMAT = "doudi-card"
CARD_VERSION = 1
KINDS = ("township", "county")
# Crockford's base32: no I, L, O or U, so a misread letter maps back (see same_fingerprint).
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FINGERPRINT_CHARS = 24
GROUP = 4
_CODE = re.compile(r"[0-9]{6}|[0-9]{9}|[0-9]{12}")  # ASCII only: \d also matches other scripts' digits


def _crockford(data: bytes, chars: int) -> str:
    bits = int.from_bytes(data, "big")
    total = len(data) * 8
    return "".join(CROCKFORD[(bits >> (total - 5 * (i + 1))) & 31] for i in range(chars))


def fingerprint_of(office_code: str, sign_public: str, box_public: str) -> str:
    digest = hashlib.sha256(canonical_json({"code": office_code, "sign": sign_public, "box": box_public})).digest()
    text = _crockford(digest, FINGERPRINT_CHARS)
    return "-".join(text[i : i + GROUP] for i in range(0, FINGERPRINT_CHARS, GROUP))


def normalise_fingerprint(typed: str) -> str:
    """What a person typed, in the form fingerprints are compared in (upper case, no separators)."""
    text = re.sub(r"[\s\-_.·]+", "", typed).upper()
    return text.translate(str.maketrans("OIL", "011"))


def same_fingerprint(typed: str, fingerprint: str) -> bool:
    want = normalise_fingerprint(fingerprint)
    return bool(want) and normalise_fingerprint(typed) == want


@dataclass(frozen=True)
class Card:
    office_code: str
    office_name: str
    kind: str
    sign_public: str
    box_public: str

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.office_code, self.sign_public, self.box_public)

    def to_json(self) -> str:
        return (
            json.dumps(
                {
                    "format": CARD_FORMAT,
                    "version": CARD_VERSION,
                    "office_code": self.office_code,
                    "office_name": self.office_name,
                    "kind": self.kind,
                    "sign_public": self.sign_public,
                    "box_public": self.box_public,
                    "fingerprint": self.fingerprint,
                },
                ensure_ascii=False,
                indent=2,
                sort_keys=True,
            )
            + "\n"
        )

    @classmethod
    def from_json(cls, text: str, *, source: str) -> Card:
        def refuse(reason: str, field: str = "") -> InvalidInput:
            return InvalidInput(f"单位名片 {source} 无法使用：{reason}。", field=field)

        try:
            value = json.loads(text)
        except (ValueError, TypeError, RecursionError):
            raise refuse("内容不是 JSON") from None
        if not isinstance(value, dict) or value.get("format") != CARD_FORMAT:
            raise refuse("这不是兜底的单位名片")
        if value.get("version") != CARD_VERSION:
            raise refuse(f"名片格式版本 {value.get('version')!r} 不是本程序认识的第 {CARD_VERSION} 版")
        fields = {}
        for name in ("office_code", "office_name", "kind", "sign_public", "box_public"):
            item = value.get(name)
            if not isinstance(item, str) or not item.strip():
                raise refuse(f"缺少字段 {name}", name)
            fields[name] = item
        card = cls(**fields)
        problem = card.problem()
        if problem:
            raise refuse(problem[1], problem[0])
        stated = value.get("fingerprint")
        if stated is not None and (not isinstance(stated, str) or not same_fingerprint(stated, card.fingerprint)):
            raise refuse("名片上写的指纹与其中的公钥不符，名片可能被改动过", "fingerprint")
        return card

    def problem(self) -> tuple[str, str] | None:
        """(field, reason) of the first thing wrong with this card, or None when it can be trusted."""
        if not _CODE.fullmatch(self.office_code):
            return "office_code", "单位代码应为 6、9 或 12 位数字的区划代码"
        if not self.office_name.strip():
            return "office_name", "单位名称不能为空"
        if self.kind not in KINDS:
            return "kind", f"单位类型“{self.kind}”应为 township 或 county"
        # The kind is not in the fingerprint, so it must follow from the code: a township's card edited
        # to say "county" would otherwise be trusted to send policy periods and 审批 decisions.
        if self.kind != ("county" if is_county_code(self.office_code) else "township"):
            return "kind", f"单位类型“{self.kind}”与单位代码 {self.office_code} 不符"
        key_problem = public_key_problem(self.sign_public)
        if key_problem:
            return "sign_public", key_problem
        try:
            age.check_recipient(self.box_public)
        except age.AgeKeyError:
            return "box_public", "加密公钥不是有效的 age X25519 公钥"
        return None


def card_for(keys: OfficeKeys, office_code: str, office_name: str, kind: str) -> Card:
    card = Card(
        office_code=office_code,
        office_name=office_name,
        kind=kind,
        sign_public=keys.sign_public,
        box_public=keys.box_public,
    )
    problem = card.problem()
    if problem:
        raise InvalidInput(f"无法生成本单位名片：{problem[1]}。", field=problem[0])
    return card


def read_card(path: Path | str) -> Card:
    """The card in the file at *path*; one sentence naming the file when it cannot be read or used."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise NotFound(f"无法读取单位名片 {source}（{os_reason(exc)}）。") from exc
    except UnicodeDecodeError:
        raise InvalidInput(f"单位名片 {source.name} 无法使用：不是 UTF-8 文本。") from None
    return Card.from_json(text, source=source.name)
