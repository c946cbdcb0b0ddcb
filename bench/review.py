"""Benchmark: recruiters' and interviewers' pages of a position with many scored candidates.

Builds one position with N finished, graded, scored candidates (1,000 by default; the
graded runs are written by hand, no Docker), then serves each page through the app
in-process and reports, per page, the median and worst time over several requests, the
number of SQL statements one request runs (it must not grow with N: no N+1) and the size
of the response.

    python bench/review.py [--candidates N] [--repeat R] [--database URL] [--json]

The database defaults to a fresh SQLite file; pass a PostgreSQL URL (an empty database
that may be reset) to measure the scaled set-up. The last line printed is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess import create_app  # noqa: E402
from assess.extensions import db  # noqa: E402
from assess.models import Attempt, GradeCode, Role  # noqa: E402
from assess.services import invitations  # noqa: E402
from tests.conftest import Auth, BankFactory, Factory, IsolatedClient, reset_schema  # noqa: E402
from tests.integration.review import builders  # noqa: E402


@contextmanager
def counting(engine: sa.Engine) -> Iterator[list[int]]:
    """Count the statements ``engine`` runs inside the block (the count is ``box[0]``)."""
    box = [0]

    def count(*_: Any) -> None:
        """One statement."""
        box[0] += 1

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield box
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def build(candidates: int) -> dict[str, Any]:
    """The bank, the staff and a position with ``candidates`` scored attempts."""
    BankFactory().load()
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    interviewer = factory.user(Role.INTERVIEWER)
    admin = factory.user(Role.ADMIN)
    position = invitations.create_position(db.session, recruiter, "Backend", GradeCode.JUNIOR)
    started = time.perf_counter()
    first: Attempt | None = None
    for index in range(candidates):
        code = builders.GOOD_CODE.replace("counts", f"counts_{index % 7}")
        attempt = builders.finished_attempt(
            position,
            recruiter,
            f"Candidate {index:04d}",
            seed=1000 + index,
            right=index % 5,
            code=code,
            results=(builders.run_result(index % 6), builders.run_result((index + 2) % 6)),
        )
        first = first or attempt
    assert first is not None
    builders.assign(first, interviewer, recruiter)
    return {
        "recruiter": recruiter,
        "interviewer": interviewer,
        "admin": admin,
        "position": position,
        "attempt": first,
        "chosen": [first.id + step for step in range(6)],
        "build_s": time.perf_counter() - started,
    }


def measure(client: Any, url: str, repeat: int) -> dict[str, Any]:
    """Serve ``url`` ``repeat`` times (plus one warm-up) and summarise."""
    times, statements, size, first = [], 0, 0, 0.0
    for run in range(repeat + 1):
        with counting(db.engine) as box:
            started = time.perf_counter()
            response = client.get(url)
            body = response.get_data()
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        if run:
            times.append(elapsed * 1000)
        else:
            first = elapsed * 1000
        statements, size = box[0], len(body)
    return {
        "url": url,
        "first_ms": round(first, 1),
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "statements": statements,
        "bytes": size,
    }


def main() -> None:
    """Build the data, measure every page, print a table and a JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--database", default="")
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="assess-bench-review-")
    url = args.database or f"sqlite:///{folder}/bench.sqlite3"
    reset_schema(url)
    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret"}
    )
    app.instance_path = folder
    app.test_client_class = IsolatedClient  # each request in its own context, as on a server
    with app.app_context():
        data = build(args.candidates)
        pid, aid = data["position"].id, data["attempt"].id
        chosen = "&".join(f"a={a}" for a in data["chosen"])
        recruiter, interviewer = app.test_client(), app.test_client()
        Auth(recruiter).login(data["recruiter"].email)
        Auth(interviewer).login(data["interviewer"].email)
        pages = [
            (recruiter, f"/insights/positions/{pid}?sort=PY"),
            (recruiter, f"/insights/positions/{pid}/compare?{chosen}"),
            (recruiter, f"/insights/positions/{pid}/compare.json?{chosen}"),
            (recruiter, f"/insights/positions/{pid}/scorecards.csv"),
            (recruiter, "/insights/pipelines"),
            (recruiter, f"/insights/attempts/{aid}/scorecard"),
            (interviewer, f"/review/attempts/{aid}"),
        ]
        results = [measure(client, page, args.repeat) for client, page in pages]
        db.session.remove()
        db.engine.dispose()
    summary = {
        "candidates": args.candidates,
        "database": url.split(":")[0],
        "build_s": round(data["build_s"], 1),
        "pages": results,
    }
    if not args.json:
        print(
            f"{args.candidates} scored candidates in one position "
            f"({summary['database']}; built in {summary['build_s']} s)"
        )
        print(
            f"{'page':<58} {'first ms':>8} {'median ms':>9} {'max ms':>8} {'SQL':>4} {'bytes':>9}"
        )
        for row in results:
            print(
                f"{row['url'][:58]:<58} {row['first_ms']:>8} {row['median_ms']:>9} "
                f"{row['max_ms']:>8} {row['statements']:>4} {row['bytes']:>9}"
            )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
