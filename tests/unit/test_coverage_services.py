"""Coverage requests: every step of their life, and every refusal changing nothing."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from calendarapp import clock
from calendarapp.content.models import ContentFormat
from calendarapp.coverage import notices, reads, services
from calendarapp.coverage.models import CoverageChange, CoverageRequest, Deliverable
from calendarapp.coverage.services import CoverageError, EventFields, RequestFields, StaleRequest
from calendarapp.coverage.workflow import EDGES, CoverageStatus
from calendarapp.extensions import db
from calendarapp.notifications.models import Notification, NotificationKind
from calendarapp.timeutil import DateRange
from tests.conftest import NOW
from tests.coverage_world import build, wib

S = CoverageStatus


@pytest.fixture
def world(make):
    return build(make)


def kinds_for(user) -> list[NotificationKind]:
    return list(
        db.session.scalars(
            sa.select(Notification.kind)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def snapshot(request: CoverageRequest) -> tuple:
    db.session.expire_all()
    row = db.session.get(CoverageRequest, request.id)
    changes = db.session.scalar(
        sa.select(sa.func.count(CoverageChange.id)).where(CoverageChange.request_id == request.id)
    )
    notes = db.session.scalar(sa.select(sa.func.count(Notification.id)))
    return (row.status, row.version, row.assignee_id, row.delivered_links, changes, notes)


def refused(request, action, message_part: str) -> None:
    """The action is refused with a message containing message_part, and nothing changed."""
    before = snapshot(request)
    with pytest.raises(CoverageError) as error:
        action()
    db.session.rollback()
    assert message_part in str(error.value)
    assert snapshot(request) == before


def test_the_whole_road_from_request_to_done_with_history_and_notifications(world):
    request = world.ask(world.visit, person=world.nur)
    assert request.status == S.DIMINTA
    assert kinds_for(world.nur) == [NotificationKind.COVERAGE_REQUESTED]

    services.transition(request, S.DITERIMA, world.nur, version=request.version)
    services.transition(
        request,
        S.DISERAHKAN,
        world.nur,
        version=request.version,
        links="https://drive.example.org/foto-1\n\n https://drive.example.org/foto-2 ",
        note="Foto terbaik ada di folder pertama.",
    )
    services.transition(request, S.SELESAI, world.keeper, version=request.version)
    db.session.commit()

    assert request.links == ["https://drive.example.org/foto-1", "https://drive.example.org/foto-2"]
    assert request.delivery_note == "Foto terbaik ada di folder pertama."
    assert [(c.from_status, c.to_status) for c in request.history] == [
        (None, S.DIMINTA),
        (S.DIMINTA, S.DITERIMA),
        (S.DITERIMA, S.DISERAHKAN),
        (S.DISERAHKAN, S.SELESAI),
    ]
    assert kinds_for(world.keeper) == [
        NotificationKind.COVERAGE_ACCEPTED,
        NotificationKind.COVERAGE_DELIVERED,
    ]
    assert kinds_for(world.nur) == [
        NotificationKind.COVERAGE_REQUESTED,
        NotificationKind.COVERAGE_DONE,
    ]


def test_a_request_to_a_unit_waits_for_its_admin_to_pick_someone(world):
    request = world.ask(world.visit)
    assert request.assignee is None
    assert kinds_for(world.pkm_admin) == [NotificationKind.COVERAGE_REQUESTED]
    # nobody is picked: nobody can accept yet
    refused(
        request,
        lambda: services.transition(request, S.DITERIMA, world.nur, version=request.version),
        "tidak dapat melakukan langkah",
    )
    services.assign(request, world.pkm_admin, world.sari, request.version)
    db.session.commit()
    assert request.status == S.DIMINTA and request.assignee == world.sari
    assert kinds_for(world.sari) == [NotificationKind.COVERAGE_REQUESTED]
    assert request.history[-1].note == "Dialihkan ke Sari"


def test_a_declined_request_is_given_to_someone_else_and_starts_again(world):
    request = world.ask(world.visit, person=world.nur)
    refused(
        request,
        lambda: services.transition(request, S.DITOLAK, world.nur, version=request.version),
        "alasan",
    )
    services.transition(request, S.DITOLAK, world.nur, version=request.version, note="Sedang cuti.")
    db.session.commit()
    assert kinds_for(world.keeper) == [NotificationKind.COVERAGE_DECLINED]
    services.assign(request, world.keeper, world.sari, request.version)
    db.session.commit()
    assert (request.status, request.assignee) == (S.DIMINTA, world.sari)
    # the first person can no longer accept what was given to someone else
    refused(
        request,
        lambda: services.transition(request, S.DITERIMA, world.nur, version=request.version),
        "dialihkan ke orang lain",
    )


def test_delivered_work_can_be_sent_back_for_more(world):
    request = world.ask(world.visit, person=world.nur)
    services.transition(request, S.DITERIMA, world.nur, version=request.version)
    services.transition(
        request, S.DISERAHKAN, world.nur, version=request.version, links="https://x.example/a"
    )
    services.transition(
        request, S.DITERIMA, world.keeper, version=request.version, note="Tambah foto close-up."
    )
    db.session.commit()
    assert request.status == S.DITERIMA
    assert kinds_for(world.nur)[-1] == NotificationKind.COVERAGE_RETURNED


@pytest.mark.parametrize(
    "links, message",
    [
        ("", "minimal satu tautan"),
        ("   \n  ", "minimal satu tautan"),
        ("drive.example.org/foto", "bukan alamat web"),
        ("javascript:alert(1)", "bukan alamat web"),
        ("\n".join(f"https://x.example/{i}" for i in range(11)), "Paling banyak 10"),
    ],
)
def test_delivering_without_proper_links_is_refused(world, links, message):
    request = world.ask(world.visit, person=world.nur)
    services.transition(request, S.DITERIMA, world.nur, version=request.version)
    db.session.commit()
    refused(
        request,
        lambda: services.transition(
            request, S.DISERAHKAN, world.nur, version=request.version, links=links
        ),
        message,
    )


def test_a_cancelled_request_cannot_be_accepted(world):
    request = world.ask(world.visit, person=world.nur)
    services.transition(
        request, S.DIBATALKAN, world.keeper, version=request.version, note="Acara ditunda."
    )
    db.session.commit()
    assert kinds_for(world.nur)[-1] == NotificationKind.COVERAGE_CANCELLED
    refused(
        request,
        lambda: services.transition(request, S.DITERIMA, world.nur, version=request.version),
        "sudah dibatalkan",
    )


def test_a_stale_page_changes_nothing(world):
    request = world.ask(world.visit, person=world.nur)
    old = request.version
    services.transition(request, S.DITERIMA, world.nur, version=old)
    db.session.commit()
    with pytest.raises(StaleRequest):
        services.transition(request, S.DISERAHKAN, world.nur, version=old, links="https://a.b/c")
    db.session.rollback()
    refused(
        request,
        lambda: services.assign(request, world.keeper, world.sari, old),
        "Orang lain telah mengubahnya",
    )


def test_only_the_edges_of_the_table_exist(world):
    """Every pair of states not in the table is refused, whoever asks."""
    pairs = {(e.source, e.target) for e in EDGES}
    request = world.ask(world.visit, person=world.nur)
    for target in CoverageStatus:
        if (S.DIMINTA, target) in pairs:
            continue
        refused(
            request,
            lambda target=target: services.transition(
                request, target, world.keeper, version=request.version, note="x"
            ),
            "tidak dapat menjadi",
        )


def test_who_may_take_which_step(world):
    request = world.ask(world.visit, person=world.nur)
    for outsider in (world.sari, world.satpol_admin, world.coordinator, world.prokopim_staff):
        refused(
            request,
            lambda outsider=outsider: services.transition(
                request, S.DITERIMA, outsider, version=request.version
            ),
            "",
        )
    # the asked unit's admin may decline for the unit, but not accept for a person
    services.transition(
        request, S.DITOLAK, world.pkm_admin, version=request.version, note="Tidak ada petugas."
    )
    db.session.commit()
    assert request.status == S.DITOLAK
    # only Prokopim marks delivered work as done
    other = world.ask(world.visit, person=world.sari)
    services.transition(other, S.DITERIMA, world.sari, version=other.version)
    services.transition(other, S.DISERAHKAN, world.sari, version=other.version, links="https://a.b")
    db.session.commit()
    refused(
        other,
        lambda: services.transition(other, S.SELESAI, world.sari, version=other.version),
        "tidak dapat melakukan langkah",
    )
    refused(
        other,
        lambda: services.transition(other, S.SELESAI, world.pkm_admin, version=other.version),
        "tidak dapat melakukan langkah",
    )


def test_another_units_admin_cannot_assign(world):
    request = world.ask(world.visit)
    refused(
        request,
        lambda: services.assign(request, world.satpol_admin, world.satpol_writer, request.version),
        "Hanya Prokopim atau admin unit yang diminta",
    )
    # nor can the puskesmas admin give it to someone outside the puskesmas
    refused(
        request,
        lambda: services.assign(request, world.pkm_admin, world.satpol_writer, request.version),
        "bukan anggota PKM Sukamaju",
    )


def test_an_inactive_person_cannot_be_asked_or_picked(world):
    with pytest.raises(CoverageError, match="sudah tidak aktif"):
        world.ask(world.visit, person=world.gone)
    db.session.rollback()
    request = world.ask(world.visit)
    refused(
        request,
        lambda: services.assign(request, world.pkm_admin, world.gone, request.version),
        "sudah tidak aktif",
    )


def count_requests() -> int:
    return db.session.scalar(sa.select(sa.func.count(CoverageRequest.id)))


@pytest.mark.parametrize(
    "due, message",
    [
        (wib(26, 8), "sebelum acara dimulai"),  # the visit starts 09.30
        (wib(28, 12), "dua hari setelah acara"),  # it ends on the 26th, 11.30
    ],
)
def test_a_due_time_outside_the_event_is_refused(world, due, message):
    with pytest.raises(CoverageError, match=message):
        world.ask(world.visit, person=world.nur, due=due)
    db.session.rollback()
    assert count_requests() == 0


def test_the_margin_after_the_event_is_two_days(world):
    request = world.ask(world.visit, person=world.nur, due=wib(28, 11, 30))
    assert request.id is not None


def test_a_past_event_cannot_be_covered(world):
    with pytest.raises(CoverageError, match="sudah lewat"):
        world.ask(world.yesterday, person=world.nur, due=wib(23, 10))
    db.session.rollback()
    assert count_requests() == 0


def test_only_prokopim_asks_for_coverage(world):
    for outsider in (world.pkm_admin, world.coordinator, world.nur):
        with pytest.raises(CoverageError, match="Hanya admin dan editor Prokopim"):
            services.request_coverage(
                world.visit,
                outsider,
                RequestFields(Deliverable.FOTO, world.pkm, wib(26, 12), world.nur),
            )
        db.session.rollback()
    assert count_requests() == 0


def test_a_double_submit_creates_one_request(world):
    fields = RequestFields(Deliverable.VIDEO, world.pkm, wib(26, 15), world.nur)
    first = services.request_coverage(world.visit, world.keeper, fields, creation_token="t-1")
    db.session.commit()
    again = services.request_coverage(world.visit, world.keeper, fields, creation_token="t-1")
    assert again.id == first.id
    assert count_requests() == 1


def test_a_delivery_becomes_a_content_item_linked_both_ways(world):
    request = world.ask(world.visit, person=world.nur, deliverable=Deliverable.BERITA)
    services.transition(request, S.DITERIMA, world.nur, version=request.version)
    services.transition(
        request,
        S.DISERAHKAN,
        world.nur,
        version=request.version,
        links="https://docs.example.org/berita",
        note="Draf 300 kata.",
    )
    db.session.commit()
    # Prokopim's calendar or the puskesmas's: the puskesmas contributor plans in neither
    assert services.item_units(request, world.keeper) == [world.prokopim]
    assert services.item_units(request, world.pkm_admin) == [world.pkm]
    assert services.item_units(request, world.nur) == []
    item = services.create_item_from_delivery(request, world.keeper, world.prokopim)
    db.session.commit()
    assert item.unit == world.prokopim
    assert item.format == ContentFormat.ARTIKEL
    assert item.title == "Kunjungan Bupati ke Puskesmas Sukamaju"
    assert item.planned_date == date(2026, 11, 26)
    assert "https://docs.example.org/berita" in item.brief and "Draf 300 kata." in item.brief
    assert request.content_item == item
    assert reads.requests_for_item(item) == [request]
    with pytest.raises(CoverageError, match="sudah dijadikan konten"):
        services.create_item_from_delivery(request, world.pkm_admin, world.pkm)


def test_an_undelivered_request_cannot_become_an_item(world):
    request = world.ask(world.visit, person=world.nur)
    with pytest.raises(CoverageError, match="Hanya liputan yang sudah diserahkan"):
        services.create_item_from_delivery(request, world.keeper, world.prokopim)


def test_cancelling_an_event_cancels_its_open_requests(world):
    open_one = world.ask(world.visit, person=world.nur)
    declined = world.ask(world.visit, person=world.sari)
    services.transition(declined, S.DITOLAK, world.sari, version=declined.version, note="Cuti.")
    db.session.commit()
    with pytest.raises(CoverageError, match="alasan"):
        services.cancel_event(world.visit, world.keeper, world.visit.version, "  ")
    db.session.rollback()
    services.cancel_event(world.visit, world.keeper, world.visit.version, "Jadwal Bupati berubah.")
    db.session.commit()
    assert world.visit.cancelled
    assert open_one.status == S.DIBATALKAN and declined.status == S.DITOLAK
    assert kinds_for(world.nur)[-1] == NotificationKind.COVERAGE_CANCELLED


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": "  "}, "Judul wajib diisi"),
        ({"title": "x" * 201}, "terlalu panjang"),
        ({"start": time(10), "end": None}, "Isi jam mulai dan selesai"),
        ({"start": time(10), "end": time(9)}, "Jam selesai harus setelah"),
        ({"timezone": "Europe/Paris"}, "WIB, WITA, atau WIT"),
    ],
)
def test_bad_event_fields_are_refused(world, change, message):
    fields = dict(
        leader=world.visit.leader,
        title="Peresmian jembatan",
        day=date(2026, 11, 27),
        timezone="Asia/Jakarta",
        start=time(8),
        end=time(9),
    )
    fields.update(change)
    with pytest.raises(CoverageError, match=message):
        services.create_event(world.prokopim, world.keeper, EventFields(**fields))


def test_time_to_be_confirmed_keeps_the_day_only_and_spans_it(world):
    event = world.event("Dialog UMKM", day=date(2026, 11, 27), start=None, end=None)
    assert event.time_tbc and event.starts_at is None
    start, end = services.event_bounds(event)
    assert (start, end) == (wib(27, 0), wib(28, 0))


def test_an_event_in_wita_keeps_its_own_zone(world):
    event = services.create_event(
        world.prokopim,
        world.keeper,
        EventFields(
            leader=world.visit.leader,
            title="Kunjungan ke Makassar",
            day=date(2026, 11, 27),
            timezone="Asia/Makassar",
            start=time(9),
            end=time(10),
        ),
    )
    assert event.starts_at.astimezone(services.ZoneInfo("UTC")).hour == 1  # 09.00 WITA = 01 UTC


def test_reminders_are_sent_once_each(world):
    request = world.ask(world.visit, person=world.nur, due=wib(26, 14))
    services.transition(request, S.DITERIMA, world.nur, version=request.version)
    db.session.commit()
    assert notices.send_reminders() == 0  # due in three days
    with clock.frozen(wib(26, 9)):
        assert notices.send_reminders() == 1
        assert notices.send_reminders() == 0
    with clock.frozen(wib(26, 15)):
        assert notices.send_reminders() == 1
        assert notices.send_reminders() == 0
    db.session.commit()
    assert kinds_for(world.nur)[-2:] == [
        NotificationKind.COVERAGE_DUE_SOON,
        NotificationKind.COVERAGE_OVERDUE,
    ]
    assert wib(26, 9) > NOW


def test_the_pool_counts_this_weeks_requests(world):
    world.ask(world.visit, person=world.nur)
    world.ask(world.briefing, person=world.nur, due=wib(25, 17))
    declined = world.ask(world.visit, person=world.sari)
    services.transition(declined, S.DITOLAK, world.sari, version=declined.version, note="Cuti.")
    db.session.commit()
    week = DateRange(date(2026, 11, 23), date(2026, 11, 29))
    pool = {m.user.name: m.load for m in reads.contributor_pool(week)}
    assert pool == {"Nur Aini": 2, "Sari": 0, "Rudi": 0}
    assert [m.user.name for m in reads.contributor_pool(week)][0] in ("Rudi", "Sari")
    next_week = DateRange(date(2026, 11, 30), date(2026, 12, 6))
    assert {m.load for m in reads.contributor_pool(next_week)} == {0}


def test_update_event_refuses_a_stale_version(world):
    fields = EventFields(
        leader=world.visit.leader,
        title="Kunjungan (diperbarui)",
        day=world.visit.day,
        timezone="Asia/Jakarta",
        start=time(10),
        end=time(12),
    )
    old = world.visit.version
    services.update_event(world.visit, world.keeper, old, fields)
    db.session.commit()
    with pytest.raises(StaleRequest):
        services.update_event(world.visit, world.keeper, old, fields)
    assert world.visit.starts_at == wib(26, 10)
    assert timedelta(hours=2) == world.visit.ends_at - world.visit.starts_at
