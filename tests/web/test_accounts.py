"""Signing in and out, and what an anonymous visitor or a stale session gets."""

import pytest

from calendarapp.accounts.models import Role, User
from calendarapp.extensions import db
from tests.conftest import csrf_token_from


@pytest.fixture
def satpol(make):
    unit = make.unit()
    make.user("admin.satpolpp@demo.test", {unit: Role.ADMIN}, name="Yuni Astuti")
    return unit


def test_a_unit_admin_signs_in_and_lands_on_the_month(client, auth, satpol):
    response = auth.login("Admin.SatpolPP@demo.test ")
    assert response.status_code == 303
    assert response.headers["Location"] == "/calendar/month"
    page = client.get("/calendar/month").get_data(as_text=True)
    assert "Yuni Astuti" in page


def test_the_login_form_fields_are_named_email_and_password(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="email"' in page and 'name="password"' in page
    assert 'lang="id"' in page and "Masuk" in page


def test_a_wrong_password_is_refused_in_indonesian(client, auth, satpol):
    response = auth.login("admin.satpolpp@demo.test", "not the password")
    assert response.status_code == 401
    assert "Email atau kata sandi salah." in response.get_data(as_text=True)
    assert client.get("/calendar/month").status_code == 302


def test_an_unknown_email_gets_the_same_answer(client, auth, satpol):
    response = auth.login("nobody@demo.test", "whatever")
    assert response.status_code == 401
    assert "Email atau kata sandi salah." in response.get_data(as_text=True)


def test_an_inactive_user_cannot_sign_in(client, auth, make):
    make.user("gone@demo.test", active=False)
    response = auth.login("gone@demo.test")
    assert response.status_code == 403
    assert "dinonaktifkan" in response.get_data(as_text=True)
    assert client.get("/calendar/month").status_code == 302


def test_deactivating_a_user_ends_their_session(client, auth, satpol):
    auth.login("admin.satpolpp@demo.test")
    user = db.session.scalar(db.select(User).where(User.email == "admin.satpolpp@demo.test"))
    user.active = False
    db.session.commit()
    response = client.get("/calendar/month")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_new_password_ends_every_old_session(client, auth, satpol):
    auth.login("admin.satpolpp@demo.test")
    user = db.session.scalar(db.select(User).where(User.email == "admin.satpolpp@demo.test"))
    user.set_password("another long password")
    db.session.commit()
    assert client.get("/calendar/month").status_code == 302


def test_passwords_are_stored_as_scrypt_hashes(app, satpol):
    user = db.session.scalar(db.select(User).where(User.email == "admin.satpolpp@demo.test"))
    user.set_password("correct horse battery staple")  # as the app stores any password
    # werkzeug's full work factor (the test factory uses a smaller one, for speed)
    assert user.password_hash.startswith("scrypt:32768:8:1$")
    assert "correct horse" not in user.password_hash
    assert user.check_password("correct horse battery staple")


def test_a_post_without_csrf_token_is_refused(client, satpol):
    response = client.post(
        "/login", data={"email": "admin.satpolpp@demo.test", "password": "correct horse battery"}
    )
    assert response.status_code == 400
    assert "kedaluwarsa" in response.get_data(as_text=True)
    assert client.get("/calendar/month").status_code == 302


def test_htmx_posts_carry_the_token_in_a_header(client, auth, satpol):
    auth.login("admin.satpolpp@demo.test")
    token = auth.csrf()
    assert "X-CSRFToken" in client.get("/calendar/month").get_data(as_text=True)
    refused = client.post("/locale", data={"locale": "en"}, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    accepted = client.post(
        "/locale", data={"locale": "en"}, headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert accepted.status_code == 303


def test_sign_out_needs_a_post_with_token(client, auth, satpol):
    auth.login("admin.satpolpp@demo.test")
    confirm = client.get("/logout")
    assert confirm.status_code == 200
    assert client.get("/calendar/month").status_code == 200  # a GET changes nothing
    assert client.post("/logout").status_code == 400
    token = csrf_token_from(confirm.get_data(as_text=True))
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache"'  # the back button shows nothing
    assert client.get("/calendar/month").status_code == 302


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client, auth, satpol):
    response = client.get("/calendar/week?week=2026-W48")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/calendar/week?week%3D2026-W48"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    token = csrf_token_from(page)
    login = client.post(
        "/login",
        data={
            "email": "admin.satpolpp@demo.test",
            "password": "correct horse battery",
            "csrf_token": token,
            "next": "/calendar/week?week=2026-W48",
        },
    )
    assert login.headers["Location"] == "/calendar/week?week=2026-W48"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_sign_in_never_sends_people_to_another_site(auth, satpol, target):
    response = auth.login("admin.satpolpp@demo.test", next=target)
    assert response.headers["Location"] == "/calendar/month"


def test_an_expired_session_during_an_htmx_swap_reloads_the_login_page(client, satpol):
    response = client.get("/calendar/month?month=2026-12", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/login?next=")


def test_session_cookie_is_httponly_and_lax(client, auth, satpol):
    response = auth.login("admin.satpolpp@demo.test")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_behind_https(app, make):
    from calendarapp import create_app
    from calendarapp.config import settings_for_tests

    secure_app = create_app(
        settings_for_tests(
            app.config["SQLALCHEMY_DATABASE_URI"],
            PREFERRED_URL_SCHEME="https",
            SESSION_COOKIE_SECURE=True,
        )
    )
    client = secure_app.test_client()
    response = client.get("/login", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]


def test_an_empty_or_overlong_login_is_answered_field_by_field(client, satpol):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    empty = client.post("/login", data={"email": "", "password": "", "csrf_token": token})
    assert empty.status_code == 400
    assert empty.get_data(as_text=True).count("Isian ini wajib diisi.") == 2
    long = client.post(
        "/login", data={"email": "a" * 300 + "@x.test", "password": "x", "csrf_token": token}
    )
    assert long.status_code == 400
    assert "Isian tidak boleh lebih dari 254 karakter." in long.get_data(as_text=True)


def test_pages_forbid_framing_and_foreign_scripts(client):
    headers = client.get("/login").headers
    assert headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"
