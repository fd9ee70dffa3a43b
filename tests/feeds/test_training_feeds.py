"""The trainings feed: trainings, follow-up visits and RTL due dates, read by three parsers."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from calendarapp.extensions import db
from calendarapp.feeds import services as feeds
from calendarapp.feeds.models import FeedScope
from calendarapp.mentoring import services
from calendarapp.mentoring.models import ActionStatus
from calendarapp.mentoring.services import ActionFields, NoteFields
from tests.feeds.test_feeds import events, fetch, link, lint, parse_everywhere
from tests.mentoring_world import build


@pytest.fixture
def world(make):
    world = build(make)
    world.note = services.write_note(
        world.mentor,
        NoteFields(
            unit=world.satpol,
            training=world.fgd,
            noted_on=date(2026, 10, 28),
            to_improve="Judul pada foto.",
            next_follow_up=date(2026, 11, 26),
            actions=[
                ActionFields(
                    "Pakai templat judul pada foto", world.satpol_editor, date(2026, 11, 30)
                )
            ],
        ),
    )
    db.session.commit()
    return world


def test_a_unit_member_gets_the_training_follow_up_and_rtl(client, world):
    body = fetch(client, link(world.satpol_writer, FeedScope.TRAININGS)).get_data()
    lint(body)
    found = events(parse_everywhere(body))
    fgd = found[f"training-{world.fgd.id}@kalender-konten"]
    assert (
        str(fgd["SUMMARY"])
        == "FGD (diskusi kelompok terpumpun): FGD Pengelolaan Konten Media Sosial"
    )
    assert fgd.decoded("DTSTART") == datetime(2026, 10, 21, 9, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert str(fgd["LOCATION"]) == "Aula Diskominfo"
    follow_up = found[f"follow-up-{world.note.id}@kalender-konten"]
    assert follow_up.decoded("DTSTART") == date(2026, 11, 26)
    action = world.note.actions[0]
    rtl = found[f"rtl-{action.id}@kalender-konten"]
    assert str(rtl["SUMMARY"]) == "Tenggat RTL: Pakai templat judul pada foto · Satpol PP"
    assert rtl.decoded("DTEND") == date(2026, 12, 1)


def test_the_mentor_gets_the_notes_they_wrote_and_other_units_get_none(client, world):
    mentor = events(
        parse_everywhere(fetch(client, link(world.mentor, FeedScope.TRAININGS)).get_data())
    )
    assert f"follow-up-{world.note.id}@kalender-konten" in mentor
    bpbd = events(
        parse_everywhere(fetch(client, link(world.bpbd_admin, FeedScope.TRAININGS)).get_data())
    )
    assert f"training-{world.fgd.id}@kalender-konten" in bpbd  # it took part
    assert not any(uid.startswith(("follow-up", "rtl")) for uid in bpbd)
    dinkes = events(
        parse_everywhere(fetch(client, link(world.dinkes_admin, FeedScope.TRAININGS)).get_data())
    )
    assert dinkes == {}


def test_a_finished_rtl_leaves_the_feed_and_the_etag_changes(client, world):
    path = link(world.satpol_admin, FeedScope.TRAININGS)
    first = fetch(client, path)
    action = world.note.actions[0]
    services.set_action_status(action, world.satpol_admin, ActionStatus.SELESAI, action.version)
    db.session.commit()
    second = fetch(client, path, **{"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert f"rtl-{action.id}@kalender-konten" not in events(parse_everywhere(second.get_data()))
    assert fetch(client, path, **{"If-None-Match": second.headers["ETag"]}).status_code == 304


def test_everyone_may_subscribe_to_the_trainings_feed(world):
    assert (FeedScope.TRAININGS, None) in feeds.available(world.dinkes_admin)
