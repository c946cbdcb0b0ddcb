"""task statements in Russian

Revision ID: a1c0ffee0008
Revises: a1c0ffee0007
Create Date: 2026-12-03 19:25:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c0ffee0008"
down_revision = "a1c0ffee0007"
branch_labels = None
depends_on = None


def upgrade():
    # Filled by the next `flask bank load` (a new task version when the text arrives).
    with op.batch_alter_table("coding_task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("statement_ru_md", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("title_ru", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("coding_task", schema=None) as batch_op:
        batch_op.drop_column("title_ru")
        batch_op.drop_column("statement_ru_md")
