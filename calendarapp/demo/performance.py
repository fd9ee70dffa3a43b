"""The demo's account figures: a year of follower counts for every official account, and what
the last two months' published posts did on Instagram (a few of them went out unplanned).

Most accounts grow a little every month; BPBD's Instagram lost followers these last months
(Pantauan flags Pengikut turun) and Kecamatan Cibening has counted nothing since two months ago
(Pantauan flags Data kinerja belum ada: 31 days without a count; the month-end reminder asks).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from ..accounts.models import Unit
from ..content.models import ContentItem, Platform
from ..content.workflow import Status
from ..extensions import db
from ..performance.models import FigureSource, FollowerCount, PostMetric
from ..socialaccounts.models import SocialAccount
from ..timeutil import add_months

FALLING = "bpbd"
NOT_COUNTED_LATELY = "kec-cibening"


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
            if back < 2 and key == NOT_COUNTED_LATELY:
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


def post_figures(today: date) -> int:
    """Figures for the Instagram posts of the last sixty days, as an export would give them;
    every twenty-fifth post went out unplanned. Rows added."""
    accounts = {
        unit_id: account_id
        for account_id, unit_id in db.session.execute(
            sa.select(SocialAccount.id, SocialAccount.unit_id).where(
                SocialAccount.platform == Platform.INSTAGRAM
            )
        )
    }
    since = today - timedelta(days=60)
    items = db.session.scalars(
        sa.select(ContentItem)
        .where(ContentItem.status == Status.TAYANG, ContentItem.posted_at.is_not(None))
        .order_by(ContentItem.id)
    ).all()
    rows = []
    for n, item in enumerate(i for i in items if i.posted_at.date() >= since):
        account_id = accounts.get(item.unit_id)
        if account_id is None:
            continue
        reach = 300 + (n * 137) % 1700
        rows.append(
            {
                "account_id": account_id,
                "post_key": f"demo-{item.id}",
                "permalink": f"https://www.instagram.com/p/demo{item.id}/",
                "published_at": item.posted_at,
                "item_id": item.id,
                "measured_on": today,
                "views": reach * 3 // 2,
                "reach": reach,
                "likes": reach * (3 + n % 5) // 100,
                "comments": n % 7,
                "shares": n % 4,
                "saves": n % 3,
            }
        )
        if n % 25 == 3:
            item.unplanned = True
    if rows:
        db.session.execute(sa.insert(PostMetric), rows)
    return len(rows)
