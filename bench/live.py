"""Benchmark: the live interview room under load through the real server.

Sets up N live interviews through the app's own services on a fresh database (a temporary
SQLite file by default, or ``--database URL``: an empty database that may be reset), starts
gunicorn with the production settings (``gunicorn.conf.py``, gthread), signs the interviewer
in through the login form and opens each candidate link, then connects two clients per room
(interviewer and candidate) that speak the Yjs protocol the browser speaks (sync step 1/2,
updates, an awareness update with the cursor after each edit). Each client types ``--rate``
edits a second for ``--seconds``; every edit carries a unique marker, so the bench knows
when the other client of the room has applied it.

    python bench/live.py [--rooms 50] [--seconds 30] [--rate 5] [--redis] [--json]

``--redis`` runs two gunicorn processes sharing the database and a private Redis (the
relay), the interviewer on one and the candidate on the other. Figures: edits sent, edits
lost (missing from the other client or from the document rebuilt from the database log),
rooms converged, propagation p50/p95 (edit sent -> applied by the other client) and the CPU
seconds of the server processes during the typing. The last line printed is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pycrdt import Encoder, TextEvent  # noqa: E402

from assess import create_app  # noqa: E402
from assess.extensions import db  # noqa: E402
from assess.live import protocol, service  # noqa: E402
from assess.live.history import seed  # noqa: E402
from assess.live.rooms import Room  # noqa: E402
from assess.models import Role  # noqa: E402
from assess.services import review  # noqa: E402
from tests.conftest import BankFactory, Factory, make_attempt, reset_schema  # noqa: E402
from tests.integration.live.helpers import (  # noqa: E402
    YClient,
    candidate_session,
    staff_session,
    wait_until,
)
from tests.integration.ops.servers import Gunicorn, PrivateRedis  # noqa: E402

MARKER = re.compile(r"<([sc])(\d+)>")
BOUNDARY = re.compile(r">|\n")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Timings:
    """When each edit was sent and when the other client applied it."""

    def __init__(self) -> None:
        """Empty."""
        self.lock = threading.Lock()
        self.sent: dict[tuple[int, str, int], float] = {}
        self.applied: dict[tuple[int, str, int], float] = {}


class BenchClient(YClient):
    """A room participant that types markers and records the other side's markers."""

    def __init__(self, base: str, room: int, http: Any, who: str, timings: Timings) -> None:
        """Connect, and watch the main file for the other participant's markers."""
        self.who = who
        self.room = room
        self.timings = timings
        self.seq = 0
        self.clock = 0
        super().__init__(base, room, http)
        self.text = self.main  # keep the shared type and its subscription alive
        self.subscription = self.text.observe(self._on_text)

    def _on_text(self, event: TextEvent) -> None:
        """Record when an edit of the other participant arrived (remote updates only)."""
        if not self._applying:
            return
        now = time.perf_counter()
        for op in event.delta:
            inserted = op.get("insert")
            if isinstance(inserted, str):
                for who, seq in MARKER.findall(inserted):
                    if who != self.who:
                        with self.timings.lock:
                            self.timings.applied.setdefault((self.room, who, int(seq)), now)

    def edit(self, rng: random.Random) -> None:
        """Type one marker at a random place, then send the cursor as the editor would."""
        self.seq += 1
        key = (self.room, self.who, self.seq)
        with self.lock:
            # Between markers, never inside one: after a marker, a line or at the start.
            text = str(self.main)
            at = rng.choice([0, *(m.end() for m in BOUNDARY.finditer(text))])
            with self.timings.lock:
                self.timings.sent[key] = time.perf_counter()
            self.type(f"<{self.who}{self.seq}>", at=at)
        self.clock += 1
        encoder = Encoder()
        encoder.write_var_uint(1)
        encoder.write_var_uint(self.doc.client_id)
        encoder.write_var_uint(self.clock)
        encoder.write_var_string(json.dumps({"cursor": {"anchor": at, "head": at}}))
        self.send(protocol.awareness(encoder.to_bytes()))


def build(rooms: int) -> tuple[str, list[tuple[int, str]]]:
    """The bank, one interviewer assigned to ``rooms`` attempts, a live interview on each;
    returns the interviewer's e-mail and each interview's id and candidate token."""
    BankFactory().load()
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    interviewer = factory.user(Role.INTERVIEWER)
    made = []
    for n in range(rooms):
        attempt, _ = make_attempt(factory, recruiter, name=f"Candidate {n:03d}")
        review.assign(db.session, attempt, interviewer.id, recruiter)
        interview, token = service.schedule(
            db.session, interviewer, attempt.id, f"Pairing {n}", "word-frequency"
        )
        seed(db.session, interview)
        db.session.commit()
        made.append((interview.id, token))
    return interviewer.email, made


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its direct children (gunicorn's workers)."""
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    total = 0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (nearest rank) of ``values``; 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    """Run the scenario and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=5.0, help="edits per second per client")
    parser.add_argument("--redis", action="store_true", help="two processes + Redis relay")
    parser.add_argument("--database", help="an empty database URL (default: temporary SQLite)")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args()
    say = (lambda *_: None) if args.json else print

    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-live-")))
        url = args.database or f"sqlite:///{workdir / 'live.sqlite3'}"
        reset_schema(url)
        app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            email, interviews = build(args.rooms)
            db.session.remove()
            db.engine.dispose()

        clients = 2 * args.rooms
        env = {
            "ASSESS_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SESSION_COOKIE_SECURE": "0",
            "DATABASE_URL": url,
            "ASSESS_SANDBOX": "0",
            # One thread per open socket, plus room for ordinary requests.
            "ASSESS_THREADS": str(clients + 16),
        }
        if args.redis:
            redis = PrivateRedis(workdir / "redis", persistent=False).start()
            stack.callback(redis.stop)
            env["REDIS_URL"] = redis.url
        logs = ROOT / "artifacts"
        logs.mkdir(exist_ok=True)
        servers = []
        for n in range(2 if args.redis else 1):
            server = Gunicorn(env, logs / f"bench-live-{n}.log", workers=1)
            servers.append(server)
            stack.callback(server.stop)
            server.start()
        staff_base = servers[0].url
        candidate_base = servers[-1].url

        timings = Timings()
        staff_http = staff_session(staff_base, email)
        pairs: list[tuple[BenchClient, BenchClient]] = []
        for room_id, token in interviews:
            staff = BenchClient(staff_base, room_id, staff_http, "s", timings)
            candidate = BenchClient(
                candidate_base, room_id, candidate_session(candidate_base, token), "c", timings
            )
            stack.callback(staff.close)
            stack.callback(candidate.close)
            pairs.append((staff, candidate))
        everyone = [c for pair in pairs for c in pair]
        wait_until(lambda: all("def top_words" in str(c.main) for c in everyone), 60, "every pad")
        say(
            f"{args.rooms} rooms x 2 clients on {len(servers)} gunicorn process(es)"
            f"{' + Redis relay' if args.redis else ''}; typing {args.rate}/s each for "
            f"{args.seconds:.0f} s"
        )

        cpu_before = sum(cpu_seconds(s.proc.pid) for s in servers if s.proc is not None)
        stop_at = time.perf_counter() + args.seconds

        def typist(client: BenchClient, offset: float) -> None:
            rng = random.Random(f"{client.room}{client.who}")
            due = time.perf_counter() + offset
            while due < stop_at and client.closed is None:
                time.sleep(max(0.0, due - time.perf_counter()))
                client.edit(rng)
                due += 1.0 / args.rate

        threads = [
            threading.Thread(target=typist, args=(c, random.random() / args.rate), daemon=True)
            for c in everyone
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        def settled() -> bool:
            with timings.lock:
                return len(timings.applied) >= len(timings.sent)

        try:
            wait_until(settled, 30, "every edit to reach the other client")
        except AssertionError as exc:
            say(f"!! {exc}")
        cpu_s = sum(cpu_seconds(s.proc.pid) for s in servers if s.proc is not None) - cpu_before

        def converged(pair: tuple[BenchClient, BenchClient]) -> bool:
            with pair[0].lock, pair[1].lock:
                return str(pair[0].main) == str(pair[1].main)

        try:
            wait_until(lambda: all(converged(p) for p in pairs), 15, "every room to converge")
        except AssertionError as exc:
            say(f"!! {exc}")
        converged_rooms = sum(1 for p in pairs if converged(p))
        closed = [c.closed for c in everyone if c.closed is not None]

        lost: set[tuple[int, str, int]] = set()
        with app.app_context():
            for staff, candidate in pairs:
                room = Room(staff.room)
                room.load()
                stored = {(staff.room, w, int(s)) for w, s in MARKER.findall(room.text("main"))}
                seen = {
                    client.who: {
                        (staff.room, w, int(s)) for w, s in MARKER.findall(str(client.main))
                    }
                    for client in (staff, candidate)
                }
                for key in timings.sent:
                    if key[0] != staff.room:
                        continue
                    other = "c" if key[1] == "s" else "s"
                    if key not in stored or key not in seen[other]:
                        lost.add(key)
            db.session.remove()
            db.engine.dispose()

        delays = [
            (timings.applied[key] - sent) * 1000
            for key, sent in timings.sent.items()
            if key in timings.applied
        ]
        figures = {
            "rooms": args.rooms,
            "clients": clients,
            "processes": len(servers),
            "redis": bool(args.redis),
            "seconds": args.seconds,
            "rate": args.rate,
            "edits": len(timings.sent),
            "lost_edits": len(lost),
            "converged_rooms": converged_rooms,
            "closed_sockets": len(closed),
            "propagation_p50_ms": round(statistics.median(delays), 1) if delays else 0.0,
            "propagation_p95_ms": round(percentile(delays, 0.95), 1),
            "propagation_max_ms": round(max(delays), 1) if delays else 0.0,
            "server_cpu_s": round(cpu_s, 2),
        }
        say(
            f"edits {figures['edits']}, lost {figures['lost_edits']}, converged rooms "
            f"{converged_rooms}/{args.rooms}, sockets closed early {len(closed)}\n"
            f"propagation p50 {figures['propagation_p50_ms']} ms, p95 "
            f"{figures['propagation_p95_ms']} ms (goal <= 100), max "
            f"{figures['propagation_max_ms']} ms\n"
            f"server CPU {figures['server_cpu_s']} s over {args.seconds:.0f} s of typing"
        )
        if closed:
            say(f"close reasons: {sorted(set(map(str, closed)))[:5]}")
    print(json.dumps(figures))
    if figures["lost_edits"] or converged_rooms != args.rooms:
        sys.exit(1)


if __name__ == "__main__":
    main()
