"""Follower figures on constructed counts with known answers: growth over a period, accounts
counted once, a month without a count, the day scored."""

from __future__ import annotations

from datetime import date

import pytest

from calendarapp.performance.figures import (
    AccountRow,
    CountRow,
    MetricRow,
    best_posts,
    by_platform,
    followers_of,
    post_figures,
)

NOVEMBER = date(2026, 11, 1)
IG, FB = AccountRow(1, 7, "instagram", True), AccountRow(2, 7, "facebook", True)


def counts(*rows: tuple[int, date, int]) -> list[CountRow]:
    return [CountRow(*row) for row in rows]


def test_growth_compares_the_last_count_before_the_period_with_the_last_one_by_its_end():
    rows = counts(
        (1, date(2026, 10, 1), 900),
        (1, date(2026, 10, 28), 1000),  # the last before November
        (1, date(2026, 11, 15), 1030),
        (1, date(2026, 11, 28), 1050),  # the last by the day scored
        (1, date(2026, 12, 2), 2000),  # after the day scored: not counted
    )
    figures = followers_of([IG], rows, NOVEMBER, date(2026, 11, 30))
    assert (figures.now, figures.gained, figures.base) == (1050, 50, 1000)
    assert figures.growth_percent == 5.0 and not figures.fell and not figures.missing


def test_an_account_counted_only_in_the_period_adds_to_now_but_not_to_growth():
    rows = counts(
        (1, date(2026, 10, 28), 1000), (1, date(2026, 11, 28), 990), (2, date(2026, 11, 20), 300)
    )
    figures = followers_of([IG, FB], rows, NOVEMBER, date(2026, 11, 30))
    assert (figures.now, figures.gained, figures.base) == (1290, -10, 1000)
    assert figures.fell and figures.growth_percent == -1.0


def test_no_count_in_the_last_31_days_is_missing_data_but_only_for_live_accounts():
    rows = counts((1, date(2026, 9, 30), 1000))
    figures = followers_of([IG], rows, NOVEMBER, date(2026, 11, 30))
    assert figures.now == 1000 and figures.gained is None and figures.missing
    # counted on 31 October: on 5 November that is recent, at the month's end it is not
    rows = counts((1, date(2026, 10, 31), 1000))
    assert not followers_of([IG], rows, NOVEMBER, date(2026, 11, 5)).missing
    assert followers_of([IG], rows, NOVEMBER, date(2026, 12, 1)).missing
    dormant = AccountRow(1, 7, "instagram", False)
    assert not followers_of([dormant], [], NOVEMBER, date(2026, 11, 30)).missing
    assert not followers_of([], [], NOVEMBER, date(2026, 11, 30)).missing


def test_the_region_per_platform():
    other_ig = AccountRow(3, 8, "instagram", True)
    rows = counts(
        (1, date(2026, 10, 28), 1000),
        (1, date(2026, 11, 28), 1100),
        (3, date(2026, 10, 28), 500),
        (3, date(2026, 11, 28), 400),
        (2, date(2026, 11, 20), 300),
    )
    platforms = by_platform([IG, FB, other_ig], rows, NOVEMBER, date(2026, 11, 30))
    assert list(platforms) == ["facebook", "instagram"]
    assert (platforms["instagram"].now, platforms["instagram"].gained) == (1500, 0)
    assert platforms["facebook"].now == 300 and platforms["facebook"].gained is None
    assert platforms["instagram"].growth_percent == pytest.approx(0.0)


def metric(day: int, views=None, reach=None, interactions=0, title="Pos") -> MetricRow:
    return MetricRow(7, None, title, "", date(2026, 11, day), "instagram", views, reach,
                     interactions)  # fmt: skip


def test_engagement_is_interactions_over_reach_where_the_exports_give_reach():
    rows = [metric(3, views=1000, reach=800, interactions=40),
            metric(10, views=500, reach=200, interactions=10),
            metric(12, views=300, interactions=99),  # no reach: left out of the rate
            metric(30, reach=100, interactions=100)]  # fmt: skip
    figures = post_figures(rows, 5000, NOVEMBER, date(2026, 11, 15))  # the 30th is not lived yet
    assert figures.posts == 3 and figures.basis == "reach"
    assert figures.engagement == 5.0  # (40 + 10) / (800 + 200)
    assert figures.views_per_post == 600 and figures.interactions == 149


def test_without_reach_an_average_posts_interactions_over_followers():
    rows = [metric(3, interactions=30), metric(4, interactions=10)]
    figures = post_figures(rows, 1000, NOVEMBER, date(2026, 11, 30))
    assert figures.basis == "followers" and figures.engagement == 2.0  # 20 / 1000
    assert post_figures(rows, None, NOVEMBER, date(2026, 11, 30)).engagement is None
    assert post_figures([], 1000, NOVEMBER, date(2026, 11, 30)).posts == 0


def test_the_best_posts_have_the_most_interactions():
    rows = [
        metric(3, interactions=5, title="a"),
        metric(4, views=9, interactions=50, title="b"),
        metric(5, views=1, interactions=50, title="c"),
        metric(25, interactions=99, title="d"),
    ]
    assert [r.title for r in best_posts(rows, NOVEMBER, date(2026, 11, 20), 2)] == ["b", "c"]
