"""处理结果 dialog with the real services: a finding found true and handled is linked to the record it
led to (the stop here), and a batch spanning households cannot share one link."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from app.domain.entities import ComparisonFinding
from app.ui.comparison.dispositions import DispositionDialog
from tests.services.test_comparison_links import build_linked


class Holder(QWidget):
    """The page's part: a parent holding the session the dialog's ops run on."""

    def __init__(self, session):
        super().__init__()
        self.session = session


@pytest.fixture
def setup(qtbot, clerk, reviewer, tmp_path):
    linked = build_linked(clerk, reviewer, tmp_path)
    holder = Holder(clerk)
    qtbot.addWidget(holder)
    return clerk, linked, holder


def _dialog(holder, ids) -> DispositionDialog:
    dlg = DispositionDialog(ids, 1, holder)
    dlg.show()
    return dlg


def test_handled_passes_the_chosen_stop_to_dispose(setup):
    clerk, linked, holder = setup
    dead = linked.findings["deceased_still_enrolled马学军"]
    dlg = _dialog(holder, [dead])
    assert dlg.link.isEnabled() and dlg.link.itemText(0) == "(No link)"
    assert not dlg.link.isVisible()  # nothing is linked until a result that a record can stand behind
    dlg.choice.setCurrentIndex(dlg.choice.findData("已处理"))
    assert dlg.link.isVisible()
    labels = [dlg.link.itemText(i) for i in range(1, dlg.link.count())]
    assert any("停保" in t for t in labels) and any("死亡仍在保" in t for t in labels)
    stop = next(i for i in range(dlg.link.count()) if "停保" in dlg.link.itemText(i))
    dlg.link.setCurrentIndex(stop)
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    f = clerk.store.repo(ComparisonFinding).get(dead)
    assert (f.disposition, f.link_kind, f.link_id) == ("已处理", "stop", linked.stop)


def test_no_link_chosen_keeps_the_alert_the_true_finding_raised(setup):
    clerk, linked, holder = setup
    not_recorded = linked.findings["deceased_not_recorded马学军"]
    dlg = _dialog(holder, [not_recorded])
    dlg.choice.setCurrentIndex(dlg.choice.findData("不属实"))
    assert not dlg.link.isVisible()
    dlg.link.setCurrentIndex(1)  # chosen, then the result changed: an untrue finding links nothing
    dlg.note.setPlainText("入户核实：死亡已在户籍登记，台账另行更正")
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    f = clerk.store.repo(ComparisonFinding).get(not_recorded)
    assert (f.disposition, f.link_kind) == ("不属实", "")


def test_a_batch_across_households_disables_the_link_and_says_why(setup):
    clerk, linked, holder = setup
    batch = [linked.findings["deceased_not_recorded马学军"], linked.findings["deceased_not_recorded杨志强"]]
    dlg = _dialog(holder, batch)
    dlg.choice.setCurrentIndex(dlg.choice.findData("属实"))
    assert dlg.link.isVisible() and not dlg.link.isEnabled()
    assert "分属 2 户" in dlg.link.toolTip()
    dlg.accept()  # the result itself is still recorded for the whole batch
    assert not dlg.isVisible(), dlg.error.text()
    assert {clerk.store.repo(ComparisonFinding).get(i).disposition for i in batch} == {"属实"}
