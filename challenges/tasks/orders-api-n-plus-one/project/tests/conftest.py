"""Fixtures: the schema, a test client, a customer factory and a statement counter."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

import shop
from shop import Customer, Order, OrderItem, Product, SessionLocal, engine, init_db


@pytest.fixture(scope="session", autouse=True)
def schema() -> None:
    init_db()


@pytest.fixture
def client() -> TestClient:
    return TestClient(shop.app)


@pytest.fixture
def make_customer():
    """``make(name, orders)`` stores a customer; each order is ``(placed_at, items)`` and each
    item ``(product name, quantity, unit price in cents)``. Returns the customer's id and the
    ids of the orders in the given order."""

    def make(name: str, orders: list[tuple[datetime, list[tuple[str, int, int]]]]):
        with SessionLocal() as session:
            customer = Customer(name=name)
            session.add(customer)
            stored = []
            for placed_at, items in orders:
                order = Order(customer=customer, placed_at=placed_at)
                for product, quantity, unit_price in items:
                    # The product costs more today than it did when the order was placed.
                    row = Product(name=product, price_cents=unit_price + 100)
                    order.items.append(
                        OrderItem(product=row, quantity=quantity, unit_price_cents=unit_price)
                    )
                session.add(order)
                session.flush()
                stored.append(order.id)
            session.commit()
            return customer.id, stored

    return make


@contextlib.contextmanager
def counting() -> Iterator[list[str]]:
    """Collect the SQL statements the shop's engine sends inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def count_statements():
    return counting
