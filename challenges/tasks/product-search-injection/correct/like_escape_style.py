"""Product search with a bound LIKE pattern whose wildcards are escaped."""

from __future__ import annotations

import sqlite3

_ESCAPES = str.maketrans({"\\": "\\\\", "%": "\\%", "_": "\\_"})


def search_products(
    conn: sqlite3.Connection, term: str, max_price: float | None = None
) -> list[tuple[int, str, float]]:
    """Return the products whose name contains ``term``, cheapest first."""
    if max_price is not None and not isinstance(max_price, (int, float)):
        raise TypeError("max_price must be an int or a float")
    pattern = "%" + term.translate(_ESCAPES) + "%"
    if max_price is None:
        rows = conn.execute(
            "SELECT id, name, price FROM products WHERE name LIKE ? ESCAPE '\\' ORDER BY price, id",
            (pattern,),
        )
    else:
        rows = conn.execute(
            "SELECT id, name, price FROM products WHERE name LIKE ? ESCAPE '\\' "
            "AND price <= ? ORDER BY price, id",
            (pattern, max_price),
        )
    return rows.fetchall()
