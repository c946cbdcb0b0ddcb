"""organisation scoping and webhook targets

Revision ID: a1c0ffee0003
Revises: a1c0ffee0002
Create Date: 2026-12-03 13:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c0ffee0003"
down_revision = "a1c0ffee0002"
branch_labels = None
depends_on = None


def upgrade():
    # Platform operators (set from the command line only) may create organisations.
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(
            sa.Column("is_operator", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("is_operator")
