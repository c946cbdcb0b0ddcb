"""Page-number pagination with a bounded page size: its query parameters and its pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import Field

from assess.api.fields import AS_QUERY_INT, Query, Shape
from assess.api.representations import Attempt, Competency, Invitation, Position
from assess.extensions import DbSession

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_PAGE = 100_000


class Paged(Query):
    """The query string of a list: which page, how long."""

    page: Annotated[int, Field(ge=1, le=MAX_PAGE), AS_QUERY_INT] = Field(
        1, description="Page number, from 1."
    )
    per_page: Annotated[int, Field(ge=1, le=MAX_PER_PAGE), AS_QUERY_INT] = Field(
        DEFAULT_PER_PAGE, description=f"Items per page (default {DEFAULT_PER_PAGE})."
    )


class PageOf(Shape):
    """The figures around a page's items that a client needs to ask for the next."""

    page: int = Field(ge=1)
    per_page: int = Field(ge=1, le=MAX_PER_PAGE)
    total: int = Field(ge=0)
    next_page: int | None = Field(description="null on the last page")


class PositionPage(PageOf):
    """A page of positions."""

    items: list[Position]


class InvitationPage(PageOf):
    """A page of invitations."""

    items: list[Invitation]


class AttemptPage(PageOf):
    """A page of attempts."""

    items: list[Attempt]


class CompetencyPage(PageOf):
    """A page of competencies."""

    items: list[Competency]


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


def paginate(session: DbSession, query: sa.Select[Any], paged: Paged) -> Page:
    """Run ``query`` for the page named in ``paged`` (``page``, ``per_page``)."""
    total = session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    offset = (paged.page - 1) * paged.per_page
    rows = list(session.scalars(query.limit(paged.per_page).offset(offset)))
    return Page(rows, paged.page, paged.per_page, int(total or 0))
