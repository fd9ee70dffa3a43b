"""Template helpers: the grid's address maker (one url_for, then joins, with url_for's own
answers) and the option lists of the filter bar."""

from __future__ import annotations

from calendarapp.templating import options
from calendarapp.web import url_maker


def test_the_maker_answers_what_url_for_answers(app):
    from flask import url_for

    with app.test_request_context("/"):
        detail = url_maker("content.detail", "item_id")
        assert [detail(n) for n in (1, 42, 2_000_000)] == [
            url_for("content.detail", item_id=n) for n in (1, 42, 2_000_000)
        ]
        new = url_maker("content.new", "date", unit=7)
        assert new("2026-11-23") == url_for("content.new", date="2026-11-23", unit=7)
        assert new("a b&c") == url_for("content.new", date="a b&c", unit=7)  # quoted as url_for


def test_a_fixed_argument_that_holds_the_marker_falls_back_to_url_for(app):
    from flask import url_for

    with app.test_request_context("/"):
        new = url_maker("content.new", "date", unit=987654321)
        assert new("2026-11-23") == url_for("content.new", date="2026-11-23", unit=987654321)


def test_plain_urls_are_url_fors_answers_kept_per_worker(app):
    from flask import url_for

    from calendarapp.templating import plain_url

    with app.test_request_context("/"):
        assert plain_url("calendar.month") == url_for("calendar.month")
        assert plain_url("static", "css/app.css") == url_for("static", filename="css/app.css")
        assert "?v=" in plain_url("static", "css/app.css")
    with app.test_request_context("/", base_url="http://localhost/kalender/"):
        assert plain_url("calendar.month") == "/kalender/calendar/month"  # kept per mount point


def test_options_escape_every_value_and_label_and_select_the_one_chosen():
    html = str(options([(1, "Satpol PP"), (2, '<b>"BPBD"</b>'), (3, "A & B")], 2))
    assert html == (
        '<option value="1">Satpol PP</option>'
        '<option value="2" selected>&lt;b&gt;&#34;BPBD&#34;&lt;/b&gt;</option>'
        '<option value="3">A &amp; B</option>'
    )
    assert "selected" not in str(options([(1, "x")], None))
    assert str(options([('"><script>', "x")], '"><script>')).startswith(
        '<option value="&#34;&gt;&lt;script&gt;" selected>'
    )
