from calendarapp.accounts.models import Role


def test_smoke(client, auth, make):
    unit = make.unit()
    make.user("a@x.test", {unit: Role.ADMIN})
    make.item(unit)
    r = auth.login("a@x.test")
    assert r.status_code == 303, r.get_data(as_text=True)
    r = client.get("/calendar/month")
    print(r.get_data(as_text=True)[:6000])
    assert r.status_code == 200
    r = client.get("/calendar/week")
    assert r.status_code == 200, r.get_data(as_text=True)
    r = client.get("/items/1")
    assert r.status_code == 200, r.get_data(as_text=True)
