"""blueprints per organisation, coding tasks drawn from a pool of kinds

Revision ID: a1c0ffee0007
Revises: a1c0ffee0006
Create Date: 2026-12-03 18:10:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c0ffee0007"
down_revision = "a1c0ffee0006"
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows stay the bank's defaults (no organisation): nothing an organisation changed
    # before this revision can be told apart from the default, so it becomes the default.
    with op.batch_alter_table("assessment_blueprint", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organization_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("task_count", sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_assessment_blueprint_grade"), type_="unique")
        batch_op.create_index(
            batch_op.f("ix_assessment_blueprint_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_assessment_blueprint_organization_id_grade"),
            ["organization_id", "grade"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_assessment_blueprint_organization_id_organization"),
            "organization",
            ["organization_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_assessment_blueprint_task_count_not_negative"),
            "task_count IS NULL OR task_count >= 0",
        )
    op.create_index(
        "uq_assessment_blueprint_default_grade",
        "assessment_blueprint",
        ["grade"],
        unique=True,
        sqlite_where=sa.text("organization_id IS NULL"),
        postgresql_where=sa.text("organization_id IS NULL"),
    )


def downgrade():
    # Only the defaults survive a downgrade (one blueprint per grade again).
    op.execute("DELETE FROM assessment_blueprint WHERE organization_id IS NOT NULL")
    op.drop_index("uq_assessment_blueprint_default_grade", table_name="assessment_blueprint")
    with op.batch_alter_table("assessment_blueprint", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_assessment_blueprint_task_count_not_negative"), type_="check"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_assessment_blueprint_organization_id_organization"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("uq_assessment_blueprint_organization_id_grade"), type_="unique"
        )
        batch_op.drop_index(batch_op.f("ix_assessment_blueprint_organization_id"))
        batch_op.create_unique_constraint(batch_op.f("uq_assessment_blueprint_grade"), ["grade"])
        batch_op.drop_column("task_count")
        batch_op.drop_column("organization_id")
