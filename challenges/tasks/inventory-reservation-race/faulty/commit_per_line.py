"""Faulty: commits after every line, so a later failing line leaves earlier ones reserved."""

from __future__ import annotations

import sqlite3


def _wanted(order_id: str, lines: list[tuple[str, int]]) -> dict[str, int]:
    """Validate the arguments and combine the quantities per sku, in first-seen order."""
    if not isinstance(order_id, str) or not order_id:
        raise ValueError("order_id must be a non-empty string")
    if not isinstance(lines, (list, tuple)) or not lines:
        raise ValueError("an order needs at least one line")
    wanted: dict[str, int] = {}
    for line in lines:
        if not isinstance(line, (list, tuple)) or len(line) != 2:
            raise ValueError("each line is a (sku, qty) pair")
        sku, qty = line
        if not isinstance(sku, str) or not sku:
            raise ValueError("sku must be a non-empty string")
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
            raise ValueError("qty must be a positive integer")
        wanted[sku] = wanted.get(sku, 0) + qty
    return wanted


def reserve_order(conn: sqlite3.Connection, order_id: str, lines: list[tuple[str, int]]) -> bool:
    """Reserve every line of ``order_id`` atomically; return False when stock is insufficient.

    The read-check-write happens inside one write transaction (``BEGIN IMMEDIATE``), and
    the decrement is a conditional ``UPDATE``, so concurrent reservations cannot overwrite
    each other. A repeated call for an order that is already reserved changes nothing.
    """
    wanted = _wanted(order_id, lines)
    try:
        conn.execute("BEGIN IMMEDIATE")
        already = conn.execute(
            "SELECT 1 FROM reservation WHERE order_id = ? LIMIT 1", (order_id,)
        ).fetchone()
        if already is not None:
            conn.rollback()
            return True
        for sku, qty in wanted.items():
            updated = conn.execute(
                "UPDATE stock SET available = available - ? WHERE sku = ? AND available >= ?",
                (qty, sku, qty),
            ).rowcount
            if updated != 1:
                conn.rollback()
                return False
            conn.execute(
                "INSERT INTO reservation (order_id, sku, qty) VALUES (?, ?, ?)",
                (order_id, sku, qty),
            )
            conn.commit()
            conn.execute("BEGIN IMMEDIATE")
        conn.commit()
        return True
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
