"""The database engine, the session factory and the schema setup."""

from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

# An empty URL lets libpq read PGHOST, PGDATABASE and PGUSER from the environment.
engine = create_engine("postgresql+psycopg2://", future=True)
SessionLocal = sessionmaker(bind=engine, future=True)


def init_db() -> None:
    """Create the missing tables and indexes; safe to call any number of times."""
    from shop.models import Base

    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE INDEX IF NOT EXISTS orders_customer_idx ON orders (customer_id)"))
        conn.execute(
            text("CREATE INDEX IF NOT EXISTS order_items_order_idx ON order_items (order_id)")
        )
