"""The offices file: which offices (and which of their PCs' keys) the hub serves, signed by the county.

The county writes it from its trust list (`doudi trust export-hub`); the hub only reads it. The hub
holds no register and no trust list of its own, so this signed file is the whole of what it believes
about who may upload: a file the county did not sign is refused, and a changed file (a revoked PC)
takes effect when the hub reloads it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.errors import InvalidInput
from app.exchange.canonical import canonical_json
from app.exchange.cards import fingerprint_of, normalise_fingerprint
from app.exchange.keys import public_key_problem, signature_holds

FORMAT = "doudi-hub-offices"
VERSION = 1
KINDS = ("township", "county")
MAX_FILE_BYTES = 16 << 20


@dataclass(frozen=True)
class OfficeKey:
    """One PC's key of one office (an office with two PCs has two of these)."""

    code: str
    name: str
    kind: str
    sign_public: str
    box_public: str
    fingerprint: str
    revoked_at: str | None


def when(text: str) -> datetime | None:
    """An ISO 8601 time with its offset, or None when the text is not one."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None


@dataclass(frozen=True)
class OfficeBook:
    county: str
    created_at: str
    keys: tuple[OfficeKey, ...]
    signed_by: str  # the county key whose signature this file carries
    digest: str = ""  # SHA-256 of the signed document: two files of one created_at must be the same file

    @property
    def office_count(self) -> int:
        return len({k.code for k in self.keys})

    def key_of(self, code: str, sign_public: str) -> OfficeKey | None:
        """The listed key (revoked or not) of this office with this public half."""
        return next((k for k in self.keys if k.code == code and k.sign_public == sign_public), None)

    def knows(self, code: str) -> bool:
        return any(k.code == code for k in self.keys)

    def keys_of(self, code: str) -> list[OfficeKey]:
        return [k for k in self.keys if k.code == code]

    def active_key(self, code: str, sign_public: str) -> OfficeKey | None:
        """The office's key when it is listed and not revoked: what a request token must be signed with."""
        for k in self.keys:
            if k.code == code and k.sign_public == sign_public and k.revoked_at is None:
                return k
        return None

    def key_signed_at(self, code: str, sign_public: str, created_at: str) -> bool:
        """A package signed with this key may travel: never revoked, or made before the revocation
        (the same rule as importing: docs/exchange.md §Trust)."""
        made = when(created_at)
        for k in self.keys:
            if k.code != code or k.sign_public != sign_public:
                continue
            if k.revoked_at is None:
                return True
            revoked = when(k.revoked_at)
            return made is not None and revoked is not None and made < revoked
        return False


def _refuse(source: str, why: str) -> InvalidInput:
    return InvalidInput(f"中转站单位清单 {source} 无法使用：{why}。", field="offices")


def offices_document(county: str, created_at: str, keys: list[OfficeKey]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "county": county,
        "created_at": created_at,
        "offices": [
            {
                "code": k.code,
                "name": k.name,
                "kind": k.kind,
                "sign_public": k.sign_public,
                "box_public": k.box_public,
                "fingerprint": k.fingerprint,
                "revoked_at": k.revoked_at,
            }
            for k in keys
        ],
    }


def signed_offices_text(document: dict[str, Any], signature: bytes) -> str:
    """The file as written: the document and the county's signature over its canonical bytes."""
    return (
        json.dumps(
            {"offices": document, "signature": base64.b64encode(signature).decode("ascii")},
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )


def _entry(value: Any, source: str, index: int) -> OfficeKey:
    where = f"第 {index + 1} 个单位"
    if not isinstance(value, dict):
        raise _refuse(source, f"{where}不是一个对象")
    texts = {}
    for name in ("code", "name", "kind", "sign_public", "box_public", "fingerprint"):
        item = value.get(name)
        if not isinstance(item, str) or not item:
            raise _refuse(source, f"{where}缺少 {name}")
        texts[name] = item
    revoked_at = value.get("revoked_at")
    if revoked_at is not None and (not isinstance(revoked_at, str) or when(revoked_at) is None):
        raise _refuse(source, f"{where}的吊销时间不是带时区的时间")
    if texts["kind"] not in KINDS:
        raise _refuse(source, f"{where}的类型“{texts['kind']}”应为 township 或 county")
    if public_key_problem(texts["sign_public"]):
        raise _refuse(source, f"{where}（{texts['code']}）的签名公钥无效")
    if fingerprint_of(texts["code"], texts["sign_public"], texts["box_public"]) != texts["fingerprint"]:
        raise _refuse(source, f"{where}（{texts['code']}）的指纹与公钥不符")
    return OfficeKey(revoked_at=revoked_at, **texts)


def parse_offices(data: bytes, *, source: str, county_key: str | None) -> OfficeBook:
    """The file's offices once the county's signature holds.

    *county_key* is the county card's fingerprint or its signing public key, given to the hub at
    start; None trusts the county entry inside the file itself (the caller pins that key, so a later
    file must be signed by the same one)."""
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(source, "文件过大")
    try:
        outer = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse(source, "内容不是 JSON") from None
    if not isinstance(outer, dict) or not isinstance(outer.get("offices"), dict):
        raise _refuse(source, "这不是兜底中转站的单位清单")
    document = outer["offices"]
    if document.get("format") != FORMAT:
        raise _refuse(source, "这不是兜底中转站的单位清单")
    if document.get("version") != VERSION:
        raise _refuse(source, f"格式版本 {document.get('version')!r} 不是本程序认识的第 {VERSION} 版")
    county, created_at, entries = document.get("county"), document.get("created_at"), document.get("offices")
    if not isinstance(county, str) or not isinstance(created_at, str) or not isinstance(entries, list):
        raise _refuse(source, "缺少县代码、生成时间或单位列表")
    if when(created_at) is None:
        # The hub refuses a file older than the one it has: that comparison needs a real time.
        raise _refuse(source, f"生成时间“{created_at}”不是带时区的时间")
    keys = tuple(_entry(e, source, i) for i, e in enumerate(entries))
    try:
        signature = base64.b64decode(str(outer.get("signature", "")).encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise _refuse(source, "签名不是 base64 文本") from None
    signed = canonical_json(document)
    county_keys = [k for k in keys if k.kind == "county" and k.code == county and k.revoked_at is None]
    if county_key is None:
        candidates = [k.sign_public for k in county_keys]
    elif public_key_problem(county_key) == "":
        candidates = [county_key]
    else:
        typed = normalise_fingerprint(county_key)
        candidates = [k.sign_public for k in county_keys if normalise_fingerprint(k.fingerprint) == typed]
        if not candidates:
            raise _refuse(source, f"其中没有指纹为 {county_key} 的县级单位")
    for candidate in candidates:
        if signature_holds(candidate, signature, signed):
            digest = hashlib.sha256(signed).hexdigest()
            return OfficeBook(county=county, created_at=created_at, keys=keys, signed_by=candidate, digest=digest)
    raise _refuse(source, "签名不是县民政局的，文件可能被改动过")


def read_offices(path: Path, *, county_key: str | None) -> OfficeBook:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _refuse(str(path), f"无法读取（{exc.strerror or exc}）") from None
    return parse_offices(data, source=str(path), county_key=county_key)
