"""Top customers by paid revenue in a date range (set-based: CTEs pre-aggregate per order)."""

from __future__ import annotations

import sqlite3

# Step 1 picks the paid orders in range; step 2 totals the items of those orders only,
# one row per order; step 3 folds the orders into one row per customer, LEFT JOINing the
# totals so an order without items still counts (with revenue 0). Sorting and the top-N
# cut happen in SQL; BINARY collation orders names like Python's str comparison.
_REPORT_SQL = """
WITH paid_orders AS (
    SELECT id, customer_id
    FROM orders
    WHERE status = 'paid' AND placed_at >= :start AND placed_at < :end
),
order_totals AS (
    SELECT order_id, SUM(qty * unit_price_cents) AS cents
    FROM order_items
    WHERE order_id IN (SELECT id FROM paid_orders)
    GROUP BY order_id
)
SELECT c.id, c.name, COUNT(*) AS paid_count, COALESCE(SUM(t.cents), 0) AS revenue
FROM paid_orders AS p
JOIN customers AS c ON c.id = p.customer_id
LEFT JOIN order_totals AS t ON t.order_id = p.id
GROUP BY c.id, c.name
ORDER BY revenue DESC, c.name ASC, c.id ASC
LIMIT :top
"""


def revenue_report(
    conn: sqlite3.Connection, start: str, end: str, top: int = 10
) -> list[tuple[int, str, int, int]]:
    """Return ``(customer_id, name, paid_orders, revenue_cents)`` for the best customers."""
    if top <= 0:
        return []
    rows = conn.execute(_REPORT_SQL, {"start": start, "end": end, "top": top}).fetchall()
    return [tuple(row) for row in rows]
