"""Under gunicorn with several workers: metrics add up across processes, log lines are JSON
with request ids, and SIGTERM stops it cleanly."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.conftest import require
from tests.integration.ops.servers import ROOT, Gunicorn, app_environment

REQUESTS = 40


def create_schema(url: str) -> None:
    """Create the current schema in a fresh database (in a child process)."""
    code = ("from assess import create_app; from assess.extensions import db\n"
            "app = create_app('testing')\n"
            "with app.app_context(): db.create_all()\n")  # fmt: skip
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60,
                   env=app_environment({"DATABASE_URL": url}))  # fmt: skip


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    """GET ``url``; returns status, body and headers."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
        return response.status, response.read().decode(), dict(response.headers)


def test_metrics_add_up_across_gunicorn_workers(tmp_path: Path) -> None:
    """Three workers serve 40 requests; /metrics counts all 40 whichever worker answers."""
    require(None if (Path(sys.executable).parent / "gunicorn").exists() else "no gunicorn",
            "gunicorn")  # fmt: skip
    url = "sqlite:///" + str(tmp_path / "web.sqlite3")
    create_schema(url)
    log = tmp_path / "gunicorn.log"
    server = Gunicorn({
        "ASSESS_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": url, "ASSESS_SANDBOX": "0", "ASSESS_LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }, log, workers=3).start()  # fmt: skip
    try:
        for number in range(REQUESTS):
            status, _, headers = fetch(server.url + "/healthz",
                                       {"X-Request-ID": f"load-test-{number:04d}"})  # fmt: skip
            assert status == 200
            assert headers["X-Request-ID"] == f"load-test-{number:04d}"
        counts = []
        for _ in range(6):  # several scrapes land on different workers
            _, text, _ = fetch(server.url + "/metrics")
            match = re.search(
                r'^assess_http_requests_total\{method="GET",route="/healthz",status="200"\} (\S+)$',
                text, re.M,
            )  # fmt: skip
            assert match, text[:2000]
            counts.append(float(match.group(1)))
        assert min(counts) >= REQUESTS  # + the readiness polls before the loop
        assert "assess_grading_queue_depth" in text
    finally:
        assert server.stop() == 0
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    ours = [line for line in lines if line.get("request_id") == "load-test-0007"]
    assert ours, "no JSON log line carries the request id"
    assert ours[0]["route"] == "/healthz"
    assert ours[0]["status"] == 200
