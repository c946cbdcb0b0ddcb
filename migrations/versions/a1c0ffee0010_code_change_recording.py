"""code change recording for the playback of assessment coding tasks

Revision ID: a1c0ffee0010
Revises: a1c0ffee0009
Create Date: 2026-12-03 23:50:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c0ffee0010"
down_revision = "a1c0ffee0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "code_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("stream", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("op_count", sa.Integer(), nullable=False),
        sa.Column("ops", sa.JSON(), nullable=False),
        sa.Column("base", sa.Text(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("capped", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempt.id"],
            name=op.f("fk_code_change_attempt_id_attempt"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["coding_task.id"],
            name=op.f("fk_code_change_task_id_coding_task"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_change")),
        sa.UniqueConstraint(
            "attempt_id",
            "task_id",
            "stream",
            "seq",
            name=op.f("uq_code_change_attempt_id_task_id_stream_seq"),
        ),
    )


def downgrade():
    op.drop_table("code_change")
