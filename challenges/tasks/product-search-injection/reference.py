"""Product search for the shop's catalogue page."""

from __future__ import annotations

import sqlite3

LIKE_ESCAPE = "\\"


def like_literal(text: str) -> str:
    """Escape ``text`` so that LIKE matches it literally (with ``ESCAPE '\\'``)."""
    for special in (LIKE_ESCAPE, "%", "_"):
        text = text.replace(special, LIKE_ESCAPE + special)
    return text


def search_products(
    conn: sqlite3.Connection, term: str, max_price: float | None = None
) -> list[tuple[int, str, float]]:
    """Return the products whose name contains ``term``, cheapest first.

    User input only ever reaches SQLite as a bound parameter.
    """
    if max_price is not None and not isinstance(max_price, (int, float)):
        raise TypeError("max_price must be a number or None")
    query = "SELECT id, name, price FROM products WHERE name LIKE ? ESCAPE '\\'"
    params: list[object] = [f"%{like_literal(term)}%"]
    if max_price is not None:
        query += " AND price <= ?"
        params.append(max_price)
    query += " ORDER BY price, id"
    return [(row[0], row[1], row[2]) for row in conn.execute(query, params)]
