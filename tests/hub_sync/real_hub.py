"""The real hub (app.hub.server, folder store) served by uvicorn on a loopback port in a thread
(tests.hub's LiveHub), for as long as a test needs it; the offices it serves are written and signed
as the county would."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from app.db.store import now_text
from app.exchange.canonical import canonical_json
from app.hub.offices import OfficeKey, offices_document, signed_offices_text
from app.hub.server import OfficesSource, create_app
from app.hub.stores import open_store
from app.services.exchange.office_keys import ensure_office_keys
from tests.hub.conftest import LiveHub
from tests.hub.pg import free_port


def write_offices(path: Path, county, offices) -> None:
    keys = []
    for o in offices:
        card = o.session.trust.card()
        keys.append(
            OfficeKey(
                card.office_code, card.office_name, card.kind, card.sign_public, card.box_public, card.fingerprint, None
            )
        )
    document = offices_document(county.code, now_text(), keys)
    signature = ensure_office_keys(county.session.store, "admin").sign(canonical_json(document))
    path.write_text(signed_offices_text(document, signature), encoding="utf-8")


@contextlib.contextmanager
def serve_hub(folder: Path, county, members, *, tls: tuple[Path, Path] | None = None) -> Iterator[str]:
    """The hub's address while it runs; it serves *members* (offices) and is stopped on leaving.
    With *tls* (certificate, key) it speaks HTTPS."""
    folder.mkdir(parents=True, exist_ok=True)
    offices_file = folder / "offices.json"
    write_offices(offices_file, county, members)
    store = open_store(str(folder / "store"))
    app = create_app(store, OfficesSource(offices_file, store, county.session.trust.card().fingerprint))
    certificate, key = tls or (None, None)
    with LiveHub(app, free_port(), cert=certificate, key=key) as hub:
        yield hub.url
