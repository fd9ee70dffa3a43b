"""A small kabupaten for the coverage stories: Prokopim, a puskesmas, Satpol PP, their people and
the leader's week (around NOW, Monday 23 November 2026, 09.00 WIB)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from calendarapp.accounts.models import Role, Unit, User
from calendarapp.coverage import services
from calendarapp.coverage.models import (
    AgendaEvent,
    CoverageRequest,
    Deliverable,
    Leader,
    Visibility,
)
from calendarapp.coverage.services import EventFields, RequestFields
from calendarapp.extensions import db

WIB = ZoneInfo("Asia/Jakarta")


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@dataclass
class World:
    prokopim: Unit
    pkm: Unit
    satpol: Unit
    keeper: User  # Prokopim admin
    prokopim_staff: User  # Prokopim editor
    pkm_admin: User
    nur: User  # contributor of the puskesmas
    sari: User  # another contributor of the puskesmas
    gone: User  # an inactive contributor of the puskesmas
    satpol_admin: User
    satpol_writer: User
    coordinator: User
    visit: AgendaEvent  # Thursday, public
    briefing: AgendaEvent  # Wednesday, internal
    audience: AgendaEvent  # Tuesday, restricted, Satpol's admin invited
    yesterday: AgendaEvent  # Sunday, over

    def event(self, title: str, **fields) -> AgendaEvent:
        day = fields.pop("day", date(2026, 11, 26))
        start = fields.pop("start", time(9, 30))
        end = fields.pop("end", time(11, 30))
        event = services.create_event(
            self.prokopim,
            self.keeper,
            EventFields(
                leader=fields.pop("leader", Leader.BUPATI),
                title=title,
                day=day,
                timezone="Asia/Jakarta",
                place=fields.pop("place", ""),
                start=start,
                end=end,
                visibility=fields.pop("visibility", Visibility.PUBLIC),
                invitees=fields.pop("invitees", []),
            ),
        )
        db.session.commit()
        return event

    def ask(
        self,
        event: AgendaEvent,
        unit: Unit | None = None,
        person: User | None = None,
        due: datetime | None = None,
        deliverable: Deliverable = Deliverable.FOTO,
    ) -> CoverageRequest:
        request = services.request_coverage(
            event,
            self.keeper,
            RequestFields(
                deliverable=deliverable,
                unit=unit or self.pkm,
                assignee=person,
                due_at=due or services.event_bounds(event)[1],
            ),
        )
        db.session.commit()
        return request


def build(make) -> World:
    prokopim = make.unit(
        "Bagian Protokol dan Komunikasi Pimpinan", "Prokopim", coordinates_coverage=True
    )
    pkm = make.unit("Puskesmas Sukamaju", "PKM Sukamaju")
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    people = {
        "keeper": make.user("prokopim@pemda.test", {prokopim: Role.ADMIN}, name="Dimas"),
        "prokopim_staff": make.user("staf@pemda.test", {prokopim: Role.EDITOR}, name="Wulan"),
        "pkm_admin": make.user("admin@pkm.test", {pkm: Role.ADMIN}, name="Lestari"),
        "nur": make.user("nur@pkm.test", {pkm: Role.CONTRIBUTOR}, name="Nur Aini"),
        "sari": make.user("sari@pkm.test", {pkm: Role.CONTRIBUTOR}, name="Sari"),
        "gone": make.user("gone@pkm.test", {pkm: Role.CONTRIBUTOR}, name="Gone", active=False),
        "satpol_admin": make.user("admin@satpol.test", {satpol: Role.ADMIN}, name="Yuni"),
        "satpol_writer": make.user("writer@satpol.test", {satpol: Role.CONTRIBUTOR}, name="Rudi"),
        "coordinator": make.user("koordinator@pemda.test", coordinator=True, name="Rina"),
    }
    world = World(
        prokopim=prokopim,
        pkm=pkm,
        satpol=satpol,
        **people,
        visit=None,  # type: ignore[arg-type]
        briefing=None,  # type: ignore[arg-type]
        audience=None,  # type: ignore[arg-type]
        yesterday=None,  # type: ignore[arg-type]
    )
    world.visit = world.event("Kunjungan Bupati ke Puskesmas Sukamaju", place="Puskesmas Sukamaju")
    world.briefing = world.event(
        "Rapat koordinasi Sekda",
        day=date(2026, 11, 25),
        leader=Leader.SEKDA,
        visibility=Visibility.INTERNAL,
    )
    world.audience = world.event(
        "Audiensi tokoh masyarakat",
        day=date(2026, 11, 24),
        start=time(14),
        end=time(15),
        visibility=Visibility.RESTRICTED,
        invitees=[world.satpol_admin],
    )
    world.yesterday = world.event("Senam pagi bersama", day=date(2026, 11, 22))
    return world
