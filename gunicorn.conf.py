"""gunicorn settings. The embedded default is one process with threads, so SQLite and the
in-process grading pool live in one place; the scaled set-up raises workers and moves
grading to RQ workers (see README)."""

from __future__ import annotations

import os

bind = os.environ.get("ASSESS_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
threads = int(os.environ.get("ASSESS_THREADS", "8"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
