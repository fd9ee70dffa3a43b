"""Diskominfo, three units and their people, and an FGD, for the mentoring stories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from calendarapp.accounts.models import Role, Unit, User
from calendarapp.extensions import db
from calendarapp.mentoring import services
from calendarapp.mentoring.models import Training, TrainingKind
from calendarapp.mentoring.services import TrainingFields


@dataclass
class World:
    kominfo: Unit
    satpol: Unit
    bpbd: Unit
    dinkes: Unit  # did not take part in the FGD
    mentor: User  # a coordinator
    satpol_admin: User
    satpol_editor: User
    satpol_writer: User
    satpol_gone: User
    bpbd_admin: User
    dinkes_admin: User
    fgd: Training


def training(
    mentor: User,
    units: list[Unit],
    title: str = "FGD Pengelolaan Konten Media Sosial",
    day: date = date(2026, 10, 21),
    kind: TrainingKind = TrainingKind.FGD,
    **fields,
) -> Training:
    """A training from 09.00 to 15.00 WIB for these units, written by the mentor."""
    return services.create_training(
        mentor,
        TrainingFields(
            kind=kind,
            title=title,
            day=day,
            start=time(9),
            end=time(15),
            timezone="Asia/Jakarta",
            units=units,
            **fields,
        ),
    )


def build(make) -> World:
    kominfo = make.unit("Dinas Komunikasi dan Informatika", "Diskominfo")
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    dinkes = make.unit("Dinas Kesehatan", "Dinkes")
    mentor = make.user(
        "koordinator@kominfo.test", {kominfo: Role.ADMIN}, coordinator=True, name="Rina"
    )
    people = {
        "satpol_admin": make.user("admin@satpol.test", {satpol: Role.ADMIN}, name="Yuni"),
        "satpol_editor": make.user("editor@satpol.test", {satpol: Role.EDITOR}, name="Bayu"),
        "satpol_writer": make.user("penulis@satpol.test", {satpol: Role.CONTRIBUTOR}, name="Rudi"),
        "satpol_gone": make.user("gone@satpol.test", {satpol: Role.EDITOR}, active=False),
        "bpbd_admin": make.user("admin@bpbd.test", {bpbd: Role.ADMIN}, name="Sari"),
        "dinkes_admin": make.user("admin@dinkes.test", {dinkes: Role.ADMIN}, name="Hendra"),
    }
    fgd = training(
        mentor,
        [satpol, bpbd],
        place="Aula Diskominfo",
        organiser=kominfo,
        speakers=[("Andi Pratama", "Jurnalis foto", "Foto yang layak tayang")],
    )
    db.session.commit()
    return World(
        kominfo=kominfo, satpol=satpol, bpbd=bpbd, dinkes=dinkes, mentor=mentor, fgd=fgd, **people
    )


def satpol_note(world: World, to_improve: str, actions: list[tuple[str, User, date]]):
    """The mentor's note for Satpol PP after the FGD, with its RTL (text, owner, due)."""
    note = services.write_note(
        world.mentor,
        services.NoteFields(
            unit=world.satpol,
            training=world.fgd,
            noted_on=date(2026, 10, 28),
            to_improve=to_improve,
            actions=[services.ActionFields(*action) for action in actions],
        ),
    )
    db.session.commit()
    return note
