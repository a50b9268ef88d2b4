"""Policy core: dated parameters, income, eligibility, payments and monitoring alerts.

Pure Python (no Qt, no SQL, no file reads). See docs/assess.md.
"""

from .assess import ASSESS_SCHEMA_VERSION, AssessError, assess
from .params import Params, PolicyBook, PolicyError

__all__ = ["ASSESS_SCHEMA_VERSION", "AssessError", "Params", "PolicyBook", "PolicyError", "assess"]
