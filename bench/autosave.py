"""Autosave under load: gunicorn + PostgreSQL, measured beside a trivial endpoint.

Starts its own PostgreSQL database and gunicorn on loopback, loads the bank, invites N
candidates, then measures in one run:
  1. N candidates opening their invitation and starting an attempt at once (wall time,
     errors; the target is 300 within ten seconds without an error);
  2. throughput and latency of the autosave endpoint and of GET /healthz on the same
     server with the same client concurrency, in alternating rounds, and their ratio (the
     median of the rounds' ratios, with the lowest and highest);
  3. for each, the CPU time a request costs the server (gunicorn), PostgreSQL and this
     client, read from /proc (Linux; absent elsewhere): where a save's cost goes, and
     the ratio of the two requests' CPU on all sides together, which bounds the
     throughput ratio when the cores are the limit and moves less with the machine.
Run: .venv/bin/python bench/autosave.py [--candidates 300] [--rounds 5] [--seconds 4] [--json]
Needs PostgreSQL reachable as in tests (ASSESS_TEST_POSTGRES_URL); prints figures only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import private_postgres_database  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "5917"))
BASE = f"http://127.0.0.1:{PORT}"


def environment(url: str) -> dict[str, str]:
    """The server's environment: production settings on a private database."""
    return {
        **os.environ,
        "ASSESS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SESSION_COOKIE_SECURE": "0",
        "DATABASE_URL": url,
        "ASSESS_SANDBOX": "0",
        "ASSESS_INVITE_LANDINGS_PER_MINUTE": "100000",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "4"),
        "ASSESS_THREADS": os.environ.get("ASSESS_THREADS", "4"),
    }


def prepare(env: dict[str, str], candidates: int) -> list[str]:
    """Migrate, load the bank and invite ``candidates`` people; return their tokens."""
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "bank", "load"], cwd=ROOT, env=env, check=True, capture_output=True)
    os.environ.update(
        {
            k: env[k]
            for k in (
                "ASSESS_ENV",
                "SECRET_KEY",
                "DATABASE_URL",
                "ASSESS_SANDBOX",
                "SESSION_COOKIE_SECURE",
            )
        }
    )
    from assess import create_app
    from assess.extensions import db
    from assess.models import GradeCode, Role
    from assess.services import invitations
    from assess.services.accounts import create_user

    app = create_app()
    with app.app_context():
        recruiter = create_user(
            db.session, "bench@example.com", "bench password 123", Role.RECRUITER
        )
        position = invitations.create_position(db.session, recruiter, "Bench", GradeCode.JUNIOR)
        tokens = [
            invitations.invite(
                db.session, position, f"Candidate {n}", f"c{n}@example.com", recruiter
            )[1]
            for n in range(candidates)
        ]
        db.session.commit()
        db.engine.dispose()
    return tokens


@contextmanager
def server(env: dict[str, str]) -> Iterator[None]:
    """gunicorn with the project's config on loopback."""
    log = ROOT / "artifacts" / "bench-autosave-server.log"
    log.parent.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{PORT}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                if requests.get(BASE + "/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def csrf(html: str) -> str:
    """The page's CSRF token (hidden input or meta tag)."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html
    )
    assert match, "no CSRF token"
    return match.group(1)


def start(token: str) -> tuple[requests.Session, str, float]:
    """One candidate opens the link and starts; returns the session, token and seconds."""
    began = time.perf_counter()
    session = requests.Session()
    page = session.get(f"{BASE}/i/{token}", timeout=30)
    page.raise_for_status()
    started = session.post(
        f"{BASE}/i/{token}", data={"csrf_token": csrf(page.text), "agree": "y"}, timeout=30
    )
    started.raise_for_status()
    if not started.url.endswith("/attempt"):
        raise RuntimeError(f"start landed on {started.url}")
    return session, csrf(started.text), time.perf_counter() - began


def first_question(session: requests.Session) -> int:
    """The position of the first single-choice-or-text question of the attempt."""
    state = session.get(f"{BASE}/attempt/api/state", timeout=30).json()
    return next(i["position"] for i in state["items"] if i["kind"] == "question")


def cpu_seconds() -> dict[str, float] | None:
    """CPU seconds used so far by the server's processes, PostgreSQL's and this client's
    (from /proc; None where there is none). A process that ended in between is not
    counted, so compare within one phase of one run."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    used = {"server": 0.0, "postgres": 0.0}
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # utime and stime are fields 14 and 15
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if any(b"gunicorn" in part for part in command):
            used["server"] += seconds
        elif command[0].startswith(b"postgres"):
            used["postgres"] += seconds
    times = os.times()
    used["client"] = times.user + times.system
    return used


def hammer(work: Callable[[int], bool], workers: int, seconds: float, offset: int = 0) -> Phase:
    """Run ``work`` from ``workers`` threads for ``seconds``: its latencies, errors, wall
    time and the CPU seconds each side spent (``offset`` keeps request numbers rising
    across rounds, so every save is a newer revision)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def loop(worker: int) -> None:
        nonlocal errors
        n = offset
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            ok = work(worker * 1_000_000 + n)
            elapsed = time.perf_counter() - t0
            n += 1
            with lock:
                latencies.append(elapsed)
                errors += 0 if ok else 1

    threads = [threading.Thread(target=loop, args=(w,)) for w in range(workers)]
    cpu_before = cpu_seconds()
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return Phase(latencies, errors, wall, cpu_used(cpu_before, cpu_seconds()))


def cpu_used(
    before: dict[str, float] | None, after: dict[str, float] | None
) -> dict[str, float] | None:
    """CPU seconds each side spent between two readings of ``cpu_seconds`` (None where
    /proc is missing)."""
    if before is None or after is None:
        return None
    return {side: after[side] - before[side] for side in after}


@dataclass
class Phase:
    """One endpoint hammered for one round (or several rounds merged)."""

    latencies: list[float]
    errors: int
    wall: float
    cpu: dict[str, float] | None

    @property
    def rps(self) -> float:
        """Requests per second of wall time."""
        return len(self.latencies) / self.wall if self.wall else 0.0

    def __add__(self, other: Phase) -> Phase:
        cpu = None
        if self.cpu is not None and other.cpu is not None:
            cpu = {side: self.cpu[side] + other.cpu[side] for side in self.cpu}
        return Phase(self.latencies + other.latencies, self.errors + other.errors,
                     self.wall + other.wall, cpu)  # fmt: skip

    def figures(self) -> dict[str, Any]:
        """Requests, errors, throughput, latency percentiles and CPU ms per request."""
        ordered = sorted(self.latencies)
        count = len(ordered)
        cpu = None
        if self.cpu is not None and count:
            cpu = {side: round(1000 * used / count, 2) for side, used in self.cpu.items()}
        return {
            "requests": count,
            "errors": self.errors,
            "rps": round(self.rps, 1),
            "p50_ms": round(1000 * statistics.median(ordered), 2) if count else 0.0,
            "p95_ms": round(1000 * ordered[int(0.95 * (count - 1))], 2) if count else 0.0,
            "cpu_ms_per_request": cpu,
        }


def alternate(
    first: Callable[[int], bool],
    second: Callable[[int], bool],
    rounds: int,
    workers: int,
    seconds: float,
) -> tuple[list[Phase], list[Phase]]:
    """Hammer both endpoints in ``rounds`` rounds, each first in every other round: the
    machine's speed drifts (a neighbour's load, the CPU's clock), and a drift then weighs
    on both alike instead of on whichever ran second."""
    ones: list[Phase] = []
    twos: list[Phase] = []
    for number in range(rounds):
        turns = [(ones, first), (twos, second)]
        for phases, work in turns if number % 2 == 0 else turns[::-1]:
            phases.append(hammer(work, workers, seconds, offset=number * 100_000))
    return ones, twos


def main() -> None:
    """Run the benchmark and print its figures (the last line is JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=4.0, help="per endpoint per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rounds = max(1, args.rounds)
    with private_postgres_database("assess_bench") as url:
        env = environment(url)
        tokens = prepare(env, args.candidates)
        with server(env):
            cpu_before = cpu_seconds()
            began = time.perf_counter()
            results, failures = [], 0
            with ThreadPoolExecutor(max_workers=min(64, args.candidates)) as pool:
                for outcome in pool.map(lambda t: _try(start, t), tokens):
                    if outcome is None:
                        failures += 1
                    else:
                        results.append(outcome)
            start_wall = time.perf_counter() - began
            per_start = sorted(r[2] for r in results)
            starts = Phase(per_start, failures, start_wall, cpu_used(cpu_before, cpu_seconds()))
            start_cpu = starts.figures()["cpu_ms_per_request"]
            sessions = [(s, token) for s, token, _ in results[: args.clients]]
            positions = [first_question(s) for s, _ in sessions]

            def autosave(n: int) -> bool:
                index = n // 1_000_000
                session, token = sessions[index]
                response = session.post(
                    f"{BASE}/attempt/api/items/{positions[index]}/answer",
                    json={"response": None, "revision": n % 1_000_000 + 1},
                    headers={"X-CSRFToken": token},
                    timeout=30,
                )
                return response.status_code == 200

            plain = [requests.Session() for _ in range(args.clients)]

            def health(n: int) -> bool:
                return plain[n // 1_000_000].get(f"{BASE}/healthz", timeout=30).ok

            healths, saves_by_round = alternate(
                health, autosave, rounds, args.clients, args.seconds
            )
    ratios = [s.rps / h.rps for h, s in zip(healths, saves_by_round, strict=True) if h.rps]
    trivial = sum(healths[1:], healths[0]).figures()
    saves = sum(saves_by_round[1:], saves_by_round[0]).figures()
    cpu_ratio = None
    if trivial["cpu_ms_per_request"] and saves["cpu_ms_per_request"]:
        # the throughput ratio when the cores are the limit: what each request costs all
        # three sides together, a figure the machine's changing speed moves far less
        cpu_ratio = round(sum(trivial["cpu_ms_per_request"].values())
                          / sum(saves["cpu_ms_per_request"].values()), 3)  # fmt: skip
    figures = {
        "candidates": args.candidates,
        "start_wall_s": round(start_wall, 2),
        "start_errors": failures,
        "start_p95_ms": round(1000 * per_start[int(0.95 * (len(per_start) - 1))], 1)
        if per_start
        else None,
        "start_cpu_ms_per_start": start_cpu,
        "healthz": trivial,
        "autosave": saves,
        "autosave_vs_healthz_ratio": round(statistics.median(ratios), 3) if ratios else None,
        "ratio_by_round": [round(ratio, 3) for ratio in ratios],
        "autosave_vs_healthz_cpu_ratio": cpu_ratio,
        "rounds": rounds,
        "seconds_per_phase": args.seconds,
        "web_workers": int(env["WEB_CONCURRENCY"]),
        "threads": int(env["ASSESS_THREADS"]),
        "clients": args.clients,
    }
    print(
        f"{args.candidates} candidates started in {start_wall:.2f} s with {failures} errors "
        f"(p95 {figures['start_p95_ms']} ms per start)"
    )
    if start_cpu:
        print(f"a start's three requests, CPU: server {start_cpu['server']} ms, PostgreSQL "
              f"{start_cpu['postgres']} ms, client {start_cpu['client']} ms")  # fmt: skip
    print(
        f"GET /healthz      {trivial['rps']:8.1f} req/s  p50 {trivial['p50_ms']} ms  "
        f"p95 {trivial['p95_ms']} ms  errors {trivial['errors']}"
    )
    print(
        f"POST autosave     {saves['rps']:8.1f} req/s  p50 {saves['p50_ms']} ms  "
        f"p95 {saves['p95_ms']} ms  errors {saves['errors']}"
    )
    for name, phase in (("GET /healthz", trivial), ("POST autosave", saves)):
        cpu = phase["cpu_ms_per_request"]
        if cpu:
            print(f"{name:<17} CPU per request: server {cpu['server']} ms, PostgreSQL "
                  f"{cpu['postgres']} ms, client {cpu['client']} ms")  # fmt: skip
    print(
        f"autosave throughput = {figures['autosave_vs_healthz_ratio']}x the trivial endpoint "
        f"(median of {len(ratios)} alternating rounds; lowest "
        f"{min(ratios, default=0):.3f}, highest {max(ratios, default=0):.3f})"
    )
    if cpu_ratio is not None:
        print(
            f"CPU per request, all sides together: {cpu_ratio}x as much for GET /healthz "
            "as for an autosave (the throughput ratio when the cores are the limit)"
        )
    if args.json:
        print(json.dumps(figures))


def _try(
    fn: Callable[[str], tuple[requests.Session, str, float]], token: str
) -> tuple[requests.Session, str, float] | None:
    """Call ``fn``; None on any failure (counted as an error)."""
    try:
        return fn(token)
    except Exception as exc:
        print(f"start failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return None


if __name__ == "__main__":
    main()
