"""Log lines: one JSON object per line in production, readable text in development.

Every line carries the request id of the web request (or the submission id of the grading
job) it belongs to, and passes the redaction filter first.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from assess.observability.context import request_id_var, submission_id_var
from assess.observability.redaction import RECORD_FIELDS, RedactingFilter, redact_text

HANDLER_NAME = "assess-observability"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class ContextFilter(logging.Filter):
    """Adds ``request_id`` and ``submission_id`` from the context to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Attach the context; never drops a record."""
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        if getattr(record, "submission_id", None) is None:
            record.submission_id = submission_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ids and ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` as a single line of JSON."""
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "submission_id"):
            value = getattr(record, key, None)
            if value is not None:
                line[key] = value
        for key, value in vars(record).items():
            if key not in RECORD_FIELDS and not key.startswith("_"):
                line[key] = value if _is_plain(value) else repr(value)
        if record.exc_info:
            line["exception"] = redact_text(self.formatException(record.exc_info), 20_000)
        return json.dumps(line, ensure_ascii=False, default=str)


def _is_plain(value: object) -> bool:
    """Whether ``value`` is a JSON scalar (anything else is logged as its repr)."""
    return value is None or isinstance(value, str | int | float | bool)


class TextFormatter(logging.Formatter):
    """The development format; a missing request id shows as ``-``."""

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` with its request id."""
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return super().format(record)

    def formatException(self, ei: Any) -> str:  # noqa: N802 - the logging API's name
        """The traceback, with quoted parameters and credentials redacted."""
        return redact_text(super().formatException(ei), 20_000)


def build_handler(fmt: str, stream: Any = None) -> logging.Handler:
    """A stream handler with the context and redaction filters and the chosen format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter(TEXT_FORMAT))
    return handler


def log_settings(environ: Mapping[str, str], env_name: str) -> tuple[str, str]:
    """``(format, level)``: JSON by default in production, text elsewhere."""
    default = "json" if env_name == "production" else "text"
    fmt = (environ.get("ASSESS_LOG_FORMAT") or default).strip().lower()
    level = (environ.get("ASSESS_LOG_LEVEL") or "INFO").strip().upper()
    return ("json" if fmt == "json" else "text"), level


def configure_logging(fmt: str, level: str, stream: Any = None) -> logging.Handler:
    """Install (or replace) the one root handler of this package; returns it."""
    root = logging.getLogger()
    for existing in list(root.handlers):
        if existing.get_name() == HANDLER_NAME:
            root.removeHandler(existing)
    handler = build_handler(fmt, stream)
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def init_logging(env_name: str, testing: bool) -> None:
    """Configure logging from the environment; tests keep pytest's own capture."""
    if testing and "ASSESS_LOG_FORMAT" not in os.environ:
        return
    fmt, level = log_settings(os.environ, env_name)
    configure_logging(fmt, level)
