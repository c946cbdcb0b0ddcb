"""Weak suite: checks every rule, but never at the length boundaries."""

import pytest

from solution import password_problems


def test_valid_password() -> None:
    """A good password has no problems."""
    assert password_problems("Tr0ubadour") == []


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Ab1", ["too_short"]),
        ("Ab1" + "x" * 100, ["too_long"]),
        ("ABCDEFG1", ["no_lower"]),
        ("abcdefg1", ["no_upper"]),
        ("Abcdefgh", ["no_digit"]),
        ("Abc defg1", ["whitespace"]),
    ],
)
def test_each_rule(password: str, expected: list[str]) -> None:
    """Each rule is reported on its own."""
    assert password_problems(password) == expected


def test_several_problems_in_order() -> None:
    """Every broken rule is reported in order."""
    assert password_problems("abc") == ["too_short", "no_upper", "no_digit"]
