"""the backlog finds a unit's undated ideas by index: planned_at joins the planned_date index

Revision ID: b3c1d2e4f5a6
Revises: 7b9e0d539bbc
Create Date: 2026-12-07 14:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b3c1d2e4f5a6"
down_revision = "7b9e0d539bbc"
branch_labels = None
depends_on = None

NAME = "ix_content_item_unit_planned_date"


def upgrade():
    with op.batch_alter_table("content_item") as batch_op:
        batch_op.drop_index(NAME)
        batch_op.create_index(NAME, ["unit_id", "planned_date", "planned_at"], unique=False)


def downgrade():
    with op.batch_alter_table("content_item") as batch_op:
        batch_op.drop_index(NAME)
        batch_op.create_index(NAME, ["unit_id", "planned_date"], unique=False)
