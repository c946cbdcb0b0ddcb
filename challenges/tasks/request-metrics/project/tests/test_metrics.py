"""GET /metrics in the Prometheus text format 0.0.4."""

from __future__ import annotations

import re

from orders_service import metrics

SAMPLE = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)")
LABEL = re.compile(r'([a-zA-Z_]\w*)\s*=\s*"((?:[^"\\]|\\.)*)"')


def scrape(client) -> list[tuple[str, dict[str, str], float]]:
    """The samples of /metrics as (name, labels, value); comments left out."""
    response = client.get("/metrics")
    assert response.status_code == 200
    samples = []
    for line in response.get_data(as_text=True).splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        found = SAMPLE.fullmatch(line.strip())
        assert found, f"not a sample line: {line!r}"
        labels = dict(LABEL.findall(found.group(2) or ""))
        samples.append((found.group(1), labels, float(found.group(3))))
    return samples


def value(samples, name: str, **labels: str) -> float:
    """The value of the one series with exactly these labels."""
    found = [v for n, got, v in samples if n == name and got == labels]
    assert len(found) == 1, f"{name} {labels}: {found}"
    return found[0]


def test_content_type(client) -> None:
    """The exposition format's content type and version."""
    response = client.get("/metrics")
    assert response.mimetype == "text/plain"
    assert response.mimetype_params.get("version") == "0.0.4"


def test_counter_uses_the_route_template(client) -> None:
    """Two order ids share one series, labelled with the rule, not the path."""
    first = client.post("/orders", json={"item": "pen", "quantity": 1}).get_json()["id"]
    second = client.post("/orders", json={"item": "ink", "quantity": 1}).get_json()["id"]
    before = scrape(client)
    client.get(f"/orders/{first}")
    client.get(f"/orders/{second}")
    after = scrape(client)
    route = "/orders/<int:order_id>"
    old = [v for n, got, v in before if got == {"method": "GET", "route": route, "status": "200"}]
    new = value(after, "http_requests_total", method="GET", route=route, status="200")
    assert new - sum(old) == 2
    assert not any(labels.get("route") == f"/orders/{first}" for _, labels, _ in after)


def test_histogram_with_a_fake_clock(app, monkeypatch) -> None:
    """A view that takes exactly 0.375 s lands in the 0.5 bucket and above."""
    now = [1000.0]
    monkeypatch.setattr(metrics, "clock", lambda: now[0])

    def slow() -> str:
        now[0] += 0.375
        return "done"

    app.add_url_rule("/test/slow", "test_slow", slow)
    client = app.test_client()
    client.get("/test/slow")
    samples = scrape(client)
    series = {"method": "GET", "route": "/test/slow"}
    name = "http_request_duration_seconds"
    assert value(samples, name + "_count", **series) == 1
    assert value(samples, name + "_sum", **series) == 0.375
    buckets = {
        float(labels["le"]): v
        for n, labels, v in samples
        if n == name + "_bucket" and {k: labels[k] for k in labels if k != "le"} == series
    }
    assert buckets[0.25] == 0
    assert buckets[0.5] == 1
    assert buckets[float("inf")] == 1
