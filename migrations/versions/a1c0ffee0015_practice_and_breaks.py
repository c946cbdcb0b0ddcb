"""the practice round (whether the candidate practised) and a break between sections

Revision ID: a1c0ffee0015
Revises: a1c0ffee0014
Create Date: 2026-12-04 22:10:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c0ffee0015"
down_revision = "a1c0ffee0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.add_column(sa.Column("practised_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("assessment_blueprint") as batch_op:
        batch_op.add_column(
            sa.Column("break_minutes", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_assessment_blueprint_break_minutes_not_negative"), "break_minutes >= 0"
        )
    with op.batch_alter_table("attempt") as batch_op:
        batch_op.add_column(
            sa.Column("break_minutes", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("break_started_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("break_ended_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("attempt") as batch_op:
        batch_op.drop_column("break_ended_at")
        batch_op.drop_column("break_started_at")
        batch_op.drop_column("break_minutes")
    with op.batch_alter_table("assessment_blueprint") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_assessment_blueprint_break_minutes_not_negative"), type_="check"
        )
        batch_op.drop_column("break_minutes")
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.drop_column("practised_at")
