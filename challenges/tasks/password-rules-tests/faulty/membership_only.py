"""Weak suite: checks that a code is in the result, never the whole list."""

from solution import password_problems


def test_short() -> None:
    """Short passwords are reported."""
    assert "too_short" in password_problems("Abcdef1")


def test_long() -> None:
    """Long passwords are reported."""
    assert "too_long" in password_problems("Ab1" + "x" * 62)


def test_no_upper() -> None:
    """A missing upper-case letter is reported."""
    assert "no_upper" in password_problems("abcdefg1")


def test_whitespace() -> None:
    """A tab is whitespace."""
    assert "whitespace" in password_problems("Abc\tdefg1")


def test_unicode_digit() -> None:
    """A superscript two is not a digit."""
    assert "no_digit" in password_problems("Abcdefg²")
