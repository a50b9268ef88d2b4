"""What the 比对 screens call a match and a finding: the service speaks in codes (the JSON of
``doudi compare``), the clerk reads words, so the codes are named here once for the page, its
filters and the export's summary line."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ...domain.comparison import FINDINGS as DOMAIN_FINDINGS
from ..i18n import QT_TRANSLATE_NOOP

__all__ = ["MATCHES", "MATCH_COLORS", "finding_name", "match_name"]

MATCHES = {
    "in_register": QT_TRANSLATE_NOOP("Comparison", "In the register"),
    "not_in_register": QT_TRANSLATE_NOOP("Comparison", "Not in the register"),
    "possible_match": QT_TRANSLATE_NOOP("Comparison", "Possible match"),
    "id_damaged": QT_TRANSLATE_NOOP("Comparison", "ID number damaged"),
    "id_invalid": QT_TRANSLATE_NOOP("Comparison", "ID number invalid"),
}

# A row a person must look at stands out; the others stay plain.
MATCH_COLORS = {
    "possible_match": "#fcf3cf",
    "id_damaged": "#fadbd8",
    "id_invalid": "#fadbd8",
}

FINDINGS = {
    "deceased_still_enrolled": QT_TRANSLATE_NOOP("Comparison", "Deceased, still enrolled"),
    "missed_candidate": QT_TRANSLATE_NOOP("Comparison", "Possibly missed (in no programme)"),
    "disability_subsidy_missing": QT_TRANSLATE_NOOP("Comparison", "Disability subsidy missing"),
    "illness_not_recorded": QT_TRANSLATE_NOOP("Comparison", "Illness not recorded"),
    "business_owner_enrolled": QT_TRANSLATE_NOOP("Comparison", "Business owner enrolled"),
    "vehicle_owner_enrolled": QT_TRANSLATE_NOOP("Comparison", "Vehicle owner enrolled"),
    "property_owner_enrolled": QT_TRANSLATE_NOOP("Comparison", "Property owner enrolled"),
    "moved_out": QT_TRANSLATE_NOOP("Comparison", "Moved out"),
    "pension_not_recorded": QT_TRANSLATE_NOOP("Comparison", "Pension not recorded"),
    "employment_not_recorded": QT_TRANSLATE_NOOP("Comparison", "Employment not recorded"),
    "deceased_not_recorded": QT_TRANSLATE_NOOP("Comparison", "Death not recorded"),
    "disability_not_recorded": QT_TRANSLATE_NOOP("Comparison", "Disability not recorded"),
    "medical_expense_high": QT_TRANSLATE_NOOP("Comparison", "High medical expenses"),
    "confirm_match": QT_TRANSLATE_NOOP("Comparison", "Identity to confirm"),
    "id_unusable": QT_TRANSLATE_NOOP("Comparison", "ID number unusable"),
    "name_differs": QT_TRANSLATE_NOOP("Comparison", "Name differs"),
}


def match_name(code: str) -> str:
    return QCoreApplication.translate("Comparison", MATCHES[code]) if code in MATCHES else code


def finding_name(code: str) -> str:
    """A finding's short name; a code this screen does not name (a rule added to a source file
    later) shows under the domain's own Chinese name, else as itself, rather than not at all."""
    if code in FINDINGS:
        return QCoreApplication.translate("Comparison", FINDINGS[code])
    return DOMAIN_FINDINGS.get(code, (code,))[0]
