"""The HTTP API of the shop."""

from collections.abc import Iterator

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy.orm import Session, joinedload

from shop.db import SessionLocal
from shop.models import Customer, Order

app = FastAPI(title="shop")


def get_session() -> Iterator[Session]:
    """One session per request."""
    with SessionLocal() as session:
        yield session


def order_json(order: Order) -> dict:
    """An order with its items, as the API returns it."""
    items = [
        {
            "product": item.product.name,
            "quantity": item.quantity,
            "unit_price_cents": item.unit_price_cents,
            "line_total_cents": item.quantity * item.unit_price_cents,
        }
        for item in order.items
    ]
    return {
        "id": order.id,
        "placed_at": order.placed_at.isoformat(),
        "items": items,
        "total_cents": sum(item["line_total_cents"] for item in items),
    }


@app.get("/customers/{customer_id}/orders")
def customer_orders(customer_id: int, session: Session = Depends(get_session)) -> dict:
    """Every order of one customer, newest first: loaded with the customer in one query."""
    customer = session.get(Customer, customer_id, options=[joinedload(Customer.orders)])
    if customer is None:
        raise HTTPException(status_code=404, detail="customer not found")
    orders = sorted(customer.orders, key=lambda order: order.id)
    orders.sort(key=lambda order: order.placed_at, reverse=True)
    return {
        "customer_id": customer.id,
        "name": customer.name,
        "orders": [order_json(order) for order in orders],
    }
