"""The business routes (they already work; keep them working)."""

from __future__ import annotations


def test_health(client) -> None:
    """The liveness check answers ok."""
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_create_and_read_order(client) -> None:
    """A created order can be read back by its id."""
    created = client.post("/orders", json={"item": "pen", "quantity": 2})
    assert created.status_code == 201
    order = created.get_json()
    assert client.get(f"/orders/{order['id']}").get_json() == order


def test_invalid_order_and_missing_order(client) -> None:
    """An invalid body is refused; an unknown id is 404."""
    assert client.post("/orders", json={"item": "", "quantity": 1}).status_code == 400
    assert client.get("/orders/999").status_code == 404


def test_invoice_of_missing_order_is_a_server_error(client) -> None:
    """The known bug: an unknown order's invoice raises, and Flask answers 500."""
    assert client.get("/orders/999/invoice").status_code == 500
