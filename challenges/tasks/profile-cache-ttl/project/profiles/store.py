"""Reading and updating profiles."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from profiles.db import connect

FIELDS = ("display_name", "bio")


def _read_row(profile_id: int) -> dict[str, Any] | None:
    """The profile as stored in PostgreSQL, or None when there is no such row."""
    with connect() as conn:
        row = conn.execute(
            "SELECT id, display_name, bio, updated_at FROM profiles WHERE id = %s",
            (profile_id,),
        ).fetchone()
    if row is None:
        return None
    return {
        "id": row[0],
        "display_name": row[1],
        "bio": row[2],
        "updated_at": row[3].isoformat(),
    }


def get_profile(profile_id: int) -> dict[str, Any] | None:
    """The profile ``profile_id`` as a dict, or None when it does not exist.

    Every call queries PostgreSQL.
    """
    return _read_row(profile_id)


def update_profile(profile_id: int, **fields: str) -> bool:
    """Change some of ``display_name`` and ``bio`` and set ``updated_at`` to now.

    Returns whether the profile exists; an unknown field name raises ValueError.
    """
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown profile fields: {', '.join(unknown)}")
    assignments = [sql.SQL("{} = %s").format(sql.Identifier(name)) for name in fields]
    assignments.append(sql.SQL("updated_at = now()"))
    query = sql.SQL("UPDATE profiles SET {} WHERE id = %s").format(sql.SQL(", ").join(assignments))
    with connect() as conn:
        updated = conn.execute(query, [*fields.values(), profile_id]).rowcount
    return updated == 1
