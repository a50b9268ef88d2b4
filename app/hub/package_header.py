"""A spooled package's header read from its file, the payload hashed in chunks: the hub never holds one.

parse_package (app/exchange) takes the whole file as bytes, which is right for an office importing one
package and wrong for a hub receiving many of up to a gigabyte at once. This reader checks the same
layout (docs/package-format.md §Layout) and the same manifest rules, reusing app.exchange's manifest
check on the manifest's few hundred bytes, and reads the payload only to hash it, a chunk at a time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, BinaryIO

from app.errors import PackageDamaged, PackageUnsigned
from app.exchange.package_file import (
    ALGORITHMS,
    FORMAT_VERSION,
    MAGIC,
    MANIFEST_FORMAT,
    MANIFEST_LEN,
    PAYLOAD_LEN,
    SIGNATURE_LEN,
    parse_manifest,
)

HASH_CHUNK = 1 << 20
# A manifest is under a kilobyte (docs/package-format.md shows one of 688 bytes); a length field of
# gigabytes is refused before anything that size is read.
MAX_MANIFEST_BYTES = 1 << 20


@dataclass(frozen=True)
class PackageHeader:
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: bytes
    payload_length: int


def _take(f: BinaryIO, n: int, part: str, source: str) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise PackageDamaged(f"数据包 {source} 不完整（{part}处被截断），可能没有复制完，请重新复制。")
    return data


def read_package_header(f: BinaryIO, size: int, *, source: str) -> PackageHeader:
    """The checks of parse_package on a file of *size* bytes, read from its start: layout, lengths,
    canonical manifest, algorithms, payload length and SHA-256, a signature present."""
    if f.read(len(MAGIC)) != MAGIC:
        raise PackageDamaged(f"文件 {source} 不是兜底数据包。")
    version = _take(f, 1, "格式版本", source)[0]
    if version != FORMAT_VERSION:
        raise PackageDamaged(f"数据包 {source} 的格式版本是 {version}，本程序只能读取第 {FORMAT_VERSION} 版。")
    manifest_length: int = MANIFEST_LEN.unpack(_take(f, MANIFEST_LEN.size, "清单长度", source))[0]
    if manifest_length > MAX_MANIFEST_BYTES:
        raise PackageDamaged(f"数据包 {source} 的清单长度 {manifest_length} 字节不合理，文件已损坏或被改动。")
    manifest_bytes = _take(f, manifest_length, "清单", source)
    signature_length: int = SIGNATURE_LEN.unpack(_take(f, SIGNATURE_LEN.size, "签名长度", source))[0]
    signature = _take(f, signature_length, "签名", source)
    payload_length: int = PAYLOAD_LEN.unpack(_take(f, PAYLOAD_LEN.size, "数据长度", source))[0]
    remaining = size - f.tell()
    if payload_length > remaining:
        raise PackageDamaged(f"数据包 {source} 不完整（加密数据处被截断），可能没有复制完，请重新复制。")
    if payload_length < remaining:
        raise PackageDamaged(f"数据包 {source} 末尾多出 {remaining - payload_length} 字节，文件已损坏或被改动。")
    manifest = parse_manifest(manifest_bytes, source)
    if manifest.get("format") != MANIFEST_FORMAT or type(manifest.get("version")) is not int:
        raise PackageDamaged(f"数据包 {source} 的清单与文件头的格式或版本不一致。")
    if manifest["version"] != version:
        raise PackageDamaged(f"数据包 {source} 的清单与文件头的格式或版本不一致。")
    if manifest.get("algorithms") != ALGORITHMS:
        raise PackageDamaged(f"数据包 {source} 使用了本程序不支持的算法。")
    stated_length = manifest.get("payload_length")
    if type(stated_length) is not int or stated_length != payload_length:
        raise PackageDamaged(f"数据包 {source} 的加密数据长度与清单记载的不符，文件已损坏或被改动。")
    digest = hashlib.sha256()
    while piece := f.read(HASH_CHUNK):
        digest.update(piece)
    if manifest.get("payload_sha256") != digest.hexdigest():
        raise PackageDamaged(f"数据包 {source} 的加密数据与清单记载的校验值不符，文件已损坏或被改动。")
    if not signature:
        raise PackageUnsigned(f"数据包 {source} 没有签名，不能接收。")
    return PackageHeader(manifest, manifest_bytes, signature, payload_length)
