"""Guessing passwords slows down, then stops — per account and per address, across app hosts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from calendarapp import clock, create_app
from calendarapp.accounts.models import Role
from calendarapp.accounts.throttle import ADDRESS_FAILURES, FREE_FAILURES, account_delay
from calendarapp.config import settings_for_tests
from tests.conftest import NOW, IsolatedClient, csrf_token_from, signed_in


def try_login(client, email: str, password: str, address: str = "10.0.0.1"):
    page = client.get("/login", environ_base={"REMOTE_ADDR": address})
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.fixture
def satpol(make):
    unit = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("koordinator@test", coordinator=True)
    return make.user("admin@satpol.test", {unit: Role.ADMIN})


def test_the_delay_doubles_after_five_wrong_passwords():
    assert [account_delay(n).total_seconds() / 60 for n in range(4, 12)] == [
        0, 1, 2, 4, 8, 16, 30, 30,
    ]  # fmt: skip


def test_an_account_is_locked_even_for_the_right_password(app, client, satpol):
    for _ in range(FREE_FAILURES):
        assert try_login(client, "admin@satpol.test", "wrong password").status_code == 401
    response = try_login(client, "admin@satpol.test", "correct horse battery")
    assert response.status_code == 429
    assert "Terlalu banyak kata sandi salah" in response.get_data(as_text=True)
    with clock.frozen(NOW + timedelta(minutes=1, seconds=1)):
        assert try_login(client, "admin@satpol.test", "correct horse battery").status_code == 303


def test_another_address_cannot_go_on_guessing_a_locked_account(client, satpol):
    for n in range(FREE_FAILURES):
        try_login(client, "admin@satpol.test", "wrong", address=f"10.0.0.{n}")
    assert try_login(client, "admin@satpol.test", "wrong", address="10.9.9.9").status_code == 429


def test_an_address_guessing_many_accounts_is_stopped(client, satpol):
    for n in range(ADDRESS_FAILURES):
        assert try_login(client, f"orang{n}@test", "wrong").status_code == 401
    assert try_login(client, "admin@satpol.test", "correct horse battery").status_code == 429
    other = try_login(client, "admin@satpol.test", "correct horse battery", address="10.0.0.2")
    assert other.status_code == 303


def test_the_lock_holds_across_two_app_hosts_on_one_database(app, database_url, satpol):
    second = create_app(settings_for_tests(database_url))
    second.test_client_class = IsolatedClient
    app.test_client_class = IsolatedClient
    hosts = [app.test_client(), second.test_client()]
    for n in range(FREE_FAILURES):
        assert try_login(hosts[n % 2], "admin@satpol.test", "wrong").status_code == 401
    assert try_login(hosts[1], "admin@satpol.test", "correct horse battery").status_code == 429
    assert try_login(hosts[0], "admin@satpol.test", "correct horse battery").status_code == 429


def test_a_coordinator_sees_and_lifts_a_lock(app, client, satpol):
    for _ in range(FREE_FAILURES):
        try_login(client, "admin@satpol.test", "wrong")
    coordinator, auth = signed_in(app, "koordinator@test")
    page = coordinator.get("/people/locks").get_data(as_text=True)
    assert "admin@satpol.test" in page
    response = coordinator.post(
        "/people/locks/lift",
        data={"csrf_token": csrf_token_from(page), "what": "account", "key": "admin@satpol.test"},
    )
    assert response.status_code == 303
    assert try_login(client, "admin@satpol.test", "correct horse battery").status_code == 303
    member, _auth = signed_in(app, "admin@satpol.test")
    assert member.get("/people/locks").status_code == 404


def test_a_successful_sign_in_starts_the_count_again(client, satpol):
    for _ in range(FREE_FAILURES - 1):
        try_login(client, "admin@satpol.test", "wrong")
    assert try_login(client, "admin@satpol.test", "correct horse battery").status_code == 303
    client.post(
        "/logout",
        data={"csrf_token": csrf_token_from(client.get("/logout").get_data(as_text=True))},
    )
    for _ in range(FREE_FAILURES - 1):
        assert try_login(client, "admin@satpol.test", "wrong").status_code == 401


def test_behind_a_proxy_the_clients_own_address_is_counted(database_url, satpol):
    behind = create_app(settings_for_tests(database_url, PROXY_COUNT=1))
    behind.test_client_class = IsolatedClient
    client = behind.test_client()
    with behind.app_context():
        for n in range(ADDRESS_FAILURES):
            page = client.get("/login")
            token = csrf_token_from(page.get_data(as_text=True))
            client.post(
                "/login",
                data={"email": f"orang{n}@test", "password": "x", "csrf_token": token},
                headers={"X-Forwarded-For": "203.0.113.7"},
            )
        page = client.get("/login")
        token = csrf_token_from(page.get_data(as_text=True))
        other = client.post(
            "/login",
            data={"email": "admin@satpol.test", "password": "correct horse battery",
                  "csrf_token": token},
            headers={"X-Forwarded-For": "198.51.100.2"},
        )  # fmt: skip
        assert other.status_code == 303  # another client behind the same proxy is not locked
