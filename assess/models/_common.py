"""Column helpers shared by the model modules."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always returned as an aware UTC datetime.

    SQLite has no time zones; PostgreSQL's ``timestamp`` has none either. Storing naive
    UTC in both and attaching UTC on the way out keeps comparisons honest everywhere.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Convert an aware datetime to naive UTC; refuse naive input."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Attach UTC to the stored naive value."""
        return None if value is None else value.replace(tzinfo=UTC)


class Role(enum.StrEnum):
    """What a staff member may do."""

    ADMIN = "admin"
    RECRUITER = "recruiter"
    INTERVIEWER = "interviewer"


class GradeCode(enum.StrEnum):
    """The three grades an assessment targets, in ascending order."""

    JUNIOR = "junior"
    MIDDLE = "middle"
    SENIOR = "senior"


class WeightClass(enum.StrEnum):
    """How a competency counts: required gates a grade, the others only add a bonus."""

    REQUIRED = "required"
    DESIRABLE = "desirable"
    ADVANTAGE = "advantage"


def enum_column(enum_cls: type[enum.StrEnum], name: str) -> sa.Enum:
    """A portable enum column stored as its values, with a named CHECK constraint."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )
