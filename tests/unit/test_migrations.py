"""The schema exists only through migrations, and the migrations match the models."""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from calendarapp.changes import SKIP
from calendarapp.extensions import db


@contextmanager
def old_schema():
    """A connection writing to a schema from before the calendar serial's table existed."""
    with db.engine.begin() as c:
        c.info[SKIP] = True
        try:
            yield c
        finally:
            c.info.pop(SKIP, None)


def _differences():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def test_migrations_build_the_schema_the_models_describe(app):
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {
        "unit",
        "user_account",
        "membership",
        "theme",
        "content_item",
        "status_change",
    } <= tables
    assert _differences() == []


def test_constraints_follow_the_naming_convention(app):
    inspector = sa.inspect(db.engine)
    foreign_keys = {fk["name"] for fk in inspector.get_foreign_keys("membership")}
    assert foreign_keys == {"fk_membership_user_id_user_account", "fk_membership_unit_id_unit"}
    uniques = {uq["name"] for uq in inspector.get_unique_constraints("user_account")}
    assert "uq_user_account_email" in uniques


def test_every_foreign_key_leads_an_index(app):
    """A page that filters on a foreign key, or a parent row deleted with ON DELETE, reads the
    child rows through an index, not a scan of the table (issue 17: 30 of 68 had none)."""
    inspector = sa.inspect(db.engine)
    unindexed, checked = [], 0
    for table in inspector.get_table_names():
        leading = {ix["column_names"][0] for ix in inspector.get_indexes(table)}
        leading |= {uq["column_names"][0] for uq in inspector.get_unique_constraints(table)}
        primary = inspector.get_pk_constraint(table)["constrained_columns"]
        leading |= set(primary[:1])
        for fk in inspector.get_foreign_keys(table):
            checked += 1
            if fk["constrained_columns"][0] not in leading:
                unindexed.append(f"{table}.{fk['constrained_columns'][0]}")
    assert checked >= 68
    assert unindexed == []


def test_migrations_go_down_to_nothing_and_up_again(app):
    db.session.remove()
    downgrade(revision="base")
    assert "content_item" not in sa.inspect(db.engine).get_table_names()
    upgrade()
    assert _differences() == []


def test_posts_keep_their_platforms_and_find_their_account_through_the_migration(app):
    """Issue 16: an item's platform rows gain the unit's account (where it has exactly one open
    account there) going up, and keep every platform and proof link going down and up again."""
    before = "05beab315511"  # the history of a unit's people; the next one links accounts
    db.session.remove()
    downgrade(revision=before)
    with old_schema() as c:
        c.execute(
            sa.text(
                "INSERT INTO unit (id, name, short_name, kind, timezone, color, weekly_target,"
                " requires_approval, coordinates_coverage, active, created_at, updated_at) VALUES"
                " (901, 'Satuan Polisi Pamong Praja', 'Satpol PP', 'dinas', 'Asia/Jakarta',"
                " '#2563eb', 3, true, false, true, '2026-01-01', '2026-01-01')"
            )
        )
        for account_id, platform, handle in [
            (1, "instagram", "satpolpp"),
            (2, "tiktok", "a"),
            (3, "tiktok", "b"),
        ]:
            c.execute(
                sa.text(
                    "INSERT INTO social_account (id, unit_id, platform, handle, handle_key, url,"
                    " display_name, status, public, two_step, recovery_kind, recovery_owner,"
                    " version, created_at, updated_at) VALUES (:id, 901, :platform, :handle,"
                    " :handle, 'https://x.test', '', 'aktif', true, 'aktif', '', '', 1,"
                    " '2026-01-01', '2026-01-01')"
                ),
                {"id": account_id, "platform": platform, "handle": handle},
            )
        c.execute(
            sa.text(
                "INSERT INTO content_item (id, unit_id, title, brief, caption, caption_words,"
                " hashtags, narasi_tunggal, format, status, version, created_at, updated_at) VALUES"
                " (77, 901, 'Patroli', '', '', 0, '', false, 'foto', 'tayang', 1, '2026-01-01',"
                " '2026-01-01')"
            )
        )
        for platform, url in [
            ("instagram", "https://instagram.com/p/1"),
            ("tiktok", "https://tiktok.com/@a/video/1"),
            ("facebook", None),
        ]:
            c.execute(
                sa.text(
                    "INSERT INTO content_item_platform (item_id, platform, posted_url)"
                    " VALUES (77, :platform, :url)"
                ),
                {"platform": platform, "url": url},
            )
    upgrade()
    linked = db.session.execute(
        sa.text(
            "SELECT platform, posted_url, account_id FROM content_item_platform"
            " WHERE item_id = 77 ORDER BY platform"
        )
    ).all()
    assert [tuple(row) for row in linked] == [
        ("facebook", None, None),  # no account there
        ("instagram", "https://instagram.com/p/1", 1),  # the one account
        ("tiktok", "https://tiktok.com/@a/video/1", None),  # two accounts: the person chooses
    ]
    db.session.remove()
    downgrade(revision=before)
    kept = db.session.execute(
        sa.text(
            "SELECT platform, posted_url FROM content_item_platform WHERE item_id = 77"
            " ORDER BY platform"
        )
    ).all()
    assert [tuple(r) for r in kept] == [
        ("facebook", None),
        ("instagram", "https://instagram.com/p/1"),
        ("tiktok", "https://tiktok.com/@a/video/1"),
    ]
    db.session.remove()
    upgrade()
    assert _differences() == []


def test_a_batch_migration_on_sqlite_deletes_nothing_that_references_the_copied_table(app):
    """A batch migration copies a table on SQLite and drops the old one; with foreign keys on,
    the drop would first delete every row pointing at it (ON DELETE CASCADE). The outbox's
    migration copies `notification`: a row that references a notification survives it."""
    before = "2d4fdc66aba4"  # the next one batch-alters `notification`
    db.session.remove()
    downgrade(revision=before)
    with old_schema() as c:
        c.execute(sa.text("CREATE TABLE probe (id INTEGER PRIMARY KEY, notification_id INTEGER"
                          " REFERENCES notification (id) ON DELETE CASCADE)"))  # fmt: skip
        c.execute(sa.text("INSERT INTO user_account (id, email, name, password_hash, active,"
                          " is_coordinator, session_token, created_at, updated_at) VALUES (5,"
                          " 'a@b.test', 'A', 'x', true, false, 'tok', '2026-01-01',"
                          " '2026-01-01')"))  # fmt: skip
        c.execute(sa.text("INSERT INTO notification (id, user_id, kind, detail, created_at)"
                          " VALUES (9, 5, 'monitoring_digest', '', '2026-11-01')"))  # fmt: skip
        c.execute(sa.text("INSERT INTO probe (id, notification_id) VALUES (1, 9)"))
    db.engine.dispose()
    upgrade()
    with db.engine.begin() as c:
        assert c.execute(sa.text("SELECT notification_id FROM probe")).scalars().all() == [9]
        assert c.execute(sa.text("SELECT id FROM notification")).scalars().all() == [9]
        c.execute(sa.text("DROP TABLE probe"))
    assert _differences() == []


def test_the_serial_only_goes_forward_into_slots_and_back_to_one_row(app):
    """The calendar serial's one row becomes sixteen slots whose sum it is, and one row again
    holding that sum: kept grids and feeds never see the number go back (calendarapp/changes)."""
    db.session.remove()
    downgrade(revision="c4d2e3f5a6b7")  # one row
    with old_schema() as c:
        c.execute(sa.text("UPDATE calendar_change SET serial = 40 WHERE id = 1"))
    upgrade(revision="d5e6f7a8b9c0")
    with old_schema() as c:
        rows = dict(c.execute(sa.text("SELECT id, serial FROM calendar_change")).all())
        assert rows == {1: 40, **{slot: 0 for slot in range(2, 17)}}
        c.execute(sa.text("UPDATE calendar_change SET serial = serial + 1 WHERE id IN (3, 9)"))
    downgrade(revision="c4d2e3f5a6b7")
    with old_schema() as c:
        assert c.execute(sa.text("SELECT id, serial FROM calendar_change")).all() == [(1, 42)]
    upgrade()
    assert _differences() == []
