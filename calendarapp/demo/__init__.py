"""A fictional kabupaten modelled on the news reports: units, people, themes, three months of items.

All people are invented. Dates are placed around the clock's today, so the calendar is never empty.
"""

from .data import LOGINS, MARKER_UNIT, account_handle
from .load import load, state

__all__ = ["LOGINS", "MARKER_UNIT", "account_handle", "load", "state"]
