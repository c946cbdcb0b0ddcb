"""Weak suite: only the happy path and one obviously bad password."""

from solution import password_problems


def test_valid_password() -> None:
    """A good password has no problems."""
    assert password_problems("Tr0ubadour") == []


def test_bad_password_has_problems() -> None:
    """A bad password has some problems."""
    assert password_problems("abc") != []
