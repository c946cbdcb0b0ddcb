"""Hidden checks: the limiter driven directly with caller-given times, and the quote route
through the Flask test client, with Redis read directly.

Every probe uses its own keys (all start with ``p-<probe>``); every time is a multiple of
0.25 seconds, so the arithmetic on it is exact."""

import os
import sys
import threading

from probekit import probe


def _redis():
    import redis

    return redis.Redis.from_url(os.environ["REDIS_URL"])


def _seen(decision):
    """A decision as plain data: [allowed, remaining, retry_after]."""
    return [decision.allowed, decision.remaining, decision.retry_after]


def _hits(limiter, key, times):
    return [_seen(limiter.hit(key, now)) for now in times]


def _stored(key):
    """What Redis holds under ``ratelimit:<key>``: its type, its scores in order and how
    many distinct members it has."""
    client = _redis()
    name = f"ratelimit:{key}"
    entries = client.zrange(name, 0, -1, withscores=True) if client.exists(name) else []
    return {
        "type": client.type(name).decode(),
        "scores": [score for _, score in entries],
        "members": len({member for member, _ in entries}),
    }


@probe("allows-up-to-limit", weight=2)
def _(solution):
    limiter = solution.Limiter(_redis(), 3, 60)
    return _hits(limiter, "p-basic", [1000.0, 1000.5, 1001.0, 1001.5, 1002.0])


@probe("window-slides-across-boundaries", weight=3)
def _(solution):
    limiter = solution.Limiter(_redis(), 3, 10)
    times = [1007.0, 1008.0, 1009.0, 1010.0, 1011.0, 1012.0, 1016.75, 1017.25, 1017.5, 1018.25]
    return _hits(limiter, "p-slide", times)


@probe("rejected-hits-not-counted", weight=2)
def _(solution):
    limiter = solution.Limiter(_redis(), 2, 10)
    times = [100.0, 101.0, 102.0, 104.5, 106.0, 108.75, 109.75, 110.0, 111.0, 111.5]
    return {"decisions": _hits(limiter, "p-rejected", times), "stored": _stored("p-rejected")}


@probe("window-start-is-open")
def _(solution):
    limiter = solution.Limiter(_redis(), 1, 5)
    times = [51.0, 56.0, 60.75, 61.0, 61.0, 65.25, 66.0]
    return _hits(limiter, "p-open", times)


@probe("equal-times-are-distinct-hits", weight=2)
def _(solution):
    limiter = solution.Limiter(_redis(), 3, 60)
    decisions = _hits(limiter, "p-equal", [500.0] * 5)
    return {"decisions": decisions, "stored": _stored("p-equal")}


@probe("sorted-set-holds-the-window")
def _(solution):
    limiter = solution.Limiter(_redis(), 5, 60)
    _hits(limiter, "p-layout", [10.25, 11.5, 12.75])
    first = _stored("p-layout")
    _hits(limiter, "p-layout", [71.5])
    return {"first": first, "after_slide": _stored("p-layout")}


@probe("idle-key-expires")
def _(solution):
    client = _redis()
    limiter = solution.Limiter(client, 2, 45)
    before = int(client.ttl("ratelimit:p-ttl"))
    limiter.hit("p-ttl", 20.0)
    first = int(client.ttl("ratelimit:p-ttl"))
    limiter.hit("p-ttl", 30.5)
    second = int(client.ttl("ratelimit:p-ttl"))
    return {
        "missing_before": before == -2,
        "first_in_range": 0 < first <= 45,
        "second_in_range": 0 < second <= 45,
    }


def _burst(limiter, key, now, threads=8, hits_each=2):
    """Every thread hits ``key`` at the same ``now``, all released at once; how many hits
    were allowed and how many got an answer (a hit that raised gets none)."""
    barrier = threading.Barrier(threads)
    allowed = []

    def run():
        barrier.wait(timeout=10)
        for _ in range(hits_each):
            allowed.append(limiter.hit(key, now).allowed is True)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=20)
    finally:
        sys.setswitchinterval(interval)
    return sum(allowed), len(allowed)


@probe("concurrent-hits-respect-limit", weight=3, timeout=25)
def _(solution):
    client = _redis()
    limiter = solution.Limiter(client, 4, 60)
    rounds = []
    for n in range(30):
        key = f"p-burst-{n}"
        allowed, answered = _burst(limiter, key, 2000.0 + n)
        rounds.append([allowed, answered, int(client.zcard(f"ratelimit:{key}"))])
    return rounds


# --- the quote route --------------------------------------------------------------------


class Clock:
    """The app's clock: returns whatever time the probe set last."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def _app(solution, limit, window, clock):
    config = {"RATELIMIT_LIMIT": limit, "RATELIMIT_WINDOW": window, "RATELIMIT_CLOCK": clock}
    return solution.create_app(config)


def _get(client, api_key=None):
    headers = {} if api_key is None else {"X-API-Key": api_key}
    return client.get("/api/quote", headers=headers)


def _answer(response):
    """Status code and decoded JSON body (None when the body is not JSON)."""
    return [response.status_code, response.get_json(silent=True)]


def _headers(response):
    """The rate-limit headers; Retry-After only on a 429."""
    seen = {
        "limit": response.headers.get("X-RateLimit-Limit"),
        "remaining": response.headers.get("X-RateLimit-Remaining"),
    }
    if response.status_code == 429:
        seen["retry_after"] = response.headers.get("Retry-After")
    return seen


ROUTE_TIMES = [1000.0, 1000.5, 1001.0, 1030.25, 1060.25, 1060.5, 1061.0]


def _route_run(solution, api_key):
    """The answers and the headers of the route's responses at ROUTE_TIMES."""
    clock = Clock(ROUTE_TIMES[0])
    client = _app(solution, 2, 60, clock).test_client()
    answers, headers = [], []
    for now in ROUTE_TIMES:
        clock.now = now
        response = _get(client, api_key)
        answers.append(_answer(response))
        headers.append(_headers(response))
    return answers, headers


@probe("route-answers-429-with-body", weight=2)
def _(solution):
    return _route_run(solution, "p-route-body")[0]


@probe("route-rate-limit-headers", weight=2)
def _(solution):
    return _route_run(solution, "p-route-headers")[1]


@probe("route-limits-each-api-key")
def _(solution):
    clock = Clock(300.0)
    client = _app(solution, 2, 30, clock).test_client()
    seen = []
    for api_key in ["p-keys-a", "p-keys-a", "p-keys-b", "p-keys-a", "p-keys-b", "p-keys-b"]:
        clock.now += 0.25
        response = _get(client, api_key)
        seen.append([api_key, response.status_code, _headers(response)])
    return {"answers": seen, "a": _stored("p-keys-a"), "b": _stored("p-keys-b")}


@probe("route-without-api-key")
def _(solution):
    clock = Clock(700.0)
    client = _app(solution, 1, 30, clock).test_client()
    missing = [_answer(_get(client)), _answer(_get(client, ""))]
    clock.now = 700.5
    first = _get(client, "p-nokey")
    return {"missing": missing, "first_with_key": _answer(first), "stored": _stored("p-nokey")}
