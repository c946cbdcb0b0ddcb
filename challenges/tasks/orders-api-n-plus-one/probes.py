"""Hidden probes: each builds its own customers with plain SQL, calls the endpoint through
FastAPI's test client and returns what it saw; order ids are replaced by the probe's own
labels so that observations do not depend on which probes ran before."""

from __future__ import annotations

from typing import Any

import probekit
from probekit import probe

BOUND = 5  # the statement's limit of SQL statements per request
INDEX_NODES = ("Index Scan", "Index Only Scan", "Bitmap Index Scan")


def build(shop: Any, name: str, orders: list[tuple[str, str, list[tuple]]]) -> tuple[int, dict]:
    """Insert a customer and their orders; each item is ``(product, current price,
    quantity, unit price)`` and gets a product row of its own. Returns the customer's id
    and the label of each order id."""
    import psycopg

    shop.init_db()
    labels: dict[int, str] = {}
    with psycopg.connect(autocommit=True) as conn:
        (customer_id,) = conn.execute(
            "INSERT INTO customers (name) VALUES (%s) RETURNING id", (name,)
        ).fetchone()
        for label, placed_at, items in orders:
            (order_id,) = conn.execute(
                "INSERT INTO orders (customer_id, placed_at) VALUES (%s, %s) RETURNING id",
                (customer_id, placed_at),
            ).fetchone()
            labels[order_id] = label
            for product, price, quantity, unit_price in items:
                (product_id,) = conn.execute(
                    "INSERT INTO products (name, price_cents) VALUES (%s, %s) RETURNING id",
                    (product, price),
                ).fetchone()
                conn.execute(
                    "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)"
                    " VALUES (%s, %s, %s, %s)",
                    (order_id, product_id, quantity, unit_price),
                )
    return customer_id, labels


def client(shop: Any) -> Any:
    """A test client that turns server errors into 500 responses."""
    from fastapi.testclient import TestClient

    return TestClient(shop.app, raise_server_exceptions=False)


def fetch(shop: Any, customer_id: int, labels: dict[int, str]) -> list:
    """``[status, body]`` with the customer's id and the order ids replaced by labels."""
    response = client(shop).get(f"/customers/{customer_id}/orders")
    body = response.json()
    if isinstance(body, dict) and "customer_id" in body:
        body["customer_id"] = "customer" if body["customer_id"] == customer_id else "other"
    if isinstance(body, dict) and isinstance(body.get("orders"), list):
        for order in body["orders"]:
            if isinstance(order, dict) and "id" in order:
                order["id"] = labels.get(order["id"], "unknown")
    return [response.status_code, body]


@probe("history-shape-and-totals", weight=3)
def _(shop):
    build(shop, "Bob Shape", [("bob-1", "2026-03-02 10:00:00", [("Pen", 120, 1, 120)])])
    customer_id, labels = build(
        shop,
        "Ada Shape",
        [
            ("older", "2026-03-01 09:15:00", [("Notebook", 450, 2, 450), ("Pen", 120, 3, 120)]),
            ("newer", "2026-03-05 17:40:00", [("Stapler", 1299, 1, 1299)]),
        ],
    )
    return fetch(shop, customer_id, labels)


@probe("orders-without-items-kept")
def _(shop):
    customer_id, labels = build(
        shop,
        "Cleo Empty",
        [
            ("empty-old", "2026-02-01 08:00:00", []),
            ("with-items", "2026-02-10 12:00:00", [("Mug", 800, 2, 750)]),
            ("empty-new", "2026-02-20 18:30:00", []),
        ],
    )
    return fetch(shop, customer_id, labels)


@probe("orders-newest-first-ties-by-id")
def _(shop):
    customer_id, labels = build(
        shop,
        "Dan Order",
        [
            ("tie-first", "2026-01-10 12:00:00", [("Clip", 10, 5, 10)]),
            (
                "newest",
                "2026-02-01 08:00:00",
                [("Tape", 300, 1, 300), ("Envelope", 25, 10, 20), ("Pen", 120, 2, 110)],
            ),
            ("tie-second", "2026-01-10 12:00:00", [("Folder", 220, 1, 220)]),
            ("oldest", "2025-12-31 23:59:59", [("Ink", 990, 1, 990)]),
            ("middle", "2026-01-15 07:30:00", [("Ruler", 150, 1, 150)]),
        ],
    )
    return fetch(shop, customer_id, labels)


@probe("line-prices-at-purchase")
def _(shop):
    customer_id, labels = build(
        shop,
        "Eve Price",
        [("repriced", "2026-04-01 10:00:00", [("Lamp", 2500, 2, 1999), ("Bulb", 300, 4, 350)])],
    )
    return fetch(shop, customer_id, labels)


@probe("customer-without-orders")
def _(shop):
    customer_id, labels = build(shop, "Finn None", [])
    return fetch(shop, customer_id, labels)


@probe("unknown-customer-404")
def _(shop):
    shop.init_db()
    return fetch(shop, 2_000_000_000, {})


def counted(shop: Any, name: str, orders: int) -> dict:
    """The statements PostgreSQL ran for the second of two identical requests for a
    customer with ``orders`` orders of two items each (every item its own product)."""
    customer_id, _ = build(
        shop,
        name,
        [
            (
                f"o{n}",
                f"2026-05-{1 + n % 28:02d} {n % 24:02d}:00:00",
                [(f"Part {n}a", 100 + n, 1, 100 + n), (f"Part {n}b", 200 + n, 2, 200 + n)],
            )
            for n in range(orders)
        ],
    )
    web = client(shop)
    url = f"/customers/{customer_id}/orders"
    web.get(url)  # warm-up
    with probekit.sql_statements() as seen:
        response = web.get(url)
    body = response.json()
    listed = body.get("orders") if isinstance(body, dict) else None
    return {
        "status": response.status_code,
        "orders": len(listed) if isinstance(listed, list) else None,
        "items": sum(len(order.get("items") or []) for order in listed or []),
        "within_bound": seen.count <= BOUND,
    }


@probe("statements-bounded-3-orders", weight=2)
def _(shop):
    return counted(shop, "Gus Three", 3)


@probe("statements-bounded-30-orders", weight=2)
def _(shop):
    return counted(shop, "Hana Thirty", 30)


@probe("orders-customer-id-indexed", weight=2)
def _(shop):
    shop.init_db()
    nodes = probekit.explain("SELECT id FROM orders WHERE customer_id = %s", (1,))
    return any(node.startswith(INDEX_NODES) for node in nodes)
