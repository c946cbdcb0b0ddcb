"""Observability: structured logs with request and submission ids, Prometheus metrics, and
the protected ``/metrics`` endpoint. ``init_app`` wires it into the app."""

from __future__ import annotations

import os

from flask import Flask

from assess.errors import ConfigurationError
from assess.observability.access import access_from
from assess.observability.context import bind_submission, submission_context
from assess.observability.logs import init_logging
from assess.observability.web import init_web

__all__ = ["bind_submission", "init_app", "submission_context"]


def init_app(app: Flask) -> None:
    """Configure logging, the request hooks and ``/metrics``."""
    try:
        settings = {**os.environ, **{
            key: str(app.config[key]) for key in ("ASSESS_METRICS_TOKEN", "ASSESS_METRICS_ALLOW")
            if key in app.config
        }}  # fmt: skip
        app.extensions["observability.metrics_access"] = access_from(settings)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from exc
    init_logging(str(app.config.get("ENV_NAME", "")), bool(app.config.get("TESTING")))
    init_web(app)
