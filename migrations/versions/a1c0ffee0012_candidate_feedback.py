"""the finished candidate's survey (anonymous: no link to the attempt)

Revision ID: a1c0ffee0012
Revises: a1c0ffee0011
Create Date: 2026-12-04 19:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c0ffee0012"
down_revision = "a1c0ffee0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "candidate_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("fairness", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "fairness IS NULL OR (fairness BETWEEN 1 AND 5)",
            name=op.f("ck_candidate_feedback_fairness_1_5"),
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["position.id"],
            name=op.f("fk_candidate_feedback_position_id_position"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_feedback")),
    )
    with op.batch_alter_table("candidate_feedback") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_feedback_position_id"), ["position_id"], unique=False
        )
    with op.batch_alter_table("attempt") as batch_op:
        batch_op.add_column(
            sa.Column("feedback_given", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("attempt") as batch_op:
        batch_op.drop_column("feedback_given")
    with op.batch_alter_table("candidate_feedback") as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_feedback_position_id"))
    op.drop_table("candidate_feedback")
