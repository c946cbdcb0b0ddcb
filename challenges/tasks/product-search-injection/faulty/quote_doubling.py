"""Faulty: escapes quotes by doubling them but still formats the price into the SQL."""

from __future__ import annotations

import sqlite3


def search_products(
    conn: sqlite3.Connection, term: str, max_price: float | None = None
) -> list[tuple[int, str, float]]:
    """Return matching products; quotes in the term are doubled by hand."""
    safe_term = term.replace("'", "''")
    query = f"SELECT id, name, price FROM products WHERE name LIKE '%{safe_term}%'"
    if max_price is not None:
        query += f" AND price <= {max_price}"
    query += " ORDER BY price, id"
    return conn.execute(query).fetchall()
