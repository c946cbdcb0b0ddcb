"""A position's scored candidates as rows of numbers: filtered, sorted, compared, exported.

Every function here reads a fixed number of queries, whatever the number of candidates:
the scorecards are stored on the attempts as JSON, so one query brings a whole position.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.models import (
    Attempt,
    Competency,
    Grade,
    GradeCode,
    InterviewScorecard,
    Invitation,
    Position,
)

MAX_COMPARED = 6
NO_GRADE = "none"
SORT_OVERALL = "overall"
SORT_GRADE = "grade"
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CandidateScores:
    """One scored candidate of a position."""

    attempt_id: int
    name: str
    email: str
    assessed_grade: str
    state: str
    finished_at: datetime | None
    card: Mapping[str, Any]

    @property
    def recommended_grade(self) -> str | None:
        """The highest grade met, if any."""
        return self.card.get("recommended_grade")

    @property
    def overall(self) -> float | None:
        """The mean combined score of the required competencies."""
        return self.card.get("overall")

    @property
    def measurement(self) -> Mapping[str, Any]:
        """The quiz's item response theory estimates (empty for a card scored before them)."""
        found = self.card.get("measurement")
        return found if isinstance(found, Mapping) else {}

    def ability_cells(self, code: str) -> list[str]:
        """A competency's ability estimate and its 95% band as CSV cells (empty when the
        quiz measured too little of it)."""
        entry = (self.measurement.get("competencies") or {}).get(code) or {}
        if not entry.get("enough"):
            return ["", "", ""]
        return [_number(entry.get(key)) for key in ("theta", "low", "high")]

    def competency(self, code: str) -> Mapping[str, Any]:
        """The scorecard entry of one competency (empty when missing)."""
        for entry in self.card.get("competencies", []):
            if entry.get("code") == code:
                return entry  # type: ignore[no-any-return]
        return {}

    def combined(self, code: str) -> float | None:
        """The combined score of one competency."""
        value = self.competency(code).get("combined")
        return None if value is None else float(value)


def scored_candidates(
    session: DbSession, position: Position, attempt_ids: Sequence[int] | None = None
) -> list[CandidateScores]:
    """Every scored attempt of ``position``, or only those of ``attempt_ids`` (one query)."""
    rows = session.execute(
        sa.select(
            Attempt.id,
            Invitation.candidate_name,
            Invitation.candidate_email,
            Attempt.grade,
            Attempt.state,
            Attempt.finished_at,
            Attempt.scorecard,
        )
        .join(Invitation, Invitation.id == Attempt.invitation_id)
        .where(
            Invitation.position_id == position.id,
            Attempt.scorecard.is_not(None),
            Attempt.id.in_(attempt_ids) if attempt_ids is not None else sa.true(),
        )
        .order_by(Attempt.id)
    ).tuples()
    return [
        CandidateScores(aid, name, email, grade.value, state.value, finished, card or {})
        for aid, name, email, grade, state, finished, card in rows
    ]


def grade_ranks(session: DbSession) -> dict[str, int]:
    """Grade code to rank (junior 1 ...)."""
    return {g.code.value: g.rank for g in session.scalars(sa.select(Grade))}


def grade_thresholds(session: DbSession) -> list[tuple[str, float]]:
    """(grade, threshold) from the lowest grade up."""
    return [
        (g.code.value, g.threshold) for g in session.scalars(sa.select(Grade).order_by(Grade.rank))
    ]


def level_of(value: float | None, thresholds: Sequence[tuple[str, float]]) -> str:
    """The highest grade whose bar ``value`` reaches: ``none`` below all, ``unknown`` without
    evidence. Tables colour cells by it."""
    if value is None:
        return "unknown"
    level = NO_GRADE
    for grade, threshold in thresholds:
        if value >= threshold:
            level = grade
    return level


def filter_and_sort(
    rows: Iterable[CandidateScores],
    ranks: Mapping[str, int],
    grade: str | None = None,
    sort: str = SORT_OVERALL,
    descending: bool = True,
) -> list[CandidateScores]:
    """Keep the candidates whose recommended grade is ``grade`` (``none``: no grade met),
    sorted by overall score, by recommended grade, or by one competency's combined score.
    Missing values sort last either way; ties keep the attempt order."""
    kept = [r for r in rows if grade is None or (r.recommended_grade or NO_GRADE) == grade]

    def key(row: CandidateScores) -> float | None:
        """The sort value of one row."""
        if sort == SORT_GRADE:
            return float(ranks.get(row.recommended_grade or "", 0))
        if sort == SORT_OVERALL:
            return row.overall
        return row.combined(sort)

    present = [r for r in kept if key(r) is not None]
    missing = [r for r in kept if key(r) is None]
    present.sort(key=lambda r: key(r) or 0.0, reverse=descending)
    return present + missing


def pick(rows: Sequence[CandidateScores], attempt_ids: Sequence[int]) -> list[CandidateScores]:
    """The rows of ``attempt_ids`` in the order asked, at most :data:`MAX_COMPARED`."""
    by_id = {r.attempt_id: r for r in rows}
    chosen: list[CandidateScores] = []
    for attempt_id in attempt_ids:
        row = by_id.get(attempt_id)
        if row is not None and row not in chosen:
            chosen.append(row)
    return chosen[:MAX_COMPARED]


def next_grade_gaps(card: Mapping[str, Any], ranks: Mapping[str, int]) -> tuple[str, list[str]]:
    """The grade just above the recommended one and the required competencies short of it
    (an empty grade when the top grade is met)."""
    current = ranks.get(card.get("recommended_grade") or "", 0)
    above = sorted(
        (g for g in card.get("grades", []) if ranks.get(g.get("grade"), 0) > current),
        key=lambda g: ranks.get(g.get("grade"), 0),
    )
    if not above:
        return "", []
    return str(above[0]["grade"]), [str(code) for code in above[0].get("gaps", [])]


def recommendations(session: DbSession, position: Position) -> dict[int, list[str]]:
    """Interviewers' recommendations per attempt of ``position`` (one query)."""
    result: dict[int, list[str]] = {}
    for attempt_id, value in session.execute(
        sa.select(InterviewScorecard.attempt_id, InterviewScorecard.recommendation)
        .join(Attempt, Attempt.id == InterviewScorecard.attempt_id)
        .join(Invitation, Invitation.id == Attempt.invitation_id)
        .where(
            Invitation.position_id == position.id, InterviewScorecard.recommendation.is_not(None)
        )
        .order_by(InterviewScorecard.id)
    ).tuples():
        if value is not None:
            result.setdefault(attempt_id, []).append(value.value)
    return result


def competency_codes(session: DbSession) -> list[tuple[str, str, str]]:
    """(code, name, weight class) of every competency in the job's order."""
    return [
        (c.code, c.name, c.weight_class.value)
        for c in session.scalars(sa.select(Competency).order_by(Competency.position))
    ]


def _cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def _number(value: Any) -> str:
    """A score rounded for the sheet, empty when missing."""
    return "" if value is None else f"{float(value):.4f}"


def csv_header(codes: Sequence[str]) -> list[str]:
    """The export's column names (stable, machine-readable, in English)."""
    header = [
        "attempt_id",
        "candidate",
        "email",
        "assessed_grade",
        "state",
        "finished_at",
        "recommended_grade",
        "overall",
        "bonus",
        "interview_weight",
        "next_grade",
        "gaps_to_next_grade",
        "interview_recommendations",
        "recommended_grade_confidence",
        "adaptive",
        "estimated_grade",
    ]
    for code in codes:
        header += [f"{code}_automated", f"{code}_interview", f"{code}_combined", f"{code}_evidence"]
        header += [f"{code}_ability", f"{code}_ability_low", f"{code}_ability_high"]
    return header


def _grade_cell(value: object) -> str:
    """A grade code from the stored scorecard as a CSV cell (empty when unknown)."""
    known = {NO_GRADE, *(g.value for g in GradeCode)}
    return value if isinstance(value, str) and value in known else ""


def csv_lines(
    rows: Sequence[CandidateScores],
    codes: Sequence[str],
    ranks: Mapping[str, int],
    interviews: Mapping[int, list[str]],
) -> Iterator[str]:
    """The CSV export, line by line (a generator, so a large position streams)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        """Take what the writer wrote."""
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(csv_header(codes))
    yield flush()
    for row in rows:
        card = row.card
        next_grade, gaps = next_grade_gaps(card, ranks)
        line: list[Any] = [
            row.attempt_id,
            _cell(row.name),
            _cell(row.email),
            row.assessed_grade,
            row.state,
            row.finished_at.isoformat() if row.finished_at else "",
            row.recommended_grade or "",
            _number(card.get("overall")),
            _number(card.get("bonus")),
            _number(card.get("interview_weight")),
            next_grade,
            " ".join(gaps),
            " ".join(interviews.get(row.attempt_id, [])),
            _number(row.measurement.get("recommended_confidence")),
            "yes" if row.measurement.get("adaptive") else "no" if row.measurement else "",
            _grade_cell(row.measurement.get("estimated_grade")),
        ]
        for code in codes:
            entry = row.competency(code)
            line += [
                _number(entry.get("automated")),
                _number(entry.get("interview")),
                _number(entry.get("combined")),
                entry.get("evidence", ""),
            ]
            line += row.ability_cells(code)
        writer.writerow(line)
        yield flush()
