"""Migrations build the whole schema on empty SQLite and PostgreSQL, matching the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from assess import create_app
from assess.extensions import db
from tests.conftest import POSTGRES_URL, postgres_problem, private_postgres_database, require


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with nothing in it."""
    if request.param == "sqlite":
        yield "sqlite:///" + str(tmp_path / "empty.sqlite3")
        return
    require(postgres_problem(POSTGRES_URL), "PostgreSQL")
    with private_postgres_database("assess_migrate") as url:
        yield url


def test_upgrade_builds_the_models_schema(empty_database: str) -> None:
    """After `db upgrade` on an empty database, autogenerate finds no difference."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"user_account", "attempt", "answer", "submission", "rubric_score"} <= tables
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_database_enforces_invariants(empty_database: str) -> None:
    """Foreign keys and unique constraints hold in the database itself, not only in code."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            with pytest.raises(sa.exc.IntegrityError):
                connection.execute(
                    sa.text(
                        "INSERT INTO user_account (email, name, password_hash, role, "
                        "organization_id, is_active_account, session_version, created_at) "
                        "VALUES ('a@b.c', '', 'h', 'admin', 999, true, 1, CURRENT_TIMESTAMP)"
                    )
                )
            connection.rollback()
            with pytest.raises(sa.exc.IntegrityError):
                connection.execute(
                    sa.text(
                        "INSERT INTO organization (name, created_at) VALUES "
                        "('x', CURRENT_TIMESTAMP), ('x', CURRENT_TIMESTAMP)"
                    )
                )
            connection.rollback()
            connection.execute(
                sa.text(
                    "INSERT INTO organization (name, created_at) VALUES ('y', CURRENT_TIMESTAMP)"
                )
            )
            unknown_role = sa.text(
                "INSERT INTO user_account (email, name, password_hash, role, "
                "organization_id, is_active_account, session_version, created_at) "
                "SELECT 'a@b.c', '', 'h', 'emperor', id, true, 1, CURRENT_TIMESTAMP "
                "FROM organization"
            )
            with pytest.raises(sa.exc.IntegrityError):
                connection.execute(unknown_role)
            connection.rollback()
        db.engine.dispose()
