"""Password policy for new accounts, evaluated in one scan of the characters."""

from __future__ import annotations

from collections.abc import Callable

SHORTEST, LONGEST = 8, 64

_LOWER_SEEN, _UPPER_SEEN, _DIGIT_SEEN, _SPACE_SEEN = 1, 2, 4, 8


def _classify(ch: str) -> int:
    """Bit flags describing the one character ``ch``."""
    flags = 0
    if "a" <= ch <= "z":
        flags |= _LOWER_SEEN
    elif "A" <= ch <= "Z":
        flags |= _UPPER_SEEN
    elif "0" <= ch <= "9":
        flags |= _DIGIT_SEEN
    elif ch.isspace():
        flags |= _SPACE_SEEN
    return flags


RULES: tuple[tuple[str, Callable[[int, int], bool]], ...] = (
    ("too_short", lambda length, seen: length < SHORTEST),
    ("too_long", lambda length, seen: length > LONGEST),
    ("no_lower", lambda length, seen: not seen & _LOWER_SEEN),
    ("no_upper", lambda length, seen: not seen & _UPPER_SEEN),
    ("no_digit", lambda length, seen: not seen & _DIGIT_SEEN),
    ("whitespace", lambda length, seen: bool(seen & _SPACE_SEEN)),
)


def password_problems(password: str) -> list[str]:
    """Codes of the rules ``password`` breaks, ``[]`` when it is acceptable."""
    seen = 0
    for ch in password:
        seen |= _classify(ch)
    length = len(password)
    out = []
    for code, broken in RULES:
        if broken(length, seen):
            out.append(code)
    return out
