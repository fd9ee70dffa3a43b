"""People come and go through the unit (issue 16, item 5): a unit admin adds editors and
contributors, changes roles, takes people out, and hands a one-time link to set a password."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from calendarapp import clock
from calendarapp.accounts.models import Invitation, Membership, Role, User
from calendarapp.extensions import db
from tests.conftest import IsolatedClient, csrf_token_from, signed_in


@pytest.fixture
def world(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    return {
        "satpol": satpol,
        "bpbd": bpbd,
        "admin": make.user("admin@satpol.test", {satpol: Role.ADMIN}, name="Yuni Astuti"),
        "editor": make.user("editor@satpol.test", {satpol: Role.EDITOR}, name="Bayu Saputra"),
        "bpbd_admin": make.user("admin@bpbd.test", {bpbd: Role.ADMIN}, name="Sari"),
        "coordinator": make.user("koordinator@test", coordinator=True, name="Rina"),
    }


def add(client, unit, **answers):
    page = client.get(f"/units/{unit.id}/people").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "email": "", "name": "", "role": "contributor"}
    data.update(answers)
    return client.post(f"/units/{unit.id}/people", data=data)


def link_in(html: str) -> str:
    return re.search(r'<textarea id="invite-link"[^>]*>([^<]+)</textarea>', html).group(1)


def test_a_new_contributor_sets_their_own_password_through_a_one_time_link(app, world):
    admin, _auth = signed_in(app, "admin@satpol.test")
    answer = add(admin, world["satpol"], email="Nur.Aini@Satpol.test", name="Nur Aini")
    assert answer.status_code == 201
    html = answer.get_data(as_text=True)
    link = link_in(html)
    token = link.rsplit("/", 1)[1]
    assert "wa.me/?text=" in html and "<svg" in html  # WhatsApp and a QR code
    person = db.session.scalar(sa.select(User).where(User.email == "nur.aini@satpol.test"))
    assert [(m.unit_id, m.role) for m in person.memberships] == [
        (world["satpol"].id, Role.CONTRIBUTOR)
    ]
    stored = db.session.scalar(sa.select(Invitation))
    assert token not in stored.token_hash and len(stored.token_hash) == 64  # only a hash is kept
    app.test_client_class = IsolatedClient
    phone = app.test_client()
    page = phone.get(f"/invite/{token}")
    assert page.status_code == 200 and "nur.aini@satpol.test" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    short = phone.post(
        f"/invite/{token}",
        data={
            "csrf_token": csrf_token_from(page.get_data(True)),
            "new": "pendek",
            "repeat": "pendek",
        },
    )
    assert short.status_code == 422 and "minimal 10 karakter" in short.get_data(True)
    done = phone.post(
        f"/invite/{token}",
        data={
            "csrf_token": csrf_token_from(page.get_data(True)),
            "new": "kata sandi milik nur",
            "repeat": "kata sandi milik nur",
        },
    )
    assert done.status_code == 303 and done.headers["Location"].endswith("/login")
    again = phone.get(f"/invite/{token}")
    assert again.status_code == 410 and "tidak berlaku lagi" in again.get_data(as_text=True)
    signed = phone.post(
        "/login",
        data={
            "csrf_token": csrf_token_from(phone.get("/login").get_data(True)),
            "email": "nur.aini@satpol.test",
            "password": "kata sandi milik nur",
        },
    )
    assert signed.status_code == 303


def test_an_expired_or_unknown_link_says_so_and_changes_nothing(app, client, world):
    admin, _auth = signed_in(app, "admin@satpol.test")
    token = link_in(
        add(admin, world["satpol"], email="baru@satpol.test", name="Baru").get_data(True)
    )
    token = token.rsplit("/", 1)[1]
    invitation = db.session.scalar(sa.select(Invitation))
    invitation.expires_at = clock.now() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/invite/{token}").status_code == 410
    csrf = csrf_token_from(client.get("/login").get_data(as_text=True))
    late = client.post(
        f"/invite/{token}", data={"csrf_token": csrf, "new": "x" * 12, "repeat": "x" * 12}
    )
    assert late.status_code == 410
    db.session.expire_all()
    assert db.session.scalar(sa.select(Invitation)).used_at is None
    assert client.get("/invite/" + "a" * 200).status_code == 410
    assert client.get("/invite/tidak-ada").status_code == 410


def test_a_unit_admin_adds_changes_and_takes_out_but_never_makes_admins(app, world):
    admin, _auth = signed_in(app, "admin@satpol.test")
    existing = add(admin, world["satpol"], email="admin@bpbd.test", role="editor")
    assert existing.status_code == 303  # someone with an account is simply added
    assert (
        next(m.role for m in world["bpbd_admin"].memberships if m.unit_id == world["satpol"].id)
        == Role.EDITOR
    )
    assert (
        add(admin, world["satpol"], email="x@satpol.test", name="X", role="admin").status_code
        == 422
    )
    twice = add(admin, world["satpol"], email="editor@satpol.test", role="editor")
    assert twice.status_code == 422 and "sudah anggota unit" in twice.get_data(as_text=True)
    assert add(admin, world["satpol"], email="bukan email", name="X").status_code == 422
    page = admin.get(f"/units/{world['satpol'].id}/people").get_data(as_text=True)
    token = csrf_token_from(page)
    editor = world["editor"]
    role = f"/units/{world['satpol'].id}/people/{editor.id}/role"
    assert admin.post(role, data={"csrf_token": token, "role": "contributor"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(User, editor.id).memberships[0].role == Role.CONTRIBUTOR
    assert admin.post(role, data={"csrf_token": token, "role": ""}).status_code == 303
    db.session.expire_all()
    assert db.session.get(User, editor.id).memberships == []
    # the admin's own place, and other units' people, are not theirs to change
    mine = f"/units/{world['satpol'].id}/people/{world['admin'].id}/role"
    admin.post(mine, data={"csrf_token": token, "role": "contributor"})
    db.session.expire_all()
    assert db.session.get(User, world["admin"].id).memberships[0].role == Role.ADMIN
    assert admin.get(f"/units/{world['bpbd'].id}/people").status_code == 404
    # the coordinator sees each change in the unit's history, with who made it
    coordinator, _auth = signed_in(app, "koordinator@test")
    history = coordinator.get(f"/units/{world['satpol'].id}/people").get_data(as_text=True)
    history = history[history.index('id="people-history"') :]
    came = history[history.index("Sari") :]
    assert came.index("masuk sebagai Editor") < came.index("</li>")
    assert "keluar dari unit (sebelumnya Kontributor)" in history
    assert "Editor → Kontributor" in history and "oleh Yuni Astuti" in history
    other = f"/units/{world['bpbd'].id}/people/{world['bpbd_admin'].id}/role"
    assert admin.post(other, data={"csrf_token": token, "role": ""}).status_code == 404


def test_editors_do_not_manage_people_and_a_reset_link_stops_the_old_one(app, world):
    editor, _auth = signed_in(app, "editor@satpol.test")
    assert editor.get(f"/units/{world['satpol'].id}/people").status_code == 404
    admin, _auth = signed_in(app, "admin@satpol.test")
    page = admin.get(f"/units/{world['satpol'].id}/people").get_data(as_text=True)
    path = f"/units/{world['satpol'].id}/people/{world['editor'].id}/link"
    first = link_in(admin.post(path, data={"csrf_token": csrf_token_from(page)}).get_data(True))
    second = link_in(admin.post(path, data={"csrf_token": csrf_token_from(page)}).get_data(True))
    assert first != second
    app.test_client_class = IsolatedClient
    anyone = app.test_client()
    assert anyone.get("/invite/" + first.rsplit("/", 1)[1]).status_code == 410
    assert anyone.get("/invite/" + second.rsplit("/", 1)[1]).status_code == 200
    assert admin.post(path).status_code == 400  # no CSRF token
    coordinator_link = f"/units/{world['satpol'].id}/people/{world['coordinator'].id}/link"
    assert (
        admin.post(coordinator_link, data={"csrf_token": csrf_token_from(page)}).status_code == 404
    )


def test_the_menu_leads_a_unit_admin_to_their_unit(app, world):
    admin, _auth = signed_in(app, "admin@satpol.test")
    answer = admin.get("/unit-people")
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/units/{world['satpol'].id}/people")
    editor, _auth = signed_in(app, "editor@satpol.test")
    assert editor.get("/unit-people").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Membership.user_id))) == 3


def test_a_unit_admin_cannot_take_over_someone_from_another_unit(app, world):
    """Adding another unit's admin as a contributor must not let this unit's admin set their
    password: the link is a coordinator's job for anyone who is also in other units."""
    admin, _auth = signed_in(app, "admin@satpol.test")
    assert (
        add(admin, world["satpol"], email="admin@bpbd.test", role="contributor").status_code == 303
    )
    page = admin.get(f"/units/{world['satpol'].id}/people").get_data(as_text=True)
    card = page[page.index(f'data-user-id="{world["bpbd_admin"].id}"') :]
    card = card[: card.index("</li>")]
    assert "people/" + str(world["bpbd_admin"].id) + "/link" not in card
    assert "koordinator" in card.lower()
    link = f"/units/{world['satpol'].id}/people/{world['bpbd_admin'].id}/link"
    assert admin.post(link, data={"csrf_token": csrf_token_from(page)}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0
    coordinator, _auth = signed_in(app, "koordinator@test")
    page = coordinator.get(f"/units/{world['satpol'].id}/people").get_data(as_text=True)
    assert coordinator.post(link, data={"csrf_token": csrf_token_from(page)}).status_code == 201


def test_the_unit_people_page_runs_the_same_queries_for_few_and_many(
    app, world, make, count_queries
):
    admin, _auth = signed_in(app, "admin@satpol.test")
    counts = []
    for batch in (1, 6):
        for n in range(batch):
            make.user(f"anggota{batch}-{n}@satpol.test", {world["satpol"]: Role.CONTRIBUTOR})
        with count_queries() as counter:
            assert admin.get(f"/units/{world['satpol'].id}/people").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    "answers",
    [
        {"email": "dina\x00@satpol.test", "name": "Dina"},
        {"email": "dina@satpol.test", "name": "\x00"},
        {"email": "dina@satpol.test", "name": "Dina\u0085"},
    ],
)
def test_a_control_character_in_a_new_person_is_refused(app, world, answers):
    admin, _auth = signed_in(app, "admin@satpol.test")
    before = db.session.scalar(sa.select(sa.func.count(User.id)))
    response = add(admin, world["satpol"], **answers)
    assert response.status_code == 422
    assert "karakter kontrol" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == before
