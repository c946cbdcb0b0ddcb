"""Tests for password_problems: an independent model of the rules checked over many inputs."""

import itertools
import random
import string

from solution import password_problems

PIECES = {
    "lower": "q",
    "upper": "Q",
    "digit": "7",
    "symbol": "#",
    "space": " ",
    "tab": "\t",
    "nbsp": "\u00a0",
    "accented_upper": "É",
    "accented_lower": "é",
    "superscript": "²",
    "arabic_digit": "٣",
}


def expected_codes(password: str) -> list[str]:
    """The codes the specification demands, computed independently of the code under test."""
    codes = []
    if len(password) < 8:
        codes.append("too_short")
    if len(password) > 64:
        codes.append("too_long")
    if not any(c in string.ascii_lowercase for c in password):
        codes.append("no_lower")
    if not any(c in string.ascii_uppercase for c in password):
        codes.append("no_upper")
    if not any(c in string.digits for c in password):
        codes.append("no_digit")
    if any(c.isspace() for c in password):
        codes.append("whitespace")
    return codes


def check(password: str) -> None:
    """Assert that the function agrees with the model on ``password``."""
    assert password_problems(password) == expected_codes(password), repr(password)


def test_documented_examples() -> None:
    """The examples of the specification."""
    assert password_problems("Tr0ubadour") == []
    assert password_problems("abc") == ["too_short", "no_upper", "no_digit"]
    assert password_problems("") == ["too_short", "no_lower", "no_upper", "no_digit"]


def test_the_model_agrees_with_the_specification_table() -> None:
    """Guard the oracle itself with a few hand-checked cases."""
    assert expected_codes("a B3" * 20) == ["too_long", "whitespace"]
    assert expected_codes("É²٣é" * 2) == ["no_lower", "no_upper", "no_digit"]


def test_every_combination_of_character_kinds_at_every_length() -> None:
    """Subsets of character kinds, padded to lengths around both boundaries."""
    for size in range(0, 4):
        for kinds in itertools.combinations(sorted(PIECES), size):
            core = "".join(PIECES[kind] for kind in kinds)
            for length in (0, 1, 7, 8, 9, 63, 64, 65, 100):
                filler = core or "#"
                password = (filler * 100)[: max(length, len(core))]
                check(password)
                check(core + "#" * max(0, length - len(core)))


def test_random_passwords_over_a_mixed_alphabet() -> None:
    """Seeded random passwords mixing ASCII, non-ASCII and whitespace characters."""
    rng = random.Random(20240501)
    alphabet = string.ascii_letters + string.digits + "!?# \t\n\u2003\u3000" + "ÉéÀßÇ²³٣１ｚＺ"
    for _ in range(3000):
        length = rng.choice([0, 1, 5, 7, 8, 9, 12, 40, 63, 64, 65, 80])
        check("".join(rng.choice(alphabet) for _ in range(length)))


def test_calls_do_not_share_state() -> None:
    """A returned list is the caller's own; later calls are unaffected."""
    result = password_problems("short")
    result.clear()
    result.append("tampered")
    check("short")
    check("LongEnough1")
    check("LongEnough1")
