"""The quote route through the Flask test client, with a clock the test controls."""

from __future__ import annotations

import uuid

from ratelimit import create_app


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_quote_is_limited_per_api_key() -> None:
    clock = Clock(1000.0)
    app = create_app({"RATELIMIT_LIMIT": 1, "RATELIMIT_WINDOW": 60, "RATELIMIT_CLOCK": clock})
    client = app.test_client()
    api_key = f"test-{uuid.uuid4().hex[:12]}"

    first = client.get("/api/quote", headers={"X-API-Key": api_key})
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Limit"] == "1"
    assert first.headers["X-RateLimit-Remaining"] == "0"

    clock.now = 1020.5
    second = client.get("/api/quote", headers={"X-API-Key": api_key})
    assert second.status_code == 429
    assert second.get_json() == {"error": "rate_limited", "retry_after": 40}
    assert second.headers["Retry-After"] == "40"
    assert second.headers["X-RateLimit-Remaining"] == "0"


def test_an_api_key_is_required() -> None:
    client = create_app().test_client()
    response = client.get("/api/quote")
    assert (response.status_code, response.get_json()) == (401, {"error": "missing_api_key"})
