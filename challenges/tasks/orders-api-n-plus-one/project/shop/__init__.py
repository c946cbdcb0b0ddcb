"""A small shop API: customers, products and their orders."""

from shop.api import app
from shop.db import SessionLocal, engine, init_db
from shop.models import Base, Customer, Order, OrderItem, Product

__all__ = [
    "Base",
    "Customer",
    "Order",
    "OrderItem",
    "Product",
    "SessionLocal",
    "app",
    "engine",
    "init_db",
]
