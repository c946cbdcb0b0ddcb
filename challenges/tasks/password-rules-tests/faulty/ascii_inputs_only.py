"""Weak suite: good boundaries and order, but only ASCII spaces and letters."""

import pytest

from solution import password_problems


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Abcdef1", ["too_short"]),
        ("Abcdef12", []),
        ("Ab1" + "x" * 61, []),
        ("Ab1" + "x" * 62, ["too_long"]),
        ("ABCDEFG1", ["no_lower"]),
        ("abcdefg1", ["no_upper"]),
        ("Abcdefgh", ["no_digit"]),
        ("Abc defg1", ["whitespace"]),
    ],
)
def test_rules(password: str, expected: list[str]) -> None:
    """Each rule and the length boundaries."""
    assert password_problems(password) == expected


def test_several_problems_in_order() -> None:
    """Every broken rule is reported in order."""
    assert password_problems("") == ["too_short", "no_lower", "no_upper", "no_digit"]
