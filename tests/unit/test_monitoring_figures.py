"""Pantauan's figures on constructed data with known answers: edges, zones, targets, no posts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from calendarapp.monitoring import figures as f
from calendarapp.monitoring import ranking

# The clock of the tests: Monday 23 November 2026. "The last 4 weeks" are 26 Oct – 22 Nov.
TODAY = date(2026, 11, 23)
FOUR_WEEKS = f.last_weeks(TODAY, 4)
LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)


def unit(zone="Asia/Jakarta", target=2, created=LONG_AGO, targets=(), unit_id=1) -> f.UnitRow:
    return f.UnitRow(
        unit_id, f"Unit {unit_id}", f"U{unit_id}", "dinas", zone, created, target, targets
    )


def post(posted: datetime, planned: date | None = None, *, unit_id=1, **fields) -> f.ItemRow:
    values = dict(
        unit_id=unit_id,
        published=True,
        cancelled=False,
        planned_at=None,
        planned_date=planned or posted.date(),
        posted_at=posted,
        theme_id=None,
        has_story=False,
        checked=False,
    )
    values.update(fields)
    return f.ItemRow(**values)


def compute(u: f.UnitRow, items=(), period=FOUR_WEEKS, **inputs) -> f.UnitFigures:
    data = f.Inputs(units=[u], items=list(items), **inputs)
    return f.compute(data, period, lambda zone: TODAY)[0]


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_the_last_weeks_are_whole_weeks_before_the_current_one():
    assert FOUR_WEEKS.days.start == date(2026, 10, 26)
    assert FOUR_WEEKS.days.end == date(2026, 11, 22)
    assert FOUR_WEEKS.mondays == [
        date(2026, 10, 26),
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]


@pytest.mark.parametrize(
    ("zone", "published"),
    [("Asia/Jakarta", 1), ("Asia/Makassar", 2), ("Asia/Jayapura", 1)],
)
def test_a_post_counts_on_its_day_in_the_units_zone(zone, published):
    # 22 Nov 15:30 UTC is Sunday 22.30 WIB and 23.30 WITA, but Monday 00.30 WIT (this week,
    # not scored yet); 25 Oct 16:30 UTC is Sunday 23.30 WIB (before the period) but Monday
    # 26 Oct 00.30 WITA and 01.30 WIT.
    figures = compute(
        unit(zone), [post(utc(2026, 11, 22, 15, 30)), post(utc(2026, 10, 25, 16, 30))]
    )
    assert figures.published == published


def test_week_by_week_counts_and_targets_met():
    u = unit(target=2)
    items = [
        post(utc(2026, 10, 26, 3)),  # week 1: 1 post
        post(utc(2026, 11, 2, 3)),  # week 2: 3 posts
        post(utc(2026, 11, 4, 3)),
        post(utc(2026, 11, 8, 3)),
        post(utc(2026, 11, 16, 3)),  # week 4: 2 posts
        post(utc(2026, 11, 22, 3)),
    ]
    figures = compute(u, items)
    assert [w.published for w in figures.weeks] == [1, 3, 0, 2]
    assert [w.met for w in figures.weeks] == [False, True, False, True]
    assert figures.weeks_met == 2 and figures.weeks_scored == 4
    assert figures.expected == 8
    assert figures.cadence == 75.0
    assert figures.longest_gap == 7  # 9–15 November


def test_a_unit_created_mid_period_expects_only_the_days_it_existed():
    # created on Wednesday 11 November, 10.00 WIB: 5 days of that week, then a whole week
    u = unit(target=7, created=utc(2026, 11, 11, 3))
    figures = compute(u, [post(utc(2026, 11, 12, 3))] * 6)
    assert [round(w.expected, 2) for w in figures.weeks] == [0, 0, 5, 7]
    assert figures.expected == 12
    assert figures.cadence == 50.0
    assert figures.weeks_scored == 2
    assert figures.longest_gap == 10  # 13–22 November; days before the unit existed don't count


def test_a_target_changed_mid_period_scores_each_week_by_its_own():
    u = unit(target=4, targets=((date(2000, 1, 3), 2), (date(2026, 11, 9), 4)))
    figures = compute(u)
    assert [w.target for w in figures.weeks] == [2, 2, 4, 4]
    assert figures.expected == 12


def test_a_month_in_progress_scores_only_the_days_up_to_today():
    november = f.month_period(date(2026, 11, 1))
    figures = compute(unit(target=7), [post(utc(2026, 11, 20, 3))], period=november)
    assert figures.expected == 23  # 1–23 November, 7 a week
    assert f.ceil_expected(figures.expected) == 23


def test_on_time_means_published_no_later_than_its_planned_day():
    wib = unit("Asia/Jakarta")
    items = [
        post(utc(2026, 11, 3, 3), date(2026, 11, 3)),  # on the day
        post(utc(2026, 11, 3, 3), date(2026, 11, 4)),  # a day early
        post(utc(2026, 11, 4, 17, 10), date(2026, 11, 4)),  # 00.10 WIB on the 5th: late
        post(utc(2026, 11, 10, 3), None, planned_date=None),  # not planned: not rated
    ]
    figures = compute(wib, items)
    assert figures.planned_dated == 3
    assert figures.on_time == 2
    assert figures.on_time_rate == pytest.approx(66.7)


def test_cancelled_and_reopened_posts_do_not_count():
    items = [
        post(utc(2026, 11, 3, 3), published=False, cancelled=True),
        # reopened after publishing: it keeps its posted time but is no longer published
        post(utc(2026, 11, 4, 3), published=False),
        post(utc(2026, 11, 5, 3)),
    ]
    figures = compute(unit(), items)
    assert figures.published == 1
    assert figures.planned == 2  # the cancelled one is not planned any more


def test_a_unit_with_no_posts_at_all_is_silent_and_has_nothing_to_rate():
    figures = compute(unit())
    assert figures.published == 0
    assert figures.cadence == 0.0
    assert figures.days_since_last is None
    assert figures.on_time_rate is None and figures.story_rate is None
    assert figures.longest_gap == 28
    assert figures.flags == [f.SILENT, f.BELOW_TARGET, f.NO_PLAN]


def test_a_new_unit_is_not_silent_before_it_could_have_posted():
    figures = compute(unit(created=utc(2026, 11, 23, 1)))  # this morning
    assert f.SILENT not in figures.flags
    assert figures.expected == 0 and figures.cadence is None
    assert f.BELOW_TARGET not in figures.flags


def test_silence_counts_from_the_last_post_ever_in_the_units_zone():
    u = unit("Asia/Jayapura")
    # 9 Nov 15:30 UTC is 00.30 WIT on the 10th: 13 days before the 23rd, not yet silent
    figures = compute(u, last_posted={1: utc(2026, 11, 9, 15, 30)})
    assert figures.days_since_last == 13
    assert f.SILENT not in figures.flags
    figures = compute(u, last_posted={1: utc(2026, 11, 9, 14, 30)})
    assert figures.days_since_last == 14
    assert f.SILENT in figures.flags


def test_stories_checks_pillars_and_next_week():
    pillars = [f.Pillar(10, 1, "Layanan", 60), f.Pillar(11, 1, "Edukasi", 40)]
    items = [
        post(utc(2026, 11, 2, 3), theme_id=10, has_story=True, checked=True),
        post(utc(2026, 11, 3, 3), theme_id=10, has_story=True),
        post(utc(2026, 11, 4, 3), theme_id=10),
        post(utc(2026, 11, 5, 3), theme_id=11, checked=True),
        # planned for next week (30 Nov – 6 Dec), not yet published
        post(None, date(2026, 12, 1), published=False),
    ]
    figures = compute(unit(target=1), items, pillars=pillars)
    assert figures.with_story == 2 and figures.without_story == 2
    assert figures.story_rate == 50.0
    assert figures.checked_rate == 50.0
    assert [(p.name, p.actual) for p in figures.pillars] == [("Layanan", 75.0), ("Edukasi", 25.0)]
    assert figures.pillar_gap == 15.0
    assert figures.planned_next_week == 1
    assert f.NO_PLAN not in figures.flags


def test_overdue_rtl_and_coverage():
    figures = compute(
        unit(),
        open_actions=[(1, date(2026, 11, 22)), (1, date(2026, 11, 23))],
        coverage=[
            f.CoverageRow(1, True, True),
            f.CoverageRow(1, True, False),
            f.CoverageRow(1, False, False),
        ],
    )
    assert (figures.rtl_open, figures.rtl_overdue) == (2, 1)  # due today is not overdue yet
    assert f.RTL_LATE in figures.flags
    assert figures.coverage_answered == 2
    assert figures.coverage_on_time_rate == pytest.approx(33.3)


def test_sorting_puts_units_without_a_value_last_and_medians_skip_them():
    a = compute(unit(unit_id=1), [post(utc(2026, 11, 2, 3), unit_id=1)])
    b = f.compute(f.Inputs(units=[unit(unit_id=2)], items=[]), FOUR_WEEKS, lambda zone: TODAY)[0]
    assert [x.unit.id for x in ranking.sort_figures([b, a], "on_time", True)] == [1, 2]
    assert [x.unit.id for x in ranking.sort_figures([b, a], "on_time", False)] == [1, 2]
    medians = ranking.medians([a, b])
    assert medians["on_time_rate"] == 100.0
    assert medians["cadence"] == pytest.approx(6.25, abs=0.05)  # (12.5 + 0) / 2


def test_a_post_near_midnight_at_a_months_edge_counts_in_its_local_month():
    # 31 Oct 16:30 UTC is 23.30 WIB on the 31st but 00.30 WITA on 1 November
    october, november = f.month_period(date(2026, 10, 1)), f.month_period(date(2026, 11, 1))
    edge = [post(utc(2026, 10, 31, 16, 30))]
    assert compute(unit("Asia/Jakarta"), edge, period=october).published == 1
    assert compute(unit("Asia/Jakarta"), edge, period=november).published == 0
    assert compute(unit("Asia/Makassar"), edge, period=october).published == 0
    assert compute(unit("Asia/Makassar"), edge, period=november).published == 1


def test_a_unit_that_never_posted_is_the_most_silent_in_both_directions():
    posted = compute(unit(unit_id=1), [post(utc(2026, 11, 2, 3), unit_id=1)])
    never = f.compute(f.Inputs(units=[unit(unit_id=2)]), FOUR_WEEKS, lambda zone: TODAY)[0]
    assert never.days_since_last is None
    assert [x.unit.id for x in ranking.sort_figures([posted, never], "last", True)] == [2, 1]
    assert [x.unit.id for x in ranking.sort_figures([never, posted], "last", False)] == [1, 2]


def test_a_past_month_is_scored_as_of_its_last_day():
    october = f.month_period(date(2026, 10, 1))
    assert october.as_of(TODAY) == date(2026, 10, 31)
    assert f.month_period(date(2026, 11, 1)).as_of(TODAY) == TODAY
    assert FOUR_WEEKS.as_of(TODAY) == TODAY
    figures = compute(
        unit(), [post(utc(2026, 10, 3, 3))], period=october, last_posted={1: utc(2026, 10, 3, 3)}
    )
    assert figures.days_since_last == 28


@pytest.mark.parametrize(
    ("published", "expected", "heat"),
    [(0, 0, "off"), (3, 0, "off"), (0, 3, "none"), (1, 3, "low"), (2, 4, "part"),
     (2, 3, "part"), (3, 3, "met"), (5, 3, "met"), (1, 3 * 3 / 7, "part"), (2, 3 * 3 / 7, "met")],
)  # fmt: skip
def test_a_week_in_the_overview_is_shaded_by_its_share_of_the_target(published, expected, heat):
    week = f.WeekFigure(date(2026, 11, 2), 3, expected, published, 0, 0, 0)
    assert week.heat == heat


def test_longest_gap_is_the_longest_run_of_days_without_a_post():
    """The gap is found between posting days; counted day by day it is the same."""
    import random
    from collections import Counter
    from datetime import timedelta

    def day_by_day(posted: Counter, first: date, last: date) -> int:
        longest = run = 0
        day = first
        while day <= last:
            run = 0 if posted.get(day) else run + 1
            longest = max(longest, run)
            day += timedelta(days=1)
        return longest

    draw = random.Random(7)
    first = date(2026, 11, 2)
    for _ in range(300):
        last = first + timedelta(days=draw.randint(-2, 40))
        posted = Counter(
            first + timedelta(days=draw.randint(-5, 45)) for _ in range(draw.randint(0, 8))
        )
        assert f._longest_gap(posted, first, last) == day_by_day(posted, first, last)
