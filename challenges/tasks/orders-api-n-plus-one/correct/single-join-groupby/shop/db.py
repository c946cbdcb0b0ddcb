"""The database engine, the session factory and the schema setup."""

from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

# An empty URL lets libpq read PGHOST, PGDATABASE and PGUSER from the environment.
engine = create_engine("postgresql+psycopg2://", future=True)
SessionLocal = sessionmaker(bind=engine, future=True)


def init_db() -> None:
    """Create the tables and indexes that do not exist yet; safe to call any number of times.

    ``create_all`` only creates the indexes of tables it creates, so the index on
    ``orders.customer_id`` is also created explicitly for a database whose ``orders``
    table predates it.
    """
    from shop.models import ORDERS_CUSTOMER_INDEX, Base

    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            text(f"CREATE INDEX IF NOT EXISTS {ORDERS_CUSTOMER_INDEX} ON orders (customer_id)")
        )
