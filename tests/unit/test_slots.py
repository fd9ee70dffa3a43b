"""Recurring slots: RRULE expansion around month and year ends, filling, skipping, copying."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from calendarapp.accounts import services as accounts
from calendarapp.accounts.models import Role
from calendarapp.content.models import (
    AssigneeRole,
    ContentFormat,
    ContentItem,
    Platform,
    Theme,
)
from calendarapp.extensions import db
from calendarapp.notifications.models import Notification
from calendarapp.planning import slots
from calendarapp.planning.models import Frequency, Slot, SlotFill
from calendarapp.planning.slots import SlotError, SlotFields
from calendarapp.timeutil import DateRange


@pytest.fixture
def team(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP", weekly_target=4)
    wita = make.unit("Dinas Kominfo Kota Timur", "Kominfo Timur", timezone="Asia/Makassar")
    other = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    admin = make.user("admin@satpol.test", {satpol: Role.ADMIN, wita: Role.ADMIN})
    writer = make.user("penulis@satpol.test", {satpol: Role.CONTRIBUTOR})
    pillar = Theme(unit=satpol, name="Info Layanan", color="#2563eb", intended_share=60)
    foreign = Theme(unit=other, name="Siaga", color="#f97316")
    db.session.add_all([pillar, foreign])
    db.session.commit()
    return {
        "satpol": satpol,
        "wita": wita,
        "admin": admin,
        "writer": writer,
        "pillar": pillar,
        "foreign": foreign,
    }


def slot(team, unit=None, **change) -> Slot:
    fields = dict(
        title="",
        format=ContentFormat.FOTO,
        weekdays=["MO"],
        frequency=Frequency.WEEKLY,
        starts_on=date(2026, 11, 2),
        at=time(9),
        pillar=team["pillar"],
        platforms=[Platform.INSTAGRAM],
    )
    fields.update(change)
    made = slots.save_slot(unit or team["satpol"], team["admin"], SlotFields(**fields))
    db.session.commit()
    return made


def days(made: Slot, first: date, last: date) -> list[date]:
    return made.days_between(first, last)


def test_weekly_slots_cross_month_and_year_ends(team):
    made = slot(team, weekdays=["MO", "WE"])
    assert made.title == "Info Layanan" and made.rule == "FREQ=WEEKLY;WKST=MO;BYDAY=MO,WE"
    assert days(made, date(2026, 11, 28), date(2026, 12, 3)) == [
        date(2026, 11, 30),
        date(2026, 12, 2),
    ]
    assert days(made, date(2026, 12, 28), date(2027, 1, 6)) == [
        date(2026, 12, 28),
        date(2026, 12, 30),
        date(2027, 1, 4),
        date(2027, 1, 6),
    ]


def test_every_other_week_and_monthly(team):
    biweekly = slot(team, frequency=Frequency.BIWEEKLY, weekdays=["FR"])
    assert days(biweekly, date(2026, 11, 1), date(2026, 12, 31)) == [
        date(2026, 11, 6),
        date(2026, 11, 20),
        date(2026, 12, 4),
        date(2026, 12, 18),
    ]
    monthly = slot(team, frequency=Frequency.MONTHLY, weekdays=["MO"], ends_on=date(2027, 2, 28))
    assert monthly.rule.endswith("BYDAY=1MO;UNTIL=20270228T235959")
    assert days(monthly, date(2026, 11, 1), date(2027, 12, 31)) == [
        date(2026, 11, 2),
        date(2026, 12, 7),
        date(2027, 1, 4),
        date(2027, 2, 1),
    ]


def test_filling_a_slot_in_wit_plans_at_the_units_local_time(team, make):
    papua = make.unit("Dinas Kominfo Papua Tengah", "Kominfo PT", timezone="Asia/Jayapura")
    accounts.add_membership(team["admin"], papua, Role.ADMIN)
    db.session.commit()
    made = slot(team, unit=papua, pillar=None, title="Info Layanan Papua", at=time(7, 30))
    # the slot's Mondays are Papua's Mondays: 07.30 WIT on Monday 30 November is Sunday 22.30 UTC
    item = slots.fill(made, date(2026, 11, 30), team["admin"])
    assert item.planned_at == datetime(2026, 11, 29, 22, 30, tzinfo=UTC)
    assert item.local_day() == date(2026, 11, 30)


def test_filling_a_slot_in_wita_plans_at_the_units_local_time(team):
    made = slot(team, unit=team["wita"], pillar=None, title="Info Layanan Timur")
    item = slots.fill(made, date(2026, 11, 23), team["admin"])
    db.session.commit()
    assert item.planned_at == datetime(2026, 11, 23, 1, tzinfo=UTC)  # 09.00 WITA
    assert item.title == "Info Layanan Timur" and item.platform_list == [Platform.INSTAGRAM]
    # a second click finds the same item
    assert slots.fill(made, date(2026, 11, 23), team["admin"]).id == item.id
    assert db.session.scalar(sa.select(sa.func.count(ContentItem.id))) == 1


def test_fill_and_skip_refusals_change_nothing(team):
    made = slot(team)
    with pytest.raises(SlotError, match="tidak jatuh pada hari itu"):
        slots.fill(made, date(2026, 11, 24), team["admin"])  # a Tuesday
    with pytest.raises(SlotError, match="admin dan editor unit"):
        slots.fill(made, date(2026, 11, 23), team["writer"])
    slots.skip(made, date(2026, 11, 23), team["admin"])
    db.session.commit()
    with pytest.raises(SlotError, match="dilewati"):
        slots.fill(made, date(2026, 11, 23), team["admin"])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(ContentItem.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(SlotFill.id))) == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"weekdays": []}, "minimal satu hari"),
        ({"weekdays": ["XX"]}, "minimal satu hari"),
        ({"pillar": "foreign"}, "pilar unit ini"),
        ({"ends_on": date(2026, 10, 1)}, "sebelum hari pertama"),
        ({"pillar": None, "title": " "}, "Judul wajib diisi"),
    ],
)
def test_bad_slots_are_refused(team, change, message):
    change = dict(change)  # the parameters are shared between the two databases' runs
    if change.get("pillar") == "foreign":
        change["pillar"] = team["foreign"]
    with pytest.raises(SlotError, match=message):
        slot(team, **change)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Slot.id))) == 0


def test_copy_last_week_fills_empty_slots_once(team):
    made = slot(team, weekdays=["MO", "WE"])
    slots.fill(made, date(2026, 11, 16), team["admin"], title="Info layanan KTP")
    slots.fill(made, date(2026, 11, 18), team["admin"], title="Jam layanan pekan ini")
    slots.skip(made, date(2026, 11, 25), team["admin"])
    db.session.commit()
    assert slots.copy_last_week(team["satpol"], date(2026, 11, 23), team["admin"]) == 1
    db.session.commit()
    assert slots.copy_last_week(team["satpol"], date(2026, 11, 23), team["admin"]) == 0
    week = slots.occurrences([team["satpol"].id], DateRange(date(2026, 11, 23), date(2026, 11, 29)))
    assert [(o.day, o.fill.item.title if o.fill.item else "skipped") for o in week] == [
        (date(2026, 11, 23), "Info layanan KTP"),
        (date(2026, 11, 25), "skipped"),
    ]


def test_the_weeks_figures(team, make):
    made = slot(team, weekdays=["MO", "WE", "FR"])
    slots.fill(made, date(2026, 11, 23), team["admin"])
    slots.skip(made, date(2026, 11, 27), team["admin"])
    make.item(team["satpol"], "Tanpa pilar", on=date(2026, 11, 24))
    db.session.commit()
    week = DateRange(date(2026, 11, 23), date(2026, 11, 29))
    found = slots.occurrences([team["satpol"].id], week)
    items = db.session.scalars(sa.select(ContentItem)).all()
    _themes, pillars = slots.week_themes(team["satpol"], week)
    figures = slots.week_figures(team["satpol"], items, found, pillars)
    assert (figures.target, figures.planned, figures.posted) == (4, 2, 0)
    assert (figures.slots, figures.slots_filled) == (2, 1)  # the skipped one is not a gap
    assert [(p.name if p else None, n, share) for p, n, share in figures.mix] == [
        ("Info Layanan", 1, 60),
        (None, 1, None),
    ]


# ---- changing and retiring a slot (today is Monday 23 November 2026, 09.00 WIB) ----------------

LAST_WEEK = DateRange(date(2026, 11, 16), date(2026, 11, 22))
THIS_WEEK = DateRange(date(2026, 11, 23), date(2026, 11, 29))


def fields_of(made: Slot, **change) -> SlotFields:
    data = dict(
        title=made.title,
        format=made.format,
        weekdays=made.days,
        frequency=made.frequency,
        starts_on=made.starts_on,
        ends_on=made.ends_on,
        at=made.at,
        pillar=made.pillar,
        platforms=[Platform(p) for p in made.platforms.split(",") if p],
    )
    data.update(change)
    return SlotFields(**data)


def shown(team, days: DateRange) -> list[tuple[date, str, str | None]]:
    return [
        (o.day, o.slot.title, o.fill.item.title if o.fill and o.fill.item else None)
        for o in slots.occurrences([team["satpol"].id], days)
    ]


def test_new_days_apply_from_today_and_earlier_weeks_keep_their_plan(team):
    made = slot(team, title="Info Layanan")
    slots.fill(made, date(2026, 11, 16), team["admin"], title="Jam layanan KTP")
    ahead = slots.fill(made, date(2026, 11, 30), team["admin"], title="Sudah disiapkan")
    db.session.commit()
    successor, from_day = slots.edit_slot(
        made, team["admin"], 1, fields_of(made, weekdays=["TU"], title="Info Layanan Selasa")
    )
    db.session.commit()
    assert from_day == date(2026, 11, 23) and successor.follows_id == made.id
    assert (made.ends_on, successor.starts_on) == (date(2026, 11, 22), date(2026, 11, 23))
    assert shown(team, LAST_WEEK) == [(date(2026, 11, 16), "Info Layanan", "Jam layanan KTP")]
    assert shown(team, THIS_WEEK) == [(date(2026, 11, 24), "Info Layanan Selasa", None)]
    # the fill made ahead moved with the slot; its item keeps its day on the calendar
    moved = db.session.scalar(sa.select(SlotFill).where(SlotFill.item_id == ahead.id))
    assert moved.slot_id == successor.id and ahead.local_day() == date(2026, 11, 30)
    assert db.session.scalar(sa.select(sa.func.count(ContentItem.id))) == 2


def test_a_new_title_time_or_pillar_changes_the_slot_itself(team):
    made = slot(team)
    kept, from_day = slots.edit_slot(
        made, team["admin"], 1, fields_of(made, title="Layanan Malam", at=time(19, 30))
    )
    db.session.commit()
    assert kept.id == made.id and from_day is None and made.version == 2
    assert (made.title, made.at, made.ends_on) == ("Layanan Malam", time(19, 30), None)
    assert shown(team, LAST_WEEK) == [(date(2026, 11, 16), "Layanan Malam", None)]
    assert db.session.scalar(sa.select(sa.func.count(Slot.id))) == 1


def test_a_slot_that_has_not_started_changes_its_days_in_place(team):
    made = slot(team, starts_on=date(2026, 12, 7))
    kept, from_day = slots.edit_slot(made, team["admin"], 1, fields_of(made, weekdays=["FR"]))
    db.session.commit()
    assert kept.id == made.id and from_day is None and made.days == ["FR"]


def test_refused_changes_change_nothing(team, make):
    made = slot(team)
    db.session.commit()
    with pytest.raises(SlotError, match="mengubah slot ini"):
        slots.edit_slot(made, team["admin"], 0, fields_of(made, title="Lama"))  # a stale form
    with pytest.raises(SlotError, match="minimal satu hari"):
        slots.edit_slot(made, team["admin"], 1, fields_of(made, weekdays=[]))
    with pytest.raises(SlotError, match="sebelum hari pertama"):
        slots.edit_slot(
            made, team["admin"], 1, fields_of(made, weekdays=["TU"], ends_on=date(2026, 11, 20))
        )
    with pytest.raises(SlotError, match="admin dan editor unit"):
        slots.edit_slot(made, team["writer"], 1, fields_of(made, title="Bukan hak saya"))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Slot.id))) == 1
    assert (made.title, made.days, made.ends_on, made.version) == ("Info Layanan", ["MO"], None, 1)


def test_copy_last_week_follows_a_slot_whose_days_changed(team):
    made = slot(team)
    slots.fill(made, date(2026, 11, 16), team["admin"], title="Razia PKL pekan lalu")
    db.session.commit()
    successor, _ = slots.edit_slot(made, team["admin"], 1, fields_of(made, weekdays=["WE"]))
    db.session.commit()
    assert slots.copy_last_week(team["satpol"], date(2026, 11, 23), team["admin"]) == 1
    db.session.commit()
    assert shown(team, THIS_WEEK) == [(date(2026, 11, 25), "Info Layanan", "Razia PKL pekan lalu")]
    assert slots.copy_last_week(team["satpol"], date(2026, 11, 23), team["admin"]) == 0


def test_retiring_keeps_the_weeks_the_slot_ran(team):
    ran = slot(team)
    never = slot(team, starts_on=date(2026, 12, 7), weekdays=["FR"], title="Belum mulai")
    slots.retire_slot(ran, team["admin"])
    slots.retire_slot(never, team["admin"])
    db.session.commit()
    assert ran.ends_on == date(2026, 11, 22) and ran.active and not never.active
    assert shown(team, LAST_WEEK) == [(date(2026, 11, 16), "Info Layanan", None)]
    assert shown(team, DateRange(date(2026, 11, 23), date(2026, 12, 31))) == []
    with pytest.raises(SlotError, match="sudah berakhir"):
        slots.edit_slot(ran, team["admin"], ran.version, fields_of(ran, title="Lagi"))


def test_filling_gives_the_item_to_the_slots_usual_maker_while_they_are_in_the_unit(team, make):
    made = slot(team, assignee=team["writer"], weekdays=["MO", "WE"])
    assert made.assignee_role == AssigneeRole.FOTOGRAFER  # from the format
    item = slots.fill(made, date(2026, 11, 23), team["admin"])
    db.session.commit()
    assert [(a.user.email, a.role) for a in item.assignments] == [
        ("penulis@satpol.test", AssigneeRole.FOTOGRAFER)
    ]
    assert db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(Notification.item_id == item.id)
    )
    for membership in list(team["writer"].memberships):
        db.session.delete(membership)
    db.session.commit()
    later = slots.fill(made, date(2026, 11, 25), team["admin"])
    db.session.commit()
    assert later.assignments == []  # left the unit: the item waits for someone


def test_a_usual_maker_from_another_unit_is_refused(team, make):
    stranger = make.user("orang@bpbd.test")
    with pytest.raises(SlotError, match="Hanya anggota unit ini"):
        slot(team, assignee=stranger)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Slot.id))) == 0


@pytest.mark.parametrize("frequency", list(Frequency))
def test_expanding_from_near_the_window_gives_the_days_of_the_full_expansion(frequency):
    from dateutil import rrule

    import calendarapp.models  # noqa: F401  (every mapper known, as in the app)

    for starts_on in (date(2000, 1, 5), date(2024, 2, 29), date(2026, 11, 18)):
        slot = Slot(starts_on=starts_on, frequency=frequency, weekdays="MO,WE,SA", ends_on=None)
        full = rrule.rrulestr(slot.rule, dtstart=datetime.combine(starts_on, time()))
        for first in (date(2026, 11, 23), date(2027, 3, 1), date(2100, 12, 1), starts_on):
            last = first + timedelta(days=45)
            expected = [
                m.date()
                for m in full.between(
                    datetime.combine(first, time()), datetime.combine(last, time(23, 59)), inc=True
                )
            ]
            assert slot.days_between(first, last) == expected, (starts_on, first)
