"""item parameters per organisation (IRT calibration) and questions retired from draws

Revision ID: a1c0ffee0016
Revises: a1c0ffee0015
Create Date: 2026-12-04 22:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c0ffee0016"
down_revision = "a1c0ffee0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "item_calibration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=40), nullable=False),
        sa.Column("competency_code", sa.String(length=16), nullable=False),
        sa.Column("a", sa.Float(), nullable=False),
        sa.Column("b", sa.Float(), nullable=False),
        sa.Column("se_a", sa.Float(), nullable=True),
        sa.Column("se_b", sa.Float(), nullable=True),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("calibrated", sa.Boolean(), nullable=False),
        sa.Column("converged", sa.Boolean(), nullable=False),
        sa.Column("data_digest", sa.String(length=64), nullable=False),
        sa.Column("fitted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_item_calibration_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_calibration")),
        sa.UniqueConstraint(
            "organization_id",
            "question_key",
            name=op.f("uq_item_calibration_organization_id_question_key"),
        ),
    )
    op.create_index(
        op.f("ix_item_calibration_organization_id"), "item_calibration", ["organization_id"]
    )
    op.create_table(
        "retired_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("retired_by_id", sa.Integer(), nullable=True),
        sa.Column("retired_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_retired_question_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["retired_by_id"],
            ["user_account.id"],
            name=op.f("fk_retired_question_retired_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retired_question")),
        sa.UniqueConstraint(
            "organization_id",
            "question_key",
            name=op.f("uq_retired_question_organization_id_question_key"),
        ),
    )
    op.create_index(
        op.f("ix_retired_question_organization_id"), "retired_question", ["organization_id"]
    )


def downgrade():
    op.drop_index(op.f("ix_retired_question_organization_id"), table_name="retired_question")
    op.drop_table("retired_question")
    op.drop_index(op.f("ix_item_calibration_organization_id"), table_name="item_calibration")
    op.drop_table("item_calibration")
