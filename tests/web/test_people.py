"""Coordinators keep people and units in the app; everyone changes their own password."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from calendarapp.accounts.models import Membership, Role, Unit, User
from calendarapp.extensions import db
from tests.conftest import PASSWORD, csrf_token_from, signed_in


@pytest.fixture
def people(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("koordinator@kominfo.test", coordinator=True)
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    return {"satpol": satpol}


def _password_in(html: str, app=None) -> str:
    """Follow the one-time link shown on the page and set a password through it (as the person
    would on their phone); answers that password."""
    match = re.search(r'<textarea id="invite-link"[^>]*>([^<]+)</textarea>', html)
    assert match, "no link shown"
    token = match.group(1).rsplit("/", 1)[1]
    from flask import current_app

    phone = current_app.test_client()
    page = phone.get(f"/invite/{token}").get_data(as_text=True)
    password = "kata sandi " + token[:12]
    answer = phone.post(
        f"/invite/{token}",
        data={"csrf_token": csrf_token_from(page), "new": password, "repeat": password},
    )
    assert answer.status_code == 303, answer.get_data(as_text=True)[-500:]
    return password


def test_a_coordinator_adds_a_unit_and_a_person_who_then_signs_in(app, client, auth, people):
    auth.login("koordinator@kominfo.test")
    token = auth.csrf("/units/new")
    response = client.post(
        "/units/new",
        data={
            "csrf_token": token,
            "name": "Puskesmas Sukamaju",
            "short_name": "PKM Sukamaju",
            "kind": "puskesmas",
            "timezone": "Asia/Makassar",
            "color": "#0d9488",
            "weekly_target": "2",
            "requires_approval": "y",
            "active": "y",
        },
    )
    assert response.status_code == 303
    unit = db.session.scalar(sa.select(Unit).where(Unit.short_name == "PKM Sukamaju"))
    assert (unit.timezone, unit.weekly_target, unit.requires_approval) == ("Asia/Makassar", 2, True)
    page = client.get(f"/people/new?unit={unit.id}").get_data(as_text=True)
    assert f'<option selected value="{unit.id}">' in page
    response = client.post(
        "/people/new",
        data={
            "csrf_token": token,
            "name": "  Sri   Wahyuni ",
            "email": "Sri.Wahyuni@PKM.test",
            "unit": str(unit.id),
            "role": "editor",
        },
    )
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    password = _password_in(html)
    assert "sri.wahyuni@pkm.test" in html
    assert response.headers["Cache-Control"] == "no-store"
    person = db.session.scalar(sa.select(User).where(User.email == "sri.wahyuni@pkm.test"))
    assert person.name == "Sri Wahyuni" and password not in person.password_hash
    assert [(m.unit_id, m.role) for m in person.memberships] == [(unit.id, Role.EDITOR)]
    phone, phone_auth = signed_in(app, "koordinator@kominfo.test")  # any client; sign in anew
    phone.post("/logout", data={"csrf_token": phone_auth.csrf()})
    assert phone_auth.login("sri.wahyuni@pkm.test", password).status_code == 303
    assert phone.get(f"/calendar/month?unit={unit.id}").status_code == 200
    assert phone.get(f"/calendar/month?unit={people['satpol'].id}").status_code == 404


@pytest.mark.parametrize(
    "change, message",
    [
        ({"email": "admin@satpol.test"}, "sudah memiliki akun"),
        ({"email": "bukan-email"}, "Masukkan alamat email"),
        ({"name": "x" * 121}, ""),
        ({"unit": "999999"}, "Pilih salah satu unit yang aktif"),
        ({"role": "raja"}, ""),
        # a NUL passes the e-mail check, and a NUL-only name the required one
        ({"email": "rina\x00@satpol.test"}, "karakter kontrol"),
        ({"name": "\x00"}, "karakter kontrol"),
        ({"name": "Rina\x1b[31m"}, "karakter kontrol"),
    ],
)
def test_bad_people_are_refused_and_nothing_is_saved(client, auth, people, change, message):
    auth.login("koordinator@kominfo.test")
    before = db.session.scalar(sa.select(sa.func.count(User.id)))
    data = {
        "csrf_token": auth.csrf("/people/new"),
        "name": "Rina",
        "email": "rina@satpol.test",
        "unit": str(people["satpol"].id),
        "role": "contributor",
        **change,
    }
    response = client.post("/people/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == before


def test_deactivating_a_person_ends_their_sessions(app, client, auth, people):
    phone, phone_auth = signed_in(app, "admin@satpol.test")
    assert phone.get("/calendar/month").status_code == 200
    auth.login("koordinator@kominfo.test")
    person = db.session.scalar(sa.select(User).where(User.email == "admin@satpol.test"))
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    response = client.post(
        f"/people/{person.id}",
        data={"csrf_token": csrf_token_from(page), "name": person.name, "email": person.email},
    )
    assert response.status_code == 303
    assert phone.get("/calendar/month").status_code == 302  # back to the sign-in page
    assert phone_auth.login("admin@satpol.test").status_code == 403
    assert "nonaktif" in client.get("/people").get_data(as_text=True)


def test_a_coordinator_cannot_lock_themselves_out(client, auth, people):
    auth.login("koordinator@kominfo.test")
    me = db.session.scalar(sa.select(User).where(User.email == "koordinator@kominfo.test"))
    page = client.get(f"/people/{me.id}").get_data(as_text=True)
    response = client.post(
        f"/people/{me.id}",
        data={"csrf_token": csrf_token_from(page), "name": "Saya", "active": "y"},
    )
    assert response.status_code == 422
    assert "tidak dapat menonaktifkan diri sendiri" in response.get_data(as_text=True)
    db.session.expire_all()
    assert me.is_coordinator and me.name != "Saya"


def test_a_new_password_replaces_the_old_one_everywhere(app, client, auth, people):
    phone, phone_auth = signed_in(app, "admin@satpol.test")
    auth.login("koordinator@kominfo.test")
    person = db.session.scalar(sa.select(User).where(User.email == "admin@satpol.test"))
    response = client.post(
        f"/people/{person.id}/password", data={"csrf_token": auth.csrf(f"/people/{person.id}")}
    )
    password = _password_in(response.get_data(as_text=True))
    assert phone.get("/calendar/month").status_code == 302
    assert phone_auth.login("admin@satpol.test").status_code == 401
    assert phone_auth.login("admin@satpol.test", password).status_code == 303


def test_roles_in_units_are_added_changed_and_taken_away(client, auth, people, make):
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    auth.login("koordinator@kominfo.test")
    person = db.session.scalar(sa.select(User).where(User.email == "admin@satpol.test"))
    token = auth.csrf(f"/people/{person.id}")

    def roles():
        db.session.expire_all()
        return sorted((m.unit.short_name, m.role) for m in person.memberships)

    url = f"/people/{person.id}/units"
    client.post(url, data={"csrf_token": token, "unit": str(bpbd.id), "role": "contributor"})
    assert roles() == [("BPBD", Role.CONTRIBUTOR), ("Satpol PP", Role.ADMIN)]
    client.post(url, data={"csrf_token": token, "unit": str(bpbd.id), "role": "editor"})
    assert roles() == [("BPBD", Role.EDITOR), ("Satpol PP", Role.ADMIN)]
    client.post(url, data={"csrf_token": token, "unit": str(people["satpol"].id), "role": ""})
    assert roles() == [("BPBD", Role.EDITOR)]
    refused = client.post(
        url,
        data={"csrf_token": token, "unit": "12345678901234567890", "role": "editor"},
        follow_redirects=True,
    )
    assert "Pilih unit dan peran" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"name": "satuan polisi pamong praja"}, "Unit lain sudah memakai nama ini"),
        ({"timezone": "Europe/Berlin"}, ""),
        ({"weekly_target": "500"}, ""),
        ({"color": "red"}, "Pilih warna"),
        ({"parent": "SELF"}, "Pilih unit lain"),
    ],
)
def test_bad_units_are_refused(client, auth, people, make, change, message):
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    auth.login("koordinator@kominfo.test")
    data = {
        "csrf_token": auth.csrf("/units"),
        "name": "Badan Penanggulangan Bencana Daerah",
        "short_name": "BPBD",
        "kind": "badan",
        "timezone": "Asia/Jakarta",
        "color": "#f97316",
        "weekly_target": "3",
        **change,
    }
    if data.get("parent") == "SELF":
        data["parent"] = str(bpbd.id)
    response = client.post(f"/units/{bpbd.id}/edit", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert (bpbd.name, bpbd.timezone, bpbd.parent_id) == (
        "Badan Penanggulangan Bencana Daerah",
        "Asia/Jakarta",
        None,
    )


def test_a_unit_cannot_sit_under_its_own_kelurahan(client, auth, people, make):
    kecamatan = make.unit("Kecamatan Kota", "Kec. Kota")
    kelurahan = make.unit("Kelurahan Pasar", "Kel. Pasar")
    kelurahan.parent = kecamatan
    db.session.commit()
    auth.login("koordinator@kominfo.test")
    response = client.post(
        f"/units/{kecamatan.id}/edit",
        data={
            "csrf_token": auth.csrf("/units"),
            "name": "Kecamatan Kota",
            "short_name": "Kec. Kota",
            "kind": "kecamatan",
            "timezone": "Asia/Jakarta",
            "color": "#2563eb",
            "weekly_target": "3",
            "parent": str(kelurahan.id),
        },
    )
    assert response.status_code == 422
    assert "tidak dapat berada di bawah dirinya sendiri" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/people"),
        ("get", "/people/new"),
        ("post", "/people/new"),
        ("get", "/people/PERSON"),
        ("post", "/people/PERSON"),
        ("post", "/people/PERSON/units"),
        ("post", "/people/PERSON/password"),
        ("get", "/units"),
        ("get", "/units/new"),
        ("post", "/units/new"),
        ("get", "/units/UNIT/edit"),
        ("post", "/units/UNIT/edit"),
    ],
)
def test_only_coordinators_keep_people_and_units(client, auth, people, method, path):
    auth.login("admin@satpol.test")
    me = db.session.scalar(sa.select(User).where(User.email == "admin@satpol.test"))
    path = path.replace("PERSON", str(me.id)).replace("UNIT", str(people["satpol"].id))
    data = {"csrf_token": auth.csrf(), "name": "X", "email": "x@x.test", "role": "admin"}
    response = getattr(client, method)(path, **({"data": data} if method == "post" else {}))
    assert response.status_code == 404
    db.session.expire_all()
    assert [m.role for m in me.memberships] == [Role.ADMIN] and not me.is_coordinator


def test_everyone_changes_their_own_password(app, client, auth, people):
    other_phone, _ = signed_in(app, "admin@satpol.test")
    auth.login("admin@satpol.test")
    token = auth.csrf("/account/password")
    cases = [
        (
            {"current": "salah sekali", "new": "kata sandi baru", "repeat": "kata sandi baru"},
            "tidak benar",
        ),
        ({"current": PASSWORD, "new": "pendek", "repeat": "pendek"}, "minimal 10 karakter"),
        ({"current": PASSWORD, "new": "kata sandi baru", "repeat": "kata sandi lain"}, "berbeda"),
        ({"current": PASSWORD, "new": PASSWORD, "repeat": PASSWORD}, "berbeda dari yang sekarang"),
    ]
    for data, message in cases:
        response = client.post("/account/password", data={"csrf_token": token, **data})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert other_phone.get("/calendar/month").status_code == 200
    good = {"current": PASSWORD, "new": "kata sandi baru", "repeat": "kata sandi baru"}
    response = client.post("/account/password", data={"csrf_token": token, **good})
    assert response.status_code == 303
    assert client.get("/calendar/month").status_code == 200  # this phone stays signed in
    assert other_phone.get("/calendar/month").status_code == 302  # the other one does not


def test_the_people_and_units_lists_run_the_same_queries_for_few_and_many(
    client, auth, people, make, count_queries
):
    auth.login("koordinator@kominfo.test")
    counts = []
    for total in (3, 13):
        while db.session.scalar(sa.select(sa.func.count(User.id))) < total:
            n = db.session.scalar(sa.select(sa.func.count(Unit.id)))
            unit = make.unit(f"Kelurahan Nomor {n}", f"Kel. {n}")
            make.user(f"orang{n}@kel.test", {unit: Role.EDITOR, people["satpol"]: Role.CONTRIBUTOR})
        with count_queries() as people_page:
            assert client.get("/people").status_code == 200
        with count_queries() as units_page:
            assert client.get("/units").status_code == 200
        counts.append((people_page.count, units_page.count))
    assert counts[0] == counts[1], counts


def test_the_people_list_gives_each_persons_units_by_name(client, auth, people, make):
    zeta = make.unit("Zeta Dinas", "Zeta")
    alpha = make.unit("alpha Kelurahan", "alpha")
    make.user(
        "sari@kel.test", {zeta: Role.ADMIN, people["satpol"]: Role.EDITOR, alpha: Role.EDITOR}
    )
    auth.login("koordinator@kominfo.test")
    page = client.get("/people").get_data(as_text=True)
    row = re.search(r'<tr data-user-id="\d+">\s*<td><a [^>]*>[^<]*</a><br><span[^>]*>sari@kel[^<]*'
                    r"</span>.*?</td>\s*<td>([^<]*)</td>", page, re.S)  # fmt: skip
    assert row, page[-2000:]
    # by name, whatever the case: alpha, Satuan Polisi Pamong Praja, Zeta
    assert [part.split(" (")[0] for part in row.group(1).split(", ")] == [
        "alpha",
        "Satpol PP",
        "Zeta",
    ]
