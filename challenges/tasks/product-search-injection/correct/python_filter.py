"""Product search for the shop's catalogue page."""

from __future__ import annotations

import sqlite3

# SQLite's LIKE folds only the 26 ASCII letters; do exactly the same here.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _fold(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def search_products(
    conn: sqlite3.Connection, term: str, max_price: float | None = None
) -> list[tuple[int, str, float]]:
    """Return the products whose name contains ``term``, cheapest first.

    The SQL text is fixed; the only caller-supplied value that reaches the
    database is ``max_price``, as a bound parameter.  The substring match is
    done in Python, so no character of ``term`` has any special meaning.
    """
    if max_price is not None and not isinstance(max_price, (int, float)):
        raise TypeError("max_price must be an int or a float")

    if max_price is None:
        rows = conn.execute("SELECT id, name, price FROM products ORDER BY price, id").fetchall()
    else:
        rows = conn.execute(
            "SELECT id, name, price FROM products WHERE price <= ? ORDER BY price, id",
            (max_price,),
        ).fetchall()

    needle = _fold(term)
    return [tuple(row) for row in rows if needle in _fold(row[1])]
