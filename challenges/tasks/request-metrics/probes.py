"""Hidden checks: each probe builds its own app with create_app(), sends requests through
the test client and reads /metrics before and after, so only its own requests count and
the order of probes never matters. A small parser reads the exposition text; durations
come from a fake clock put in place of ``orders_service.metrics.clock``."""

import importlib
import json
import logging
import math
import re

from probekit import probe

COUNTER = "http_requests_total"
HIST = "http_request_duration_seconds"
NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
ESCAPES = {"\\": "\\", '"': '"', "n": "\n"}
HEX_ID = re.compile(r"[0-9a-f]{32}")
ACCESS_LOGGER = "orders_service.access"


# --- the exposition parser ----------------------------------------------------------------


class BadLine(Exception):
    """A sample line that is not in the text format."""


def _skip(line, i):
    while i < len(line) and line[i] in " \t":
        i += 1
    return i


def parse_sample(line):
    """``(name, labels, value)`` of one sample line, or BadLine."""
    found = NAME.match(line)
    if not found:
        raise BadLine(line)
    name, i = found.group(), found.end()
    labels = {}
    i = _skip(line, i)
    if i < len(line) and line[i] == "{":
        i = _skip(line, i + 1)
        while True:
            if i < len(line) and line[i] == "}":
                i += 1
                break
            key = LABEL.match(line, i)
            if not key or key.group() in labels:
                raise BadLine(line)
            i = _skip(line, key.end())
            if line[i : i + 1] != "=":
                raise BadLine(line)
            i = _skip(line, i + 1)
            if line[i : i + 1] != '"':
                raise BadLine(line)
            i += 1
            chars = []
            while True:
                if i >= len(line):
                    raise BadLine(line)
                ch = line[i]
                if ch == '"':
                    i += 1
                    break
                if ch == "\\":
                    nxt = line[i + 1 : i + 2]
                    if nxt not in ESCAPES:
                        raise BadLine(line)
                    chars.append(ESCAPES[nxt])
                    i += 2
                    continue
                chars.append(ch)
                i += 1
            labels[key.group()] = "".join(chars)
            i = _skip(line, i)
            if line[i : i + 1] == ",":
                i = _skip(line, i + 1)
            elif line[i : i + 1] != "}":
                raise BadLine(line)
    rest = line[i:].split()
    if not 1 <= len(rest) <= 2 or (i < len(line) and line[i] not in " \t"):
        raise BadLine(line)
    try:
        value = float(rest[0])
    except ValueError:
        raise BadLine(line) from None
    return name, labels, value


class Exposition:
    """The samples, TYPE lines and unreadable lines of one /metrics answer."""

    def __init__(self, text):
        self.samples = {}
        self.types = {}
        self.bad = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line:
                continue
            if line.startswith("#"):
                words = line.split()
                if len(words) >= 4 and words[1] == "TYPE":
                    self.types[words[2]] = words[3]
                continue
            try:
                name, labels, value = parse_sample(line)
            except BadLine:
                self.bad.append(line)
                continue
            self.samples[(name, frozenset(labels.items()))] = value

    def value(self, name, **labels):
        """The value of the series with exactly these labels, 0 when absent."""
        return self.samples.get((name, frozenset(labels.items())), 0.0)

    def counter(self, method, route, status):
        return self.value(COUNTER, method=method, route=route, status=status)

    def buckets(self, method, route):
        """``{le as float: value}`` of one histogram series (exactly method, route, le)."""
        out = {}
        for (name, labels), value in self.samples.items():
            found = dict(labels)
            if name != HIST + "_bucket" or set(found) != {"method", "route", "le"}:
                continue
            if found["method"] != method or found["route"] != route:
                continue
            try:
                out[float(found["le"])] = value
            except ValueError:
                out[found["le"]] = value
        return out

    def routes(self):
        """Every route label value of the counter."""
        return {dict(labels).get("route") for (name, labels) in self.samples if name == COUNTER}


def number(value):
    """A count as an int, any other value rounded."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return round(value, 6)


def bound_name(bound):
    if isinstance(bound, float):
        return "+Inf" if math.isinf(bound) else repr(bound)
    return str(bound)


def scrape(client):
    response = client.get("/metrics")
    return Exposition(response.get_data(as_text=True))


def hist_delta(before, after, method, route):
    """Bucket, sum and count changes of one histogram series."""
    old, new = before.buckets(method, route), after.buckets(method, route)
    les = sorted(set(old) | set(new), key=lambda le: (isinstance(le, str), le))
    buckets = [[bound_name(le), number(new.get(le, 0.0) - old.get(le, 0.0))] for le in les]
    total = after.value(HIST + "_sum", method=method, route=route) - before.value(
        HIST + "_sum", method=method, route=route
    )
    count = after.value(HIST + "_count", method=method, route=route) - before.value(
        HIST + "_count", method=method, route=route
    )
    return {"buckets": buckets, "sum": round(total, 3), "count": number(count)}


# --- apps, a fake clock and log capture ---------------------------------------------------


class FakeClock:
    """Stands still except when a probe's own view moves it forward."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Timed:
    """A fresh app with the fake clock installed and probe routes that advance it by the
    ``d`` query parameter (and raise when asked)."""

    def __init__(self, service, *rules):
        self.metrics = importlib.import_module(service.__name__ + ".metrics")
        self.clock = FakeClock()
        self.app = service.create_app()
        for index, rule in enumerate(rules):
            self.app.add_url_rule(rule, f"probe_view_{index}", self._view, methods=["GET"])
        self.client = self.app.test_client()

    def _view(self, **_):
        from flask import request

        self.clock.now += float(request.args.get("d", "0"))
        if request.args.get("fail"):
            raise RuntimeError("probe failure")
        return "ok"

    def __enter__(self):
        self.saved = self.metrics.clock
        self.metrics.clock = self.clock
        return self

    def __exit__(self, *exc):
        self.metrics.clock = self.saved

    def get(self, path, **kwargs):
        self.clock.now = 1000.0
        return self.client.get(path, **kwargs)


class Capture(logging.Handler):
    """The messages of the access logger while the probe runs."""

    def __init__(self):
        super().__init__(logging.NOTSET)
        self.records = []

    def emit(self, record):
        self.records.append((record.levelname, record.getMessage()))

    def __enter__(self):
        logging.getLogger(ACCESS_LOGGER).addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger(ACCESS_LOGGER).removeHandler(self)

    def lines(self):
        """Each record as (level, parsed JSON or None)."""
        out = []
        for level, message in self.records:
            try:
                out.append((level, json.loads(message)))
            except ValueError:
                out.append((level, None))
        return out


def describe_line(line):
    """A log line's fields as observed: key names, and values with duration rounded."""
    if not isinstance(line, dict):
        return "not a JSON object"
    seen = {"keys": sorted(line)}
    for key in ("method", "route", "status", "request_id"):
        if key in line:
            seen[key] = line[key]
    duration = line.get("duration_ms")
    if type(duration) in (int, float):
        seen["duration_ms"] = round(float(duration), 3)
    else:
        seen["duration_ms"] = repr(type(duration).__name__)
    return seen


# --- /metrics ----------------------------------------------------------------------------


@probe("metrics-content-type")
def _(service):
    response = service.create_app().test_client().get("/metrics")
    return {
        "status": response.status_code,
        "mimetype": response.mimetype,
        "version": response.mimetype_params.get("version"),
    }


@probe("type-lines")
def _(service):
    client = service.create_app().test_client()
    client.get("/health")
    after = scrape(client)
    return {name: after.types.get(name) for name in (COUNTER, HIST)}


@probe("counter-uses-route-template", weight=3)
def _(service):
    client = service.create_app().test_client()
    before = scrape(client)
    ids = []
    for item in ("probe-pen", "probe-ink"):
        created = client.post("/orders", json={"item": item, "quantity": 2})
        ids.append(created.get_json()["id"])
    statuses = [client.get(f"/orders/{order_id}").status_code for order_id in ids * 2]
    client.get("/health")
    after = scrape(client)
    routes = after.routes()
    return {
        "statuses": statuses,
        "post": number(
            after.counter("POST", "/orders", "201") - before.counter("POST", "/orders", "201")
        ),
        "get": number(
            after.counter("GET", "/orders/<int:order_id>", "200")
            - before.counter("GET", "/orders/<int:order_id>", "200")
        ),
        "health": number(
            after.counter("GET", "/health", "200") - before.counter("GET", "/health", "200")
        ),
        "raw-paths-as-routes": sorted(r for r in routes if r and re.fullmatch(r"/orders/\d+", r)),
    }


@probe("counter-404-keeps-route")
def _(service):
    client = service.create_app().test_client()
    before = scrape(client)
    status = client.get("/orders/987654321").status_code
    after = scrape(client)
    route = "/orders/<int:order_id>"
    return {
        "status": status,
        "delta": number(after.counter("GET", route, "404") - before.counter("GET", route, "404")),
        "raw": "/orders/987654321" in after.routes(),
    }


@probe("counter-unmatched", weight=2)
def _(service):
    client = service.create_app().test_client()
    before = scrape(client)
    statuses = [
        client.get("/probe/no/such/page-71").status_code,
        client.get("/probe/no/such/page-72").status_code,
        client.post("/probe/nowhere-73").status_code,
    ]
    after = scrape(client)
    routes = after.routes()
    return {
        "statuses": statuses,
        "get": number(
            after.counter("GET", "unmatched", "404") - before.counter("GET", "unmatched", "404")
        ),
        "post": number(
            after.counter("POST", "unmatched", "404") - before.counter("POST", "unmatched", "404")
        ),
        "raw": sorted(r for r in routes if r and r.startswith("/probe/no")),
    }


@probe("counter-method-not-allowed")
def _(service):
    client = service.create_app().test_client()
    before = scrape(client)
    status = client.delete("/orders").status_code
    after = scrape(client)
    return {
        "status": status,
        "delta": number(
            after.counter("DELETE", "unmatched", "405")
            - before.counter("DELETE", "unmatched", "405")
        ),
    }


@probe("counter-unhandled-exception", weight=2)
def _(service):
    client = service.create_app().test_client()
    before = scrape(client)
    status = client.get("/orders/987654322/invoice").status_code
    after = scrape(client)
    route = "/orders/<int:order_id>/invoice"
    return {
        "status": status,
        "delta": number(after.counter("GET", route, "500") - before.counter("GET", route, "500")),
    }


@probe("metrics-not-counted")
def _(service):
    client = service.create_app().test_client()
    before = scrape(client)
    client.get("/metrics")
    client.get("/metrics")
    after = scrape(client)
    return {
        "counter": number(
            after.counter("GET", "/metrics", "200") - before.counter("GET", "/metrics", "200")
        ),
        "histogram": hist_delta(before, after, "GET", "/metrics")["count"],
        "any-series": any(dict(labels).get("route") == "/metrics" for (_, labels) in after.samples),
    }


@probe("label-escaping")
def _(service):
    rule = '/probe/esc/a"b\\c'
    with Timed(service, rule) as timed:
        before = scrape(timed.client)
        status = timed.get(rule).status_code
        after = scrape(timed.client)
    return {
        "status": status,
        "delta": number(after.counter("GET", rule, "200") - before.counter("GET", rule, "200")),
        "unreadable": len([line for line in after.bad if "/probe/esc/" in line]),
    }


# --- the histogram -----------------------------------------------------------------------


@probe("histogram-buckets", weight=3)
def _(service):
    rule = "/probe/hist/<int:n>"
    durations = [0.0, 0.004, 0.015, 0.03, 0.07, 0.2, 0.375, 0.375, 0.75, 1.5, 3.0]
    with Timed(service, rule) as timed:
        before = scrape(timed.client)
        statuses = [
            timed.get(f"/probe/hist/{n}?d={d}").status_code for n, d in enumerate(durations)
        ]
        after = scrape(timed.client)
    return {"statuses": statuses, **hist_delta(before, after, "GET", rule)}


@probe("histogram-bounds-inclusive")
def _(service):
    rule = "/probe/bounds/<int:n>"
    with Timed(service, rule) as timed:
        before = scrape(timed.client)
        for n, d in enumerate([0.25, 1.0, 2.5, 0.5]):
            timed.get(f"/probe/bounds/{n}?d={d}")
        after = scrape(timed.client)
    return hist_delta(before, after, "GET", rule)


@probe("histogram-labels")
def _(service):
    client = service.create_app().test_client()
    created = client.post("/orders", json={"item": "probe-cup", "quantity": 1}).get_json()
    before = scrape(client)
    client.get(f"/orders/{created['id']}")
    client.get("/orders/987654323")
    client.get("/orders/987654324")
    after = scrape(client)
    route = "/orders/<int:order_id>"
    label_sets = sorted(
        {
            ",".join(sorted(key for key, _ in labels))
            for (name, labels) in after.samples
            if name.startswith(HIST) and dict(labels).get("route") == route
        }
    )
    return {"count": hist_delta(before, after, "GET", route)["count"], "label-sets": label_sets}


@probe("histogram-consistent")
def _(service):
    """Every series of the histogram: the same bounds, cumulative, +Inf equals _count."""
    client = service.create_app().test_client()
    client.get("/health")
    client.get("/probe/no/such/page-81")
    client.post("/orders", json={"item": "probe-mug", "quantity": 3})
    after = scrape(client)
    series = {}
    for (name, labels), value in after.samples.items():
        found = dict(labels)
        if name == HIST + "_bucket" and "le" in found:
            key = (found.get("method"), found.get("route"))
            try:
                series.setdefault(key, {})[float(found["le"])] = value
            except ValueError:
                series.setdefault(key, {})[found["le"]] = value
    bounds, monotonic, inf_is_count = set(), True, True
    for (method, route), buckets in series.items():
        les = sorted(buckets, key=lambda le: (isinstance(le, str), le))
        bounds.add(",".join(bound_name(le) for le in les))
        counts = [buckets[le] for le in les]
        monotonic = monotonic and all(a <= b for a, b in zip(counts, counts[1:]))
        count = after.value(HIST + "_count", method=method, route=route)
        inf_is_count = inf_is_count and buckets.get(math.inf) == count
    return {
        "series": len(series) >= 3,
        "bounds": sorted(bounds),
        "monotonic": monotonic,
        "inf-is-count": inf_is_count,
    }


@probe("histogram-counts-exceptions")
def _(service):
    rule = "/probe/boom"
    with Timed(service, rule) as timed:
        before = scrape(timed.client)
        status = timed.get(rule + "?d=0.375&fail=1").status_code
        after = scrape(timed.client)
    return {
        "status": status,
        "counter": number(after.counter("GET", rule, "500") - before.counter("GET", rule, "500")),
        **hist_delta(before, after, "GET", rule),
    }


# --- the access log and request ids ------------------------------------------------------


@probe("access-log-fields", weight=3)
def _(service):
    with Timed(service) as timed, Capture() as capture:
        response = timed.client.post(
            "/orders",
            json={"item": "probe-log", "quantity": 4},
            headers={"X-Request-ID": "probe-req-0001"},
        )
    lines = capture.lines()
    return {
        "status": response.status_code,
        "header": response.headers.get("X-Request-ID"),
        "records": len(lines),
        "lines": [[level, describe_line(line)] for level, line in lines],
    }


@probe("access-log-duration")
def _(service):
    rule = "/probe/logtime/<int:n>"
    with Timed(service, rule) as timed, Capture() as capture:
        timed.get("/probe/logtime/5?d=0.375", headers={"X-Request-ID": "probe-dur-1"})
        timed.get("/probe/logtime/6?d=1.5", headers={"X-Request-ID": "probe-dur-2"})
    return [describe_line(line) for _, line in capture.lines()]


@probe("access-log-error-responses")
def _(service):
    client = service.create_app().test_client()
    with Capture() as capture:
        missing = client.get("/probe/unknown-91", headers={"X-Request-ID": "probe-err-404"})
        crashed = client.get("/orders/987654325/invoice", headers={"X-Request-ID": "probe-err-500"})
        refused = client.delete("/orders", headers={"X-Request-ID": "probe-err-405"})
    seen = [describe_line(line) for _, line in capture.lines()]
    for line in seen:
        if isinstance(line, dict):
            line.pop("duration_ms", None)
    return {
        "headers": [r.headers.get("X-Request-ID") for r in (missing, crashed, refused)],
        "statuses": [r.status_code for r in (missing, crashed, refused)],
        "lines": seen,
    }


@probe("request-id-generated", weight=2)
def _(service):
    client = service.create_app().test_client()
    with Capture() as capture:
        first = client.get("/health")
        second = client.get("/health")
    ids = [first.headers.get("X-Request-ID"), second.headers.get("X-Request-ID")]
    logged = [
        line.get("request_id") if isinstance(line, dict) else None for _, line in capture.lines()
    ]
    return {
        "format": [bool(rid and HEX_ID.fullmatch(rid)) for rid in ids],
        "distinct": ids[0] != ids[1],
        "logged-same": logged == ids,
    }


@probe("request-id-validation", weight=2)
def _(service):
    client = service.create_app().test_client()
    offered = [
        "A" * 64,
        "Ab-9-probe",
        "-",
        "B" * 65,
        "probe_id",
        "probe id",
        "probe/id",
        "caf\u00e9",
        "",
    ]
    seen = []
    for value in offered:
        with Capture() as capture:
            got = client.get("/health", headers={"X-Request-ID": value}).headers.get("X-Request-ID")
        logged = [
            line.get("request_id") if isinstance(line, dict) else None
            for _, line in capture.lines()
        ]
        seen.append(
            {
                "echoed": got == value,
                "generated": bool(got and HEX_ID.fullmatch(got)),
                "logged-same": logged == [got],
            }
        )
    return seen
