"""Importing an .ics file as region themes: whole or nothing, and no doubles on re-import."""

import io
from datetime import date

import pytest
import sqlalchemy as sa

from calendarapp.accounts.models import Role
from calendarapp.content.models import Theme
from calendarapp.extensions import db

NATIONAL_DAYS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//uji//\r\n"
    "BEGIN:VEVENT\r\nUID:hari-pahlawan-2026@uji\r\nDTSTAMP:20260101T000000Z\r\n"
    "SUMMARY:Hari Pahlawan\r\nDTSTART;VALUE=DATE:20261110\r\nDTEND;VALUE=DATE:20261111\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:hkn-2026@uji\r\nDTSTAMP:20260101T000000Z\r\n"
    "SUMMARY:Hari Kesehatan Nasional\r\nDTSTART;VALUE=DATE:20261112\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def people(make):
    unit = make.unit()
    make.user("koordinator@kominfo.test", coordinator=True)
    make.user("admin@satpol.test", {unit: Role.ADMIN})


def upload(client, auth, text: str | bytes, name="hari-nasional.ics"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        "/feeds/import",
        data={"csrf_token": auth.csrf("/feeds"), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def themes() -> dict[str, Theme]:
    return {t.name: t for t in db.session.scalars(sa.select(Theme))}


def test_national_days_become_region_themes_once(client, auth, people):
    auth.login("koordinator@kominfo.test")
    first = upload(client, auth, NATIONAL_DAYS)
    assert first.status_code == 200 and "2 tema baru" in first.get_data(as_text=True)
    found = themes()
    assert found["Hari Pahlawan"].starts_on == date(2026, 11, 10)
    assert found["Hari Pahlawan"].ends_on == date(2026, 11, 10)  # DTEND is exclusive
    assert found["Hari Kesehatan Nasional"].unit_id is None
    again = upload(client, auth, NATIONAL_DAYS.replace("Hari Pahlawan", "Hari Pahlawan Nasional"))
    assert "0 tema baru, 2 diperbarui" in again.get_data(as_text=True)
    db.session.expire_all()
    assert len(themes()) == 2 and "Hari Pahlawan Nasional" in themes()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("bukan kalender", "x.ics", "bukan berkas iCalendar"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "x.ics", "tidak berisi acara"),
        (NATIONAL_DAYS.replace("SUMMARY:Hari Kesehatan Nasional\r\n", ""), "x.ics", "Acara ke-2"),
        (NATIONAL_DAYS.replace("hkn-2026@uji", "hari-pahlawan-2026@uji"), "x.ics", "UID yang sama"),
        (NATIONAL_DAYS, "hari.csv", "Pilih berkas .ics"),
        (b"BEGIN:VCALENDAR\r\n" + b"X" * 1_100_000, "x.ics", "terlalu besar"),
    ],
)
def test_a_bad_file_is_refused_whole(client, auth, people, content, name, message):
    auth.login("koordinator@kominfo.test")
    response = upload(client, auth, content, name)
    assert response.status_code in (413, 422)
    assert message in response.get_data(as_text=True)
    assert themes() == {}


def test_only_coordinators_import(client, auth, people):
    auth.login("admin@satpol.test")
    assert upload(client, auth, NATIONAL_DAYS).status_code == 404
    assert themes() == {}
