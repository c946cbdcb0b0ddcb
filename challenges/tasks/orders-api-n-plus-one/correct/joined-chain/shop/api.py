"""The HTTP API of the shop."""

from collections.abc import Iterator
from datetime import datetime

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy.orm import Session, joinedload

from shop.db import SessionLocal
from shop.models import Customer, Order, OrderItem

app = FastAPI(title="shop")


class ItemOut(BaseModel):
    product: str
    quantity: int
    unit_price_cents: int
    line_total_cents: int


class OrderOut(BaseModel):
    id: int
    placed_at: datetime
    items: list[ItemOut]
    total_cents: int


class HistoryOut(BaseModel):
    customer_id: int
    name: str
    orders: list[OrderOut]


def get_session() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


def to_out(order: Order) -> OrderOut:
    items = [
        ItemOut(
            product=item.product.name,
            quantity=item.quantity,
            unit_price_cents=item.unit_price_cents,
            line_total_cents=item.quantity * item.unit_price_cents,
        )
        for item in sorted(order.items, key=lambda item: item.id)
    ]
    return OrderOut(
        id=order.id,
        placed_at=order.placed_at,
        items=items,
        total_cents=sum(item.line_total_cents for item in items),
    )


@app.get("/customers/{customer_id}/orders", response_model=HistoryOut)
def customer_orders(customer_id: int, session: Session = Depends(get_session)):
    """One SELECT: the customer joined with orders, items and products."""
    customer = session.get(
        Customer,
        customer_id,
        options=[joinedload(Customer.orders).joinedload(Order.items).joinedload(OrderItem.product)],
    )
    if customer is None:
        raise HTTPException(status_code=404, detail="customer not found")
    orders = sorted(customer.orders, key=lambda order: order.id)
    orders.sort(key=lambda order: order.placed_at, reverse=True)  # stable: ties keep id order
    return HistoryOut(
        customer_id=customer.id, name=customer.name, orders=[to_out(o) for o in orders]
    )
