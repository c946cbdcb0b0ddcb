"""The redaction filter and the JSON formatter, without an app."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from assess.observability.context import accept_request_id, submission_context
from assess.observability.logs import ContextFilter, JsonFormatter, log_settings
from assess.observability.redaction import REDACTED, RedactingFilter, redact_text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("password=hunter2 next", "hunter2"),
        ("login with Password: hunter2", "hunter2"),
        ('{"password": "hun ter2"}', "hun ter2"),
        ("{'api_key': 'k-12345678'}", "k-12345678"),
        ("Authorization: Bearer abcdefghijkl", "abcdefghijkl"),
        ("redis://:s3cret@redis:6379/0", "s3cret"),
        ("postgresql://assess:pa55@db/assess", "pa55"),
        ("GET /i/AbCdEfGhIjKlMnOp HTTP/1.1", "AbCdEfGhIjKlMnOp"),
        ("csrf_token=abc123def456", "abc123def456"),
        ("SECRET_KEY=xyzxyzxyz", "xyzxyzxyz"),
    ],
)
def test_redact_text_hides_credentials(text: str, secret: str) -> None:
    """Each credential shape is replaced."""
    redacted = redact_text(text)
    assert secret not in redacted
    assert REDACTED in redacted


def test_redact_text_keeps_ordinary_words_and_caps_length() -> None:
    """Ordinary messages pass; huge ones are cut."""
    assert redact_text("submission 12: graded") == "submission 12: graded"
    assert len(redact_text("x" * 10_000)) < 4100


def record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    """A log record with ``extra`` attributes."""
    rec = logging.LogRecord("assess.test", logging.INFO, __file__, 1, msg, args or None, None)
    for key, value in extra.items():
        setattr(rec, key, value)
    return rec


def test_json_line_has_context_and_no_sensitive_extra() -> None:
    """One JSON object with submission id, redacted extras and plain fields kept."""
    rec = record("graded %s", 7, code="import os", password="x", status=200)
    with submission_context(7):
        ContextFilter().filter(rec)
    RedactingFilter().filter(rec)
    line = json.loads(JsonFormatter().format(rec))
    assert line["message"] == "graded 7"
    assert line["submission_id"] == 7
    assert line["code"] == REDACTED
    assert line["password"] == REDACTED
    assert line["status"] == 200
    assert line["level"] == "info"


def test_request_ids() -> None:
    """Plain ids are kept; anything else gets a fresh id."""
    assert accept_request_id("abcd-1234-efgh") == "abcd-1234-efgh"
    for bad in (None, "", "short", "has space in it", "x" * 200, 'quote"dquote'):
        assert accept_request_id(bad) != bad


def test_log_settings_defaults() -> None:
    """JSON in production, text elsewhere, overridable."""
    assert log_settings({}, "production") == ("json", "INFO")
    assert log_settings({}, "development") == ("text", "INFO")
    assert log_settings({"ASSESS_LOG_FORMAT": "JSON", "ASSESS_LOG_LEVEL": "debug"}, "x") == (
        "json", "DEBUG")  # fmt: skip


def test_tracebacks_lose_sql_parameters() -> None:
    """An exception quoting an INSERT's parameters is logged without them."""
    message = "(IntegrityError) [SQL: INSERT]\n[parameters: ('ada@example.com', 'print(1)')]"
    try:
        raise RuntimeError(message)
    except RuntimeError:
        rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    text = JsonFormatter().format(rec)
    assert "ada@example.com" not in text
    assert "[parameters: [redacted]]" in text
