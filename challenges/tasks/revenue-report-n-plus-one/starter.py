"""Top customers by paid revenue in a date range (correct, but far too slow)."""

from __future__ import annotations

import sqlite3


def revenue_report(
    conn: sqlite3.Connection, start: str, end: str, top: int = 10
) -> list[tuple[int, str, int, int]]:
    """Return ``(customer_id, name, paid_orders, revenue_cents)`` for the best customers."""
    report: list[tuple[int, str, int, int]] = []
    for customer_id, name in conn.execute("SELECT id, name FROM customers").fetchall():
        orders = conn.execute(
            "SELECT id, status, placed_at FROM orders WHERE customer_id = ?", (customer_id,)
        ).fetchall()
        paid_orders = 0
        revenue = 0
        for order_id, status, placed_at in orders:
            if status != "paid" or not start <= placed_at < end:
                continue
            paid_orders += 1
            items = conn.execute(
                "SELECT qty, unit_price_cents FROM order_items WHERE order_id = ?", (order_id,)
            ).fetchall()
            for qty, unit_price_cents in items:
                revenue += qty * unit_price_cents
        if paid_orders:
            report.append((customer_id, name, paid_orders, revenue))
    report.sort(key=lambda row: (-row[3], row[1], row[0]))
    return report[:top] if top > 0 else []
