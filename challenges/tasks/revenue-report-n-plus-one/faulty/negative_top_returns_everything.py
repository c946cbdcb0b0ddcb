"""Top customers by paid revenue in a date range, computed in one query."""

from __future__ import annotations

import sqlite3

REPORT_SQL = """
SELECT c.id, c.name, COUNT(*) AS paid_orders, COALESCE(SUM(t.revenue), 0) AS revenue
FROM orders AS o
JOIN customers AS c ON c.id = o.customer_id
LEFT JOIN (
    SELECT order_id, SUM(qty * unit_price_cents) AS revenue
    FROM order_items
    GROUP BY order_id
) AS t ON t.order_id = o.id
WHERE o.status = 'paid' AND o.placed_at >= ? AND o.placed_at < ?
GROUP BY c.id, c.name
ORDER BY revenue DESC, c.name ASC, c.id ASC
LIMIT ?
"""


def revenue_report(
    conn: sqlite3.Connection, start: str, end: str, top: int = 10
) -> list[tuple[int, str, int, int]]:
    """Return ``(customer_id, name, paid_orders, revenue_cents)`` for the best customers."""
    rows = conn.execute(REPORT_SQL, (start, end, top)).fetchall()
    return [(int(cid), str(name), int(count), int(revenue)) for cid, name, count, revenue in rows]
