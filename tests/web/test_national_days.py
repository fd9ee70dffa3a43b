"""The shipped national days become region themes, once, and show in the week plan."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from calendarapp.accounts.models import Role
from calendarapp.content.models import Theme
from calendarapp.extensions import db
from calendarapp.planning import services
from tests.conftest import csrf_token_from, signed_in


def test_the_data_file_is_well_formed_and_covers_two_years():
    rows = services.national_days()
    assert {first.year for first, _last, _kind, _name in rows} == {2026, 2027}
    assert all(first <= last and kind in services.NATIONAL_COLORS for first, last, kind, _ in rows)
    assert (date(2026, 3, 21), date(2026, 3, 22), "libur", "Idul Fitri 1447 Hijriah") in rows
    assert (date(2026, 11, 12), date(2026, 11, 12), "peringatan", "Hari Kesehatan Nasional") in rows


def test_a_coordinator_imports_national_days_twice_without_doubles(app, make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("koordinator@kominfo.test", coordinator=True)
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    client, _auth = signed_in(app, "koordinator@kominfo.test")
    token = csrf_token_from(client.get("/themes").get_data(as_text=True))
    first = client.post("/themes/national-days", data={"csrf_token": token}, follow_redirects=True)
    expected = len(services.national_days())
    assert f"Hari nasional: {expected} tema baru, 0 diperbarui." in first.get_data(as_text=True)
    again = client.post("/themes/national-days", data={"csrf_token": token}, follow_redirects=True)
    assert f"Hari nasional: 0 tema baru, {expected} diperbarui." in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Theme.id))) == expected
    unit_admin, auth = signed_in(app, "admin@satpol.test")
    refused = unit_admin.post("/themes/national-days", data={"csrf_token": auth.csrf("/themes")})
    assert refused.status_code == 404
    week = unit_admin.get("/plan/week?week=2026-W46").get_data(as_text=True)
    assert "Hari Kesehatan Nasional" in week and "Hari Pahlawan" in week
