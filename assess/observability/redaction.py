"""Keep secrets, passwords, tokens and candidates' code out of log lines.

Call sites should never log such values; this filter is the second line of defence. It
rewrites ``key=value`` and ``"key": "value"`` pairs whose key names a secret (``?token=``
in a query string too), bearer credentials, API tokens, links that carry a token in their
path, and drops sensitive ``extra`` fields. gunicorn's own access and error lines pass it
too (``assess.observability.gunicorn_logging``).
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
MAX_MESSAGE_CHARS = 4000
# Field names whose values never reach a log line.
SENSITIVE_KEYS = frozenset({
    "password", "passwd", "secret", "secret_key", "token", "csrf_token", "api_key",
    "authorization", "cookie", "set_cookie", "session", "code", "source", "draft",
    "candidate_code", "database_url", "redis_url", "metrics_token",
})  # fmt: skip
_KEY_WORDS = (
    r"[A-Za-z_]*(?:password|passwd|secret|token|api_?key|authorization|cookie|session)[A-Za-z_]*"
)
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Bearer / Basic credentials
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"), rf"\1 {REDACTED}"),
    # key=value, key: value (unquoted value up to whitespace, comma or quote)
    (re.compile(rf"(?i)\b({_KEY_WORDS})(\s*[=:]\s*)(?!\[redacted\])[^\s,;'\"&]+"),
     rf"\1\2{REDACTED}"),
    # "key": "value" and 'key': 'value'
    (re.compile(rf"(?i)([\"']{_KEY_WORDS}[\"']\s*:\s*)([\"'])(?:\\.|(?!\2).)*\2"),
     rf"\1\2{REDACTED}\2"),
    # URLs with a user:password part
    (re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]+@"), rf"\1{REDACTED}@"),
    # SQLAlchemy errors quote the statement's parameters (emails, code, hashes)
    (re.compile(r"\[parameters: [^\n]*"), f"[parameters: {REDACTED}]"),
    # links that carry a token in the path: invitations (/i/<token>), live-interview joins
    # (/live/j/<token>); the whole path segment goes, whatever its length or alphabet
    (re.compile(r"(/(?:i|j)/)(?!\[redacted\])[^/\s?#\"'<>]+"), rf"\1{REDACTED}"),
    # personal API tokens, wherever they appear (a header echoed in an error, say)
    (re.compile(r"\bast_[A-Za-z0-9_-]{4,}"), f"ast_{REDACTED}"),
)  # fmt: skip
# Route variables whose value is a credential; every such route must have a pattern above
# (a test walks the URL map and checks each one).
TOKEN_ROUTE_VARIABLES = frozenset({"token"})


def redact_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` with credentials replaced and its length capped at ``limit``."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    if len(text) > limit:
        text = text[:limit] + f"... [{len(text) - limit} chars cut]"
    return text


def is_sensitive(key: str) -> bool:
    """Whether a field named ``key`` may hold a secret or a candidate's code."""
    lowered = key.lower()
    return lowered in SENSITIVE_KEYS or any(
        word in lowered for word in ("password", "secret", "token")
    )


class RedactingFilter(logging.Filter):
    """Rewrites each record's message and sensitive ``extra`` fields before formatting."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact in place; never drops a record."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed call site must not lose the line
            message = str(record.msg)
        record.msg = redact_text(message)
        record.args = None
        for key in list(vars(record)):
            if key in RECORD_FIELDS:
                continue
            if is_sensitive(key):
                setattr(record, key, REDACTED)
        return True


# Attributes every LogRecord has; anything else came from ``extra``.
RECORD_FIELDS = frozenset(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {
    "message", "asctime", "request_id", "submission_id",
}  # fmt: skip
