"""the last sign-in kept apart from the person's row: signing in writes no calendar data

Revision ID: 7b9e0d539bbc
Revises: 4ff6775b656f
Create Date: 2026-12-07 11:38:01.608720

"""

import sqlalchemy as sa
from alembic import op

import calendarapp.timeutil

# revision identifiers, used by Alembic.
revision = "7b9e0d539bbc"
down_revision = "4ff6775b656f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("last_at", calendarapp.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_sign_in_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_sign_in")),
    )
    op.execute(
        "INSERT INTO sign_in (user_id, last_at) "
        "SELECT id, last_login_at FROM user_account WHERE last_login_at IS NOT NULL"
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("last_login_at")


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_login_at", calendarapp.timeutil.UTCDateTime(), nullable=True)
        )
    op.execute(
        "UPDATE user_account SET last_login_at = "
        "(SELECT last_at FROM sign_in WHERE sign_in.user_id = user_account.id)"
    )
    op.drop_table("sign_in")
