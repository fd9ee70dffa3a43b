"""The feed's own line writer: RFC 5545 folding that never splits a UTF-8 character, and events
that the icalendar package reads back as written."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from calendarapp.feeds.ical import event, fold


@pytest.mark.parametrize("text", ["a" * 200, "é" * 120, "😀" * 60, "ab😀" * 50, "x" * 75])
def test_a_long_line_folds_at_75_octets_between_characters(text):
    folded = fold(f"DESCRIPTION:{text}".encode())
    pieces = folded.removesuffix(b"\r\n").split(b"\r\n")
    assert all(len(piece) <= 75 for piece in pieces)
    assert all(piece.startswith(b" ") for piece in pieces[1:])
    for piece in pieces:
        piece.decode()  # no character cut in two
    assert b"".join([pieces[0], *(p[1:] for p in pieces[1:])]).decode() == f"DESCRIPTION:{text}"


def test_an_event_reads_back_as_written():
    jakarta = ZoneInfo("Asia/Jakarta")
    text = event(
        uid="item-1-publish@kalender-konten",
        summary="Rapat, koordinasi; banjir\\ Ciberes " * 4,
        start=datetime(2026, 11, 23, 9, tzinfo=jakarta),
        end=date(2026, 11, 24),
        stamp=datetime(2026, 11, 22, 2, tzinfo=UTC),
        created=datetime(2026, 11, 20, tzinfo=UTC),
        sequence=4,
        description="Baris satu\nBaris dua: é😀",
        url="https://kalender.example/items/1",
        categories=["Foto, video", "Reels"],
        location="Aula; lantai 2",
    )
    read = icalendar.Event.from_ical(text)
    assert read["SUMMARY"] == "Rapat, koordinasi; banjir\\ Ciberes " * 4
    assert read.decoded("DTSTART") == datetime(2026, 11, 23, 9, tzinfo=jakarta)
    assert read.decoded("DTEND") == date(2026, 11, 24)
    assert read.decoded("DTSTAMP") == datetime(2026, 11, 22, 2, tzinfo=UTC)
    assert read["DESCRIPTION"] == "Baris satu\nBaris dua: é😀"
    assert [str(c) for c in read["CATEGORIES"].cats] == ["Foto, video", "Reels"]
    assert read["LOCATION"] == "Aula; lantai 2" and int(read["SEQUENCE"]) == 4
