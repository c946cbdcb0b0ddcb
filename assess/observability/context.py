"""What a log line is about: the request id of a web request, the submission being graded.

Both live in context variables, so threads and requests never see each other's values.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept only when it is short and plain (no spaces, quotes or newlines).
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

request_id_var: ContextVar[str | None] = ContextVar("assess_request_id", default=None)
submission_id_var: ContextVar[int | None] = ContextVar("assess_submission_id", default=None)


def new_request_id() -> str:
    """A fresh random request id."""
    return uuid.uuid4().hex


def accept_request_id(incoming: str | None) -> str:
    """The caller's ``X-Request-ID`` when it is well-formed, else a fresh one."""
    if incoming and _WELL_FORMED.match(incoming):
        return incoming
    return new_request_id()


def current_request_id() -> str | None:
    """The request id of the request being served, if any."""
    return request_id_var.get()


def bind_submission(submission_id: int | None) -> None:
    """Mark the current thread's work as grading ``submission_id`` (None to clear)."""
    submission_id_var.set(submission_id)


@contextmanager
def submission_context(submission_id: int) -> Iterator[None]:
    """Log lines inside the block carry ``submission_id``."""
    token = submission_id_var.set(submission_id)
    try:
        yield
    finally:
        submission_id_var.reset(token)
