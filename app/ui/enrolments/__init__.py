"""A household's assistance (救助): enrolments and their workflow steps, income items, the assessment.

``EnrolmentsPanel`` is the tab of the household editor; each step has its own dialog module.
"""

from __future__ import annotations

from .apply_dialog import ApplyDialog
from .approve_dialog import ApproveDialog
from .panel import EnrolmentsPanel
from .publicity_dialog import PublicityDialog
from .step_dialog import StepDialog

__all__ = ["ApplyDialog", "ApproveDialog", "EnrolmentsPanel", "PublicityDialog", "StepDialog"]
