"""Error responses, unmatched routes, escaping, bucket bounds and the log duration."""

from __future__ import annotations

import json
import logging

from orders_service import metrics
from test_access_log import Collect
from test_metrics import scrape, value


def test_errors_and_unmatched_are_counted(client) -> None:
    client.get("/nowhere")
    client.delete("/health")
    client.get("/orders/5/invoice")
    client.get("/metrics")
    samples = scrape(client)
    total = "http_requests_total"
    assert value(samples, total, method="GET", route="unmatched", status="404") == 1
    assert value(samples, total, method="DELETE", route="unmatched", status="405") == 1
    assert (
        value(samples, total, method="GET", route="/orders/<int:order_id>/invoice", status="500")
        == 1
    )
    assert not any(labels.get("route") == "/metrics" for _, labels, _ in samples)


def test_escaped_route_and_bound_inclusive(app, monkeypatch) -> None:
    now = [5.0]
    monkeypatch.setattr(metrics, "clock", lambda: now[0])

    def view() -> str:
        now[0] += 0.25
        return "ok"

    def boom() -> str:
        now[0] += 3.0
        raise RuntimeError("boom")

    app.add_url_rule('/x/a"b\\c', "odd", view)
    app.add_url_rule("/x/boom", "boom", boom)
    client = app.test_client()
    client.get('/x/a"b\\c')
    client.get("/x/boom")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'route="/x/a\\"b\\\\c",le="0.25"} 1' in text
    samples = scrape(client)
    name = "http_request_duration_seconds"
    assert value(samples, name + "_bucket", method="GET", route="/x/boom", le="2.5") == 0
    assert value(samples, name + "_bucket", method="GET", route="/x/boom", le="+Inf") == 1
    assert value(samples, name + "_sum", method="GET", route="/x/boom") == 3.0


def test_log_duration_and_request_id_on_errors(app, monkeypatch) -> None:
    now = [1.0]
    monkeypatch.setattr(metrics, "clock", lambda: now[0])

    def view(n: int) -> str:
        now[0] += 0.375
        return "ok"

    app.add_url_rule("/x/slow/<int:n>", "slow", view)
    handler = Collect()
    logger = logging.getLogger("orders_service.access")
    logger.addHandler(handler)
    try:
        client = app.test_client()
        client.get("/x/slow/3", headers={"X-Request-ID": "a" * 64})
        bad = client.get("/orders/1/invoice", headers={"X-Request-ID": "a" * 65})
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(m) for m in handler.messages)
    assert first == {
        "method": "GET",
        "route": "/x/slow/<int:n>",
        "status": 200,
        "duration_ms": 375.0,
        "request_id": "a" * 64,
    }
    assert second["status"] == 500 and second["request_id"] == bad.headers["X-Request-ID"]
    assert len(second["request_id"]) == 32
