"""The HTTP API of the shop."""

from fastapi import FastAPI, HTTPException
from sqlalchemy import text

from shop.db import engine

app = FastAPI(title="shop")

HISTORY = text(
    """
    SELECT c.id, c.name, o.id, o.placed_at, p.name, i.quantity, i.unit_price_cents
    FROM orders o
    JOIN customers c ON c.id = o.customer_id
    LEFT JOIN order_items i ON i.order_id = o.id
    LEFT JOIN products p ON p.id = i.product_id
    WHERE o.customer_id = :customer_id
    ORDER BY o.placed_at DESC, o.id, i.id
    """
)


@app.get("/customers/{customer_id}/orders")
def customer_orders(customer_id: int):
    with engine.connect() as conn:
        rows = conn.execute(HISTORY, {"customer_id": customer_id}).all()
    if not rows:
        raise HTTPException(status_code=404, detail="customer not found")
    orders: dict[int, dict] = {}
    for _, _, order_id, placed_at, product, quantity, unit_price in rows:
        if order_id is None:
            continue
        order = orders.setdefault(
            order_id,
            {"id": order_id, "placed_at": placed_at.isoformat(), "items": [], "total_cents": 0},
        )
        if product is not None:
            line = quantity * unit_price
            order["items"].append(
                {
                    "product": product,
                    "quantity": quantity,
                    "unit_price_cents": unit_price,
                    "line_total_cents": line,
                }
            )
            order["total_cents"] += line
    return {"customer_id": rows[0][0], "name": rows[0][1], "orders": list(orders.values())}
