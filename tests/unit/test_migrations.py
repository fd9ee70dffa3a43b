"""The schema exists only through migrations, and the migrations match the models."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from calendarapp.extensions import db


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
