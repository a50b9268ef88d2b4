"""The package file: one signed manifest and one encrypted payload, laid out byte by byte.

docs/package-format.md is the specification; this module is its only reader and writer. Every
check runs before the next step needs it (size, structure, digest, signature, decryption,
decompression), and every refusal is one Chinese sentence naming the file, never a traceback.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import struct
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import (
    InvalidInput,
    NotAddressedToUs,
    NotFound,
    PackageDamaged,
    PackageTooLarge,
    PackageUnsigned,
    StorageProblem,
)
from app.exchange import age
from app.exchange.canonical import canonical_json
from app.exchange.keys import OfficeKeys, signature_holds

SUFFIX = ".doudipkg"
MAGIC = b"DOUDIPKG"
FORMAT_VERSION = 1
MANIFEST_FORMAT = "doudi-package"
DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB, for the file and for the decompressed payload alike
ALGORITHMS: dict[str, str] = {
    "signature": "ed25519",
    "encryption": "age-x25519",
    "compression": "zlib",
    "digest": "sha256",
}
# Set by build_package; whatever the caller put under these names is replaced.
RESERVED_FIELDS = ("format", "version", "algorithms", "payload_length", "payload_sha256")

# The three length fields of the layout (docs/package-format.md); the hub reads a header with them too.
MANIFEST_LEN = struct.Struct(">I")
SIGNATURE_LEN = struct.Struct(">H")
PAYLOAD_LEN = struct.Struct(">Q")
_COMPRESS_LEVEL = 6
_PIECES_AHEAD = 8  # pieces made but not yet compressed: a few MB at most


@dataclass(frozen=True)
class ParsedPackage:
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: bytes
    ciphertext: bytes


def _size_text(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    return f"{n} 字节"


def build_package(
    manifest: dict[str, Any], payload: bytes | Iterable[bytes], keys: OfficeKeys, recipient_box_public: str
) -> bytes:
    """The package file's bytes. *payload* is the payload's bytes, or the same bytes in pieces: a
    first package of a whole register is hundreds of MB of JSON, and pieces are compressed as they
    come so the whole text is never held at once. Either way the file is the same."""
    try:
        age.check_recipient(recipient_box_public)  # before the long compression, not after it
        ciphertext = age.encrypt(_compress(payload), recipient_box_public)
    except age.AgeKeyError:
        raise InvalidInput("接收单位的加密公钥无效，无法生成数据包。", field="box_public") from None
    full = dict(manifest)
    full.update(
        format=MANIFEST_FORMAT,
        version=FORMAT_VERSION,
        algorithms=dict(ALGORITHMS),
        payload_length=len(ciphertext),
        payload_sha256=hashlib.sha256(ciphertext).hexdigest(),
    )
    try:
        manifest_bytes = canonical_json(full)
    except (TypeError, ValueError):
        raise InvalidInput("数据包清单中有无法写成 JSON 的值。", field="manifest") from None
    return encode_package(manifest_bytes, keys.sign(manifest_bytes), ciphertext)


def _compress(payload: bytes | Iterable[bytes]) -> bytes:
    if isinstance(payload, bytes):
        return zlib.compress(payload, _COMPRESS_LEVEL)
    # The same settings as zlib.compress, and deflate's output does not depend on how its input
    # was cut: the stream is byte for byte the one the whole text would give. Deflate runs on a
    # second thread (zlib lets go of the GIL while it works), so compressing one piece overlaps
    # making the next: on a two-core office PC that hides most of the compression.
    deflater = zlib.compressobj(_COMPRESS_LEVEL)
    out: list[bytes] = []
    failed: list[BaseException] = []
    waiting: queue.Queue[bytes | None] = queue.Queue(maxsize=_PIECES_AHEAD)

    def deflate() -> None:
        while (piece := waiting.get()) is not None:
            if not failed:  # after a failure only drain, so the maker of pieces never blocks
                try:
                    out.append(deflater.compress(piece))
                except BaseException as exc:  # noqa: BLE001  (re-raised on the caller's thread)
                    failed.append(exc)

    worker = threading.Thread(target=deflate, name="doudi-deflate", daemon=True)
    worker.start()
    try:
        for piece in payload:  # a cancel raised while making pieces stops here, after the worker ends
            if failed:
                break
            waiting.put(piece)
    finally:
        waiting.put(None)
        worker.join()
    if failed:
        raise failed[0]
    out.append(deflater.flush())
    return b"".join(out)


def encode_package(manifest_bytes: bytes, signature: bytes, ciphertext: bytes) -> bytes:
    """The byte layout alone (docs/package-format.md §Layout); build_package is what makes one."""
    return b"".join(
        (
            MAGIC,
            bytes((FORMAT_VERSION,)),
            MANIFEST_LEN.pack(len(manifest_bytes)),
            manifest_bytes,
            SIGNATURE_LEN.pack(len(signature)),
            signature,
            PAYLOAD_LEN.pack(len(ciphertext)),
            ciphertext,
        )
    )


class _Reader:
    """Reads the layout front to back; running out of bytes names the part that was cut off."""

    def __init__(self, data: bytes, source: str) -> None:
        self.data = data
        self.pos = 0
        self.source = source

    def take(self, n: int, part: str) -> bytes:
        if n > len(self.data) - self.pos:
            raise PackageDamaged(f"数据包 {self.source} 不完整（{part}处被截断），可能没有复制完，请重新复制。")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def number(self, fmt: struct.Struct, part: str) -> int:
        value: int = fmt.unpack(self.take(fmt.size, part))[0]
        return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def parse_manifest(raw: bytes, source: str) -> dict[str, Any]:
    """The manifest as a dict, only if it is canonical JSON of the expected format and algorithms
    (docs/package-format.md, checks 3): anything else is PackageDamaged naming *source*."""
    damaged = PackageDamaged(f"数据包 {source} 的清单无法读取（不是规范的 JSON），文件已损坏或被改动。")
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise damaged from None
    # Only the canonical form is accepted, so the bytes signed have exactly one meaning
    # (no duplicate keys, no second spelling of the same number).
    if not isinstance(value, dict) or canonical_json(value) != raw:
        raise damaged
    return value


def parse_package(data: bytes, *, source: str) -> ParsedPackage:
    if len(data) < len(MAGIC) or data[: len(MAGIC)] != MAGIC:
        raise PackageDamaged(f"文件 {source} 不是兜底数据包。")
    reader = _Reader(data, source)
    reader.take(len(MAGIC), "文件头")
    version = reader.take(1, "格式版本")[0]
    if version != FORMAT_VERSION:
        raise PackageDamaged(f"数据包 {source} 的格式版本是 {version}，本程序只能读取第 {FORMAT_VERSION} 版。")
    manifest_bytes = reader.take(reader.number(MANIFEST_LEN, "清单长度"), "清单")
    signature = reader.take(reader.number(SIGNATURE_LEN, "签名长度"), "签名")
    ciphertext = reader.take(reader.number(PAYLOAD_LEN, "数据长度"), "加密数据")
    extra = len(data) - reader.pos
    if extra:
        raise PackageDamaged(f"数据包 {source} 末尾多出 {extra} 字节，文件已损坏或被改动。")
    manifest = parse_manifest(manifest_bytes, source)
    if (
        manifest.get("format") != MANIFEST_FORMAT
        or type(manifest.get("version")) is not int
        or manifest["version"] != version
    ):
        raise PackageDamaged(f"数据包 {source} 的清单与文件头的格式或版本不一致。")
    if manifest.get("algorithms") != ALGORITHMS:
        raise PackageDamaged(f"数据包 {source} 使用了本程序不支持的算法。")
    stated_length = manifest.get("payload_length")
    if type(stated_length) is not int or stated_length != len(ciphertext):
        raise PackageDamaged(f"数据包 {source} 的加密数据长度与清单记载的不符，文件已损坏或被改动。")
    if manifest.get("payload_sha256") != hashlib.sha256(ciphertext).hexdigest():
        raise PackageDamaged(f"数据包 {source} 的加密数据与清单记载的校验值不符，文件已损坏或被改动。")
    if not signature:
        raise PackageUnsigned(f"数据包 {source} 没有签名，不能接收。")
    return ParsedPackage(manifest=manifest, manifest_bytes=manifest_bytes, signature=signature, ciphertext=ciphertext)


def check_signature(parsed: ParsedPackage, sign_public: str, *, source: str) -> None:
    if not signature_holds(sign_public, parsed.signature, parsed.manifest_bytes):
        raise PackageUnsigned(f"数据包 {source} 的签名与发送单位的公钥不符：文件被改动过，或不是该单位签发的。")


def open_payload(parsed: ParsedPackage, keys: OfficeKeys, *, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    try:
        compressed = age.decrypt(parsed.ciphertext, keys.age_identity)
    except age.AgeNotForUs:
        raise NotAddressedToUs(f"数据包 {source} 不是发给本单位的，本单位的密钥无法解开。") from None
    except age.AgeDamaged:
        raise PackageDamaged(f"数据包 {source} 的加密数据无法解开，文件已损坏。") from None
    damaged = PackageDamaged(f"数据包 {source} 的压缩数据已损坏，无法解压。")
    inflater = zlib.decompressobj()
    try:
        # One byte over the cap is enough to know the cap is exceeded; nothing more is inflated.
        payload = inflater.decompress(compressed, max_bytes + 1)
    except zlib.error:
        raise damaged from None
    if len(payload) > max_bytes:
        raise PackageTooLarge(f"数据包 {source} 解压后超过上限 {_size_text(max_bytes)}，不予接收。")
    if not inflater.eof or inflater.unused_data:
        raise damaged
    return payload


def read_package_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise NotFound(f"找不到数据包文件 {path}。") from None
    except OSError as exc:
        raise StorageProblem(f"无法读取数据包文件 {path}：{exc.strerror or exc}。") from None
    if not path.is_file():
        raise InvalidInput(f"{path} 不是一个文件，无法作为数据包读取。")
    if info.st_size > max_bytes:
        raise PackageTooLarge(
            f"数据包 {path} 有 {_size_text(info.st_size)}，超过上限 {_size_text(max_bytes)}，未读取。"
        )
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise StorageProblem(f"无法读取数据包文件 {path}：{exc.strerror or exc}。") from None
    if len(data) > max_bytes:
        raise PackageTooLarge(f"数据包 {path} 超过上限 {_size_text(max_bytes)}，未读取。")
    return data


def partial_name(name: str) -> str:
    """The temporary name a package is written under; a leading dot keeps it out of file pickers."""
    return f".{name}.partial"


def _check_name(name: str) -> None:
    if not name or name.startswith(".") or Path(name).name != name or "\\" in name or "/" in name:
        raise InvalidInput(f"数据包文件名“{name}”不可用。", field="name")


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable. Windows cannot open a folder this way, and some
    # removable-drive file systems refuse; the rename still happened, so this is best effort.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


WRITE_CHUNK = 4 << 20  # a USB stick is slow: between chunks a cancel is heard


def write_partial(
    folder: Path,
    name: str,
    data: bytes,
    *,
    writing: Callable[[], None] | None = None,
    verifying: Callable[[], None] | None = None,
) -> Path:
    """Write *data* under *name*'s temporary name, flushed to the device, read back and parsed; the
    temporary file is removed again if anything (a cancel included) interrupts. *writing* is called
    before each chunk and *verifying* before the read-back (both may raise to cancel)."""
    _check_name(name)
    if not folder.is_dir():
        raise StorageProblem(f"文件夹 {folder} 不存在或不是文件夹，无法写入数据包。")
    partial = folder / partial_name(name)
    final = folder / name
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as f:
            view = memoryview(data)
            for start in range(0, len(data), WRITE_CHUNK):
                if writing is not None:
                    writing()
                f.write(view[start : start + WRITE_CHUNK])
            f.flush()
            os.fsync(f.fileno())
        if verifying is not None:
            verifying()
        written = partial.read_bytes()
        if written != data:
            raise StorageProblem(f"写入数据包 {final} 后读回的内容与写入的不一致，存储设备可能有故障。")
        parse_package(written, source=str(final))
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise StorageProblem(f"无法写入数据包 {final}：{exc.strerror or exc}。") from None
    except BaseException:
        # A refusal, or a cancel (KeyboardInterrupt) half-way: no half-written file stays behind.
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    return partial


def publish(partial: Path, final: Path) -> Path:
    """Give a verified temporary file its package name; the folder is flushed so the rename lasts."""
    try:
        os.replace(partial, final)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise StorageProblem(f"无法写入数据包 {final}：{exc.strerror or exc}。") from None
    _fsync_folder(final.parent)
    return final


def write_package_file(folder: Path, name: str, data: bytes) -> Path:
    """:func:`write_partial`, then :func:`publish`: a half-written file never has a package's name."""
    return publish(write_partial(folder, name, data), folder / name)
