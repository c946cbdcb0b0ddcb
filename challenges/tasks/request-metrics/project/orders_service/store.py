"""The in-memory order store: one per application."""

from __future__ import annotations

import threading


class OrderStore:
    """Orders by id; ids start at 1 and grow."""

    def __init__(self) -> None:
        """An empty store."""
        self.orders: dict[int, dict[str, object]] = {}
        self._next_id = 1
        self._lock = threading.Lock()

    def add(self, item: str, quantity: int) -> dict[str, object]:
        """Store a new order and return it."""
        with self._lock:
            order: dict[str, object] = {"id": self._next_id, "item": item, "quantity": quantity}
            self.orders[self._next_id] = order
            self._next_id += 1
        return dict(order)

    def get(self, order_id: int) -> dict[str, object] | None:
        """The order with ``order_id``, or None."""
        order = self.orders.get(order_id)
        return dict(order) if order is not None else None
