"""an organisation's privacy notice for candidates; a candidate's accommodation request

Revision ID: a1c0ffee0013
Revises: a1c0ffee0012
Create Date: 2026-12-04 19:45:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c0ffee0013"
down_revision = "a1c0ffee0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organization") as batch_op:
        batch_op.add_column(sa.Column("privacy_notice", sa.Text(), nullable=True))
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.add_column(sa.Column("accommodation_request", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("accommodation_requested_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.drop_column("accommodation_requested_at")
        batch_op.drop_column("accommodation_request")
    with op.batch_alter_table("organization") as batch_op:
        batch_op.drop_column("privacy_notice")
