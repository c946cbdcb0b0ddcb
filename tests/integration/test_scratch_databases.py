"""The tests' private PostgreSQL databases are dropped however they were left."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import (
    POSTGRES_URL,
    drop_database,
    postgres_problem,
    private_postgres_database,
    require,
)


def database_names() -> set[str]:
    engine = sa.create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            return set(connection.scalars(sa.text("SELECT datname FROM pg_database")))
    finally:
        engine.dispose()


def test_a_database_left_with_an_open_session_and_a_transaction_is_dropped() -> None:
    require(postgres_problem(POSTGRES_URL), "PostgreSQL")
    with private_postgres_database("assess_drop") as url:
        name = url.rsplit("/", 1)[1]
        engine = sa.create_engine(url)
        leftover = engine.connect()
        leftover.execute(sa.text("CREATE TABLE held (id int)"))
        leftover.execute(sa.text("INSERT INTO held VALUES (1)"))
        assert name in database_names()
    assert name not in database_names()
    with pytest.raises(sa.exc.OperationalError):
        leftover.execute(sa.text("SELECT 1"))
    leftover.invalidate()
    engine.dispose()


@pytest.mark.parametrize("name", ["", "Upper", 'quote"', "semi;colon", "x' OR '1'='1"])
def test_only_a_scratch_name_reaches_the_statements(name: str) -> None:
    with pytest.raises(ValueError, match="not a scratch database name"):
        drop_database(name)
