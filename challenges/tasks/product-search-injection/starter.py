"""Product search for the shop's catalogue page."""

from __future__ import annotations

import sqlite3


def search_products(
    conn: sqlite3.Connection, term: str, max_price: float | None = None
) -> list[tuple[int, str, float]]:
    """Return the products whose name contains ``term``, cheapest first."""
    query = f"SELECT id, name, price FROM products WHERE name LIKE '%{term}%'"
    if max_price is not None:
        query += f" AND price <= {max_price}"
    query += " ORDER BY price, id"
    return conn.execute(query).fetchall()
