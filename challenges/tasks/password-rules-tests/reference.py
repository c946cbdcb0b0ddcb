"""Tests for password_problems."""

import pytest

from solution import password_problems


def test_valid_password_has_no_problems() -> None:
    """A password that follows every rule gives an empty list."""
    assert password_problems("Tr0ubadour") == []


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Abcdef1", ["too_short"]),
        ("Abcdef12", []),
        ("Ab1" + "x" * 61, []),
        ("Ab1" + "x" * 62, ["too_long"]),
    ],
    ids=["7-chars", "8-chars", "64-chars", "65-chars"],
)
def test_length_boundaries(password: str, expected: list[str]) -> None:
    """8 and 64 characters are allowed; 7 and 65 are not."""
    assert password_problems(password) == expected


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("ABCDEFG1", ["no_lower"]),
        ("abcdefg1", ["no_upper"]),
        ("Abcdefgh", ["no_digit"]),
        ("Abc defg1", ["whitespace"]),
    ],
)
def test_each_rule_alone(password: str, expected: list[str]) -> None:
    """A password that breaks exactly one rule reports exactly that rule."""
    assert password_problems(password) == expected


@pytest.mark.parametrize("space", ["\t", "\n", "\u00a0", "\u3000"])
def test_any_whitespace_counts(space: str) -> None:
    """Tabs, newlines and non-ASCII spaces are whitespace too."""
    assert password_problems(f"Abcd{space}efg1") == ["whitespace"]


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("ÀBCDéFG1", ["no_lower"]),
        ("àbcdÉfg1", ["no_upper"]),
        ("Abcdefg²", ["no_digit"]),
        ("Abcdefg٣", ["no_digit"]),
        ("ÉÀÇÜÑÖÅ²", ["no_lower", "no_upper", "no_digit"]),
    ],
)
def test_non_ascii_characters_do_not_satisfy_rules(password: str, expected: list[str]) -> None:
    """Only ASCII letters and digits count for the character rules."""
    assert password_problems(password) == expected


def test_all_problems_in_documented_order() -> None:
    """Every broken rule is reported, in the fixed order."""
    assert password_problems(" ") == [
        "too_short",
        "no_lower",
        "no_upper",
        "no_digit",
        "whitespace",
    ]
    assert password_problems(" " * 65) == [
        "too_long",
        "no_lower",
        "no_upper",
        "no_digit",
        "whitespace",
    ]


def test_short_password_still_checks_other_rules() -> None:
    """A short password also reports the character rules it breaks."""
    assert password_problems("abc") == ["too_short", "no_upper", "no_digit"]
    assert password_problems("") == ["too_short", "no_lower", "no_upper", "no_digit"]


def test_returns_a_new_list_each_call() -> None:
    """Results do not leak between calls."""
    first = password_problems("abc")
    first.append("extra")
    assert password_problems("abc") == ["too_short", "no_upper", "no_digit"]
    assert password_problems("Tr0ubadour") == []
