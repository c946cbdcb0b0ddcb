"""Encoding column values for the backup file, and back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa

from assess.models import Role, Submission, User
from assess.ops.backup import decode, encode, tables
from assess.ops.retention import scrub_result


def test_values_survive_the_round_trip() -> None:
    """Datetimes, dates, bytes, decimals and enums come back as they went."""
    moment = datetime(2026, 1, 2, 3, 4, 5, 600, tzinfo=UTC)
    column = sa.Column("x", sa.String)
    assert decode(encode(moment), column) == moment
    assert decode(encode(date(2026, 1, 2)), column) == date(2026, 1, 2)
    assert decode(encode(b"\x00\xff"), column) == b"\x00\xff"
    assert decode(encode(Decimal("1.10")), column) == Decimal("1.10")
    role = User.__table__.c.role
    assert decode(encode(Role.ADMIN), role) is Role.ADMIN


def test_json_values_stay_json() -> None:
    """A JSON column's dict is not mistaken for a tagged value; SQL NULL stays NULL."""
    result = Submission.__table__.c.code  # text column
    assert decode({"$dt": "2026-01-01T00:00:00+00:00"}, result) == datetime(2026, 1, 1, tzinfo=UTC)
    scorecard = sa.Column("scorecard", sa.JSON, nullable=True)
    assert decode({"$dt": "kept"}, scorecard) == {"$dt": "kept"}
    assert isinstance(decode(None, scorecard), sa.sql.elements.Null)


def test_tables_come_parents_first() -> None:
    """Organisations before users, attempts before submissions."""
    names = [t.name for t in tables()]
    assert names.index("organization") < names.index("user_account")
    assert names.index("attempt") < names.index("submission") < names.index("grading_run")


def test_scrub_result_keeps_only_statistics() -> None:
    """Output and messages go; verdict, score and per-test pass/fail stay."""
    scrubbed = scrub_result({
        "task": "t", "verdict": "failed", "score": 0.5, "stdout": "secret", "reason": "x",
        "tests": [{"id": "p1", "passed": False, "message": "got 'secret'", "stdout": "s"}],
    })  # fmt: skip
    assert scrubbed == {"task": "t", "verdict": "failed", "score": 0.5, "redacted": True,
                        "tests": [{"id": "p1", "passed": False}]}  # fmt: skip
