"""GET /customers/{customer_id}/orders: the response, the number of statements, the index."""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg

from shop import init_db


def test_history_of_a_customer(client, make_customer) -> None:
    customer_id, (older, newer) = make_customer(
        "Ada",
        [
            (datetime(2026, 3, 1, 9, 15), [("Notebook", 2, 450), ("Pen", 3, 120)]),
            (datetime(2026, 3, 5, 17, 40), [("Stapler", 1, 1299)]),
        ],
    )
    response = client.get(f"/customers/{customer_id}/orders")
    assert response.status_code == 200
    assert response.json() == {
        "customer_id": customer_id,
        "name": "Ada",
        "orders": [
            {
                "id": newer,
                "placed_at": "2026-03-05T17:40:00",
                "items": [
                    {
                        "product": "Stapler",
                        "quantity": 1,
                        "unit_price_cents": 1299,
                        "line_total_cents": 1299,
                    }
                ],
                "total_cents": 1299,
            },
            {
                "id": older,
                "placed_at": "2026-03-01T09:15:00",
                "items": [
                    {
                        "product": "Notebook",
                        "quantity": 2,
                        "unit_price_cents": 450,
                        "line_total_cents": 900,
                    },
                    {
                        "product": "Pen",
                        "quantity": 3,
                        "unit_price_cents": 120,
                        "line_total_cents": 360,
                    },
                ],
                "total_cents": 1260,
            },
        ],
    }


def test_order_without_items_is_listed(client, make_customer) -> None:
    customer_id, (empty,) = make_customer("Cleo", [(datetime(2026, 2, 1, 8, 0), [])])
    orders = client.get(f"/customers/{customer_id}/orders").json()["orders"]
    assert orders == [
        {"id": empty, "placed_at": "2026-02-01T08:00:00", "items": [], "total_cents": 0}
    ]


def test_unknown_customer(client) -> None:
    response = client.get("/customers/1999999999/orders")
    assert response.status_code == 404
    assert response.json() == {"detail": "customer not found"}


def test_statements_do_not_grow_with_orders(client, make_customer, count_statements) -> None:
    start = datetime(2026, 5, 1, 12, 0)
    for size in (3, 30):
        orders = [
            (start + timedelta(hours=n), [(f"Part {n}a", 1, 100), (f"Part {n}b", 2, 200)])
            for n in range(size)
        ]
        customer_id, _ = make_customer(f"Buyer of {size}", orders)
        client.get(f"/customers/{customer_id}/orders")  # warm-up
        with count_statements() as seen:
            response = client.get(f"/customers/{customer_id}/orders")
        assert response.status_code == 200
        assert len(response.json()["orders"]) == size
        assert len(seen) <= 5, f"{len(seen)} statements for {size} orders"


def test_orders_of_a_customer_can_use_an_index() -> None:
    init_db()
    with psycopg.connect(autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = conn.execute("EXPLAIN SELECT id FROM orders WHERE customer_id = %s", (1,)).fetchall()
    text = "\n".join(line for (line,) in plan)
    assert "Index" in text, text
