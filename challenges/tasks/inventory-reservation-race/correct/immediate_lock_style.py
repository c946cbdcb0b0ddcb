"""Reserve stock under an explicit write lock taken before anything is read."""

from __future__ import annotations

import sqlite3


def _combined(order_id: object, lines: object) -> dict[str, int]:
    """Validate the arguments and add up the quantities per sku."""
    if not isinstance(order_id, str) or not order_id:
        raise ValueError("order_id must be a non-empty string")
    if not isinstance(lines, list) or not lines:
        raise ValueError("lines must be a non-empty list")
    wanted: dict[str, int] = {}
    for line in lines:
        if not isinstance(line, tuple) or len(line) != 2:
            raise ValueError(f"not a (sku, qty) pair: {line!r}")
        sku, qty = line
        if not isinstance(sku, str) or not sku:
            raise ValueError(f"bad sku: {sku!r}")
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
            raise ValueError(f"bad quantity: {qty!r}")
        wanted[sku] = wanted.get(sku, 0) + qty
    return wanted


def reserve_order(conn: sqlite3.Connection, order_id: str, lines: list[tuple[str, int]]) -> bool:
    """Reserve every line of ``order_id``; return False when the stock is insufficient."""
    wanted = _combined(order_id, lines)
    try:
        conn.execute("BEGIN IMMEDIATE")
        done = conn.execute(
            "SELECT 1 FROM reservation WHERE order_id = ? LIMIT 1", (order_id,)
        ).fetchone()
        if done is not None:
            conn.rollback()
            return True
        for sku, qty in wanted.items():
            row = conn.execute("SELECT available FROM stock WHERE sku = ?", (sku,)).fetchone()
            if row is None or row[0] < qty:
                conn.rollback()
                return False
        for sku, qty in wanted.items():
            conn.execute("UPDATE stock SET available = available - ? WHERE sku = ?", (qty, sku))
            conn.execute(
                "INSERT INTO reservation (order_id, sku, qty) VALUES (?, ?, ?)",
                (order_id, sku, qty),
            )
        conn.commit()
        return True
    except BaseException:
        conn.rollback()
        raise
