"""A second PC is shown as one: on the 数据交换 page (its sibling is not another office, and the county
tells a township's two PCs apart), and on a newly joined PC's dashboard (the register is on its way)."""

from __future__ import annotations

from app.services.exchange import trust
from app.ui.pages.dashboard import DashboardPage
from app.ui.pages.exchange import ExchangePage
from tests.exchange.test_replica import deliver, join
from tests.exchange_flow.conftest import office_templates, offices  # noqa: F401 - fixtures
from tests.ui.conftest import sync_ops  # noqa: F401 - the UI tests' synchronous ops, autouse

KIND = 2


def _kinds(qtbot, session) -> dict[str, str]:
    page = ExchangePage(session)
    qtbot.addWidget(page)
    page.refresh()
    model = page.peers_model
    return {str(model.index(r, 3).data()): str(model.index(r, KIND).data()) for r in range(model.rowCount())}


def test_a_sibling_pc_is_this_offices_other_pc_and_the_county_tells_two_pcs_apart(
    qtbot,
    offices,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    county, a, _b = offices
    # The second PC joins days after the first was trusted (not in the same second, as fixtures are).
    monkeypatch.setattr(trust, "now_text", lambda: "2099-01-05T09:00:00+08:00")
    pc2 = join(a, tmp_path, county=county)
    try:
        first, second = a.session.trust.card().fingerprint, pc2.session.trust.card().fingerprint
        assert _kinds(qtbot, a.session)[second] == "this office's other PC"
        assert _kinds(qtbot, pc2.session)[first] == "this office's other PC"
        at_county = _kinds(qtbot, county.session)
        assert at_county[first] == "township" and at_county[second] == "township, another PC"
    finally:
        pc2.session.close()


def test_a_newly_joined_pc_says_the_register_comes_with_the_first_pcs_package(qtbot, offices, tmp_path):  # noqa: F811
    _county, a, _b = offices
    pc2 = join(a, tmp_path)
    try:
        page = DashboardPage(pc2.session)
        qtbot.addWidget(page)
        page.refresh()
        assert page.register_hint.isVisibleTo(page) and "first PC's next package" in page.register_hint.text()
        deliver(a, pc2, tmp_path / "p")
        page.refresh()
        assert not page.register_hint.isVisibleTo(page)
        first = DashboardPage(a.session)
        qtbot.addWidget(first)
        first.refresh()
        assert not first.register_hint.isVisibleTo(first)
    finally:
        pc2.session.close()
