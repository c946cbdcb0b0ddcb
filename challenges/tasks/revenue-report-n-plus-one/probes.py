"""Hidden probes for revenue-report-n-plus-one: they observe, the host compares."""

from __future__ import annotations

import random
import sqlite3
from typing import Any

from probekit import probe

SCHEMA = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    status TEXT NOT NULL,
    placed_at TEXT NOT NULL
);
CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    sku TEXT NOT NULL,
    qty INTEGER NOT NULL,
    unit_price_cents INTEGER NOT NULL
);
"""


def build(
    customers: list[tuple[int, str]],
    orders: list[tuple[int, int, str, str]],
    items: list[tuple[int, int, int]],
) -> sqlite3.Connection:
    """An in-memory database: items are ``(order_id, qty, unit_price_cents)``."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO customers (id, name, country) VALUES (?, ?, 'NL')", customers)
    conn.executemany(
        "INSERT INTO orders (id, customer_id, status, placed_at) VALUES (?, ?, ?, ?)", orders
    )
    conn.executemany(
        "INSERT INTO order_items (order_id, sku, qty, unit_price_cents) VALUES (?, 'sku', ?, ?)",
        items,
    )
    conn.commit()
    return conn


def sample() -> sqlite3.Connection:
    """A small hand-made shop covering every rule."""
    customers = [(1, "Ada"), (2, "Bob"), (3, "Cy"), (4, "Dee"), (5, "Eve"), (6, "Bob")]
    orders = [
        (10, 1, "paid", "2024-03-01 00:00:00"),  # first instant of the range
        (11, 1, "paid", "2024-03-15 12:30:00"),
        (12, 1, "refunded", "2024-03-16 09:00:00"),
        (13, 2, "paid", "2024-03-31 23:59:59"),  # last second of the range
        (14, 2, "paid", "2024-04-01 00:00:00"),  # first instant after the range
        (15, 3, "pending", "2024-03-10 10:00:00"),
        (16, 4, "paid", "2024-02-29 23:59:59"),  # before the range
        (17, 5, "paid", "2024-03-20 08:00:00"),  # an order without items
        (18, 6, "paid", "2024-03-05 17:45:00"),
        (19, 2, "paid", "2024-03-02 11:00:00"),
    ]
    items = [
        (10, 2, 1500),
        (10, 1, 999),
        (11, 3, 250),
        (12, 1, 100_000),
        (13, 1, 4000),
        (14, 5, 100_000),
        (15, 1, 77_777),
        (16, 9, 9999),
        (18, 2, 1999),
        (18, 1, 2),
        (19, 1, 749),
    ]
    return build(customers, orders, items)


@probe("hand-made-shop-march", weight=4)
def _(solution: Any) -> Any:
    return solution.revenue_report(sample(), "2024-03-01", "2024-04-01")


@probe("range-start-inclusive-end-exclusive", weight=3)
def _(solution: Any) -> Any:
    conn = sample()
    return [
        solution.revenue_report(conn, "2024-03-31 23:59:59", "2024-04-01 00:00:00"),
        solution.revenue_report(conn, "2024-04-01", "2024-05-01"),
        solution.revenue_report(conn, "2024-02-29 23:59:59", "2024-03-01 00:00:00"),
    ]


@probe("only-paid-orders-count", weight=3)
def _(solution: Any) -> Any:
    conn = sample()
    return solution.revenue_report(conn, "2024-03-10", "2024-03-17", top=10)


@probe("order-without-items-counts-with-zero-revenue", weight=3)
def _(solution: Any) -> Any:
    conn = build(
        [(1, "Solo"), (2, "Mixed")],
        [(1, 1, "paid", "2024-01-02"), (2, 2, "paid", "2024-01-03"), (3, 2, "paid", "2024-01-04")],
        [(3, 1, 500)],
    )
    return solution.revenue_report(conn, "2024-01-01", "2024-02-01")


@probe("counts-orders-not-items", weight=3)
def _(solution: Any) -> Any:
    conn = build(
        [(1, "Many Items"), (2, "Many Orders")],
        [(1, 1, "paid", "2024-05-01"), (2, 2, "paid", "2024-05-01"), (3, 2, "paid", "2024-05-02")],
        [(1, 1, 100), (1, 2, 100), (1, 3, 100), (1, 4, 100), (2, 1, 500), (3, 1, 500)],
    )
    return solution.revenue_report(conn, "2024-05-01", "2024-06-01")


@probe("ties-by-name-then-id", weight=3)
def _(solution: Any) -> Any:
    conn = build(
        [(7, "Zed"), (3, "Amy"), (9, "Amy"), (1, "Max"), (5, "Bea")],
        [(n, c, "paid", "2024-07-01") for n, c in enumerate([7, 3, 9, 1, 5], start=1)],
        [(1, 1, 300), (2, 1, 300), (3, 3, 100), (4, 1, 900), (5, 2, 150)],
    )
    return solution.revenue_report(conn, "2024-07-01", "2024-08-01")


@probe("top-limits-rows", weight=2)
def _(solution: Any) -> Any:
    conn = sample()
    return [
        solution.revenue_report(conn, "2024-01-01", "2025-01-01", top=1),
        solution.revenue_report(conn, "2024-01-01", "2025-01-01", top=3),
        solution.revenue_report(conn, "2024-01-01", "2025-01-01", top=100),
    ]


@probe("top-zero-or-negative-is-empty", weight=2)
def _(solution: Any) -> Any:
    conn = sample()
    return [
        solution.revenue_report(conn, "2024-01-01", "2025-01-01", top=0),
        solution.revenue_report(conn, "2024-01-01", "2025-01-01", top=-1),
    ]


@probe("default-top-is-ten", weight=1)
def _(solution: Any) -> Any:
    customers = [(i, f"customer {i:02d}") for i in range(1, 16)]
    orders = [(i, i, "paid", "2024-09-09") for i in range(1, 16)]
    items = [(i, 1, 1000 + i) for i in range(1, 16)]
    return solution.revenue_report(build(customers, orders, items), "2024-09-01", "2024-10-01")


@probe("empty-database-and-empty-range", weight=1)
def _(solution: Any) -> Any:
    return [
        solution.revenue_report(build([], [], []), "2024-01-01", "2025-01-01"),
        solution.revenue_report(sample(), "2030-01-01", "2031-01-01"),
    ]


@probe("does-not-change-the-data", weight=1)
def _(solution: Any) -> Any:
    conn = sample()
    solution.revenue_report(conn, "2024-03-01", "2024-04-01")
    return [
        conn.execute("SELECT COUNT(*), SUM(customer_id) FROM orders").fetchone(),
        conn.execute("SELECT COUNT(*), SUM(qty * unit_price_cents) FROM order_items").fetchone(),
    ]


def big_shop(seed: int, customers: int, orders: int, items_per_order: int) -> sqlite3.Connection:
    """A seeded shop of realistic size, without indexes on the foreign keys."""
    rng = random.Random(seed)
    names = ["Ada", "Bob", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo"]
    customer_rows = [
        (i, f"{rng.choice(names)} {rng.randrange(100)}") for i in range(1, customers + 1)
    ]
    statuses = ["paid"] * 6 + ["pending", "refunded", "cancelled"]
    order_rows = []
    item_rows = []
    for order_id in range(1, orders + 1):
        day = rng.randrange(1, 29)
        month = rng.randrange(1, 13)
        order_rows.append(
            (
                order_id,
                rng.randrange(1, customers + 1),
                rng.choice(statuses),
                f"2024-{month:02d}-{day:02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}:00",
            )
        )
        for _ in range(rng.randrange(items_per_order + 1)):
            item_rows.append((order_id, rng.randrange(1, 6), rng.randrange(100, 20_000)))
    return build(customer_rows, order_rows, item_rows)


@probe("large-shop-quarter", weight=4)
def _(solution: Any) -> Any:
    conn = big_shop(seed=3, customers=2000, orders=15_000, items_per_order=4)
    return solution.revenue_report(conn, "2024-04-01", "2024-07-01", top=25)


@probe("large-shop-full-year", weight=4)
def _(solution: Any) -> Any:
    conn = big_shop(seed=5, customers=1200, orders=10_000, items_per_order=4)
    return solution.revenue_report(conn, "2024-01-01", "2025-01-01", top=40)
