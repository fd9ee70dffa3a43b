"""The commands an operator runs: create-admin and demo-data."""

import re

import sqlalchemy as sa

from calendarapp.accounts.models import Membership, Role, Unit, User
from calendarapp.content.models import ContentItem, StatusChange, Theme
from calendarapp.content.workflow import Status
from calendarapp.coverage.models import AgendaEvent
from calendarapp.extensions import db
from calendarapp.timeutil import today


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_create_admin_generates_a_password_and_shows_it_once(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--email",
            "Kepala@Kominfo.test",
            "--name",
            "Kepala Seksi",
            "--generate-password",
        ]
    )
    assert result.exit_code == 0, result.output
    password = re.search(r"Password \(shown once\): (\S+)", result.output).group(1)
    user = db.session.scalar(sa.select(User).where(User.email == "kepala@kominfo.test"))
    assert user.is_coordinator and user.check_password(password) and len(password) >= 12


def test_create_admin_asks_for_the_password_twice(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "a@kominfo.test", "--name", "A"],
        input="sebuah kata sandi\nsebuah kata sandi\n",
    )
    assert result.exit_code == 0, result.output
    assert "sebuah" not in result.output  # the typed password is never echoed
    user = db.session.scalar(sa.select(User).where(User.email == "a@kominfo.test"))
    assert user.check_password("sebuah kata sandi")


def test_create_admin_refuses_a_short_password_and_a_taken_email(app):
    runner = app.test_cli_runner()
    short = runner.invoke(
        args=["create-admin", "--email", "b@kominfo.test", "--name", "B"], input="pendek\npendek\n"
    )
    assert short.exit_code != 0 and "at least 10" in short.output
    assert count(User) == 0
    args = ["create-admin", "--email", "c@kominfo.test", "--name", "C", "--generate-password"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "already registered" in again.output
    assert count(User) == 1


def test_demo_data_fills_a_fictional_kabupaten_once_with_every_part(app, client, auth):
    """One load (several seconds), every part of the demo checked on it."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data", "--password", "demo-password-123"])
    assert first.exit_code == 0, first.output
    for email in (
        "koordinator@demo.test",
        "prokopim@demo.test",
        "admin.satpolpp@demo.test",
        "kontributor.bpbd@demo.test",
    ):
        assert email in first.output
    totals = {
        model: count(model) for model in (Unit, User, Membership, Theme, ContentItem, StatusChange)
    }
    second = runner.invoke(args=["demo-data", "--password", "demo-password-123"])
    assert second.exit_code == 0 and "already loaded" in second.output
    assert totals == {model: count(model) for model in totals}

    roles = {
        (m.user.email, m.unit.short_name, m.role) for m in db.session.scalars(sa.select(Membership))
    }
    assert ("prokopim@demo.test", "Prokopim", Role.ADMIN) in roles
    assert ("admin.satpolpp@demo.test", "Satpol PP", Role.ADMIN) in roles
    assert ("kontributor.bpbd@demo.test", "BPBD", Role.CONTRIBUTOR) in roles
    coordinator = db.session.scalar(sa.select(User).where(User.email == "koordinator@demo.test"))
    assert coordinator.is_coordinator and coordinator.check_password("demo-password-123")
    assert db.session.scalar(
        sa.select(Unit).where(Unit.short_name == "Prokopim")
    ).coordinates_coverage
    _every_status_across_three_months_around_today()
    _heads_one_item_waiting_for_its_head_and_some_choices()
    _past_and_open_amplification_requests()
    _a_falling_account_and_a_unit_without_figures(client, auth)


def _every_status_across_three_months_around_today():
    items = list(db.session.scalars(sa.select(ContentItem)))
    assert {item.status for item in items} == set(Status)
    days = [item.local_day() for item in items if item.local_day()]
    # every published item has proof, and the backlog has undated ideas
    assert all(item.posted_links for item in items if item.status == Status.TAYANG)
    assert any(item.local_day() is None for item in items)
    now = today("Asia/Jakarta")
    assert min(days) <= now.replace(day=1) and (max(days) - min(days)).days >= 85
    kinds = {unit.kind.value for unit in db.session.scalars(sa.select(Unit))}
    assert {"kecamatan", "kelurahan", "puskesmas", "dinas", "badan"} <= kinds
    # a unit across the zone border, so a newcomer sees WITA times too
    zones = {unit.timezone for unit in db.session.scalars(sa.select(Unit))}
    assert {"Asia/Jakarta", "Asia/Makassar"} <= zones
    # ... with its own people, its posts, and a leader's event kept in WITA that it covers
    wita = db.session.scalar(sa.select(Unit).where(Unit.timezone == "Asia/Makassar"))
    assert {m.role.value for m in wita.memberships} == {"admin", "contributor"}
    assert any(item.unit_id == wita.id and item.status == Status.TAYANG for item in items)
    harbour = db.session.scalar(
        sa.select(AgendaEvent).where(AgendaEvent.timezone == "Asia/Makassar")
    )
    assert [r.unit_id for r in harbour.requests] == [wita.id]
    # every step of an item's road is in its history
    published = next(item for item in items if item.status == Status.TAYANG)
    assert [c.to_status for c in published.history] == [
        Status.IDE,
        Status.DRAF,
        Status.DITINJAU,
        Status.DISETUJUI,
        Status.TERJADWAL,
        Status.TAYANG,
    ]


def test_demo_data_generates_a_password_when_none_is_given(app):
    result = app.test_cli_runner().invoke(args=["demo-data"])
    password = re.search(r"password for all: (\S+)", result.output).group(1)
    user = db.session.scalar(sa.select(User).where(User.email == "admin.satpolpp@demo.test"))
    assert user.check_password(password)


def test_demo_data_leaves_a_database_with_other_data_alone(app, make):
    make.unit("Dinas Lain")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["demo-data", "--password", "demo-password-123"])
    assert refused.exit_code != 0 and "other data" in refused.output
    skipped = runner.invoke(args=["demo-data", "--only-if-empty"])
    assert skipped.exit_code == 0
    assert count(Unit) == 1 and count(User) == 0


def test_scale_data_fills_a_kabupaten_in_seconds_and_the_pages_answer(app):
    """`python -m bench.scale kabupaten` (issue 17): 85 units and three years of posts by bulk
    inserts; the people can sign in and the daily pages answer on it, on both engines."""
    from bench.scale import scale_data
    from tests.conftest import IsolatedClient

    runner = app.test_cli_runner()
    result = runner.invoke(scale_data, args=["kabupaten", "--password", "skala-1234567"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count(Unit.id))) == 85
    items = db.session.scalar(sa.select(sa.func.count(ContentItem.id)))
    assert 30_000 < items < 60_000
    statuses = set(db.session.scalars(sa.select(ContentItem.status).distinct()))
    assert {Status.TAYANG, Status.IDE, Status.TERJADWAL} <= statuses
    assert db.session.scalar(sa.select(sa.func.count(AgendaEvent.id))) > 300
    db.session.remove()
    again = runner.invoke(scale_data, args=["kabupaten"])
    assert again.exit_code != 0 and "empty database" in again.output  # never on top of data
    app.test_client_class = IsolatedClient
    for email, paths in {
        "koordinator@skala.test": ["/calendar/month", "/monitoring", "/coverage"],
        "admin.1.5@skala.test": ["/calendar/month", "/plan/week", "/tasks"],
    }.items():
        client = app.test_client()
        html = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        signed = client.post(
            "/login", data={"email": email, "password": "skala-1234567", "csrf_token": token}
        )
        assert signed.status_code == 303
        for path in paths:
            assert client.get(path).status_code == 200, (email, path)


def _a_falling_account_and_a_unit_without_figures(client, auth):
    auth.login("koordinator@demo.test", "demo-password-123")
    html = client.get("/monitoring").get_data(as_text=True)
    fell = re.search(r'data-flag-count="followers_fell">(\d+)<', html)
    missing = re.search(r'data-flag-count="no_figures">(\d+)<', html)
    assert fell and int(fell[1]) >= 1 and missing and int(missing[1]) >= 1


def _heads_one_item_waiting_for_its_head_and_some_choices():
    from calendarapp.content.models import HeadApproval
    from calendarapp.delivery.models import NoticeSettings

    heads = db.session.scalars(sa.select(Unit).where(Unit.head_name != "")).all()
    assert len(heads) >= 3 and [u.short_name for u in heads if u.requires_head_approval] == [
        "Dindukcapil"
    ]
    (link,) = db.session.scalars(sa.select(HeadApproval)).all()
    assert link.item.status == Status.DITINJAU and link.item.version == link.item_version
    assert link.decided_at is None and link.item.unit.short_name == "Dindukcapil"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NoticeSettings)) >= 2


def _past_and_open_amplification_requests():
    from calendarapp import clock
    from calendarapp.amplification.models import AmplificationRequest
    from calendarapp.amplification.services import tracking

    requests = db.session.scalars(
        sa.select(AmplificationRequest).order_by(AmplificationRequest.id)
    ).all()
    states = [
        (r.deadline_at > clock.now(), sorted({s.state for s in tracking(r)})) for r in requests
    ]
    assert states == [
        (False, ["declined", "late", "on_time", "owing"]),
        (False, ["on_time", "owing"]),
        (True, ["on_time", "owing"]),
    ]
    from calendarapp.amplification.reach import reach_of

    past = reach_of(list(requests)[:2])  # the past answers' posts are measured
    assert all(r.measured and r.views for r in past.values()), past
