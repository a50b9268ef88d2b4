"""The county writes the offices file its hub checks uploads against (issue 13, docs/hub.md).

The hub holds no trust list: this file, made from the county's own trust list and card and signed
with the county's key, is all it believes. Written under a temporary name and renamed, so a hub
that reloads the file on change never reads half of one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ...errors import InvalidInput, StorageProblem
from ...exchange.canonical import canonical_json
from ...hub.offices import OfficeKey, offices_document, signed_offices_text
from .. import permissions
from ..base import Service
from . import precise_now
from .office_keys import ensure_office_keys


@dataclass(frozen=True)
class HubOfficesWritten:
    path: Path
    offices: int  # distinct office codes
    keys: int  # PC keys listed (an office with two PCs has two)
    county_fingerprint: str  # what the hub is started with: --county-key


class HubOfficesService(Service):
    def entries(self) -> list[OfficeKey]:
        """The county's own card first, then every trusted card (revoked ones too: the hub must know
        when a key stopped counting)."""
        own = self.s.trust.card()
        listed = [
            OfficeKey(
                code=own.office_code,
                name=own.office_name,
                kind=own.kind,
                sign_public=own.sign_public,
                box_public=own.box_public,
                fingerprint=own.fingerprint,
                revoked_at=None,
            )
        ]
        listed.extend(
            OfficeKey(
                code=p.office_code,
                name=p.office_name,
                kind=p.kind,
                sign_public=p.sign_public,
                box_public=p.box_public,
                fingerprint=p.fingerprint,
                revoked_at=p.revoked_at,
            )
            for p in self.s.trust.peers()
        )
        return listed

    def export(self, path: Path | str) -> HubOfficesWritten:
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        if self.s.office.kind != "county":
            raise InvalidInput("只有县民政局（县级模式）能导出中转站的单位清单，本单位是乡镇。", field="kind")
        target = Path(path)
        user = self.s.user.username
        keys = ensure_office_keys(self.store, user)
        entries = self.entries()
        document = offices_document(self.s.office.code, precise_now(), entries)
        text = signed_offices_text(document, keys.sign(canonical_json(document)))
        partial = target.with_name(f".{target.name}.partial")
        try:
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise StorageProblem(f"无法写入中转站单位清单 {target}（{exc.strerror or exc}）。") from None
        codes = {e.code for e in entries}
        with self.store.transaction():
            self.store.audit(user, "导出中转站单位清单", "peers", "", {"offices": len(codes), "keys": len(entries)})
        return HubOfficesWritten(target, len(codes), len(entries), entries[0].fingerprint)
