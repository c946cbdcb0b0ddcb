"""The text rules every input path shares: web forms, the JSON API and the CLI.

One-line text (a title, a name) holds no control characters at all, line breaks included: it
goes into email subjects, CSV cells and HTTP headers, where a line break is an injection.
Multi-line text (a note, a reason) may hold line breaks and tabs but no other control
character; NUL in particular cannot be stored by PostgreSQL. Neither may be blank.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

# As JSON Schema patterns (ECMA 262) for the API document and request checks.
SINGLE_LINE_CHAR = r"[^\x00-\x1f\x7f]"
SINGLE_LINE_PATTERN = rf"^{SINGLE_LINE_CHAR}*[^\s\x00-\x1f\x7f]{SINGLE_LINE_CHAR}*$"
MULTI_LINE_CHAR = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
MULTI_LINE_PATTERN = rf"^{MULTI_LINE_CHAR}*[^\s\x00-\x1f\x7f]{MULTI_LINE_CHAR}*$"

_SINGLE_LINE_BAD = re.compile(r"[\x00-\x1f\x7f]")
_MULTI_LINE_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def single_line_problem(value: str) -> str | None:
    """Why ``value`` is not acceptable one-line text, or None."""
    if _SINGLE_LINE_BAD.search(value):
        return "must be one line without control characters"
    if not value.strip():
        return "must not be blank"
    return None


def multi_line_problem(value: str) -> str | None:
    """Why ``value`` is not acceptable multi-line text, or None."""
    if _MULTI_LINE_BAD.search(value):
        return "must not contain control characters other than line breaks and tabs"
    if not value.strip():
        return "must not be blank"
    return None


def checked_multi_line(value: str, name: str, limit: int) -> str:
    """``value`` stripped, or :class:`ValidationFailed` naming ``name``: blank, a control
    character other than line breaks and tabs, or more than ``limit`` characters."""
    from assess.errors import ValidationFailed

    text = value.strip()
    problem = multi_line_problem(text) if text else "must not be blank"
    if problem:
        raise ValidationFailed(f"the {name} {problem}", {name: problem})
    if len(text) > limit:
        message = f"at most {limit} characters"
        raise ValidationFailed(f"the {name} must be {message}", {name: message})
    return text


def as_one_line(text: str) -> str:
    """``text`` made one line: every control character (line breaks included) becomes a
    space, runs of white space fold to one (for headers built from text stored before the
    rules)."""
    return " ".join(_SINGLE_LINE_BAD.sub(" ", text).split())


class SingleLine:
    """WTForms validator: one line of printable text (empty is left to DataRequired or
    Optional)."""

    def __call__(self, form: Any, field: Any) -> None:
        """Raise ValidationError for a line break, NUL or another control character."""
        if field.data and _SINGLE_LINE_BAD.search(field.data):
            raise ValidationError(_l("Use one line of text without control characters."))


class MultiLine:
    """WTForms validator: text with line breaks and tabs but no other control character."""

    def __call__(self, form: Any, field: Any) -> None:
        """Raise ValidationError for NUL or another control character."""
        if field.data and _MULTI_LINE_BAD.search(field.data):
            raise ValidationError(_l("Remove the control characters (such as NUL) from the text."))
