"""Container health check: the web answers /healthz; a worker has a fresh RQ heartbeat.

Runs with the standard library (and redis for the worker), never builds the app.
"""

from __future__ import annotations

import os
import socket
import sys
import time
import urllib.request

MAX_HEARTBEAT_AGE = 120


def web_ok() -> bool:
    """Whether gunicorn answers /healthz on its bound port."""
    port = os.environ.get("ASSESS_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=4) as response:
        return bool(response.status == 200)


def worker_ok() -> bool:
    """Whether an RQ worker of this host sent a heartbeat recently."""
    from redis import Redis

    connection = Redis.from_url(os.environ["REDIS_URL"], socket_timeout=4)
    host = socket.gethostname()
    for key in connection.smembers("rq:workers"):
        fields = connection.hgetall(key)
        if fields.get(b"hostname", b"").decode() != host:
            continue
        beat = fields.get(b"last_heartbeat", b"").decode()
        if beat and time.time() - _timestamp(beat) < MAX_HEARTBEAT_AGE:
            return True
    return False


def _timestamp(text: str) -> float:
    """Seconds since the epoch of RQ's UTC timestamp text."""
    from datetime import UTC, datetime

    for fmt in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    return 0.0


def main() -> int:
    """0 when healthy, 1 otherwise."""
    role = os.environ.get("ASSESS_ROLE", "web")
    try:
        healthy = worker_ok() if role == "worker" else web_ok()
    except Exception as exc:  # noqa: BLE001 - any failure is "unhealthy"
        print(f"unhealthy: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
