"""Buggy password rules: any lower-case letter satisfies the lower-case rule."""

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
    if not any(char.islower() for char in password):
        problems.append("no_lower")
    if not ASCII_UPPER.intersection(password):
        problems.append("no_upper")
    if not ASCII_DIGITS.intersection(password):
        problems.append("no_digit")
    if any(char.isspace() for char in password):
        problems.append("whitespace")
    return problems
