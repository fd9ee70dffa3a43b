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
