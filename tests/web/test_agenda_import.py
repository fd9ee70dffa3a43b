"""The leader's agenda imported from the aide's calendar file (iCalendar): new and updated events,
never doubled, and a bad file refused whole."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from calendarapp.coverage.models import AgendaEvent, Leader
from calendarapp.extensions import db
from tests.coverage_world import build, wib


@pytest.fixture
def world(make):
    return build(make)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


AIDE_CALENDAR = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Ajudan//Agenda Bupati//ID\r
BEGIN:VEVENT\r
UID:ajudan-001@example.org\r
DTSTAMP:20261120T000000Z\r
DTSTART;TZID=Asia/Jakarta:20261127T080000\r
DTEND;TZID=Asia/Jakarta:20261127T100000\r
SUMMARY:Peresmian jembatan desa\r
LOCATION:Desa Cibening\r
DESCRIPTION:Hadir bersama Kepala Dinas PUPR.\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:ajudan-002@example.org\r
DTSTAMP:20261120T000000Z\r
DTSTART;VALUE=DATE:20261128\r
DTEND;VALUE=DATE:20261129\r
SUMMARY:Kunjungan kerja (waktu menyusul)\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:ajudan-003@example.org\r
DTSTAMP:20261120T000000Z\r
DTSTART:20261129T010000Z\r
DTEND:20261129T020000Z\r
SUMMARY:Rapat virtual\r
END:VEVENT\r
END:VCALENDAR\r
"""


def upload(client, auth, data: bytes, name: str = "agenda.ics", **fields):
    token = auth.csrf("/agenda/import")
    return client.post(
        "/agenda/import",
        data={
            "csrf_token": token,
            "leader": "bupati",
            "visibility": "public",
            "file": (io.BytesIO(data), name),
            **fields,
        },
        content_type="multipart/form-data",
    )


def test_prokopim_imports_the_aides_calendar_and_again_without_doubles(client, auth, world):
    auth.login("prokopim@pemda.test")
    before = count(AgendaEvent)
    response = upload(client, auth, AIDE_CALENDAR)
    assert response.status_code == 200
    assert "3 agenda baru, 0 diperbarui" in response.get_data(as_text=True)
    bridge = db.session.scalar(sa.select(AgendaEvent).where(AgendaEvent.title.contains("jembatan")))
    assert bridge.starts_at == wib(27, 8) and bridge.ends_at == wib(27, 10)
    assert bridge.place == "Desa Cibening" and bridge.leader == Leader.BUPATI
    whole_day = db.session.scalar(
        sa.select(AgendaEvent).where(AgendaEvent.title.startswith("Kunjungan kerja"))
    )
    assert whole_day.time_tbc and whole_day.day == date(2026, 11, 28)
    utc = db.session.scalar(sa.select(AgendaEvent).where(AgendaEvent.title == "Rapat virtual"))
    assert utc.timezone == "Asia/Jakarta" and utc.starts_at == wib(29, 8)
    again = upload(client, auth, AIDE_CALENDAR.replace(b"Desa Cibening", b"Desa Sukasari"))
    assert "0 agenda baru, 3 diperbarui" in again.get_data(as_text=True)
    assert count(AgendaEvent) == before + 3
    db.session.expire_all()
    assert db.session.get(AgendaEvent, bridge.id).place == "Desa Sukasari"


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"not a calendar", "agenda.ics", "bukan berkas iCalendar"),
        (AIDE_CALENDAR, "agenda.txt", ""),
        (AIDE_CALENDAR.replace(b"UID:ajudan-002", b"UID:ajudan-001"), "agenda.ics", "UID"),
        (
            AIDE_CALENDAR.replace(
                b"DTEND;TZID=Asia/Jakarta:20261127T100000",
                b"DTEND;TZID=Asia/Jakarta:20261127T070000",
            ),
            "agenda.ics",
            "",
        ),
        # no end, and the default hour would pass year 9999
        (
            AIDE_CALENDAR.replace(
                b"DTSTART;TZID=Asia/Jakarta:20261127T080000\r\nDTEND;TZID=Asia/Jakarta:"
                b"20261127T100000",
                b"DTSTART:99991231T233000",
            ),
            "agenda.ics",
            "2000",
        ),
        # month 13, hour 25: icalendar hands back the raw text
        (
            AIDE_CALENDAR.replace(
                b"DTSTART;TZID=Asia/Jakarta:20261127T080000", b"DTSTART:20271345T250000"
            ),
            "agenda.ics",
            "Acara ke-1",
        ),
        # a whole day in 1900
        (
            AIDE_CALENDAR.replace(b"DTSTART;VALUE=DATE:20261128", b"DTSTART;VALUE=DATE:19001128"),
            "agenda.ics",
            "2000",
        ),
    ],
)
def test_a_bad_agenda_file_is_refused_whole(client, auth, world, data, name, message):
    auth.login("prokopim@pemda.test")
    before = count(AgendaEvent)
    response = upload(client, auth, data, name)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'class="field-errors"' in body and message in body
    assert count(AgendaEvent) == before


def test_only_prokopim_imports_the_agenda(client, auth, world):
    auth.login("koordinator@pemda.test")
    assert client.get("/agenda/import").status_code == 404
