"""Sanity check: the implementation under test can be imported."""

from solution import password_problems


def test_password_problems_is_importable() -> None:
    """The module exposes password_problems and it returns a list."""
    assert isinstance(password_problems("Tr0ubadour"), list)
