"""处理结果: one disposition and note for every finding of the rows selected.

A month's 公安 list can name a dozen deaths checked in one afternoon; one dialog records them all,
and the service refuses a step out of order (已处理 before 属实) in one sentence shown here. Nothing is
chosen until the person chooses: a result recorded by default would raise alerts nobody checked.

A finding found 属实 or handled can be linked to what it led to (the visit, alert, stop or
application: issue 12 point 4), so a reviewer opens the record instead of trusting a note. The
household's records are read in an op as the dialog opens; a batch spanning households cannot share
one link, and the combo says so instead of offering a record that ``dispose`` would refuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from ...errors import DoudiError, InvalidInput
from ..ops import Op
from ..widgets import FormDialog, error_sentence

__all__ = ["DISPOSITIONS", "LINKABLE", "DispositionDialog"]

try:
    from ...services.comparison import DISPOSITIONS
except ImportError:  # the service is being written beside this screen; its four steps are known
    DISPOSITIONS = ("待核实", "属实", "不属实", "已处理")

# The results a record can stand behind: what was found true, and what was done about it.
LINKABLE = (DISPOSITIONS[1], DISPOSITIONS[3])


class DispositionDialog(FormDialog):
    def __init__(self, finding_ids: Sequence[str], rows: int, parent: QWidget | None = None):
        ids = list(finding_ids)
        self.choice = QComboBox()
        for d in DISPOSITIONS:
            self.choice.addItem(d, d)
        # No choice until the person makes one: a preselected 属实 raised alerts on findings nobody checked.
        self.choice.setPlaceholderText(self.tr("Choose…"))
        self.choice.setCurrentIndex(-1)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("What was checked, and what was done"))
        self.note.setFixedHeight(90)
        self.link = QComboBox()
        self.link.addItem(self.tr("(No link)"), None)
        self.link.setEnabled(False)  # until the household's records are read
        self.link.setToolTip(self.tr("Reading this household's visits, alerts, stops and applications…"))
        super().__init__(
            self.tr("Record the result"),
            parent,
            intro=self.tr("%1 findings in %2 rows.").replace("%1", str(len(ids))).replace("%2", str(rows)),
            read=self._value,
            write=lambda s, value: s.comparison.dispose(ids, value[0], value[1], link=value[2]),
        )
        self.finding_ids = ids
        self.add_row(self.tr("Result"), self.choice, field="disposition")
        self.add_row(self.tr("Linked record"), self.link, field="link")
        self.add_row(self.tr("Note"), self.note, field="note")
        self.choice.currentIndexChanged.connect(lambda _i: self._show_link())
        self._show_link()
        Op(self, lambda s, _progress: s.comparison_links.for_findings(ids)).success(self._offer).failure(
            self._no_link
        ).run()

    def _show_link(self) -> None:
        self.form.setRowVisible(self.link, self.choice.currentData() in LINKABLE)

    def _offer(self, choices: list[Any]) -> None:
        for c in choices:
            self.link.addItem(c.label, (c.kind, c.id))
        self.link.setEnabled(bool(choices))
        self.link.setToolTip(
            self.tr("The visit, alert, stop or application this led to.")
            if choices
            else self.tr("This household has no visit, alert, stop or application to link yet.")
        )

    def _no_link(self, exc: BaseException) -> None:
        if not isinstance(exc, DoudiError):
            raise exc
        # Findings of several households: one record cannot be each of theirs; the result is still recorded.
        self.link.setEnabled(False)
        self.link.setToolTip(error_sentence(exc))

    def _value(self) -> tuple[str, str, tuple[str, str] | None]:
        choice = self.choice.currentData()
        if not choice:
            raise InvalidInput(self.tr("Choose the result first."), field="disposition")
        link = self.link.currentData() if choice in LINKABLE else None
        return choice, self.note.toPlainText().strip(), link
