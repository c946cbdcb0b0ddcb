"""Product search without LIKE: SQLite's instr() on ASCII-lower-cased text, no wildcards at all."""

from __future__ import annotations

import sqlite3


def search_products(
    conn: sqlite3.Connection, term: str, max_price: float | None = None
) -> list[tuple[int, str, float]]:
    """Return the products whose name contains ``term``, cheapest first."""
    conditions = ["instr(lower(name), lower(:term)) > 0"]
    params: dict[str, object] = {"term": term}
    if max_price is not None:
        if not isinstance(max_price, (int, float)):
            raise TypeError(f"max_price must be a number, not {type(max_price).__name__}")
        conditions.append("price <= :max_price")
        params["max_price"] = float(max_price)
    sql = "SELECT id, name, price FROM products WHERE " + " AND ".join(conditions)
    cursor = conn.execute(sql + " ORDER BY price ASC, id ASC", params)
    return [(int(pid), str(name), float(price)) for pid, name, price in cursor]
