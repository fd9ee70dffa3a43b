"""Pantauan's links open the list for Pantauan's own period, and an item leads back to the list.

The tests' clock is 23 November 2026: the last four whole weeks are 26 October – 22 November.
"""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, datetime

import pytest

from calendarapp.extensions import db
from tests.monitoring_world import build, publish


@pytest.fixture
def region(make):
    world = build(make)  # Satpol PP: one post without a story, on 18 November
    satpol = world["satpol"]
    publish(make, satpol, datetime(2026, 10, 28, 3, tzinfo=UTC), caption="Apel pagi.")
    # planned for 24 October, out on the 27th: it counts on the day it went out
    late = publish(make, satpol, datetime(2026, 10, 27, 3, tzinfo=UTC), caption="Patroli.")
    late.planned_at = datetime(2026, 10, 24, 3, tzinfo=UTC)
    db.session.commit()
    return world


def _without_story_link(page: str, unit_id: int) -> tuple[str, str]:
    row = page[page.index(f'data-unit-id="{unit_id}"') :].split("</tr>")[0]
    match = re.search(r'<a href="([^"]*story=no[^"]*)">(\d+) tanpa cerita</a>', row)
    assert match, row
    return html_lib.unescape(match.group(1)), match.group(2)


def test_the_without_a_story_link_lists_the_same_posts_as_the_scorecard(client, auth, region):
    auth.login("koordinator@test")
    page = client.get("/monitoring?weeks=4&columns=all").get_data(as_text=True)
    link, counted = _without_story_link(page, region["satpol"].id)
    assert counted == "3"
    assert "from=2026-10-26" in link and "to=2026-11-22" in link
    listed = client.get(link).get_data(as_text=True)
    assert listed.count("data-item-id=") == 3
    assert "26 Okt 2026 – 22 Nov 2026" in listed
    # a month in Pantauan links to that month's days
    page = client.get("/monitoring?month=2026-10&columns=all").get_data(as_text=True)
    link, counted = _without_story_link(page, region["satpol"].id)
    assert "from=2026-10-01" in link and "to=2026-10-31" in link
    assert client.get(link).get_data(as_text=True).count("data-item-id=") == int(counted) == 2


def test_the_list_keeps_its_period_in_its_sort_and_filter_links(client, auth, region):
    auth.login("koordinator@test")
    unit = region["satpol"].id
    listed = client.get(
        f"/calendar/list?unit={unit}&story=no&from=2026-10-26&to=2026-11-22"
    ).get_data(as_text=True)
    assert 'name="from" value="2026-10-26"' in listed and 'name="to" value="2026-11-22"' in listed
    sort_link = re.search(r'href="([^"]*sort=title[^"]*)"', listed).group(1)
    assert "from=2026-10-26" in sort_link and "to=2026-11-22" in sort_link


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-11-01",  # no end
        "from=2026-11-10&to=2026-11-01",  # ends before it starts
        "from=2025-01-01&to=2026-11-01",  # more than a year
        "from=1900-01-01&to=1900-01-02",
        "from=2026-11-01&to=2026-13-01",
        "from=٢٠٢٦-١١-٠١&to=2026-11-02",
    ],
)
def test_a_bad_period_in_the_list_address_is_refused_clearly(client, auth, region, query):
    auth.login("koordinator@test")
    response = client.get(f"/calendar/list?{query}")
    assert response.status_code == 400
    assert "periode" in response.get_data(as_text=True).lower() or "tanggal" in (
        response.get_data(as_text=True).lower()
    )


def test_the_filter_count_counts_every_filter_in_the_address(client, auth, region):
    auth.login("koordinator@test")
    unit = region["satpol"].id
    page = client.get(f"/calendar/list?month=2026-11&unit={unit}&status=tayang&story=no")
    assert '<summary data-filter-count="3">Filter (3)</summary>' in page.get_data(as_text=True)
    page = client.get("/calendar/month?month=2026-11&agenda=none").get_data(as_text=True)
    assert '<summary data-filter-count="1">Filter (1)</summary>' in page
    page = client.get("/calendar/month").get_data(as_text=True)
    assert '<summary data-filter-count="0">Filter</summary>' in page


def test_an_item_opened_from_the_list_leads_back_to_that_list(client, auth, region):
    auth.login("admin@satpol.test")
    address = "/calendar/list?month=2026-11&story=no&sort=title"
    listed = client.get(address).get_data(as_text=True)
    item_link = html_lib.unescape(re.search(r'href="(/items/\d+\?back=[^"]+)"', listed).group(1))
    item_page = client.get(item_link).get_data(as_text=True)
    back = re.search(r'<a class="button" href="([^"]+)" data-way-back>([^<]+)</a>', item_page)
    assert html_lib.unescape(back.group(1)) == address
    assert back.group(2) == "Kembali ke daftar"


@pytest.mark.parametrize(
    "back",
    [
        "//evil.example/calendar/list",
        "https://evil.example/",
        "javascript:alert(1)",
        "/logout",
        "/calendar/list\nx",
        "\\\\evil.example",
    ],
)
def test_a_way_back_elsewhere_falls_back_to_the_items_week(client, auth, region, back):
    auth.login("admin@satpol.test")
    listed = client.get("/calendar/list?month=2026-11").get_data(as_text=True)
    item_id = re.search(r'data-item-id="(\d+)"', listed).group(1)
    page = client.get(f"/items/{item_id}", query_string={"back": back}).get_data(as_text=True)
    back = re.search(r'<a class="button" href="([^"]+)" data-way-back>([^<]+)</a>', page)
    assert back.group(1).startswith("/calendar/week?week=2026-W")
    assert back.group(2) == "Kembali ke pekan ini"
