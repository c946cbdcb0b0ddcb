"""Tests for password_problems, written as tables of inputs and expected codes."""

import pytest

from solution import password_problems


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Tr0ubadour", []),
        ("abc", ["too_short", "no_upper", "no_digit"]),
        ("", ["too_short", "no_lower", "no_upper", "no_digit"]),
        ("aB3", ["too_short"]),
        ("abcdefgh", ["no_upper", "no_digit"]),
        ("ABCDEFGH", ["no_lower", "no_digit"]),
        ("12345678", ["no_lower", "no_upper"]),
        ("abcDEF12", []),
        ("abcDEFGH", ["no_digit"]),
        ("abcdef12", ["no_upper"]),
        ("ABCDEF12", ["no_lower"]),
        ("abc DEF12", ["whitespace"]),
        ("        ", ["no_lower", "no_upper", "no_digit", "whitespace"]),
        (" ", ["too_short", "no_lower", "no_upper", "no_digit", "whitespace"]),
    ],
)
def test_examples(password: str, expected: list[str]) -> None:
    """Each password yields exactly the codes of the rules it breaks, in the fixed order."""
    assert password_problems(password) == expected


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (3, ["too_short"]),
        (7, ["too_short"]),
        (8, []),
        (9, []),
        (63, []),
        (64, []),
        (65, ["too_long"]),
        (200, ["too_long"]),
    ],
)
def test_length_boundaries(length: int, expected: list[str]) -> None:
    """8 and 64 characters are fine; 7 is too short and 65 too long."""
    password = ("aB3" * 100)[:length]
    assert password_problems(password) == expected


def test_every_rule_broken_at_once_keeps_the_order() -> None:
    """A long password of spaces and symbols breaks rules 2-6, reported in table order."""
    assert password_problems(" !" * 40) == [
        "too_long",
        "no_lower",
        "no_upper",
        "no_digit",
        "whitespace",
    ]


def test_short_password_still_reports_the_other_rules() -> None:
    """Being too short does not stop the other checks."""
    assert password_problems("a b") == ["too_short", "no_upper", "no_digit", "whitespace"]
    assert password_problems("A1") == ["too_short", "no_lower"]


@pytest.mark.parametrize(
    "space", [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\u00a0", "\u2003", "\u3000"]
)
def test_any_whitespace_character(space: str) -> None:
    """Every character for which str.isspace() is true breaks the whitespace rule."""
    assert password_problems(f"abcD{space}1234") == ["whitespace"]


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("ÉÀÖÜ1234abcd", ["no_upper"]),
        ("ÉÀÖÜ1234ABCD", ["no_lower"]),
        ("éàöüßç12ABCD", ["no_lower"]),
        ("abcdEFGH²³", ["no_digit"]),
        ("abcdEFGH٣٤", ["no_digit"]),
        ("abcdEFGH１２", ["no_digit"]),
        ("ÀéÖ²٣ßÇ∑", ["no_lower", "no_upper", "no_digit"]),
        ("Ünïcödé9X", []),
    ],
)
def test_non_ascii_characters_do_not_count(password: str, expected: list[str]) -> None:
    """Non-ASCII letters and digits are allowed but satisfy none of rules 3-5."""
    assert password_problems(password) == expected


def test_results_are_independent_between_calls() -> None:
    """Calls do not share or accumulate a result list."""
    first = password_problems("abc")
    first.append("changed")
    assert password_problems("abc") == ["too_short", "no_upper", "no_digit"]
    assert password_problems("Tr0ubadour") == []
    assert password_problems("Tr0ubadour") == []
