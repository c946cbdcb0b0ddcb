"""The service's HTTP routes (the business part; observability lives elsewhere)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from orders_service.store import OrderStore

bp = Blueprint("orders", __name__)


def _store() -> OrderStore:
    """The application's order store."""
    return current_app.extensions["orders"]


@bp.get("/health")
def health():
    """Liveness check."""
    return jsonify(status="ok")


@bp.post("/orders")
def create_order():
    """Create an order from ``{"item": str, "quantity": int}``."""
    data = request.get_json(silent=True)
    item = data.get("item") if isinstance(data, dict) else None
    quantity = data.get("quantity") if isinstance(data, dict) else None
    if not isinstance(item, str) or not item or type(quantity) is not int or quantity < 1:
        return jsonify(error="item must be a non-empty string, quantity a positive integer"), 400
    return jsonify(_store().add(item, quantity)), 201


@bp.get("/orders/<int:order_id>")
def get_order(order_id: int):
    """One order, or 404."""
    order = _store().get(order_id)
    if order is None:
        return jsonify(error="order not found"), 404
    return jsonify(order)


@bp.get("/orders/<int:order_id>/invoice")
def invoice(order_id: int):
    """A plain-text invoice.

    Known bug (tracked separately, keep it): an unknown ``order_id`` raises KeyError,
    which Flask answers with 500 Internal Server Error.
    """
    order = _store().orders[order_id]
    text = f"Invoice #{order_id}: {order['quantity']} x {order['item']}\n"
    return text, 200, {"Content-Type": "text/plain; charset=utf-8"}
