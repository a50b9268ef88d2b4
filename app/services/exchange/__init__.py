"""Exchange with other offices by package files (docs/exchange.md): keys and trust, export,
import with its receipts, quarantine and conflicts, and the digests that show two offices agree.

The cryptography and the file format are app.exchange's; what goes into a package, and how one is
applied to the register, is decided here (the ownership rules are app.domain.ownership's).
"""

from datetime import datetime

from ...db.store import CHINA


def precise_now() -> str:
    """Now to the millisecond (China time): a package's signing time and a revocation are compared,
    and a second is too coarse to tell which came first."""
    return datetime.now(CHINA).isoformat(timespec="milliseconds")
