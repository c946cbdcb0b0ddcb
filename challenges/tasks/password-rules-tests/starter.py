"""Tests for password_problems."""

from solution import password_problems


def test_valid_password_has_no_problems() -> None:
    """A password that follows every rule gives an empty list."""
    assert password_problems("Tr0ubadour") == []
