"""Pagination rewritten around ``divmod`` and explicit index bounds instead of slicing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")

MAX_PER_PAGE = 100


def _page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` items fill, the last one possibly partial."""
    full, rest = divmod(total, per_page)
    return full + (1 if rest else 0)


def paginate(items: Sequence[T], page: int, per_page: int = 20) -> dict[str, Any]:
    """Return page ``page`` (1-based) of ``items`` with ``per_page`` items per page."""
    if page < 1:
        raise ValueError(f"page must be 1 or more, got {page}")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"per_page must be in 1..{MAX_PER_PAGE}, got {per_page}")
    total = len(items)
    pages = _page_count(total, per_page)
    first = (page - 1) * per_page
    last = min(first + per_page, total)
    return {
        "items": [items[index] for index in range(first, last)],
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": pages,
        "has_prev": page > 1,
        "has_next": page < pages,
    }
