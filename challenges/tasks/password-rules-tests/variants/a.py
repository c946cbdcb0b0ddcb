"""Sign-up password checks expressed as ASCII character classes."""

from __future__ import annotations

import re

_LOWER = re.compile(r"[a-z]")
_UPPER = re.compile(r"[A-Z]")
_DIGIT = re.compile(r"[0-9]")


def _has_space(text: str) -> bool:
    """True if any character of ``text`` is whitespace in the ``str.isspace`` sense."""
    for ch in text:
        if ch.isspace():
            return True
    return False


def password_problems(password: str) -> list[str]:
    """List every broken rule code, ordered as the specification orders them."""
    size = len(password)
    found = {
        "too_short": size < 8,
        "too_long": size > 64,
        "no_lower": _LOWER.search(password) is None,
        "no_upper": _UPPER.search(password) is None,
        "no_digit": _DIGIT.search(password) is None,
        "whitespace": _has_space(password),
    }
    return [code for code, broken in found.items() if broken]
