"""Throttles hold under parallel requests: many requests fired at once at a real gunicorn
(two processes, threads) let exactly the limit through, on SQLite, PostgreSQL and Redis."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from assess.services.submissions import SAMPLE_RUNS_PER_MINUTE
from tests.conftest import BankFactory, Factory, csrf_token, make_attempt, require
from tests.integration.conftest import FREE_FAILURES
from tests.integration.ops.servers import Gunicorn, PrivateRedis, redis_problem

PARALLEL = 12


def fire(requests_at_once: list[Callable[[], int]]) -> Counter[int]:
    """Run every request at the same moment (a barrier), one thread each; count statuses."""
    barrier = threading.Barrier(len(requests_at_once))

    def run(send: Callable[[], int]) -> int:
        barrier.wait(30)
        return send()

    with ThreadPoolExecutor(len(requests_at_once)) as pool:
        return Counter(pool.map(run, requests_at_once))


def sign_in_guesses(base: str, email: str) -> list[Callable[[], int]]:
    """One browser per guess, each with its form already open (cookie and CSRF token)."""
    guesses = []
    for number in range(PARALLEL):
        browser = requests.Session()
        token = csrf_token(browser.get(base + "/login", timeout=10).text)

        def guess(browser: requests.Session = browser, token: str = token, n: int = number) -> int:
            data = {"csrf_token": token, "email": email, "password": f"wrong guess no {n}"}
            response = browser.post(base + "/login", data=data, allow_redirects=False, timeout=60)
            return response.status_code

        guesses.append(guess)
    return guesses


def test_parallel_sign_in_guesses_get_exactly_the_free_attempts(
    serve: Callable[..., Gunicorn], factory: Factory
) -> None:
    """Twelve wrong passwords for one account at once: exactly five are checked (200), the
    other seven get 429."""
    email = factory.user().email
    server = serve()
    statuses = fire(sign_in_guesses(server.url, email))
    assert statuses == Counter({200: FREE_FAILURES, 429: PARALLEL - FREE_FAILURES})


def test_parallel_sign_in_guesses_counted_in_redis(
    serve: Callable[..., Gunicorn], factory: Factory, tmp_path: Path
) -> None:
    """The same with the Redis counter (ASSESS_RATE_LIMIT_BACKEND=redis)."""
    require(redis_problem(), "Redis")
    redis = PrivateRedis(tmp_path / "redis", persistent=False).start()
    try:
        email = factory.user().email
        server = serve(ASSESS_RATE_LIMIT_BACKEND="redis", REDIS_URL=redis.url)
        statuses = fire(sign_in_guesses(server.url, email))
        assert statuses == Counter({200: FREE_FAILURES, 429: PARALLEL - FREE_FAILURES})
    finally:
        redis.stop()


def test_parallel_sample_runs_get_exactly_the_limit(
    serve: Callable[..., Gunicorn], factory: Factory, bank: BankFactory
) -> None:
    """Thirteen sample runs of one attempt at once: exactly six are queued (202)."""
    attempt, token = make_attempt(factory)
    task_position = next(item.position for item in attempt.items if item.task_id)
    server = serve()
    candidate = requests.Session()
    landing = candidate.get(f"{server.url}/i/{token}", timeout=10)
    form = {"csrf_token": csrf_token(landing.text), "agree": "y"}
    started = candidate.post(f"{server.url}/i/{token}", data=form, allow_redirects=False)
    assert started.status_code == 302
    page = candidate.get(f"{server.url}/attempt/{task_position}", timeout=10).text
    meta = re.search(r'name="csrf-token" content="([^"]+)"', page)
    header = {"X-CSRFToken": meta.group(1) if meta else csrf_token(page)}
    url = f"{server.url}/attempt/api/items/{task_position}/run"

    def run(n: int) -> Callable[[], int]:
        browser = requests.Session()
        browser.cookies.update(candidate.cookies)

        def send() -> int:
            body = {"code": f"x = {n}\n"}
            return browser.post(url, json=body, headers=header, timeout=60).status_code

        return send

    statuses = fire([run(n) for n in range(SAMPLE_RUNS_PER_MINUTE * 2 + 1)])
    assert statuses == Counter({202: SAMPLE_RUNS_PER_MINUTE, 429: SAMPLE_RUNS_PER_MINUTE + 1})
