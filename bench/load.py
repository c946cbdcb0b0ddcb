"""Load test: simulated candidates working through an assessment against gunicorn with
PostgreSQL and Redis, all started here on loopback.

    .venv/bin/python bench/load.py                      # 200 candidates, 4 web workers
    .venv/bin/python bench/load.py --candidates 50 --think 0.5 --json

It makes a fresh PostgreSQL database (``--postgres``, default ``assess_load`` on the local
server), loads the bank, creates a position and one invitation per candidate, starts a
private redis-server and gunicorn (production settings, RQ dispatch, JSON logs to a file),
then drives every candidate with its own cookie session through the real pages and APIs:
landing, start, the overview, every item page, autosaves of answers and code, a sample run
on each coding task, the state poll, and finish. Each candidate arrives from its own
address (``X-Forwarded-For`` through one trusted proxy), as behind a reverse proxy.

It prints the p50/p95/max latency of each endpoint and every error, and exits 1 if any
request failed. Figures, not asserts: see bench/LOAD.md.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_POSTGRES = "postgresql+psycopg://assess:assess@127.0.0.1:5432/assess_load"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
ITEM_LINK = re.compile(r'href="/attempt/(\d+)"')
QUESTION_TYPE = re.compile(r'data-type="([^"]+)"')
ORDERING_ITEM = re.compile(r'class="ordering-item" data-value="([^"]*)"')
CODE = "def solve(text):\n    return {}\n"


@dataclass
class Sample:
    """One request's outcome."""

    endpoint: str
    seconds: float
    status: int
    error: str = ""


@dataclass
class Settings:
    """What one client process needs to drive its candidates."""

    base_url: str
    tokens: list[tuple[int, str]]
    think: float
    autosaves: int
    ramp_seconds: float
    total: int
    started_at: float


@dataclass
class Candidate:
    """A browser: a cookie session that records every request it makes."""

    base_url: str
    address: str
    samples: list[Sample] = field(default_factory=list)
    session: requests.Session = field(default_factory=requests.Session)
    retries: int = 0

    def call(self, method: str, endpoint: str, path: str, **kwargs: Any) -> requests.Response:
        """Send one request, timing it under ``endpoint`` (the route template).

        Like a browser, a request that fails on a kept-alive connection the server closed
        meanwhile is sent once more on a new one; such retries are counted, not hidden.
        """
        headers = {"X-Forwarded-For": self.address, **kwargs.pop("headers", {})}
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                response = self.session.request(
                    method,
                    self.base_url + path,
                    headers=headers,
                    timeout=60,
                    allow_redirects=False,
                    **kwargs,
                )
                break
            except requests.ConnectionError as exc:
                if attempt == 1 and "aborted" in str(exc).lower():
                    self.retries += 1
                    continue
                self.samples.append(
                    Sample(
                        endpoint,
                        time.perf_counter() - started,
                        0,
                        f"{type(exc).__name__}: {exc}"[:300],
                    )
                )
                raise
            except requests.RequestException as exc:
                self.samples.append(
                    Sample(
                        endpoint,
                        time.perf_counter() - started,
                        0,
                        f"{type(exc).__name__}: {exc}"[:300],
                    )
                )
                raise
        elapsed = time.perf_counter() - started
        error = "" if response.status_code < 400 else response.text[:200]
        self.samples.append(Sample(endpoint, elapsed, response.status_code, error))
        return response


def think(mean: float) -> None:
    """Pause like a person reading (exponential, capped)."""
    if mean > 0:
        time.sleep(min(random.expovariate(1 / mean), mean * 4))


def answer_for(page: str) -> Any:
    """A valid answer for the question on ``page``."""
    kind = QUESTION_TYPE.search(page)
    qtype = kind.group(1) if kind else "text"
    if qtype == "single":
        return 0
    if qtype == "multiple":
        return [0]
    if qtype == "ordering":
        return [html.unescape(v) for v in ORDERING_ITEM.findall(page)]
    if qtype == "bug-line":
        return 1
    return "42"


def work_through(candidate: Candidate, token: str, settings: Settings) -> None:
    """One candidate's whole assessment."""
    landing = candidate.call("GET", "GET /i/<token>", f"/i/{token}")
    form = CSRF_FIELD.search(landing.text)
    if landing.status_code != 200 or form is None:
        return
    think(settings.think)
    start = candidate.call(
        "POST",
        "POST /i/<token> (start)",
        f"/i/{token}",
        data={"csrf_token": form.group(1), "agree": "y"},
    )
    if start.status_code != 302:
        candidate.samples.append(Sample("POST /i/<token> (start)", 0, 599, "start refused"))
        return
    overview = candidate.call("GET", "GET /attempt", "/attempt")
    meta = CSRF_META.search(overview.text)
    if meta is None:
        candidate.samples.append(Sample("GET /attempt", 0, 599, "no CSRF token on the page"))
        return
    api = {"X-CSRFToken": meta.group(1)}
    positions = sorted({int(p) for p in ITEM_LINK.findall(overview.text)})
    for position in positions:
        think(settings.think)
        page = candidate.call("GET", "GET /attempt/<n>", f"/attempt/{position}")
        is_question = QUESTION_TYPE.search(page.text) is not None
        for revision in range(1, settings.autosaves + 1):
            think(settings.think / 2)
            if is_question:
                candidate.call(
                    "POST",
                    "POST /attempt/api/items/<n>/answer",
                    f"/attempt/api/items/{position}/answer",
                    headers=api,
                    json={"response": answer_for(page.text), "revision": revision},
                )
            else:
                candidate.call(
                    "POST",
                    "POST /attempt/api/items/<n>/draft",
                    f"/attempt/api/items/{position}/draft",
                    headers=api,
                    json={"code": CODE + f"# rev {revision}\n", "revision": revision},
                )
        if not is_question:
            run = candidate.call(
                "POST",
                "POST /attempt/api/items/<n>/run",
                f"/attempt/api/items/{position}/run",
                headers=api,
                json={"code": CODE},
            )
            if run.status_code == 202:
                candidate.call(
                    "GET",
                    "GET /attempt/api/submissions/<id>",
                    f"/attempt/api/submissions/{run.json()['id']}",
                )
        candidate.call("GET", "GET /attempt/api/state", "/attempt/api/state")
    think(settings.think)
    finish = candidate.call(
        "POST", "POST /attempt/finish", "/attempt/finish", data={"csrf_token": meta.group(1)}
    )
    if finish.status_code == 302:
        candidate.call("GET", "GET /attempt/done", "/attempt/done")


def drive(settings: Settings) -> list[tuple[str, float, int, str]]:
    """A client process: one thread per candidate, arriving spread over the ramp-up."""

    def one(index: int, token: str) -> list[Sample]:
        """Arrive at its time, then work through the assessment."""
        delay = settings.started_at + settings.ramp_seconds * index / settings.total - time.time()
        if delay > 0:
            time.sleep(delay)
        address = f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"
        candidate = Candidate(settings.base_url, address)
        with contextlib.suppress(requests.RequestException):
            work_through(candidate, token, settings)
        if candidate.retries:
            candidate.samples.append(Sample("(connection retries)", 0.0, 100, ""))
            candidate.samples[-1].seconds = float(candidate.retries)
        return candidate.samples

    with ThreadPoolExecutor(max_workers=len(settings.tokens)) as pool:
        futures = [pool.submit(one, index, token) for index, token in settings.tokens]
        return [
            (s.endpoint, s.seconds, s.status, s.error)
            for future in futures
            for s in future.result()
        ]


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, seconds: float) -> None:
    """Wait until ``url`` answers 200."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f}s")


def fresh_database(url: str) -> None:
    """Create the database if needed, then drop and create every table."""
    server, _, name = url.rpartition("/")
    admin = sa.create_engine(server + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def prepare(url: str, candidates: int, bank: str | None) -> list[str]:
    """Schema, bank, a recruiter, a position and one invitation per candidate; the tokens."""
    from assess import create_app
    from assess.bank.loader import load_bank
    from assess.extensions import db
    from assess.models import GradeCode, Role
    from assess.services.accounts import create_user
    from assess.services.invitations import create_position, invite

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        load_bank(db.session, bank or app.config["CHALLENGES_DIR"])
        recruiter = create_user(
            db.session,
            "recruiter@example.com",
            secrets.token_urlsafe(16),
            Role.RECRUITER,
            name="Load test",
            fast_hash=True,
        )
        position = create_position(db.session, recruiter, "Load test", GradeCode.JUNIOR)
        tokens = [
            invite(db.session, position, f"Candidate {n}", f"c{n}@example.com", recruiter)[1]
            for n in range(candidates)
        ]
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return tokens


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def report(samples: list[tuple[str, float, int, str]], elapsed: float, as_json: bool) -> int:
    """Print per-endpoint figures; returns the number of failed requests."""
    by_endpoint: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
    retries = 0
    for endpoint, seconds, status, error in samples:
        if endpoint == "(connection retries)":
            retries += int(seconds)
            continue
        by_endpoint[endpoint].append((seconds, status, error))
    rows = []
    for endpoint, entries in sorted(by_endpoint.items()):
        times = [e[0] * 1000 for e in entries]
        errors = [e for e in entries if e[1] == 0 or e[1] >= 400]
        rows.append(
            {
                "endpoint": endpoint,
                "requests": len(entries),
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "max_ms": round(max(times), 1),
                "errors": len(errors),
                "first_error": f"{errors[0][1]} {errors[0][2][:120]}" if errors else "",
            }
        )
    failed = sum(r["errors"] for r in rows)
    total = sum(r["requests"] for r in rows)
    if as_json:
        print(
            json.dumps(
                {
                    "requests": total,
                    "errors": failed,
                    "seconds": round(elapsed, 1),
                    "endpoints": rows,
                },
                indent=2,
            )
        )
        return failed
    print(
        f"\n{'endpoint':42} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6}"
    )
    for r in rows:
        print(
            f"{r['endpoint']:42} {r['requests']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} "
            f"{r['max_ms']:>8} {r['errors']:>6}"
        )
        if r["first_error"]:
            print(f"    first error: {r['first_error']}")
    print(
        f"\n{total} requests in {elapsed:.1f}s ({total / elapsed:.0f}/s), {failed} errors, "
        f"{retries} requests re-sent after the server closed an idle connection"
    )
    return failed


def start_redis(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A private redis-server (never the shared one: queued ids belong to this database)."""
    port = free_port()
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(workdir),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    from redis import Redis

    deadline = time.monotonic() + 10
    while True:
        try:
            Redis.from_url(url).ping()
            return proc, url
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--think", type=float, default=1.5, help="mean think time, seconds")
    parser.add_argument("--autosaves", type=int, default=2, help="autosaves per item")
    parser.add_argument("--ramp", type=float, default=20.0, help="arrivals spread, seconds")
    parser.add_argument(
        "--postgres", default=os.environ.get("ASSESS_LOAD_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--bank", help="challenge bank folder (default: challenges/)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    fresh_database(args.postgres)
    tokens = prepare(args.postgres, args.candidates, args.bank)
    workdir = Path(tempfile.mkdtemp(prefix="assess-load-"))
    redis_proc, redis_url = start_redis(workdir)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSESS_", "PROMETHEUS"))}
    env.update(
        {
            "ASSESS_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": args.postgres,
            "REDIS_URL": redis_url,
            "ASSESS_GRADING_BACKEND": "rq",
            "SESSION_COOKIE_SECURE": "false",
            "ASSESS_TRUSTED_PROXIES": "1",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "ASSESS_LOG_FORMAT": "json",
            "WEB_CONCURRENCY": str(args.workers),
            "ASSESS_THREADS": str(args.threads),
            "ASSESS_BIND": f"127.0.0.1:{port}",
            "PYTHONPATH": str(ROOT),
        }
    )
    log_path = workdir / "gunicorn.log"
    with open(log_path, "wb") as log:
        web = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_http(base_url + "/healthz", 60)
        print(
            f"{args.candidates} candidates against gunicorn ({args.workers} workers x "
            f"{args.threads} threads), PostgreSQL, Redis; think {args.think}s, "
            f"{args.autosaves} autosaves per item, arrivals over {args.ramp}s",
            file=sys.stderr,
        )
        started = time.time() + 1
        chunks = [list(enumerate(tokens))[i :: args.clients] for i in range(args.clients)]
        with ProcessPoolExecutor(args.clients) as pool:
            results = pool.map(
                drive,
                [
                    Settings(
                        base_url, chunk, args.think, args.autosaves, args.ramp, len(tokens), started
                    )
                    for chunk in chunks
                ],
            )
            samples = [s for part in results for s in part]
        elapsed = time.time() - started
        failed = report(samples, elapsed, args.json)
        metrics = requests.get(base_url + "/metrics", timeout=10).text
        finished = sum(1 for s in samples if s[0] == "POST /attempt/finish" and s[2] == 302)
        queued = re.findall(r'^assess_grading_queue_depth\{kind="(\w+)"\} (\S+)$', metrics, re.M)
        print(
            f"finished attempts: {finished}/{args.candidates}; queued for grading: "
            f"{dict(queued)} (no grader runs in this test)",
            file=sys.stderr,
        )
        if finished != args.candidates:
            failed += 1
    finally:
        web.send_signal(signal.SIGTERM)
        try:
            web.wait(40)
        except subprocess.TimeoutExpired:
            web.kill()
        redis_proc.terminate()
        redis_proc.wait(10)
        kept = ROOT / "artifacts" / "load-gunicorn.log"
        kept.parent.mkdir(exist_ok=True)
        shutil.copy(log_path, kept)
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    threading.stack_size(512 * 1024)
    sys.exit(main())
