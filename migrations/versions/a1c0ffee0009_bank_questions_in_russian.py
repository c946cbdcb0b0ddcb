"""bank questions and interview kits in Russian

Revision ID: a1c0ffee0009
Revises: a1c0ffee0008
Create Date: 2026-12-04 00:55:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c0ffee0009"
down_revision = "a1c0ffee0008"
branch_labels = None
depends_on = None


def upgrade():
    # Filled by the next `flask bank load` (a new version of each translated item).
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ru", sa.JSON(), nullable=True))
    with op.batch_alter_table("interview_question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ru", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("interview_question", schema=None) as batch_op:
        batch_op.drop_column("ru")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_column("ru")
