"""The attachment contents a package carries: decoded and checked before any of them is kept.

A trusted peer can still send bytes no clerk of ours could have stored: an 8 MB file, a photo
with its GPS position in EXIF, bytes no row points at. The attachment service cleans what a
clerk adds (docs/attachments), so an import holds carried content to the same bar instead of
trusting the sender: a blob is kept only for an attachment row that passed every row check, its
length must be the row's ``size_bytes`` and within the stored cap, and an image must open and
carry no EXIF. Anything else quarantines the row (with the reason) and its blob is dropped.
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings
from dataclasses import dataclass
from typing import Any

from ...db import blobs as blob_store
from ...errors import PackageDamaged

_HEX = frozenset("0123456789abcdef")
_SHA256_HEX_LEN = 64


@dataclass(frozen=True)
class Carried:
    data: bytes
    thumbnail: bytes


def decode_blobs(value: Any, source: str) -> dict[str, Carried]:
    """sha256 -> content, for the package's ``blobs``; PackageDamaged when its shape is wrong or a
    content does not hash to its name (the signature covers it, so the sender wrote it so)."""
    if value is None:
        return {}
    if not isinstance(value, list):
        raise PackageDamaged(f"数据包 {source} 的附件内容格式不对。")
    out: dict[str, Carried] = {}
    for item in value:
        if not isinstance(item, dict):
            raise PackageDamaged(f"数据包 {source} 的附件内容格式不对。")
        sha, data_text, thumb_text = item.get("sha256"), item.get("data"), item.get("thumbnail", "")
        if not isinstance(sha, str) or len(sha) != _SHA256_HEX_LEN or not set(sha) <= _HEX:
            raise PackageDamaged(f"数据包 {source} 中有附件内容没有有效的摘要。")
        if not isinstance(data_text, str) or not isinstance(thumb_text, str):
            raise PackageDamaged(f"数据包 {source} 的附件内容格式不对。")
        try:
            data = base64.b64decode(data_text, validate=True)
            thumb = base64.b64decode(thumb_text, validate=True)
        except (binascii.Error, ValueError):
            raise PackageDamaged(f"数据包 {source} 中附件内容 {sha[:12]}… 不是有效的 base64 编码。") from None
        if blob_store.sha256_of(data) != sha:
            raise PackageDamaged(f"数据包 {source} 中附件内容 {sha[:12]}… 与其摘要不符。")
        out[sha] = Carried(data, thumb)
    return out


def content_problem(row: Any, carried: Carried | None, what: str) -> str:
    """Why the carried content of this attachment row cannot be kept (a sentence), or "".

    No carried content is no problem here: the receiver may hold it already (same content, another
    row), and ``doudi check`` names an attachment whose content is missing.
    """
    if carried is None or row.deleted:
        return ""
    data = carried.data
    if len(data) != row.size_bytes:
        return f"{what}：附件内容有 {len(data)} 字节，与记录的大小 {row.size_bytes} 字节不符。"
    if len(data) > blob_store.MAX_STORED_BYTES:
        return f"{what}：附件内容超过 {blob_store.MAX_STORED_BYTES // blob_store.MB} MB 的上限。"
    if str(row.media_type).startswith("image/"):
        problem = _image_problem(data, str(row.media_type))
        if problem:
            return f"{what}：{problem}"
    if carried.thumbnail:
        if len(carried.thumbnail) > blob_store.MAX_STORED_BYTES:
            return f"{what}：缩略图超过 {blob_store.MAX_STORED_BYTES // blob_store.MB} MB 的上限。"
        problem = _image_problem(carried.thumbnail, "")
        if problem:
            return f"{what}：缩略图{problem}"
    return ""


def _image_problem(data: bytes, media_type: str) -> str:
    """An image must open, be what its media type says, and carry no EXIF (camera, GPS position)."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                mime = Image.MIME.get(img.format or "", "")
                exif = img.getexif()
    except (OSError, SyntaxError, ValueError, EOFError, RuntimeWarning, Image.DecompressionBombError):
        return "内容不是可以打开的图片。"
    if media_type and mime != media_type:
        return f"内容是 {mime or '未知格式'}，与记录的类型 {media_type} 不符。"
    if len(exif):
        return "图片带有 EXIF 元数据（可能含拍摄地点），本单位只接收清除过元数据的图片。"
    return ""
