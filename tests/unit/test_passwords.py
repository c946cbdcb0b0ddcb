"""Password rules: length, common passwords, the account's own words and the strength
estimate, each refused with a sentence that says why."""

from __future__ import annotations

import time

import pytest

from assess.services.passwords import password_problem, personal_words

PERSONAL = ("ada.lovelace@analytical.example", "Ada Lovelace")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short pass", "A password needs at least 12 characters."),
        ("x" * 1025, "A password may have at most 1024 characters."),
        ("password1234", "This is one of the most common passwords."),
        ("Password123!", "This is one of the most common passwords."),
        ("qwertyuiop123", "This is one of the most common passwords."),
        ("iloveyou2024", "This is one of the most common passwords."),
        ("aaaaaaaaaaaaaa", "Repeated characters or words"),
        ("abcdefghijklmn", "Sequences (like “abcd” or “6543”)"),
        ("asdfghjkl;'zx", "Rows of neighbouring keys"),
        ("lovelace1815!", "It is built on your email address or name."),
        ("analytical2024", "It is built on your email address or name."),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    """Each kind of weak password gets a message naming its weakness and what to do."""
    problem = password_problem(password, PERSONAL)
    assert problem is not None and reason in problem
    if len(password) >= 12 and len(password) <= 1024:
        assert "passphrase" in problem


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "quartz lantern orbit pickle",
        "J7#kq9Lm2!xZw",
        "é" * 3 + "ünïcødé pässwörd",
    ],
)
def test_strong_passwords_pass(password: str) -> None:
    """Passphrases and random strings are accepted."""
    assert password_problem(password, PERSONAL) is None


def test_personal_words_split_the_email_and_name() -> None:
    """The address, its local part, its pieces, the domain's first label and name parts."""
    words = personal_words(PERSONAL)
    assert {"ada.lovelace", "lovelace", "analytical", "ada lovelace"} <= set(words)


def test_a_very_long_password_is_checked_quickly() -> None:
    """Only the first characters are estimated, so 1,024 characters take milliseconds."""
    started = time.perf_counter()
    assert password_problem("quartz lantern orbit pickle " + "x" * 996) is None
    assert time.perf_counter() - started < 0.5
