"""Trainings, notes and RTL: every refusal changes nothing; the before/after figures are right."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from calendarapp import clock
from calendarapp.content.models import ChecklistEntry, ChecklistTick
from calendarapp.content.workflow import Status
from calendarapp.extensions import db
from calendarapp.mentoring import reads, services
from calendarapp.mentoring.models import ActionItem, ActionStatus, MentoringNote, TrainingKind
from calendarapp.mentoring.services import (
    ActionFields,
    MentoringError,
    NoteFields,
    StaleChange,
    TrainingFields,
)
from tests.mentoring_world import build


@pytest.fixture
def world(make):
    return build(make)


def counts() -> tuple[int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count(MentoringNote.id))),
        db.session.scalar(sa.select(sa.func.count(ActionItem.id))),
    )


def note(world, **change) -> NoteFields:
    fields = dict(
        unit=world.satpol,
        training=world.fgd,
        noted_on=date(2026, 10, 28),
        to_improve="Perbaiki kata-kata caption, kualitas foto, dan judul pada foto.",
        next_follow_up=date(2026, 11, 25),
        actions=[
            ActionFields("Pakai templat judul pada foto", world.satpol_editor, date(2026, 11, 4))
        ],
    )
    fields.update(change)
    return NoteFields(**fields)


def test_a_mentor_writes_a_note_with_rtl_pointing_at_posts(world, make):
    post = make.item(world.satpol, "Apel pagi", on=date(2026, 10, 27))
    written = services.write_note(world.mentor, note(world, items=[post]))
    db.session.commit()
    assert written.author == world.mentor and written.items == [post]
    assert [(a.text, a.owner, a.status) for a in written.actions] == [
        ("Pakai templat judul pada foto", world.satpol_editor, ActionStatus.TERBUKA)
    ]
    assert reads.notes_for_item(post) == [written]
    assert reads.note_status(world.fgd) == [(world.bpbd, []), (world.satpol, [written])]


def test_empty_action_rows_of_the_form_are_skipped(world):
    written = services.write_note(
        world.mentor, note(world, actions=[ActionFields("", None, None), *note(world).actions])
    )
    assert len(written.actions) == 1


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda w: {"unit": w.dinkes}, "tidak ikut pelatihan ini"),
        (lambda w: {"noted_on": date(2026, 10, 20)}, "sebelum pelatihan"),
        (lambda w: {"next_follow_up": date(2026, 10, 27)}, "Kunjungan lanjutan tidak boleh"),
        (lambda w: {"to_improve": "", "went_well": "", "recommendations": ""}, "Tuliskan"),
        (lambda w: {"to_improve": "x" * 5001}, "terlalu panjang"),
        (
            lambda w: {
                "actions": [ActionFields("Latihan caption", w.bpbd_admin, date(2026, 11, 4))]
            },
            "anggota aktif Satpol PP",
        ),
        (
            lambda w: {
                "actions": [ActionFields("Latihan caption", w.satpol_gone, date(2026, 11, 4))]
            },
            "anggota aktif Satpol PP",
        ),
        (
            lambda w: {
                "actions": [ActionFields("Latihan caption", w.satpol_admin, date(2026, 10, 1))]
            },
            "sebelum pelatihan atau kunjungan",
        ),
        (lambda w: {"actions": [ActionFields("Latihan caption", w.satpol_admin, None)]}, "tenggat"),
        (lambda w: {"actions": [ActionFields("", w.satpol_admin, date(2026, 11, 4))]}, "uraian"),
    ],
)
def test_a_bad_note_is_refused_whole(world, change, message):
    with pytest.raises(MentoringError, match=message):
        services.write_note(world.mentor, note(world, **change(world)))
    db.session.rollback()
    assert counts() == (0, 0)


def test_a_unit_that_did_not_take_part_gets_a_standalone_visit(world):
    visit = services.write_note(
        world.mentor,
        note(world, unit=world.dinkes, training=None, actions=[], noted_on=date(2026, 11, 20)),
    )
    assert visit.training is None and visit.unit == world.dinkes


def test_posts_of_another_unit_cannot_be_pointed_at(world, make):
    other = make.item(world.bpbd, "Siaga banjir", on=date(2026, 10, 27))
    with pytest.raises(MentoringError, match="unggahan unit ini"):
        services.write_note(world.mentor, note(world, items=[other]))


def test_only_coordinators_write_notes_and_plan_trainings(world):
    for person in (world.satpol_admin, world.bpbd_admin):
        with pytest.raises(MentoringError):
            services.write_note(person, note(world))
        with pytest.raises(MentoringError):
            services.create_training(
                person,
                TrainingFields(
                    TrainingKind.FGD, "x", date(2026, 12, 1), time(9), time(10), "Asia/Jakarta"
                ),
            )
    db.session.rollback()
    assert counts() == (0, 0)


def test_a_double_submit_writes_one_note(world):
    first = services.write_note(world.mentor, note(world), creation_token="n-1")
    db.session.commit()
    again = services.write_note(world.mentor, note(world), creation_token="n-1")
    assert again.id == first.id and counts() == (1, 1)


def test_the_unit_reports_progress_and_the_mentor_checks_it(world):
    action = services.write_note(world.mentor, note(world)).actions[0]
    db.session.commit()
    with pytest.raises(MentoringError, match="pemilik"):
        services.set_action_status(action, world.bpbd_admin, ActionStatus.SELESAI, action.version)
    with pytest.raises(MentoringError, match="pemilik"):
        services.set_action_status(
            action, world.satpol_writer, ActionStatus.SELESAI, action.version
        )
    with pytest.raises(MentoringError, match="Hanya tindak lanjut yang sudah selesai"):
        services.check_action(action, world.mentor, action.version)
    services.set_action_status(action, world.satpol_editor, ActionStatus.DIKERJAKAN, action.version)
    assert action.closed_at is None
    services.set_action_status(action, world.satpol_admin, ActionStatus.SELESAI, action.version)
    db.session.commit()
    assert action.closed_at == clock.now()  # a past month's report counts it open before this
    with pytest.raises(MentoringError, match="koordinator"):
        services.check_action(action, world.satpol_admin, action.version)
    services.check_action(action, world.mentor, action.version)
    db.session.commit()
    assert action.checked_by == world.mentor and action.checked_at is not None
    # a later change needs a new check
    services.set_action_status(action, world.satpol_admin, ActionStatus.DIKERJAKAN, action.version)
    assert action.checked_at is None and action.closed_at is None


def test_not_pursued_needs_a_reason_and_stale_pages_change_nothing(world):
    action = services.write_note(world.mentor, note(world)).actions[0]
    db.session.commit()
    with pytest.raises(MentoringError, match="alasan"):
        services.set_action_status(
            action, world.satpol_admin, ActionStatus.TIDAK_DILANJUTKAN, action.version
        )
    old = action.version
    services.set_action_status(action, world.satpol_admin, ActionStatus.DIKERJAKAN, old)
    db.session.commit()
    with pytest.raises(StaleChange):
        services.set_action_status(action, world.satpol_admin, ActionStatus.SELESAI, old)
    assert action.status == ActionStatus.DIKERJAKAN


def test_open_actions_across_units_most_overdue_first(world):
    services.write_note(
        world.mentor,
        note(
            world,
            actions=[
                ActionFields("Nanti", world.satpol_admin, date(2026, 12, 1)),
                ActionFields("Terlambat", world.satpol_admin, date(2026, 11, 1)),
            ],
        ),
    )
    services.write_note(
        world.mentor,
        note(
            world,
            unit=world.bpbd,
            actions=[ActionFields("Selesai", world.bpbd_admin, date(2026, 11, 10))],
        ),
    )
    done = db.session.scalar(sa.select(ActionItem).where(ActionItem.text == "Selesai"))
    services.set_action_status(done, world.bpbd_admin, ActionStatus.SELESAI, done.version)
    db.session.commit()
    assert [a.text for a in reads.open_actions()] == ["Terlambat", "Nanti"]


@pytest.mark.parametrize(
    "filename, data, message",
    [
        ("materi.exe", b"MZ\x90\x00", "Hanya berkas PDF"),
        ("materi.pdf", b"MZ\x90\x00 not a pdf", "tidak sesuai"),
        ("materi.pdf", b"%PDF-" + b"0" * services.FILE_MAX, "terlalu besar"),
        ("materi.pdf", b"", "kosong"),
    ],
)
def test_materials_of_the_wrong_type_or_size_are_refused(world, filename, data, message):
    with pytest.raises(MentoringError, match=message):
        services.add_file(world.fgd, world.mentor, "Materi", filename, data)
    db.session.rollback()
    assert world.fgd.materials == []


def test_a_pdf_and_a_link_are_kept(world):
    services.add_file(
        world.fgd, world.mentor, "", "C:\\Users\\rina\\Materi FGD.pdf", b"%PDF-1.7 ..."
    )
    services.add_link(world.fgd, world.mentor, "Slide", "https://drive.example.org/slide")
    db.session.commit()
    pdf, link = world.fgd.materials
    assert (pdf.filename, pdf.content_type, pdf.size) == ("Materi FGD.pdf", "application/pdf", 12)
    assert link.url == "https://drive.example.org/slide"
    with pytest.raises(MentoringError, match="http"):
        services.add_link(world.fgd, world.mentor, "x", "javascript:alert(1)")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"end": time(8)}, "setelah mulai"),
        ({"title": " "}, "Judul wajib diisi"),
        ({"timezone": "UTC"}, "WIB, WITA, atau WIT"),
        ({"speakers": [("", "Diskominfo", "Caption")]}, "nama"),
    ],
)
def test_bad_trainings_are_refused(world, change, message):
    fields = dict(
        kind=TrainingKind.BIMTEK,
        title="Bimtek video pendek",
        day=date(2026, 12, 1),
        start=time(9),
        end=time(12),
        timezone="Asia/Jakarta",
    )
    fields.update(change)
    with pytest.raises(MentoringError, match=message):
        services.create_training(world.mentor, TrainingFields(**fields))


# ---- the before/after figures, on constructed data with known answers --------------------------


def wib(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour - 7, minute, tzinfo=UTC)


def published(make, unit, posted_at, *, at=None, on=None, checked=False):
    item = (
        make.item(unit, "Unggahan", at=at, on=on)
        if (at or on)
        else make.item(unit, "x", on=date(2026, 1, 1))
    )
    if not (at or on):
        item.planned_date = None
    item.status, item.posted_at = Status.TAYANG, posted_at
    if checked:
        for entry in db.session.scalars(
            sa.select(ChecklistEntry).where(
                ChecklistEntry.required.is_(True), ChecklistEntry.active.is_(True)
            )
        ):
            item.ticks.append(ChecklistTick(entry_id=entry.id, created_at=posted_at))
    db.session.commit()
    return item


def test_posting_before_and_after_the_fgd(world, make):
    s = world.satpol
    # the FGD is on Wednesday 21 October; with 2 weeks: 7–13 and 14–20 before, 22–28 and
    # 29 October – 4 November after
    published(make, s, wib(10, 6, 10), at=wib(10, 6, 9))  # week -3: outside
    published(make, s, wib(10, 10, 12), at=wib(10, 9, 9))  # week -2, a day late
    published(make, s, wib(10, 16, 8), on=date(2026, 10, 15))  # week -1, a day late
    published(make, s, wib(10, 21, 16), at=wib(10, 21, 16), checked=True)  # the FGD day
    published(make, s, wib(10, 23, 9, 30), at=wib(10, 23, 9), checked=True)  # week 1, on time
    published(make, s, wib(10, 25, 20), on=date(2026, 10, 25), checked=True)  # week 1, on time
    published(make, s, wib(10, 29, 9), at=wib(10, 29, 9), checked=True)  # week 2, on time
    published(make, s, wib(10, 30, 9))  # week 2, had no planned date
    published(make, s, wib(11, 4, 23), at=wib(11, 3, 12))  # week 2, a day late
    published(make, s, wib(11, 2, 23), at=wib(11, 2, 9))  # week 2, hours late: still its day
    published(make, world.bpbd, wib(10, 23, 9), at=wib(10, 23, 9))  # another unit
    effect = reads.effect(s, date(2026, 10, 21), date(2026, 10, 21), 2)
    assert [(w.offset, w.start, w.posted) for w in effect.before + effect.after] == [
        (-2, date(2026, 10, 7), 1),
        (-1, date(2026, 10, 14), 1),
        (1, date(2026, 10, 22), 2),
        (2, date(2026, 10, 29), 4),
    ]
    assert effect.posts_per_week("before") == 1.0
    assert effect.posts_per_week("after") == 3.0
    assert effect.on_time_rate("before") == 0.0
    assert effect.on_time_rate("after") == 0.8  # 4 of the 5 that had a plan
    assert effect.pass_rate("before") == 0.0
    assert effect.pass_rate("after") == 0.5  # 3 of 6


def test_no_posts_means_no_rates(world):
    effect = reads.effect(world.satpol, date(2026, 10, 21), date(2026, 10, 21), 4)
    assert effect.posts_per_week("after") == 0.0
    assert effect.on_time_rate("after") is None and effect.pass_rate("before") is None
