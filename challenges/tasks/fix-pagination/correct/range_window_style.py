"""Pagination for the list endpoints of the API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")

MAX_PER_PAGE = 100


def paginate(items: Sequence[T], page: int, per_page: int = 20) -> dict[str, Any]:
    """Return page ``page`` (1-based) of ``items`` with ``per_page`` items per page."""
    if page < 1:
        raise ValueError("page must be at least 1")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")
    total = len(items)
    pages = -(-total // per_page)  # ceiling division without floats
    # Slicing a range clamps to its bounds, so a page past the end is simply empty.
    window = range(total)[(page - 1) * per_page : page * per_page]
    return {
        "items": [items[index] for index in window],
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": pages,
        "has_prev": page > 1,
        "has_next": page < pages,
    }
