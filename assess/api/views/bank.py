"""The bank's competencies: the codes every score is keyed by."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from assess.api.blueprint import bp
from assess.api.operation import api_operation
from assess.api.pagination import CompetencyPage, Paged, paginate
from assess.api.representations import competency_json
from assess.extensions import db
from assess.models import Competency, Role

STAFF = frozenset({Role.RECRUITER, Role.ADMIN, Role.INTERVIEWER})


@bp.get("/competencies")
@api_operation(
    "List competencies",
    tag="bank",
    roles=STAFF,
    response=CompetencyPage,
    query=Paged,
    description="The job's competencies in the order of the qualification list.",
)
def list_competencies(query: Paged) -> Any:
    """A page of the bank's competencies."""
    select = sa.select(Competency).order_by(Competency.position, Competency.code)
    page = paginate(db.session, select, query)
    return page.to_json([competency_json(c) for c in page.rows])
