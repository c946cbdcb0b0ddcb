"""adaptive blueprints: each next question chosen for the candidate, the draw recorded

Revision ID: a1c0ffee0017
Revises: a1c0ffee0016
Create Date: 2026-12-06 22:50:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c0ffee0017"
down_revision = "a1c0ffee0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessment_blueprint") as batch_op:
        batch_op.add_column(
            sa.Column("adaptive", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("se_target", sa.Float(), nullable=False, server_default="0.4")
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_assessment_blueprint_se_target_in_range"),
            "se_target > 0 AND se_target <= 1",
        )
    with op.batch_alter_table("attempt") as batch_op:
        batch_op.add_column(sa.Column("adaptive", sa.JSON(), nullable=True))
    with op.batch_alter_table("attempt_item") as batch_op:
        batch_op.add_column(sa.Column("draw", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("final_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("attempt_item") as batch_op:
        batch_op.drop_column("final_at")
        batch_op.drop_column("draw")
    with op.batch_alter_table("attempt") as batch_op:
        batch_op.drop_column("adaptive")
    with op.batch_alter_table("assessment_blueprint") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_assessment_blueprint_se_target_in_range"), type_="check"
        )
        batch_op.drop_column("se_target")
        batch_op.drop_column("adaptive")
