"""The users table through SQLAlchemy Core (bound parameters throughout)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

_engine = None


def engine() -> sa.engine.Engine:
    """One engine per process; the empty URL lets libpq read PGHOST and friends."""
    global _engine
    if _engine is None:
        _engine = sa.create_engine("postgresql+psycopg2://", future=True)
    return _engine


class EmailTaken(Exception):
    """The unique index on lower(email) refused the row."""


@dataclass
class User:
    id: int
    email: str
    name: str

    def as_json(self) -> dict:
        return {"id": self.id, "email": self.email, "name": self.name}


def add(email: str, name: str) -> User:
    insert = sa.text("INSERT INTO users (email, name) VALUES (:email, :name) RETURNING id")
    try:
        with engine().begin() as conn:
            new_id = conn.execute(insert, {"email": email, "name": name}).scalar_one()
    except IntegrityError as exc:
        if getattr(exc.orig, "pgcode", None) == "23505":  # unique_violation
            raise EmailTaken(email) from exc
        raise
    return User(new_id, email, name)


def find(user_id: int) -> User | None:
    query = sa.text("SELECT id, email, name FROM users WHERE id = :id")
    with engine().connect() as conn:
        row = conn.execute(query, {"id": user_id}).first()
    return None if row is None else User(*row)
