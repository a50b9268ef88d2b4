"""``s.hub_sync``: send and fetch packages through the county hub (issue 13, docs/hub.md).

The hub is only another folder: fetching is a download into a private folder and the ordinary
import, one transaction per package; sending is the ordinary export into an outbox and an upload of
each file. A package is acknowledged to the hub only after its import committed, so a refused
package stays in the mailbox where the county can see it waiting, and a crash between the import
and the acknowledgement costs nothing (the next fetch finds it already imported and acks it).

An attempt runs in phases (:data:`PHASES`) so that the window can run the network on a reader
thread and only the register's own work on the single writer thread: a 50 MB package on a township
line takes minutes, and no clerk's save should wait for it. The phases hand a :class:`HubAttempt`
from one to the next; whatever is lost when the program closes between two of them is redone: a
download not yet imported is fetched again, a package exported but not uploaded waits in the outbox.

The hub address and the automatic-sync interval are the office's settings, kept in the encrypted
database and changed only by the administrator (audited). The sync status (last success, last
attempt, reachable, last error) and a short journal of transfers are kept beside them without an
audit entry: an audit entry would itself be a change to send, and every sync would make another.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ...db.store import now_text
from ...domain.divisions import DivisionError, normalize_code
from ...domain.sync_schedule import MAX_INTERVAL_MINUTES, IndicatorState, indicator
from ...errors import DoudiError, InvalidInput, PackageRefused, PackageReplayed, os_reason
from ...exchange.cards import fingerprint_of
from ...exchange.keys import OfficeKeys
from ...exchange.package_file import DEFAULT_MAX_BYTES, SUFFIX, parse_package
from ...hub import protocol
from ...hub.client import HubClient, HubError, HubUnreachable, MailboxEntry
from .. import permissions
from ..base import Service
from .export import ProgressFn, package_file_name
from .office_keys import META_KEY as OFFICE_KEYS
from .trust import TrustService

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

log = logging.getLogger(__name__)

SETTINGS_KEY = "hub_settings"
CERTIFICATE_KEY = "hub_certificate"  # the county's own TLS certificate (PEM), when it signed one itself
MAX_CERTIFICATE_BYTES = 64 * 1024
STATUS_KEY = "hub_status"
JOURNAL_KEY = "hub_journal"
JOURNAL_KEPT = 200
# Packages this PC refused, by id and SHA-256, with what the verdict rested on: not downloaded again
# while that stays the same (docs/exchange.md §Through the county hub).
REFUSED_KEY = "hub_refused"
REFUSED_KEPT = 200
TIMEOUT_SECONDS = 30.0
WORK_DIR = ".hub-transfer"  # inside the data folder: same disk, same permissions as the register
OUTBOX = "outbox"  # in WORK_DIR: exported packages until the hub holds them (encrypted, like on a USB stick)
STALE_SECONDS = 24 * 3600  # an attempt's folder this old belongs to a program that was closed mid-way
# The hub refused the package itself (its sender, signature, size or content), not the request.
REFUSED_FOR_WHAT_IT_IS = frozenset({403, 409, 413, 422})

# (url, office code, signing key, CA file or None) -> a client; tests put their own hub behind it.
ClientFactory = Callable[[str, str, "Ed25519PrivateKey", "Path | None"], HubClient]


def _default_client(url: str, office_code: str, key: Ed25519PrivateKey, ca_file: Path | None) -> HubClient:
    return HubClient(url, office_code, key, timeout=TIMEOUT_SECONDS, ca_file=ca_file)


@dataclass(frozen=True)
class HubSettings:
    url: str  # "" when no hub is set
    interval_minutes: int  # 0: automatic sync is off
    certificate: str = ""  # SHA-256 of the county's certificate this office checks the hub against, or ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class HubStatus:
    url: str
    last_success_at: str | None
    last_attempt_at: str | None
    reachable: bool | None  # None: never tried
    last_error: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def indicator(self) -> IndicatorState:
        return indicator(bool(self.url), self.last_success_at, self.reachable, self.last_error or None)


@dataclass(frozen=True)
class SentPackage:
    peer: str
    package_id: str
    seq: int
    size: int
    stored: bool  # False: the hub already held these very bytes
    counts: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FetchedPackage:
    package_id: str
    sender: str
    seq: int
    size: int
    receipt: dict[str, Any] | None  # None when refused
    refused: str = ""  # the import's sentence; the package stays in the mailbox, not acknowledged
    exit_code: int = 0
    superseded: str = ""  # older than one already applied: acknowledged, nothing to import

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SyncReport:
    fetched: list[FetchedPackage] = field(default_factory=list)
    sent: list[SentPackage] = field(default_factory=list)
    status: HubStatus | None = None

    @property
    def refused(self) -> list[FetchedPackage]:
        return [f for f in self.fetched if f.refused]

    def as_dict(self) -> dict[str, Any]:
        return {
            "fetched": [f.as_dict() for f in self.fetched],
            "sent": [p.as_dict() for p in self.sent],
            "status": self.status.as_dict() if self.status else None,
        }


@dataclass(frozen=True)
class Phase:
    """One step of an attempt: a method of the service, and whether it writes the register (the
    window runs it on the writer thread) or only talks to the hub (on a reader thread)."""

    method: str
    writes: bool


PROBE = Phase("probe", writes=False)
RECEIVE = Phase("receive", writes=False)
IMPORT = Phase("import_received", writes=True)
EXPORT = Phase("export_outgoing", writes=True)
TRANSMIT = Phase("transmit", writes=False)

# After the phases come settle (network, only after a failure or a cancel) and finish (the writer).
# Fetch before send: the county's receipts come in first, so what goes out is only what is still
# unacknowledged (and 未报送更改 falls as soon as it can).
PHASES: dict[str, tuple[Phase, ...]] = {
    "sync": (RECEIVE, IMPORT, EXPORT, TRANSMIT),
    "fetch": (RECEIVE, IMPORT, TRANSMIT),  # transmit sends only the acknowledgements
    "send": (PROBE, EXPORT, TRANSMIT),
}


@dataclass
class _Received:
    entry: MailboxEntry
    path: Path | None  # None: imported before (only its acknowledgement was lost)


@dataclass
class HubAttempt:
    """One sync, send or fetch, handed from phase to phase (from thread to thread, one at a time)."""

    kind: str
    url: str
    started: str
    folder: Path  # this attempt's own: its downloads and the county's certificate
    phases: tuple[Phase, ...]
    ca_file: Path | None = None
    received: list[_Received] = field(default_factory=list)  # downloaded, waiting for the import
    to_ack: list[str] = field(default_factory=list)  # imported (or superseded), not yet acknowledged
    fetched: list[FetchedPackage] = field(default_factory=list)
    sent: list[SentPackage] = field(default_factory=list)
    journal: list[dict[str, Any]] = field(default_factory=list)  # the uploads', written by finish

    @property
    def uploads(self) -> bool:
        return EXPORT in self.phases

    @property
    def refused(self) -> list[FetchedPackage]:
        return [f for f in self.fetched if f.refused]


def _certificate_digest(pem: str) -> str:
    """The SHA-256 fingerprint of the (first) certificate, as ``openssl x509 -fingerprint -sha256``
    prints it at the county, so the two can be compared over the phone."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    try:
        first = x509.load_pem_x509_certificates(pem.encode("ascii", errors="replace"))[0]
    except (ValueError, IndexError):
        return "?"
    return first.fingerprint(hashes.SHA256()).hex(":").upper()


def checked_hub_url(text: str) -> str:
    """The hub's address as stored (no trailing slash), or InvalidInput naming what is wrong."""
    url = text.strip().rstrip("/")
    example = "例如 https://192.168.1.10:8443"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidInput(f"中转站地址 {url} 的端口不对；{example}。", field="hub_url") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(
            f"中转站地址 {url} 不对：应以 http:// 或 https:// 开头，后接主机名或 IP 地址；{example}。",
            field="hub_url",
        )
    if parts.username or parts.password:
        raise InvalidInput(f"中转站地址 {url} 中不能带用户名或密码。", field="hub_url")
    if parts.query or parts.fragment or any(c.isspace() for c in url):
        raise InvalidInput(f"中转站地址 {url} 中不能有空格、“?”或“#”部分；{example}。", field="hub_url")
    if port == 0:
        raise InvalidInput(f"中转站地址 {url} 的端口不对；{example}。", field="hub_url")
    return url


def checked_interval(value: int | str) -> int:
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        minutes = -1
    if not 0 <= minutes <= MAX_INTERVAL_MINUTES:
        raise InvalidInput(
            f"自动同步间隔应为 0（关闭）到 {MAX_INTERVAL_MINUTES} 之间的整数分钟，不能是 {value}。",
            field="hub_interval",
        )
    return minutes


class _Deferred:
    """Byte progress during one upload: a cancel heard meanwhile is raised after the upload, so the
    package under way reaches the hub and leaves the outbox rather than going again next time."""

    def __init__(self, progress: ProgressFn, done: int, total: int, label: str) -> None:
        self._progress, self._done, self._total, self._label = progress, done, total, label
        self.raised: BaseException | None = None

    def __call__(self, sent: int, size: int) -> None:
        if self.raised is not None:
            return
        try:
            kib = f"{sent // 1024:,} / {size // 1024:,} KB"
            self._progress(self._done, self._total, f"{self._label}（{kib}）")
        except BaseException as exc:  # noqa: BLE001 - the caller's cancel, re-raised after the transfer
            self.raised = exc

    def settle(self) -> None:
        if self.raised is not None:
            raise self.raised


def _bytes_heard(progress: ProgressFn, done: int, total: int, label: str) -> Callable[[int, int], None]:
    """Byte progress during a download; a cancel heard here stops it at once (nothing is lost)."""

    def heard(received: int, size: int) -> None:
        progress(done, total, f"{label}（{received // 1024:,} / {size // 1024:,} KB）")

    return heard


def _quiet(_done: int, _total: int, _label: str) -> None:
    pass


class HubSyncService(Service):
    client_factory: ClientFactory = staticmethod(_default_client)

    # --- settings ---------------------------------------------------------------------

    def settings(self) -> HubSettings:
        stored = self._meta(SETTINGS_KEY)
        pem = self._certificate_pem()
        return HubSettings(
            str(stored.get("url", "")),
            int(stored.get("interval_minutes", 0) or 0),
            _certificate_digest(pem) if pem else "",
        )

    def save_settings(self, url: str, interval_minutes: int | str) -> HubSettings:
        """Set the hub's address ("" to forget it) and the automatic-sync interval; administrator only."""
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        clean = checked_hub_url(url) if url.strip() else ""
        minutes = checked_interval(interval_minutes)
        with self.store.transaction():
            old = self.settings()
            new = HubSettings(clean, minutes, old.certificate if clean else "")
            if old == new:
                return new
            self._put_meta(SETTINGS_KEY, {"url": new.url, "interval_minutes": new.interval_minutes})
            if not clean:  # no hub: nothing to check a certificate against
                self.db.execute("DELETE FROM meta WHERE key = ?", (CERTIFICATE_KEY,))
            if old.url != new.url:  # the old hub's status says nothing about the new one
                self._put_meta(STATUS_KEY, {})
            self.store.audit(
                self.s.user.username, "设置县级数据中转站", "hub", "", {"before": old.as_dict(), "after": new.as_dict()}
            )
        return new

    def set_certificate(self, path: Path | str) -> HubSettings:
        """Check the hub against the county's own certificate (PEM, the one its hub serves with);
        administrator only, audited. A certificate from a public authority needs none of this."""
        from cryptography import x509

        permissions.require(self.s.user, permissions.MANAGE_USERS)
        source = Path(path)
        try:
            with source.open("rb") as f:
                data = f.read(MAX_CERTIFICATE_BYTES + 1)
        except OSError as exc:
            raise InvalidInput(f"无法读取证书文件 {source}（{os_reason(exc)}）。", field="hub_certificate") from None
        try:
            if len(data) > MAX_CERTIFICATE_BYTES:
                raise ValueError
            certificates = x509.load_pem_x509_certificates(data)
        except ValueError:
            raise InvalidInput(
                f"文件 {source.name} 不是 PEM 格式的证书（应以 -----BEGIN CERTIFICATE----- 开头）。",
                field="hub_certificate",
            ) from None
        pem = data.decode("ascii", errors="replace")
        with self.store.transaction():
            self._put_meta(CERTIFICATE_KEY, pem)
            self.store.audit(
                self.s.user.username,
                "设置县级数据中转站证书",
                "hub",
                "",
                {"sha256": _certificate_digest(pem), "subject": certificates[0].subject.rfc4514_string()[:200]},
            )
        return self.settings()

    def _certificate_pem(self) -> str:
        pem = self._meta_raw(CERTIFICATE_KEY)
        return pem if isinstance(pem, str) else ""

    # --- status -----------------------------------------------------------------------

    def status(self) -> HubStatus:
        stored = self._meta(STATUS_KEY)
        reachable = stored.get("reachable")
        return HubStatus(
            url=self.settings().url,
            last_success_at=stored.get("last_success_at"),
            last_attempt_at=stored.get("last_attempt_at"),
            reachable=reachable if isinstance(reachable, bool) else None,
            last_error=str(stored.get("last_error", "")),
        )

    def journal(self, limit: int = JOURNAL_KEPT) -> list[dict[str, Any]]:
        """The latest transfers through the hub, newest first (the 数据交换 page marks its packages)."""
        entries = self._meta_list(JOURNAL_KEY)
        return list(reversed(entries))[:limit]

    # --- the work: an attempt and its phases --------------------------------------------

    def sync(self, progress: ProgressFn | None = None, *, url: str | None = None) -> SyncReport:
        """Fetch, then send: the county's receipts come in first, so what goes out is only what is
        still unacknowledged (and 未报送更改 falls as soon as it can)."""
        return self.run(self.begin("sync", url=url), progress)

    def send(self, progress: ProgressFn | None = None, *, url: str | None = None) -> list[SentPackage]:
        return self.run(self.begin("send", url=url), progress).sent

    def fetch(self, progress: ProgressFn | None = None, *, url: str | None = None) -> list[FetchedPackage]:
        return self.run(self.begin("fetch", url=url), progress).fetched

    def run(self, attempt: HubAttempt, progress: ProgressFn | None = None) -> SyncReport:
        """Every phase of *attempt* in order on this thread, then :meth:`finish` (the CLI and the tests).
        The window runs each phase as its own op instead (app/ui/exchange/hub_sync_run.py), so that
        no transfer holds up the writer thread; both end the same way after a failure or a cancel."""
        report = progress or _quiet
        try:
            for phase in attempt.phases:
                self.run_phase(attempt, phase, report)
        except BaseException as exc:
            try:
                self.settle(attempt, exc)
            finally:
                self.finish(attempt, exc)
            raise
        return self.finish(attempt)

    def run_phase(self, attempt: HubAttempt, phase: Phase, progress: ProgressFn | None = None) -> None:
        getattr(self, phase.method)(attempt, progress or _quiet)

    def begin(self, kind: str = "sync", *, url: str | None = None) -> HubAttempt:
        """Where to, and a private folder for this attempt's downloads; reads only."""
        address = checked_hub_url(url) if url else self.settings().url
        if not address:
            raise InvalidInput(
                "还没有设置县级数据中转站地址：请由管理员在“数据交换”页面填写，或在命令中用 --hub 指定。",
                field="hub_url",
            )
        root = self._transfer_root()
        _sweep(root)
        folder = Path(tempfile.mkdtemp(dir=root))
        attempt = HubAttempt(kind, address, now_text(), folder, PHASES[kind])
        pem = self._certificate_pem() if address.startswith("https://") else ""
        if pem:  # a public certificate, written where the TLS library can read it
            attempt.ca_file = folder / "county-hub.pem"
            attempt.ca_file.write_text(pem, encoding="ascii")
        return attempt

    def probe(self, attempt: HubAttempt, _progress: ProgressFn) -> None:
        """Ask first whether the hub answers: a package is not numbered for a hub that is down."""
        keys = self._keys()
        if keys is None:
            return  # no keys yet: the export makes them, and the upload says whether the hub answers
        with self._connected(attempt, keys) as client:
            client.health()

    def receive(self, attempt: HubAttempt, progress: ProgressFn) -> None:
        """Download the packages addressed to this PC into the attempt's folder (network only)."""
        progress(0, 0, "正在查看县级数据中转站的收件箱…")
        keys = self._keys()
        if keys is None:
            return  # no keys, so no card: nothing can be addressed to this PC yet
        own = fingerprint_of(self.s.office.code, keys.sign_public, keys.box_public)
        with self._connected(attempt, keys) as client:
            # Two PCs of one office share a mailbox: each takes only the packages encrypted to its own
            # card and leaves its sibling's for the sibling to collect and acknowledge.
            listed = [e for e in client.mailbox() if e.receiver_fingerprint in ("", own)]
            entries = sorted(self._sound_entries(attempt, listed), key=lambda e: (e.sender, e.channel_seq))
            refused = self._refused_before()
            for index, entry in enumerate(entries):
                label = f"正在接收 {self._name(entry.sender)} 的第 {entry.channel_seq} 号数据包"
                progress(index, len(entries), label)  # a cancel stops here, between packages
                if self._imported(entry.package_id):
                    # Imported before, only its acknowledgement was lost: no need to download it again.
                    attempt.received.append(_Received(entry, None))
                    continue
                remembered = refused.get((entry.package_id, entry.sha256))
                if remembered is not None and remembered.get("context") == self._verdict_context(entry.sender):
                    continue  # refused here before, on grounds that still hold: it waits in the mailbox
                # A cancel during a download stops it at once: the package is fetched again next time.
                data = client.download(entry, _bytes_heard(progress, index, len(entries), label))
                place = attempt.folder / f"in-{index:04d}"  # two PCs of one sender may use the same number
                place.mkdir(mode=0o700)
                # Only checked digits go into the name (see _sound_entries), never the listing's text as is.
                path = place / package_file_name(entry.sender, entry.receiver, entry.channel_seq)
                if path.parent != place:
                    raise HubError(f"县级数据中转站 {attempt.url} 的收件列表无法使用。")
                _write_private(path, data)
                attempt.received.append(_Received(entry, path))
        if entries:
            progress(len(entries), len(entries), "接收完毕")

    def _sound_entries(self, attempt: HubAttempt, listed: list[MailboxEntry]) -> list[MailboxEntry]:
        """The listing's entries whose every field has the protocol's form; the others are skipped
        with a journal line (once), never downloaded: a hub, or whoever stands between it and this PC
        on plain HTTP, writes the listing, and its text must not name a file or a request path."""
        sound = []
        seen = {(e.get("result"), e.get("sentence")) for e in self._meta_list(JOURNAL_KEY)}
        for entry in listed:
            fault = _listing_fault(entry, self.s.office.code)
            if fault is None:
                sound.append(entry)
                continue
            package_id = entry.package_id if protocol.valid_package_id(entry.package_id) else ""
            sentence = f"县级数据中转站 {attempt.url} 列出的数据包 {package_id or '（编号不对）'} 的{fault}，没有下载。"
            log.warning("hub listing entry skipped: %s", sentence)
            if ("skipped", sentence) not in seen:
                seen.add(("skipped", sentence))
                attempt.journal.append(_entry("down", package_id, "", 0, result="skipped", sentence=sentence))
        return sound

    def _refused_before(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(str(e.get("package_id")), str(e.get("sha256"))): e for e in self._meta_list(REFUSED_KEY)}

    def _verdict_context(self, sender: str) -> str:
        """A digest of what a refusal of *sender*'s package rested on here: the cards this PC trusts
        for that office (one added, one revoked) and what it holds of that office's nodes (a package
        that came on a USB stick meanwhile). When it changes, a package refused before is tried again."""
        cards = self.db.query(
            "SELECT fingerprint, coalesce(revoked_at, '') FROM peers WHERE office_code = ? ORDER BY fingerprint",
            (sender,),
        )
        held = self.db.query(
            "SELECT node, in_seq, in_audit_seq, in_audit_head, card FROM inbound WHERE peer_code = ? ORDER BY node",
            (sender,),
        )
        text = json.dumps([[list(r) for r in cards], [list(r) for r in held]], ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _remember_refusal(self, entry: MailboxEntry, exc: PackageRefused) -> None:
        with self.store.transaction():
            kept = [
                e
                for e in self._meta_list(REFUSED_KEY)
                if (e.get("package_id"), e.get("sha256")) != (entry.package_id, entry.sha256)
            ]
            kept.append(
                {
                    "package_id": entry.package_id,
                    "sha256": entry.sha256,
                    "sender": entry.sender,
                    "seq": entry.channel_seq,
                    "at": now_text(),
                    "exit_code": exc.exit_code,
                    "context": self._verdict_context(entry.sender),
                }
            )
            self._put_meta(REFUSED_KEY, kept[-REFUSED_KEPT:])

    def import_received(self, attempt: HubAttempt, progress: ProgressFn) -> None:
        """Import each downloaded package in its own transaction (the writer's work): what committed
        is acknowledged by :meth:`transmit`, what was refused stays in the mailbox."""
        total = len(attempt.received)
        for index in range(total):
            item = attempt.received[0]
            label = f"正在导入 {self._name(item.entry.sender)} 的第 {item.entry.channel_seq} 号数据包"
            progress(index, total, label)  # a cancel stops here, between packages
            fetched = self._import(attempt, item, progress)
            attempt.received.pop(0)
            if fetched is not None:
                attempt.fetched.append(fetched)
        if total:
            progress(total, total, "导入完毕")

    def _import(self, attempt: HubAttempt, item: _Received, progress: ProgressFn) -> FetchedPackage | None:
        entry = item.entry
        if item.path is None:
            receipt = self._stored_receipt(entry.package_id)
            if receipt is None:
                return None  # gone meanwhile (a backup restored): not acknowledged, fetched again next time
            attempt.to_ack.append(entry.package_id)
            self._journal("down", entry.package_id, entry.sender, entry.channel_seq, result="already")
            return FetchedPackage(entry.package_id, entry.sender, entry.channel_seq, entry.size, receipt)
        try:
            applied = self.s.packages.import_file(item.path, progress=progress)
        except PackageReplayed as exc:
            # Older than one already applied from that PC (it came on a USB stick meanwhile, say): the
            # newer package carried all of it, so it is done with, not waiting for anybody.
            attempt.to_ack.append(entry.package_id)
            self._journal(
                "down", entry.package_id, entry.sender, entry.channel_seq, result="superseded", sentence=str(exc)
            )
            return FetchedPackage(
                entry.package_id, entry.sender, entry.channel_seq, entry.size, None, superseded=str(exc)
            )
        except DoudiError as exc:  # refused: reported, not acknowledged, so it waits in the mailbox
            if isinstance(exc, PackageRefused):  # the package's own fault, not a full disk: not again
                self._remember_refusal(entry, exc)
            self._journal(
                "down", entry.package_id, entry.sender, entry.channel_seq, result="refused", sentence=str(exc)
            )
            return FetchedPackage(
                entry.package_id, entry.sender, entry.channel_seq, entry.size, None, str(exc), exc.exit_code
            )
        finally:
            item.path.unlink(missing_ok=True)
        attempt.to_ack.append(entry.package_id)  # only now: the import has committed
        result = "already" if applied.already_applied else "imported"
        self._journal("down", entry.package_id, entry.sender, entry.channel_seq, result=result)
        return FetchedPackage(entry.package_id, entry.sender, entry.channel_seq, entry.size, applied.as_dict())

    def export_outgoing(self, attempt: HubAttempt, progress: ProgressFn) -> None:
        """Export a package for each peer that is owed one into the outbox (the writer's work).

        The outbox lasts from one attempt to the next: a package exported but not uploaded (the line
        dropped, the user cancelled, the window closed) is uploaded by the next attempt, so what it
        carries (a receipt, say) is never withheld, unless a newer package for the same PC is exported
        first, which carries all of it and takes its place (see _drop_older).
        """
        outbox = self._outbox()
        peers = [p for p in TrustService(self.s).peers(include_revoked=False) if self._owes(p.fingerprint)]
        for index, peer in enumerate(peers):
            progress(index, len(peers), f"正在准备给 {peer.office_name} 的数据包")  # a cancel stops here
            for exported in self.s.packages.export(outbox, for_card=peer.fingerprint, progress=progress):
                _drop_older(outbox, exported.path.name)
        if peers:
            progress(len(peers), len(peers), "数据包已准备好")

    def transmit(self, attempt: HubAttempt, progress: ProgressFn) -> None:
        """Acknowledge what was imported, then upload what waits in the outbox (network only).

        Each package leaves the outbox once the hub holds it; its journal entry is written by
        :meth:`finish`. A package the hub refuses for what it is (not for who asks or when) leaves
        the outbox too, or it would stand in the way of every later sync; the next export carries
        everything it carried.
        """
        files = self._waiting_uploads() if attempt.uploads else []
        if not attempt.to_ack and not files:
            return
        keys = self._keys()
        if keys is None:
            return  # nothing was ever exported or imported without keys
        with self._connected(attempt, keys) as client:
            self._ack(client, attempt)
            for index, path in enumerate(files):
                self._upload(client, attempt, path, progress, index=index, total=len(files))
        if files:
            progress(len(files), len(files), "发送完毕")

    def _upload(
        self, client: HubClient, attempt: HubAttempt, path: Path, progress: ProgressFn, *, index: int, total: int
    ) -> None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return  # another program of this office sent it meanwhile
        try:
            manifest = parse_package(data, source=path.name).manifest
            package_id, peer, seq = manifest["package_id"], manifest["receiver"]["code"], int(manifest["channel_seq"])
        except (DoudiError, KeyError, TypeError, ValueError):
            path.unlink(missing_ok=True)  # spoilt on this disk: the next export carries what it did
            return
        label = f"正在发送给 {self._name(peer)} 的第 {seq} 号数据包"
        progress(index, total, label)  # a cancel stops here; the rest goes next time
        deferred = _Deferred(progress, index, total, label)
        try:
            stored = client.upload(package_id, data, deferred)
        except HubUnreachable:
            raise
        except HubError as exc:
            if exc.status in REFUSED_FOR_WHAT_IT_IS:
                path.unlink(missing_ok=True)
                attempt.journal.append(_entry("up", package_id, peer, seq, result="refused", sentence=str(exc)))
            raise
        path.unlink(missing_ok=True)
        attempt.journal.append(_entry("up", package_id, peer, seq, result="stored" if stored else "held"))
        counts = manifest.get("counts")
        attempt.sent.append(
            SentPackage(peer, package_id, seq, len(data), stored, dict(counts) if isinstance(counts, dict) else {})
        )
        deferred.settle()

    def settle(self, attempt: HubAttempt, error: BaseException | None = None) -> None:
        """After a failure or a cancel: acknowledge what was imported all the same, when the hub may
        still answer (network only). Best effort: a lost acknowledgement costs nothing, the next fetch
        acknowledges without downloading again."""
        if not attempt.to_ack or isinstance(error, HubUnreachable):
            return
        keys = self._keys()
        if keys is None:
            return
        try:
            with self._connected(attempt, keys) as client:
                self._ack(client, attempt)
        except HubError as exc:
            log.info("acknowledgements left for the next sync: %s", exc)

    def finish(self, attempt: HubAttempt, error: BaseException | None = None) -> SyncReport:
        """Journal the uploads and record how the attempt went (the writer's work, short); the
        attempt's folder goes. *error* is what ended it early (a cancel included), or None."""
        try:
            with self.store.transaction():
                if attempt.journal:
                    self._append_journal(attempt.journal)
                    attempt.journal = []
                if isinstance(error, HubUnreachable):
                    self._record(attempt.started, reachable=False, error=str(error))
                elif isinstance(error, HubError):
                    self._record(attempt.started, reachable=True, error=str(error))
                elif error is not None:  # a cancel or an error here: tried, and nothing to say about the hub
                    self._record(attempt.started)
                else:
                    refused = attempt.refused
                    sentence = f"数据包 {refused[0].package_id} 未能导入：{refused[0].refused}" if refused else ""
                    self._record(attempt.started, reachable=True, error=sentence, success=not refused)
        finally:
            shutil.rmtree(attempt.folder, ignore_errors=True)
        return SyncReport(list(attempt.fetched), list(attempt.sent), self.status())

    def _owes(self, fingerprint: str) -> bool:
        """Whether *peer_code* should get a package now: rows of ours it has not acknowledged, or an
        acknowledgement for rows it sent us since our last package to it.

        Narrower than the export's own test on purpose. Every export and every import writes an audit
        entry, so "any audit entry the peer lacks" is true after every exchange and two offices syncing
        every few minutes would send each other an empty package each time, for ever (a county with
        two hundred townships, forty thousand a day). The audit entries still travel, with the next
        package that carries rows.
        """
        from ...db.sync_rows import count_own_changes
        from ...domain import ownership

        acked, peer_code = next(
            iter(
                self.db.query(
                    "SELECT acked_change_seq, peer_code FROM channels WHERE peer_fingerprint = ?", (fingerprint,)
                )
            ),
            (None, ""),
        )
        if acked is None:
            return False
        if count_own_changes(self.db, int(acked), ownership.tables_owned_by(self.s.office.kind)):
            return True
        last_out = self.db.scalar(
            "SELECT coalesce(max(rowid), 0) FROM packages WHERE direction = 'out' "
            "AND json_extract(manifest, '$.receiver.fingerprint') = ?",
            (fingerprint,),
        )
        # A package whose change range is not empty moved what we hold of the peer's log: the peer
        # learns that only from our next package (its 未报送更改 falls then).
        owed = self.db.scalar(
            "SELECT count(*) FROM packages WHERE direction = 'in' AND peer_code = ? AND rowid > ? "
            "AND coalesce(json_extract(manifest, '$.changes.to'), 0) "
            ">= coalesce(json_extract(manifest, '$.changes.from'), 1)",
            (peer_code, last_out),
        )
        return bool(owed)

    # --- the attempt's connection, folders and what the register already holds -----------

    @contextmanager
    def _connected(self, attempt: HubAttempt, keys: OfficeKeys) -> Iterator[HubClient]:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = Ed25519PrivateKey.from_private_bytes(keys.sign_seed)
        client = type(self).client_factory(attempt.url, self.s.office.code, key, attempt.ca_file)
        try:
            yield client
        finally:
            client.close()

    def _ack(self, client: HubClient, attempt: HubAttempt) -> None:
        while attempt.to_ack:
            client.ack(attempt.to_ack[0])
            attempt.to_ack.pop(0)

    def _keys(self) -> OfficeKeys | None:
        """The office's keys if it has any; never makes them (that is a write, and this may be a read op)."""
        text = self.db.scalar("SELECT value FROM meta WHERE key = ?", (OFFICE_KEYS,))
        return OfficeKeys.from_secret_text(str(text)) if text else None

    def _imported(self, package_id: str) -> bool:
        return bool(self.db.scalar("SELECT 1 FROM packages WHERE package_id = ? AND direction = 'in'", (package_id,)))

    def _stored_receipt(self, package_id: str) -> dict[str, Any] | None:
        from .apply import Receipt

        text = self.db.scalar("SELECT receipt FROM packages WHERE package_id = ? AND direction = 'in'", (package_id,))
        if not text:
            return None
        stored = json.loads(str(text))
        receipt = Receipt(**{k: v for k, v in stored.items() if k in Receipt.__dataclass_fields__})
        receipt.already_applied = True
        return receipt.as_dict()

    def _transfer_root(self) -> Path:
        root = self.s.paths.data_dir / WORK_DIR
        root.mkdir(mode=0o700, exist_ok=True)
        return root

    def _outbox(self) -> Path:
        outbox = self._transfer_root() / OUTBOX
        outbox.mkdir(mode=0o700, exist_ok=True)
        return outbox

    def _waiting_uploads(self) -> list[Path]:
        """The outbox's packages, each receiver's in the order of their numbers (the names say so)."""
        return sorted(self._outbox().glob(f"*{SUFFIX}"), key=lambda p: p.name)

    def _record(
        self, started: str, *, reachable: bool | None = None, error: str | None = None, success: bool = False
    ) -> None:
        with self.store.transaction():
            status = self._meta(STATUS_KEY)
            status["last_attempt_at"] = started
            if reachable is not None:
                status["reachable"] = reachable
            if error is not None:
                status["last_error"] = error
            if success:
                status["last_success_at"] = now_text()
            self._put_meta(STATUS_KEY, status)

    def _journal(
        self, direction: str, package_id: str, peer: str, seq: int, *, result: str, sentence: str = ""
    ) -> None:
        self._append_journal([_entry(direction, package_id, peer, seq, result=result, sentence=sentence)])

    def _append_journal(self, new: list[dict[str, Any]]) -> None:
        with self.store.transaction():
            entries = self._meta_list(JOURNAL_KEY)
            entries.extend(new)
            self._put_meta(JOURNAL_KEY, entries[-JOURNAL_KEPT:])

    # --- meta -------------------------------------------------------------------------

    def _meta_raw(self, key: str) -> Any:
        text = self.db.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        try:
            return json.loads(str(text)) if text else None
        except ValueError:
            return None

    def _meta(self, key: str) -> dict[str, Any]:
        value = self._meta_raw(key)
        return value if isinstance(value, dict) else {}

    def _meta_list(self, key: str) -> list[dict[str, Any]]:
        value = self._meta_raw(key)
        return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []

    def _put_meta(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value, ensure_ascii=False, sort_keys=True)),
        )

    def _name(self, code: str) -> str:
        peer = TrustService(self.s).peer(code)
        return peer.office_name if peer is not None else code


def _entry(direction: str, package_id: str, peer: str, seq: int, *, result: str, sentence: str = "") -> dict[str, Any]:
    return {
        "at": now_text(),
        "direction": direction,
        "package_id": package_id,
        "peer": peer,
        "seq": seq,
        "result": result,
        "sentence": sentence,
    }


_DIVISION_CODE = re.compile(r"[0-9]{12}")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_MAX_SEQ = (1 << 63) - 1


def _division_code(text: object) -> bool:
    if not isinstance(text, str) or not _DIVISION_CODE.fullmatch(text):
        return False
    try:
        return normalize_code(text) == text
    except DivisionError:
        return False


def _listing_fault(entry: MailboxEntry, office_code: str) -> str | None:
    """What is wrong with one entry of the hub's listing (part of a sentence), or None."""
    if not isinstance(entry.package_id, str) or not protocol.valid_package_id(entry.package_id):
        return "编号格式不对"
    if not _division_code(entry.sender):
        return f"发送单位“{_shown(entry.sender)}”不是区划代码"
    if entry.receiver != office_code:
        return f"收件单位“{_shown(entry.receiver)}”不是本单位"
    seq = entry.channel_seq
    if type(seq) is not int or not 0 < seq <= _MAX_SEQ:
        return f"序号“{_shown(seq)}”不是正整数"
    if type(entry.size) is not int or not 0 < entry.size <= DEFAULT_MAX_BYTES:
        return f"大小“{_shown(entry.size)}”超出范围"
    if not isinstance(entry.sha256, str) or not _SHA256_HEX.fullmatch(entry.sha256):
        return "校验值格式不对"
    return None


def _shown(value: object) -> str:
    """A listing's value in a sentence: short, and only printable characters."""
    text = str(value)
    clean = "".join(c if c.isprintable() else "?" for c in text[:40])
    return clean + ("…" if len(text) > 40 else "")  # noqa: PLR2004


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _drop_older(outbox: Path, name: str) -> None:
    """Remove the outbox's older packages for the receiver of the package just exported as *name*.

    A package carries everything the receiver has not acknowledged, so the new one carries all that
    an older one still waiting did; sending both would only double a slow upload. The numbers they
    leave unused are no gap to the receiver, which refuses only a number older than one it applied.
    """
    prefix, _, seq = name.removesuffix(SUFFIX).rpartition("-")
    for older in outbox.glob(f"*{SUFFIX}"):
        its_prefix, _, number = older.name.removesuffix(SUFFIX).rpartition("-")
        if its_prefix == prefix and number.isdigit() and seq.isdigit() and int(number) < int(seq):
            older.unlink(missing_ok=True)


def _sweep(root: Path) -> None:
    """Remove what an attempt that never finished left behind (the program was closed or killed
    mid-way): its downloads, fetched again anyway, and an export's unfinished temporary files.
    Only what is a day old, so that a slow attempt of another program of this office keeps its own."""
    stale = time.time() - STALE_SECONDS
    try:
        children = list(root.iterdir())
        if (root / OUTBOX).is_dir():
            children += [p for p in (root / OUTBOX).iterdir() if p.name.endswith(".partial")]
    except OSError:
        return
    for child in children:
        if child.name == OUTBOX:
            continue
        try:
            if child.stat().st_mtime > stale:
                continue
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
        except OSError:
            continue
