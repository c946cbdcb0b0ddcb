"""Top customers by paid revenue: three flat queries, aggregated in Python dictionaries."""

from __future__ import annotations

import heapq
import sqlite3
from collections import defaultdict


def revenue_report(
    conn: sqlite3.Connection, start: str, end: str, top: int = 10
) -> list[tuple[int, str, int, int]]:
    """Return ``(customer_id, name, paid_orders, revenue_cents)`` for the best customers."""
    if top <= 0:
        return []
    owner: dict[int, int] = {}
    for order_id, customer_id in conn.execute(
        "SELECT id, customer_id FROM orders WHERE status = 'paid' AND placed_at >= ? "
        "AND placed_at < ?",
        (start, end),
    ):
        owner[order_id] = customer_id
    if not owner:
        return []
    orders_of: defaultdict[int, int] = defaultdict(int)
    for customer_id in owner.values():
        orders_of[customer_id] += 1
    revenue: defaultdict[int, int] = defaultdict(int)
    for order_id, qty, price in conn.execute(
        "SELECT order_id, qty, unit_price_cents FROM order_items"
    ):
        customer_id = owner.get(order_id)
        if customer_id is not None:
            revenue[customer_id] += qty * price
    names = dict(conn.execute("SELECT id, name FROM customers"))
    rows = [
        (customer_id, names[customer_id], count, revenue[customer_id])
        for customer_id, count in orders_of.items()
    ]
    return heapq.nsmallest(top, rows, key=lambda row: (-row[3], row[1], row[0]))
