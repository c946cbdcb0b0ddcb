"""The whole service in one factory: validation, an idempotency claim, atomic counters."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any

import redis
from flask import Flask, jsonify, request

CLAIM_TTL = timedelta(days=1)
KINDS = {"payment.succeeded": 1, "payment.refunded": -1}


class FailedProcessing(Exception):
    """Raised when PAYHOOKS_FAIL_PROCESSING is on."""


def _error(payload: Any) -> str | None:
    """The first validation error code for ``payload``, or None when it is a valid event."""
    if not isinstance(payload, dict):
        return "invalid_json"
    if not isinstance(payload.get("id"), str) or not payload["id"]:
        return "invalid_id"
    if not isinstance(payload.get("type"), str) or payload["type"] not in KINDS:
        return "invalid_type"
    amount = payload.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        return "invalid_amount"
    if not isinstance(payload.get("account"), str) or not payload["account"]:
        return "invalid_account"
    return None


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config["PAYHOOKS_FAIL_PROCESSING"] = False
    app.config.update(config or {})
    store = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)

    @app.errorhandler(FailedProcessing)
    def failed(_exc: FailedProcessing):
        return jsonify({"error": "processing_failed"}), 500

    @app.post("/webhooks/payments")
    def payments():
        try:
            payload = json.loads(request.get_data(as_text=True))
        except ValueError:
            payload = None
        code = _error(payload)
        if code is not None:
            return jsonify({"error": code}), 400
        claim = "webhook:event:" + payload["id"]
        if not store.set(claim, json.dumps(payload), nx=True, ex=CLAIM_TTL):
            return jsonify({"status": "duplicate"})
        try:
            if app.config.get("PAYHOOKS_FAIL_PROCESSING"):
                raise FailedProcessing(payload["id"])
            store.incrby(
                "balance:" + payload["account"], KINDS[payload["type"]] * payload["amount"]
            )
        except BaseException:
            store.delete(claim)
            raise
        return jsonify({"status": "processed"})

    @app.get("/accounts/<account>/balance")
    def balance(account: str):
        return jsonify({"account": account, "balance": int(store.get("balance:" + account) or 0)})

    return app
