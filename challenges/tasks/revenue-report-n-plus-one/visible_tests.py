"""Sample tests for revenue_report (informative; the hidden probes go further)."""

from __future__ import annotations

import sqlite3

from solution import revenue_report

SCHEMA = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL,
                     status TEXT NOT NULL, placed_at TEXT NOT NULL);
CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL,
                          sku TEXT NOT NULL, qty INTEGER NOT NULL,
                          unit_price_cents INTEGER NOT NULL);
"""


def shop() -> sqlite3.Connection:
    """Two customers, a refunded order and an order outside the range."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    conn.executemany(
        "INSERT INTO customers VALUES (?, ?, 'NL')", [(1, "Ada"), (2, "Bob"), (3, "Cy")]
    )
    conn.executemany(
        "INSERT INTO orders VALUES (?, ?, ?, ?)",
        [
            (10, 1, "paid", "2024-03-01 10:00:00"),
            (11, 1, "refunded", "2024-03-02 10:00:00"),
            (12, 2, "paid", "2024-03-03 10:00:00"),
            (13, 2, "paid", "2024-03-04 10:00:00"),
            (14, 3, "paid", "2024-04-01 00:00:00"),
        ],
    )
    conn.executemany(
        "INSERT INTO order_items (order_id, sku, qty, unit_price_cents) VALUES (?, 'x', ?, ?)",
        [(10, 2, 500), (11, 1, 9999), (12, 1, 300), (13, 1, 300), (14, 1, 100)],
    )
    return conn


def test_paid_orders_in_range() -> None:
    """Refunded orders and orders on the end date are left out."""
    assert revenue_report(shop(), "2024-03-01", "2024-04-01") == [
        (1, "Ada", 1, 1000),
        (2, "Bob", 2, 600),
    ]


def test_top_limits_the_rows() -> None:
    """Only the best customer is returned with top=1; top=0 returns nothing."""
    assert revenue_report(shop(), "2024-03-01", "2024-04-01", top=1) == [(1, "Ada", 1, 1000)]
    assert revenue_report(shop(), "2024-03-01", "2024-04-01", top=0) == []


def test_empty_range() -> None:
    """No paid order in the range gives an empty report."""
    assert revenue_report(shop(), "2025-01-01", "2026-01-01") == []
