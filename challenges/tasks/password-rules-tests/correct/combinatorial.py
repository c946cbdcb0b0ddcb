"""Tests for password_problems.

Style: combinatorial.  Passwords are assembled from "ingredients" (an ASCII
lower-case letter, an upper-case letter, a digit, a whitespace character and a
filler that satisfies no rule) for every combination of present/absent
ingredients and for the lengths around both boundaries; the expected codes are
spelled out from the specification's table.  A few focused tests cover the
Unicode traps and the examples of the statement.
"""

from __future__ import annotations

import itertools

import pytest

from solution import password_problems

ORDER = ["too_short", "too_long", "no_lower", "no_upper", "no_digit", "whitespace"]

LENGTHS = [1, 7, 8, 9, 63, 64, 65, 100]
FILLER = "!"  # breaks nothing by itself and satisfies no character rule


def _build(length: int, lower: bool, upper: bool, digit: bool, space: bool) -> str | None:
    pieces = ("a" if lower else "") + ("B" if upper else "") + ("7" if digit else "")
    pieces += " " if space else ""
    if len(pieces) > length:
        return None
    # Put the filler in the middle so that neither end is special.
    half = (length - len(pieces)) // 2
    return FILLER * half + pieces + FILLER * (length - len(pieces) - half)


def _expected(length: int, lower: bool, upper: bool, digit: bool, space: bool) -> list[str]:
    broken = {
        "too_short": length < 8,
        "too_long": length > 64,
        "no_lower": not lower,
        "no_upper": not upper,
        "no_digit": not digit,
        "whitespace": space,
    }
    return [code for code in ORDER if broken[code]]


def _cases() -> list[tuple[str, list[str]]]:
    cases = []
    for length, *flags in itertools.product(LENGTHS, *([(False, True)] * 4)):
        password = _build(length, *flags)
        if password is not None:
            cases.append((password, _expected(length, *flags)))
    return cases


CASES = _cases()


@pytest.mark.parametrize(("password", "expected"), CASES, ids=[repr(p)[:30] for p, _ in CASES])
def test_every_combination_of_rules(password: str, expected: list[str]) -> None:
    """Every broken rule is reported, in the fixed order, and nothing else."""
    assert len(password) in LENGTHS
    assert password_problems(password) == expected


# --- the examples of the statement ---------------------------------------------------


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Tr0ubadour", []),
        ("abc", ["too_short", "no_upper", "no_digit"]),
        ("", ["too_short", "no_lower", "no_upper", "no_digit"]),
    ],
)
def test_statement_examples(password: str, expected: list[str]) -> None:
    assert password_problems(password) == expected


def test_many_problems_keep_the_table_order() -> None:
    """All-whitespace passwords break five rules at once, reported in table order."""
    assert password_problems("  \t ") == [
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


# --- exact boundaries ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "expected"),
    [(0, ["too_short"]), (7, ["too_short"]), (8, []), (64, []), (65, ["too_long"])],
)
def test_length_boundaries(length: int, expected: list[str]) -> None:
    password = ("aB3" + "x" * length)[:length]
    if length < 3:  # too short to hold the three required characters
        expected = ["too_short", "no_lower", "no_upper", "no_digit"]
    assert len(password) == length
    assert password_problems(password) == expected


# --- Unicode: allowed characters that satisfy nothing --------------------------------


@pytest.mark.parametrize("char", ["é", "ß", "ω", "ａ", "ª"])
def test_non_ascii_lower_case_letter_is_not_a_lower(char: str) -> None:
    assert char.islower()
    assert password_problems("ABCD1234" + char) == ["no_lower"]


@pytest.mark.parametrize("char", ["É", "Ω", "Ж", "Ａ", "Ⅻ"])
def test_non_ascii_upper_case_letter_is_not_an_upper(char: str) -> None:
    assert password_problems("abcd1234" + char) == ["no_upper"]


@pytest.mark.parametrize("char", ["²", "٣", "५", "３", "①", "½"])
def test_non_ascii_digit_is_not_a_digit(char: str) -> None:
    assert password_problems("abcdEFGH" + char) == ["no_digit"]


def test_non_ascii_characters_are_allowed() -> None:
    """Non-ASCII characters alone are no problem once the ASCII rules are met."""
    assert password_problems("Pässwörd1²Ω٣") == []
    assert password_problems("aB1éééééé") == []


# --- whitespace: anything str.isspace() accepts ----------------------------------------


@pytest.mark.parametrize(
    "char",
    [
        " ",
        "\t",
        "\n",
        "\r",
        "\x0b",
        "\x0c",
        "\x1c",
        "\x1f",
        "\x85",
        "\xa0",
        "\u2003",
        "\u2028",
        "\u3000",
    ],
)
def test_every_whitespace_character_is_reported(char: str) -> None:
    assert char.isspace()
    assert password_problems("Abcdef12" + char) == ["whitespace"]
    assert password_problems(char + "Abcdef12") == ["whitespace"]
    assert password_problems("Abcd" + char + "ef12") == ["whitespace"]


@pytest.mark.parametrize("char", ["\u200b", "\x00", "_", "-", "\ufeff"])
def test_non_whitespace_is_not_reported(char: str) -> None:
    assert not char.isspace()
    assert password_problems("Abcdef12" + char) == []


# --- no hidden state -----------------------------------------------------------------


def test_calls_are_independent_and_results_fresh() -> None:
    first = password_problems("abc")
    assert first == ["too_short", "no_upper", "no_digit"]
    first.append("tampered")
    first.clear()
    assert password_problems("Tr0ubadour") == []
    assert password_problems("abc") == ["too_short", "no_upper", "no_digit"]
    assert password_problems("Tr0ubadour") == []
    assert password_problems("abc") is not password_problems("abc")


def test_returns_a_list() -> None:
    assert isinstance(password_problems("Tr0ubadour"), list)
    assert isinstance(password_problems("abc"), list)
