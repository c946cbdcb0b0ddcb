"""one reminder for candidates who have not opened their link after a position's delay

Revision ID: a1c0ffee0014
Revises: a1c0ffee0013
Create Date: 2026-12-04 19:55:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c0ffee0014"
down_revision = "a1c0ffee0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("position") as batch_op:
        batch_op.add_column(sa.Column("reminder_after_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.add_column(sa.Column("opened_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.drop_column("reminded_at")
        batch_op.drop_column("opened_at")
    with op.batch_alter_table("position") as batch_op:
        batch_op.drop_column("reminder_after_days")
