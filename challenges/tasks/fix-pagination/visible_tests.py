"""Sample tests for paginate (informative only: the hidden checks go further)."""

import pytest

from solution import paginate


def test_first_page_starts_with_the_first_item() -> None:
    """Page 1 holds the first per_page items."""
    assert paginate(list(range(1, 46)), page=1, per_page=20)["items"] == list(range(1, 21))


def test_last_partial_page() -> None:
    """The last page holds the remainder and has no next page."""
    result = paginate(list(range(1, 46)), page=3, per_page=20)
    assert result == {
        "items": [41, 42, 43, 44, 45],
        "page": 3,
        "per_page": 20,
        "total": 45,
        "pages": 3,
        "has_prev": True,
        "has_next": False,
    }


def test_page_zero_is_rejected() -> None:
    """Pages are 1-based."""
    with pytest.raises(ValueError):
        paginate([1, 2, 3], page=0)


def test_per_page_upper_limit_is_allowed() -> None:
    """per_page may be exactly MAX_PER_PAGE."""
    assert paginate(list(range(150)), page=2, per_page=100)["items"] == list(range(100, 150))
