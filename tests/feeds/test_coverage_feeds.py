"""The leader's agenda feed and accepted coverage in personal feeds, read by three parsers."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest

from calendarapp import clock
from calendarapp.coverage import services
from calendarapp.coverage.services import EventFields
from calendarapp.coverage.workflow import CoverageStatus
from calendarapp.extensions import db
from calendarapp.feeds import services as feeds
from calendarapp.feeds.models import FeedScope
from tests.conftest import NOW
from tests.coverage_world import build, wib
from tests.feeds.test_feeds import events, fetch, link, lint, parse_everywhere

S = CoverageStatus


@pytest.fixture
def world(make):
    return build(make)


def uid(kind: str, number: int) -> str:
    return f"{kind}-{number}@kalender-konten"


def test_the_agenda_feed_shows_events_with_their_coverage(client, world):
    accepted = world.ask(world.visit, person=world.nur)
    services.transition(accepted, S.DITERIMA, world.nur, version=accepted.version)
    db.session.commit()
    body = fetch(client, link(world.keeper, FeedScope.AGENDA)).get_data()
    lint(body)
    cal = parse_everywhere(body)
    found = events(cal)
    visit = found[uid("agenda", world.visit.id)]
    assert str(visit["SUMMARY"]) == "Bupati: Kunjungan Bupati ke Puskesmas Sukamaju"
    assert visit.decoded("DTSTART") == wib(26, 9, 30)
    assert b"DTSTART;TZID=Asia/Jakarta:20261126T093000" in body
    assert visit.decoded("DTEND") == wib(26, 11, 30)
    assert str(visit["LOCATION"]) == "Puskesmas Sukamaju"
    assert "Foto: Nur Aini · Diterima" in str(visit["DESCRIPTION"])
    assert str(visit["URL"]).endswith(f"/agenda/{world.visit.id}")
    # Prokopim sees the restricted event in full
    assert "Audiensi" in str(found[uid("agenda", world.audience.id)]["SUMMARY"])
    assert str(cal["X-WR-CALNAME"]) == "Agenda Pimpinan"


def test_the_coordinator_gets_restricted_events_as_closed_blocks(client, world):
    body = fetch(client, link(world.coordinator, FeedScope.AGENDA)).get_data()
    found = events(parse_everywhere(body))
    closed = found[uid("agenda", world.audience.id)]
    assert str(closed["SUMMARY"]) == "Agenda tertutup"
    assert "DESCRIPTION" not in closed and "LOCATION" not in closed
    assert b"Audiensi" not in body
    assert uid("agenda", world.briefing.id) in found  # internal: coordinators see it


def test_an_event_whose_time_is_to_be_confirmed_is_a_whole_day(client, world):
    event = world.event("Dialog UMKM", day=date(2026, 11, 27), start=None, end=None)
    body = fetch(client, link(world.keeper, FeedScope.AGENDA)).get_data()
    found = events(parse_everywhere(body))
    whole = found[uid("agenda", event.id)]
    assert whole.decoded("DTSTART") == date(2026, 11, 27)
    assert whole.decoded("DTEND") == date(2026, 11, 28)
    assert "Waktu menyusul" in str(whole["DESCRIPTION"])


def test_only_prokopim_and_coordinators_may_subscribe_to_the_agenda(world):
    assert (FeedScope.AGENDA, None) in feeds.available(world.keeper)
    assert (FeedScope.AGENDA, None) in feeds.available(world.coordinator)
    assert (FeedScope.AGENDA, None) not in feeds.available(world.nur)
    with pytest.raises(PermissionError):
        feeds.issue(world.nur, FeedScope.AGENDA)


def test_a_keeper_who_leaves_prokopim_loses_the_feed(client, world):
    path = link(world.prokopim_staff, FeedScope.AGENDA)
    assert fetch(client, path).status_code == 200
    membership = world.prokopim_staff.memberships[0]
    db.session.delete(membership)
    db.session.commit()
    assert fetch(client, path).status_code == 404


def test_accepted_coverage_appears_in_the_contributors_personal_feed(client, world):
    request = world.ask(world.visit, person=world.nur, due=wib(26, 15))
    path = link(world.nur, FeedScope.PERSONAL)
    first = fetch(client, path)
    assert uid("coverage", request.id) not in events(parse_everywhere(first.get_data()))
    services.transition(request, S.DITERIMA, world.nur, version=request.version)
    db.session.commit()
    second = fetch(client, path, **{"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200  # the acceptance changed the feed
    body = second.get_data()
    lint(body)
    covered = events(parse_everywhere(body))[uid("coverage", request.id)]
    assert str(covered["SUMMARY"]) == "Liputan: Kunjungan Bupati ke Puskesmas Sukamaju (Foto)"
    assert covered.decoded("DTSTART") == wib(26, 9, 30)
    assert "Tenggat: 2026-11-26 15.00" in str(covered["DESCRIPTION"])
    # nothing changed: 304
    again = fetch(client, path, **{"If-None-Match": second.headers["ETag"]})
    assert again.status_code == 304


def test_a_moved_event_moves_in_the_feed_with_a_higher_sequence(client, world):
    request = world.ask(world.visit, person=world.nur)
    services.transition(request, S.DITERIMA, world.nur, version=request.version)
    db.session.commit()
    path = link(world.nur, FeedScope.PERSONAL)
    before = events(icalendar.Calendar.from_ical(fetch(client, path).get_data()))
    with clock.frozen(NOW + timedelta(minutes=5)):
        services.update_event(
            world.visit,
            world.keeper,
            world.visit.version,
            EventFields(
                leader=world.visit.leader,
                title=world.visit.title,
                day=date(2026, 11, 27),
                timezone="Asia/Jakarta",
                start=world.visit.local_start().time(),
                end=world.visit.local_end().time(),
            ),
        )
        db.session.commit()
    after = events(icalendar.Calendar.from_ical(fetch(client, path).get_data()))
    key = uid("coverage", request.id)
    assert after[key].decoded("DTSTART") == wib(27, 9, 30)
    assert int(after[key]["SEQUENCE"]) > int(before[key]["SEQUENCE"])
    assert after[key].decoded("LAST-MODIFIED") > before[key].decoded("LAST-MODIFIED")


def test_a_cancelled_event_shows_as_cancelled_in_the_agenda_feed(client, world):
    path = link(world.keeper, FeedScope.AGENDA)
    fetch(client, path)
    services.cancel_event(world.visit, world.keeper, world.visit.version, "Jadwal berubah.")
    db.session.commit()
    found = events(parse_everywhere(fetch(client, path).get_data()))
    cancelled = found[uid("agenda", world.visit.id)]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("DIBATALKAN")
    with clock.frozen(NOW + timedelta(days=15)):
        later = events(parse_everywhere(fetch(client, path).get_data()))
    assert uid("agenda", world.visit.id) not in later


def test_the_agenda_feed_gives_identical_bytes_for_identical_data(client, world):
    path = link(world.keeper, FeedScope.AGENDA)
    first, second = fetch(client, path), fetch(client, path)
    assert first.get_data() == second.get_data()
    assert first.headers["ETag"] == second.headers["ETag"]
