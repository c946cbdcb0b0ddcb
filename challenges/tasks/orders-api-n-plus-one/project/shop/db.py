"""The database engine, the session factory and the schema setup."""

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

# An empty URL lets libpq read PGHOST, PGDATABASE and PGUSER from the environment.
engine = create_engine("postgresql+psycopg2://", future=True)
SessionLocal = sessionmaker(bind=engine, future=True)


def init_db() -> None:
    """Create the tables that do not exist yet; safe to call any number of times."""
    from shop.models import Base

    Base.metadata.create_all(engine)
