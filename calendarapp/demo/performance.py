"""The demo's account figures: a year of follower counts for every official account.

Most accounts grow a little every month; BPBD's Instagram lost followers these last months
(Pantauan flags Pengikut turun) and Kecamatan Cibening has not counted its followers this month
yet (the month-end reminder asks; Pantauan flags a unit only after 31 days without a count).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from ..accounts.models import Unit
from ..extensions import db
from ..performance.models import FigureSource, FollowerCount
from ..socialaccounts.models import SocialAccount
from ..timeutil import add_months

FALLING = "bpbd"
NOT_COUNTED_THIS_MONTH = "kec-cibening"


def follower_history(units: dict[str, Unit], today: date) -> int:
    """Twelve months of counts (the 28th of each month, or today in this month); rows added."""
    key_of = {unit.id: key for key, unit in units.items()}
    accounts = db.session.scalars(sa.select(SocialAccount).order_by(SocialAccount.id)).all()
    this_month = today.replace(day=1)
    rows = []
    for n, account in enumerate(accounts):
        key = key_of.get(account.unit_id)
        followers = 900 + 420 * (n % 9) + (2600 if key in ("kominfo", "prokopim") else 0)
        for back in range(11, -1, -1):
            month = add_months(this_month, -back)
            day = min(today, month + timedelta(days=27))
            if back == 0 and key == NOT_COUNTED_THIS_MONTH:
                continue
            if key == FALLING and account.platform.value == "instagram" and back < 3:
                followers -= followers * 4 // 100  # lost 4 % a month lately
            else:
                followers += followers * (1 + (n + back) % 4) // 100
            rows.append(
                {
                    "account_id": account.id,
                    "measured_on": day,
                    "followers": followers,
                    "source": FigureSource.MANUAL if back % 3 else FigureSource.IMPORT,
                }
            )
    db.session.execute(sa.insert(FollowerCount), rows)
    return len(rows)
