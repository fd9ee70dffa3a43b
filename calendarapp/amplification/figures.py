"""Amplification compliance, defined once on plain rows (Pantauan reads it), in each unit's zone:

- a request is *asked* of a unit in a period when its deadline falls on a day of the period
  before the day scored (one due on the day scored counts once it is answered in full);
- the unit *answered on time* when every platform asked has an answer (done or not, with its
  reason) made by the deadline; compliance is answered on time ÷ asked;
- it is *behind* (flag Amplifikasi tertunggak) when, on the day scored, a request whose deadline
  day has passed still has a platform without an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class AskedRow:
    unit_id: int
    deadline_at: datetime
    platforms: int
    answered: tuple[datetime, ...]  # when each answered platform was answered


@dataclass(frozen=True)
class Compliance:
    asked: int
    on_time: int
    behind: int  # requests past their deadline still owing on the day scored

    @property
    def rate(self) -> float | None:
        return round(100 * self.on_time / self.asked, 1) if self.asked else None


NONE = Compliance(0, 0, 0)


def compliance(rows: list[AskedRow], zone: ZoneInfo, first_day: date, as_of: date) -> Compliance:
    """One unit's compliance (`rows` are that unit's) for the days first_day … as_of."""
    asked = on_time = behind = 0
    for row in rows:
        deadline_day = row.deadline_at.astimezone(zone).date()
        if not first_day <= deadline_day <= as_of:
            continue
        in_time = sum(1 for at in row.answered if at <= row.deadline_at) >= row.platforms
        if deadline_day == as_of and not in_time:
            continue  # due today, not answered yet: not scored before its day is over
        asked += 1
        on_time += in_time
        answered_by_then = sum(1 for at in row.answered if at.astimezone(zone).date() <= as_of)
        if deadline_day < as_of and answered_by_then < row.platforms:
            behind += 1
    return Compliance(asked, on_time, behind)
