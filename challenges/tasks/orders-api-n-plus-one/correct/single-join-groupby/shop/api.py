"""The HTTP API of the shop.

The order history is read with ONE statement: the customer LEFT JOINed to its orders, their
items and the items' products, sorted in SQL, then grouped into the response in Python
with ``itertools.groupby``.
"""

from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from shop.db import SessionLocal
from shop.models import Customer, Order, OrderItem, Product

app = FastAPI(title="shop")

_customers = Customer.__table__
_orders = Order.__table__
_items = OrderItem.__table__
_products = Product.__table__

# One row per (customer, order, item); an order without items gives one row with NULL item
# columns, a customer without orders one row with NULL order columns, an unknown customer
# no row at all.
_HISTORY = (
    select(
        _customers.c.id.label("customer_id"),
        _customers.c.name.label("customer_name"),
        _orders.c.id.label("order_id"),
        _orders.c.placed_at,
        _items.c.id.label("item_id"),
        _items.c.quantity,
        _items.c.unit_price_cents,
        _products.c.name.label("product"),
    )
    .select_from(
        _customers.outerjoin(_orders, _orders.c.customer_id == _customers.c.id)
        .outerjoin(_items, _items.c.order_id == _orders.c.id)
        .outerjoin(_products, _products.c.id == _items.c.product_id)
    )
    .order_by(_orders.c.placed_at.desc(), _orders.c.id, _items.c.id)
)


def get_session() -> Iterator[Session]:
    """One session per request."""
    with SessionLocal() as session:
        yield session


def _order_json(order_id: int, placed_at, rows) -> dict:
    """One order of the history from its rows (all sharing ``order_id``)."""
    items = [
        {
            "product": row["product"],
            "quantity": row["quantity"],
            "unit_price_cents": row["unit_price_cents"],
            "line_total_cents": row["quantity"] * row["unit_price_cents"],
        }
        for row in rows
        if row["item_id"] is not None
    ]
    return {
        "id": order_id,
        "placed_at": placed_at.isoformat(),
        "items": items,
        "total_cents": sum(item["line_total_cents"] for item in items),
    }


@app.get("/customers/{customer_id}/orders")
def customer_orders(customer_id: int, session: Session = Depends(get_session)) -> dict:
    """Every order of one customer, newest first, with its items."""
    rows = session.execute(_HISTORY.where(_customers.c.id == customer_id)).mappings().all()
    if not rows:
        raise HTTPException(status_code=404, detail="customer not found")
    first = rows[0]
    orders = [
        _order_json(order_id, placed_at, list(group))
        for (order_id, placed_at), group in groupby(
            (row for row in rows if row["order_id"] is not None),
            key=itemgetter("order_id", "placed_at"),
        )
    ]
    return {
        "customer_id": first["customer_id"],
        "name": first["customer_name"],
        "orders": orders,
    }
