"""Page-number pagination with a bounded page size, and its schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from assess.api.schema import Array, Integer, Object
from assess.extensions import DbSession

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_PAGE = 100_000

PAGE = Integer(minimum=1, maximum=MAX_PAGE, description="Page number, from 1.")
PER_PAGE = Integer(
    minimum=1, maximum=MAX_PER_PAGE, description=f"Items per page (default {DEFAULT_PER_PAGE})."
)


@dataclass(frozen=True)
class Page:
    """One page of a query's rows with the figures a client needs to ask for the next."""

    rows: list[Any]
    page: int
    per_page: int
    total: int

    def to_json(self, items: list[dict[str, Any]]) -> dict[str, Any]:
        """The envelope around already serialised ``items``."""
        more = self.page * self.per_page < self.total
        return {
            "items": items,
            "page": self.page,
            "per_page": self.per_page,
            "total": self.total,
            "next_page": self.page + 1 if more else None,
        }


def paginate(session: DbSession, query: sa.Select[Any], args: dict[str, Any]) -> Page:
    """Run ``query`` for the page named in ``args`` (``page``, ``per_page``)."""
    page = int(args.get("page") or 1)
    per_page = int(args.get("per_page") or DEFAULT_PER_PAGE)
    total = session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    rows = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(rows, page, per_page, int(total or 0))


def page_of(item: Object) -> Object:
    """The schema of a page of ``item`` objects."""
    return Object(
        name=f"{item.name}Page",
        properties={
            "items": Array(items=item),
            "page": Integer(minimum=1),
            "per_page": Integer(minimum=1, maximum=MAX_PER_PAGE),
            "total": Integer(minimum=0),
            "next_page": Integer(nullable=True, description="null on the last page"),
        },
        required=("items", "page", "per_page", "total", "next_page"),
    )
