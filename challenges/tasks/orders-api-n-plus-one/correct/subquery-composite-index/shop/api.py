"""The HTTP API of the shop."""

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy.orm import Session, subqueryload

from shop.db import SessionLocal
from shop.models import Customer, Order, OrderItem

app = FastAPI(title="shop")


def db():
    session = SessionLocal()
    try:
        yield session
    finally:
        session.close()


def line(item: OrderItem) -> dict:
    return {
        "product": item.product.name,
        "quantity": item.quantity,
        "unit_price_cents": item.unit_price_cents,
        "line_total_cents": item.quantity * item.unit_price_cents,
    }


@app.get("/customers/{customer_id}/orders")
def customer_orders(customer_id: int, session: Session = Depends(db)):
    customer = session.query(Customer).filter(Customer.id == customer_id).one_or_none()
    if customer is None:
        raise HTTPException(404, "customer not found")
    orders = (
        session.query(Order)
        .filter(Order.customer_id == customer_id)
        .order_by(Order.placed_at.desc(), Order.id.asc())
        .options(subqueryload(Order.items).subqueryload(OrderItem.product))
        .all()
    )
    history = []
    for order in orders:
        lines = [line(item) for item in order.items]
        history.append(
            {
                "id": order.id,
                "placed_at": order.placed_at.isoformat(timespec="seconds"),
                "items": lines,
                "total_cents": sum(entry["line_total_cents"] for entry in lines),
            }
        )
    return {"customer_id": customer.id, "name": customer.name, "orders": history}
