"""Attachments (issue 9, point 21): scans and photos of 证明材料, 病历, 残疾证 and home visits.

A file is attached to a household, a member, a visit or an application step. It never stays a
plain file: its bytes go into the encrypted database (``app.db.blobs``) in the same transaction
as its row, so the row (audited, synced) and its content exist together or not at all.

Photos are cleaned on the way in, because a photo of a family's home must not carry where it was
taken: the EXIF orientation is applied, then every bit of metadata (GPS, camera, comments, ICC)
is dropped by re-encoding, and the long side is cut to 2000 px. What a clerk is refused, and why,
is one sentence naming the file.
"""

from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ..db import blobs
from ..db.blobs import MAX_STORED_BYTES, MB  # one cap, also held to what other offices send
from ..domain import vocab
from ..domain.entities import Attachment, Enrolment, EnrolmentStep, Household, Member, ValidationError, Visit
from ..errors import DatabaseCorrupt, InvalidInput, NotFound
from . import permissions
from .base import Service

MAX_INPUT_BYTES = 25 * MB  # refused before a byte is read
MAX_SIDE = 2000  # px, long side of a stored photo: a 残疾证 stays legible, a phone photo shrinks 4x
THUMB_SIDE = 256
JPEG_QUALITY = 85
# More pixels than any scanner or phone makes: a file claiming more is a decompression bomb.
MAX_PIXELS = 80_000_000

# What Pillow calls the formats we take (MPO: a phone's JPEG with a second, depth picture).
IMAGE_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "BMP", "TIFF"})
LOSSLESS_FORMATS = frozenset({"PNG", "BMP", "TIFF"})
PDF = "application/pdf"

NAME_LENGTH = 120  # characters of a file name kept
EXT_LENGTH = 10  # a longer "extension" is part of the name
OPAQUE = 255

WHAT = "这个附件"
SUBJECT_NAMES = {"households": "户", "members": "家庭成员", "visits": "入户核查记录", "enrolment_steps": "办理环节"}


@dataclass(frozen=True)
class Prepared:
    """A file as it will be stored: cleaned bytes, their digest, a thumbnail."""

    data: bytes
    media_type: str
    sha256: str
    thumbnail: bytes
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class AttachmentView:
    """One attachment as a list shows it: the row, its thumbnail (empty for a PDF), and what it belongs to."""

    attachment: Attachment
    thumbnail: bytes
    subject: str = ""  # "本户", a member's name, "入户核查 2026-03-02", "办理环节 受理"


class AttachmentService(Service):
    def add(
        self,
        subject_table: str,
        subject_id: str,
        source: bytes | str | Path,
        file_name: str = "",
        *,
        kind: str = "证明材料",
        note: str = "",
    ) -> Attachment:
        """Attach a photo, scan or PDF (a path, or the bytes with ``file_name``) to one record."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        name = _display_name(file_name or (Path(source).name if not isinstance(source, bytes) else ""))
        if kind not in vocab.ATTACHMENT_KINDS:
            raise InvalidInput(f"附件类别“{kind}”不在可选范围内。", field="kind")
        self._household_of(subject_table, subject_id)  # refuse before the slow part
        prepared = prepare(read_capped(source, name), name)
        with self.store.transaction():
            household_id = self._household_of(subject_table, subject_id)
            blobs.put_blob(self.db, prepared.sha256, prepared.data, prepared.thumbnail)
            row = Attachment(
                household_id=household_id,
                subject_table=subject_table,
                subject_id=subject_id,
                kind=kind,
                file_name=name,
                media_type=prepared.media_type,
                size_bytes=len(prepared.data),
                sha256=prepared.sha256,
                width=prepared.width,
                height=prepared.height,
                note=note.strip(),
            )
            _validate(row)
            self.store.save(row, self.s.user.username, f"添加附件：{name}")
        return row

    def list_for(self, subject_table: str, subject_id: str) -> list[AttachmentView]:
        """The attachments of one record, oldest first, with thumbnails (never the full bytes)."""
        rows = self.store.repo(Attachment).where(
            "subject_table = ? AND subject_id = ?", (subject_table, subject_id), order="updated_at, id"
        )
        thumbs = blobs.thumbnails(self.db, (a.sha256 for a in rows))
        return [AttachmentView(a, thumbs.get(a.sha256, b"")) for a in rows]

    def list_for_household(self, household_id: str) -> list[AttachmentView]:
        """Every attachment of a household and of its members, visits and steps, each saying what it belongs to."""
        rows = self.store.repo(Attachment).where("household_id = ?", (household_id,), order="updated_at, id")
        thumbs = blobs.thumbnails(self.db, (a.sha256 for a in rows))
        return [AttachmentView(a, thumbs.get(a.sha256, b""), self._subject_label(a)) for a in rows]

    def get(self, attachment_id: str) -> Attachment:
        row = self.store.repo(Attachment).get(attachment_id)
        if row is None or row.deleted:
            raise NotFound(f"没有找到{WHAT}（可能已被删除）。")
        return row

    def data(self, attachment_id: str) -> bytes:
        """The full bytes, checked against their digest: damaged content is refused, never shown."""
        row = self.get(attachment_id)
        data = blobs.blob_data(self.db, row.sha256)
        if data is None:
            raise DatabaseCorrupt(f"附件「{row.file_name}」的内容缺失，请运行 doudi check 并从备份恢复。")
        if blobs.sha256_of(data) != row.sha256:
            raise DatabaseCorrupt(
                f"附件「{row.file_name}」的内容已损坏（与其摘要不符），请运行 doudi check 并从备份恢复。"
            )
        return data

    def export(self, attachment_id: str, path: str | Path) -> Path:
        """Write one attachment to a file the user chose (the only way out as a plain file); audited."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        data = self.data(attachment_id)
        target = Path(path)
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise InvalidInput(f"无法写入 {target.name}：{exc.strerror or exc}。", field="path") from None
        with self.store.transaction():
            self.store.audit(self.s.user.username, "导出附件", Attachment.TABLE, attachment_id, {"to": target.name})
        return target

    def remove(self, attachment_id: str, reason: str, read_version: str | None = None) -> None:
        """Delete an attachment (a tombstone, the reason in the audit log). Its content stays in the
        database for the audit trail and for other rows with the same content."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        if not reason.strip():
            raise InvalidInput("删除附件需写明原因。", field="reason")
        with self.store.transaction():
            before = self.current(Attachment, attachment_id, read_version, WHAT)
            gone = dataclasses.replace(before, deleted=True)
            self.store.save(gone, self.s.user.username, f"删除附件：{reason.strip()}", before=before)

    def describe(
        self,
        attachment_id: str,
        *,
        kind: str | None = None,
        note: str | None = None,
        file_name: str | None = None,
        read_version: str | None = None,
    ) -> Attachment:
        """Change an attachment's kind, note or name (the content never changes: add a new one)."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        with self.store.transaction():
            before = self.current(Attachment, attachment_id, read_version, WHAT)
            after = dataclasses.replace(
                before,
                kind=before.kind if kind is None else kind,
                note=before.note if note is None else note.strip(),
                file_name=before.file_name if file_name is None else _display_name(file_name),
            )
            _validate(after)
            self.store.save(after, self.s.user.username, "修改附件说明", before=before)
        return after

    # ------------------------------------------------------------------ helpers

    def _household_of(self, subject_table: str, subject_id: str) -> str:
        """The household a record belongs to; a record that does not exist (or was deleted) is refused."""
        what = SUBJECT_NAMES.get(subject_table)
        if what is None:
            raise InvalidInput(f"附件不能添加到“{subject_table}”。", field="subject_table")
        found: Household | Member | Visit | EnrolmentStep | Enrolment | None
        if subject_table == "households":
            found = self.store.repo(Household).get(subject_id) if subject_id else None
            household_id = found.id if found else ""
        elif subject_table == "members":
            found = self.store.repo(Member).get(subject_id) if subject_id else None
            household_id = found.household_id if found else ""
        elif subject_table == "visits":
            found = self.store.repo(Visit).get(subject_id) if subject_id else None
            household_id = found.household_id if found else ""
        else:
            step = self.store.repo(EnrolmentStep).get(subject_id) if subject_id else None
            found = self.store.repo(Enrolment).get(step.enrolment_id) if step and not step.deleted else None
            household_id = found.household_id if found else ""
        if found is None or found.deleted or not household_id:
            raise NotFound(f"没有找到要添加附件的{what}（可能已被删除）。")
        return household_id

    def _subject_label(self, a: Attachment) -> str:
        if a.subject_table == "members":
            m = self.store.repo(Member).get(a.subject_id)
            return m.name if m else SUBJECT_NAMES["members"]
        if a.subject_table == "visits":
            v = self.store.repo(Visit).get(a.subject_id)
            return f"入户核查 {v.visit_date.isoformat()}" if v and v.visit_date else SUBJECT_NAMES["visits"]
        if a.subject_table == "enrolment_steps":
            st = self.store.repo(EnrolmentStep).get(a.subject_id)
            return f"办理环节 {st.step}" if st else SUBJECT_NAMES["enrolment_steps"]
        return "本户"


def _validate(row: Attachment) -> None:
    try:
        row.validate()
    except ValidationError as exc:
        raise InvalidInput(exc.message, field=exc.field) from None


def _display_name(name: str) -> str:
    """The file's own name without its folder (a folder can name a person), at most 120 characters."""
    base = re.split(r"[\\/]", name.strip())[-1]
    if len(base) <= NAME_LENGTH:
        return base
    stem, dot, ext = base.rpartition(".")
    return (stem[: NAME_LENGTH - 1 - len(ext)] + dot + ext) if dot and len(ext) <= EXT_LENGTH else base[:NAME_LENGTH]


# ---------------------------------------------------------------------- the file itself


def read_capped(source: bytes | str | Path, name: str) -> bytes:
    """The file's bytes; over 25 MB it is refused before it is read."""
    if isinstance(source, bytes):
        if len(source) > MAX_INPUT_BYTES:
            raise _too_big(name)
        return source
    path = Path(source)
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise _too_big(name)
        with path.open("rb") as f:
            data = f.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise InvalidInput(f"找不到文件 {name}。", field="file_name") from None
    except OSError as exc:
        raise InvalidInput(f"无法读取 {name}：{exc.strerror or exc}。", field="file_name") from None
    if len(data) > MAX_INPUT_BYTES:  # it grew while we looked
        raise _too_big(name)
    return data


def _too_big(name: str) -> InvalidInput:
    return InvalidInput(f"{name} 超过 25 MB，无法作为附件（请先缩小或分页扫描）。", field="file_name")


def sniff(head: bytes) -> str:
    """What the content is, from its first bytes (not its name): 'pdf', 'image' or ''."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if (
        head[:3] == b"\xff\xd8\xff"
        or head[:8] == b"\x89PNG\r\n\x1a\n"
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or head[:2] == b"BM"
        or head[:4] in (b"II*\x00", b"MM\x00*")
    ):
        return "image"
    return ""


def prepare(raw: bytes, name: str) -> Prepared:
    """Check and clean one file: a photo or scan is re-encoded without metadata, a PDF is kept."""
    kind = sniff(raw[:1024])
    if kind == "pdf":
        if len(raw) > MAX_STORED_BYTES:
            raise InvalidInput(
                f"{name} 超过 5 MB，无法作为附件（PDF 不会被压缩，请降低扫描分辨率或分成几个文件）。",
                field="file_name",
            )
        return Prepared(raw, PDF, blobs.sha256_of(raw), b"")
    if kind != "image":
        raise InvalidInput(
            f"{name} 不是图片或 PDF 文件，无法作为附件（可添加 JPEG、PNG、WebP、BMP、TIFF 图片和 PDF）。",
            field="file_name",
        )
    prepared = _prepare_image(raw, name)
    if len(prepared.data) > MAX_STORED_BYTES:
        raise InvalidInput(f"{name} 缩小后仍超过 5 MB，无法作为附件（请降低扫描分辨率）。", field="file_name")
    return prepared


def _prepare_image(raw: bytes, name: str) -> Prepared:
    unreadable = InvalidInput(f"{name} 的图片内容已损坏或格式不受支持，无法读取。", field="file_name")
    try:
        img: Image.Image = Image.open(io.BytesIO(raw))
        fmt = img.format or ""
        if fmt not in IMAGE_FORMATS:
            raise unreadable
        if img.width * img.height > MAX_PIXELS:
            raise InvalidInput(f"{name} 的像素太多（{img.width}×{img.height}），无法作为附件。", field="file_name")
        frames = int(getattr(img, "n_frames", 1))
        if fmt == "TIFF" and frames > 1:
            raise InvalidInput(f"{name} 是 {frames} 页的 TIFF，请逐页保存或存为 PDF 后再添加。", field="file_name")
        if fmt in ("JPEG", "MPO"):
            img.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at a reduced scale: a 48 MP photo loads fast
        img.load()
        img = ImageOps.exif_transpose(img)
        img = _normalise_mode(img)
        img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    except InvalidInput:
        raise
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        raise unreadable from None
    if img.mode == "RGBA":
        data, media = _encode(img, "PNG"), "image/png"
    else:
        data, media = _encode(img, "JPEG"), "image/jpeg"
        if fmt in LOSSLESS_FORMATS:
            # A line-art scan (few colours, sharp edges) is often smaller, and always crisper, as PNG.
            palette = _exact_palette(img)
            if palette is not None:
                png = _encode(palette, "PNG")
                if len(png) < len(data):
                    data, media = png, "image/png"
    return Prepared(data, media, blobs.sha256_of(data), _thumbnail(img), img.width, img.height)


def _normalise_mode(img: Image.Image) -> Image.Image:
    """RGBA when the picture really is transparent somewhere, else L for grey, else RGB."""
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        lowest = rgba.getchannel("A").getextrema()[0]
        if isinstance(lowest, (int, float)) and lowest < OPAQUE:
            return rgba
        return rgba.convert("RGB")
    if img.mode in ("1", "L", "I", "I;16", "F"):
        return img.convert("L")
    return img.convert("RGB")


def _exact_palette(img: Image.Image) -> Image.Image | None:
    """The image with a palette of its own colours when it has at most 256 (lossless), else None."""
    if img.mode == "L":
        return img
    colours = img.getcolors(256)
    if colours is None:
        return None
    flat: list[int] = []
    for _count, rgb in colours:
        flat.extend(int(c) for c in rgb) if isinstance(rgb, tuple) else flat.extend((int(rgb),) * 3)
    pal = Image.new("P", (1, 1))
    pal.putpalette(flat)
    return img.quantize(palette=pal, dither=Image.Dither.NONE)


def _encode(img: Image.Image, fmt: str) -> bytes:
    # Pillow carries some of ``info`` (comments, ICC, XMP, EXIF) into what it saves: start bare.
    img.info = {}
    out = io.BytesIO()
    if fmt == "JPEG":
        img.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        img.save(out, "PNG", optimize=True)
    return out.getvalue()


def _thumbnail(img: Image.Image) -> bytes:
    thumb = img.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    if thumb.mode == "RGBA":
        flat = Image.new("RGB", thumb.size, "white")
        flat.paste(thumb, mask=thumb.getchannel("A"))
        thumb = flat
    thumb.info = {}
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=80)
    return out.getvalue()


def pdf_pages(data: bytes) -> int:
    """How many pages a PDF has, read from its page tree without rendering it (0 when unknown)."""
    counts = [int(n) for n in re.findall(rb"/Count\s+(\d+)", data)]
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    return max([pages, *counts])
