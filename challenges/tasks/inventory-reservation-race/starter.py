"""Reserve stock for an order in the shop's SQLite database."""

from __future__ import annotations

import sqlite3


def reserve_order(conn: sqlite3.Connection, order_id: str, lines: list[tuple[str, int]]) -> bool:
    """Reserve every line of ``order_id``; return False when the stock is insufficient."""
    for sku, qty in lines:
        row = conn.execute("SELECT available FROM stock WHERE sku = ?", (sku,)).fetchone()
        if row is None or row[0] < qty:
            conn.rollback()
            return False
        conn.execute("UPDATE stock SET available = ? WHERE sku = ?", (row[0] - qty, sku))
        conn.execute(
            "INSERT INTO reservation (order_id, sku, qty) VALUES (?, ?, ?)", (order_id, sku, qty)
        )
        conn.commit()
    return True
