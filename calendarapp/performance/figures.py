"""Follower figures of a unit over a period, defined once, on plain rows (Pantauan reads them).

- *followers now*: the sum, over the unit's accounts, of each account's last count on or before
  the day scored (today, or a past month's last day);
- *growth*: over the accounts counted both before the period began and within it, the last
  count by the day scored minus the last count before the period's first day (within
  LOOKBACK_DAYS; and that as a percentage of the earlier sum); an account without both counts is
  left out of the growth;
- *counted recently*: some live account of the unit was counted in the 31 days up to the day
  scored (a unit counts at its month's end, reminded then: the start of a month flags nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

RECENT_DAYS = 31
LOOKBACK_DAYS = 100


@dataclass(frozen=True)
class AccountRow:
    id: int
    unit_id: int
    platform: str
    live: bool  # active: the unit is expected to count its followers


@dataclass(frozen=True)
class CountRow:
    account_id: int
    measured_on: date
    followers: int


@dataclass(frozen=True)
class FollowerFigures:
    now: int | None  # None: no account was ever counted by the day scored
    gained: int | None  # None: no account counted both before and by the end of the period
    base: int | None  # the earlier sum the growth is measured against
    counted_recently: bool
    live_accounts: int

    @property
    def growth_percent(self) -> float | None:
        if self.gained is None or not self.base:
            return None
        return round(100 * self.gained / self.base, 1)

    @property
    def fell(self) -> bool:
        return self.gained is not None and self.gained < 0

    @property
    def missing(self) -> bool:
        """Live accounts, none counted in the last RECENT_DAYS days."""
        return self.live_accounts > 0 and not self.counted_recently


NONE = FollowerFigures(None, None, None, False, 0)


def followers_of(
    accounts: list[AccountRow], counts: list[CountRow], first_day: date, as_of: date
) -> FollowerFigures:
    """One unit's figures (`accounts` and `counts` are that unit's)."""
    if not accounts:
        return NONE
    mine = {a.id for a in accounts}
    now: dict[int, tuple[date, int]] = {}
    before: dict[int, tuple[date, int]] = {}
    recent = False
    live = {a.id for a in accounts if a.live}
    for count in counts:
        if count.account_id not in mine or count.measured_on > as_of:
            continue
        key = (count.measured_on, count.followers)
        if count.account_id not in now or now[count.account_id] < key:
            now[count.account_id] = key
        if count.measured_on < first_day and (
            count.account_id not in before or before[count.account_id] < key
        ):
            before[count.account_id] = key
        if count.account_id in live and count.measured_on > as_of - timedelta(days=RECENT_DAYS):
            recent = True
    both = [a for a in before if a in now and now[a][0] >= first_day]
    return FollowerFigures(
        now=sum(f for _d, f in now.values()) if now else None,
        gained=sum(now[a][1] - before[a][1] for a in both) if both else None,
        base=sum(before[a][1] for a in both) if both else None,
        counted_recently=recent,
        live_accounts=len(live),
    )


def by_platform(
    accounts: list[AccountRow], counts: list[CountRow], first_day: date, as_of: date
) -> dict[str, FollowerFigures]:
    """The region's figures per platform (the monthly report), every unit's accounts together."""
    platforms: dict[str, list[AccountRow]] = {}
    for account in accounts:
        platforms.setdefault(account.platform, []).append(account)
    return {
        platform: followers_of(of_platform, counts, first_day, as_of)
        for platform, of_platform in sorted(platforms.items())
    }


# ---- what the posts did --------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricRow:
    """One post's figures from an export, with the item it is (for its title and caption)."""

    unit_id: int
    item_id: int | None
    title: str
    caption: str  # its opening (monitoring.services.CAPTION_OPENING characters)
    published_on: date  # in the unit's zone
    platform: str
    views: int | None
    reach: int | None
    interactions: int  # likes + comments + shares + saves


@dataclass(frozen=True)
class PostFigures:
    """The posts a unit published in the period that an export measured.

    *Engagement rate*: interactions ÷ reach of the same posts, where the exports give reach;
    else the interactions of an average post ÷ followers now (`basis` says which)."""

    posts: int
    views: int | None
    viewed_posts: int
    reach: int | None
    interactions: int
    reached_interactions: int  # the interactions of the posts that gave a reach
    engagement: float | None
    basis: str | None  # "reach" or "followers"

    @property
    def views_per_post(self) -> int | None:
        return round(self.views / self.viewed_posts) if self.viewed_posts else None


NO_POSTS = PostFigures(0, None, 0, None, 0, 0, None, None)


def post_figures(
    rows: list[MetricRow], followers_now: int | None, first_day: date, as_of: date
) -> PostFigures:
    """One unit's figures (`rows` are that unit's) for the posts published in the period."""
    mine = [r for r in rows if first_day <= r.published_on <= as_of]
    if not mine:
        return NO_POSTS
    viewed = [r.views for r in mine if r.views is not None]
    reached = [r for r in mine if r.reach]
    interactions = sum(r.interactions for r in mine)
    reached_interactions = sum(r.interactions for r in reached)
    engagement, basis = None, None
    if reached:
        engagement = round(100 * reached_interactions / sum(r.reach for r in reached), 2)
        basis = "reach"
    elif followers_now:
        engagement = round(100 * interactions / len(mine) / followers_now, 2)
        basis = "followers"
    return PostFigures(
        posts=len(mine),
        views=sum(viewed) if viewed else None,
        viewed_posts=len(viewed),
        reach=sum(r.reach for r in reached) if reached else None,
        interactions=interactions,
        reached_interactions=reached_interactions,
        engagement=engagement,
        basis=basis,
    )


def best_posts(rows: list[MetricRow], first_day: date, as_of: date, count: int) -> list[MetricRow]:
    """The period's posts with the most interactions (then views): what works, for mentoring."""
    mine = [r for r in rows if first_day <= r.published_on <= as_of]
    return sorted(mine, key=lambda r: (-r.interactions, -(r.views or 0), r.title))[:count]


@dataclass(frozen=True)
class ItemFigures:
    """What one planned post did on all its accounts together (a mentoring note cites it)."""

    views: int | None
    reach: int | None
    interactions: int


def item_figures(metrics) -> ItemFigures:
    """The sum of an item's PostMetric rows (each account's post once)."""
    views = [m.views for m in metrics if m.views is not None]
    reach = [m.reach for m in metrics if m.reach is not None]
    return ItemFigures(
        views=sum(views) if views else None,
        reach=sum(reach) if reach else None,
        interactions=sum(m.interactions for m in metrics),
    )
