"""extra time for candidates: granted on an invitation before it starts, or added to an
attempt in progress; the candidate's request to be forgotten

Revision ID: a1c0ffee0011
Revises: a1c0ffee0010
Create Date: 2026-12-04 19:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c0ffee0011"
down_revision = "a1c0ffee0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.add_column(
            sa.Column("extra_time_percent", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("extra_minutes", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("erasure_requested_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("attempt") as batch_op:
        batch_op.add_column(
            sa.Column("extra_minutes", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("attempt") as batch_op:
        batch_op.drop_column("extra_minutes")
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.drop_column("erasure_requested_at")
        batch_op.drop_column("extra_minutes")
        batch_op.drop_column("extra_time_percent")
