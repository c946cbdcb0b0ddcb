"""Webhook deliveries against the Redis server at REDIS_URL (each test uses fresh ids)."""

from __future__ import annotations

import uuid

import pytest

from payhooks import create_app


@pytest.fixture()
def client():
    return create_app().test_client()


def fresh(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def event(kind: str = "payment.succeeded", amount: int = 2500, **fields) -> dict:
    return {"id": fresh("evt"), "type": kind, "amount": amount, "account": fresh("acct"), **fields}


def balance(client, account: str) -> int:
    return client.get(f"/accounts/{account}/balance").get_json()["balance"]


def test_succeeded_then_refunded(client) -> None:
    paid = event(amount=2500)
    refund = event("payment.refunded", 400, account=paid["account"])
    assert client.post("/webhooks/payments", json=paid).get_json() == {"status": "processed"}
    assert client.post("/webhooks/payments", json=refund).status_code == 200
    assert client.get(f"/accounts/{paid['account']}/balance").get_json() == {
        "account": paid["account"],
        "balance": 2100,
    }


def test_malformed_event_is_rejected(client) -> None:
    response = client.post("/webhooks/payments", json=event(amount=0))
    assert response.status_code == 400
    assert response.get_json() == {"error": "invalid_amount"}


def test_a_retried_event_counts_once(client) -> None:
    paid = event(amount=700)
    first = client.post("/webhooks/payments", json=paid)
    again = client.post("/webhooks/payments", json=paid)
    assert (first.status_code, first.get_json()) == (200, {"status": "processed"})
    assert (again.status_code, again.get_json()) == (200, {"status": "duplicate"})
    assert balance(client, paid["account"]) == 700
