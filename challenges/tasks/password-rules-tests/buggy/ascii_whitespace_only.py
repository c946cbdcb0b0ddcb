"""Buggy password rules: only ASCII whitespace counts (string.whitespace)."""

from __future__ import annotations

MIN_LENGTH = 8
MAX_LENGTH = 64
ASCII_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
ASCII_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
ASCII_DIGITS = frozenset("0123456789")


def password_problems(password: str) -> list[str]:
    """Return the codes of every rule that ``password`` breaks, in the documented order."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append("too_short")
    if len(password) > MAX_LENGTH:
        problems.append("too_long")
    if not ASCII_LOWER.intersection(password):
        problems.append("no_lower")
    if not ASCII_UPPER.intersection(password):
        problems.append("no_upper")
    if not ASCII_DIGITS.intersection(password):
        problems.append("no_digit")
    if any(char in " \t\n\r\x0b\x0c" for char in password):
        problems.append("whitespace")
    return problems
