"""Top customers by paid revenue: one set-based query does the joining, grouping and sorting."""

from __future__ import annotations

import sqlite3

REPORT = """
WITH paid AS (
    SELECT o.id, o.customer_id
    FROM orders AS o
    WHERE o.status = 'paid' AND o.placed_at >= :start AND o.placed_at < :end
),
order_revenue AS (
    SELECT paid.id, paid.customer_id, COALESCE(SUM(i.qty * i.unit_price_cents), 0) AS cents
    FROM paid
    LEFT JOIN order_items AS i ON i.order_id = paid.id
    GROUP BY paid.id, paid.customer_id
)
SELECT c.id, c.name, COUNT(*) AS paid_orders, SUM(r.cents) AS revenue_cents
FROM order_revenue AS r
JOIN customers AS c ON c.id = r.customer_id
GROUP BY c.id, c.name
ORDER BY revenue_cents DESC, c.name ASC, c.id ASC
LIMIT :top
"""


def revenue_report(
    conn: sqlite3.Connection, start: str, end: str, top: int = 10
) -> list[tuple[int, str, int, int]]:
    """Return ``(customer_id, name, paid_orders, revenue_cents)`` for the best customers."""
    if top <= 0:
        return []
    rows = conn.execute(REPORT, {"start": start, "end": end, "top": top}).fetchall()
    return [(int(cid), str(name), int(count), int(cents)) for cid, name, count, cents in rows]
