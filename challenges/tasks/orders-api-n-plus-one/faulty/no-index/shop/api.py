"""The HTTP API of the shop."""

from collections.abc import Iterator

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shop.db import SessionLocal
from shop.models import Customer, Order, OrderItem

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
    """Every order of one customer, newest first, with its items: four statements (the
    customer, the orders, their items, the items' products) whatever the number of orders."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise HTTPException(status_code=404, detail="customer not found")
    orders = session.scalars(
        select(Order)
        .where(Order.customer_id == customer_id)
        .order_by(Order.placed_at.desc(), Order.id)
        .options(selectinload(Order.items).selectinload(OrderItem.product))
    ).all()
    return {
        "customer_id": customer.id,
        "name": customer.name,
        "orders": [order_json(order) for order in orders],
    }
