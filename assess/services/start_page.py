"""The start page: what needs the signed-in person now, one part per role they hold.

Recruiters see their open positions' funnels, finished candidates nobody interviews yet,
invitations about to expire or never opened, and the latest scorecards. Interviewers see
their queue and today's live interviews. Admins see the grading system's health, the bank's
version and its flagged questions, and failed sign-ins of their staff. An admin holds the
recruiter's and the interviewer's rights too, so sees those parts as well.

Every list is of the signed-in person's organisation only, and every part runs a fixed
number of statements however many candidates there are (lists are cut to ``LIST_LIMIT``
rows, with the full count beside them).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.insights import pipelines
from assess.models import (
    Attempt,
    AttemptState,
    CodingTask,
    InterviewAssignment,
    InterviewQuestion,
    Invitation,
    Position,
    Question,
    Role,
    Submission,
    SubmissionState,
    ThrottleEvent,
    User,
    utcnow,
)
from assess.models.live import LiveInterview, LiveState
from assess.services import item_stats, review, throttle
from assess.services.accounts import account_key

RECRUITER = "recruiter"
INTERVIEWER = "interviewer"
ADMIN = "admin"

# Which parts each role sees, its own first (an admin holds every right).
PARTS: dict[Role, tuple[str, ...]] = {
    Role.RECRUITER: (RECRUITER,),
    Role.INTERVIEWER: (INTERVIEWER,),
    Role.ADMIN: (ADMIN, RECRUITER, INTERVIEWER),
}

LIST_LIMIT = 10
SCORECARD_LIMIT = 5
EXPIRY_HORIZON = timedelta(hours=48)
HEALTH_WINDOW = timedelta(hours=1)
LOW_DISK_SHARE = 0.1


def parts_for(role: Role) -> tuple[str, ...]:
    """The start page's parts a person with ``role`` sees, in the order shown."""
    return PARTS.get(role, ())


@dataclass(frozen=True)
class Cut:
    """The first rows of a list and how many there are in all."""

    rows: list[Any]
    total: int

    @property
    def more(self) -> int:
        """How many rows were left out."""
        return self.total - len(self.rows)


def _cut(rows: list[Any], total_index: int = -1) -> Cut:
    """A Cut from rows that carry the full count (``count() over ()``) in one column."""
    total = int(rows[0][total_index]) if rows else 0
    return Cut([row[:total_index] for row in rows], total)


# --- recruiters --------------------------------------------------------------------------


@dataclass(frozen=True)
class PositionFunnel:
    """An open position and how far its candidates have come."""

    id: int
    title: str
    grade: str
    counts: Counter[str]


@dataclass(frozen=True)
class WaitingCandidate:
    """A finished candidate with no interviewer assigned yet."""

    attempt_id: int
    candidate: str
    position: str
    finished_at: datetime | None


@dataclass(frozen=True)
class InvitationLine:
    """An invitation that needs a look: expiring soon, or never opened."""

    id: int
    position_id: int
    candidate: str
    position: str
    created_at: datetime
    expires_at: datetime
    opened: bool


@dataclass(frozen=True)
class ScorecardLine:
    """A recently scored candidate."""

    attempt_id: int
    candidate: str
    position: str
    scored_at: datetime | None
    recommended_grade: str | None


@dataclass(frozen=True)
class RecruiterPart:
    """What needs a recruiter now."""

    positions: Cut
    stages: tuple[str, ...]
    waiting: Cut
    expiring: Cut
    unopened: Cut
    scorecards: list[ScorecardLine]


def _in_organisation(organization_id: int) -> sa.ColumnElement[bool]:
    """The condition that a joined position belongs to the organisation."""
    return Position.organization_id == organization_id


def open_positions(session: DbSession, organization_id: int) -> Cut:
    """The organisation's open positions, newest first, with their funnels (five
    statements: the positions, then the funnel's four)."""
    rows = session.execute(
        sa.select(Position.id, Position.title, Position.grade, sa.func.count().over())
        .where(_in_organisation(organization_id), Position.is_open.is_(True))
        .order_by(Position.created_at.desc(), Position.id.desc())
        .limit(LIST_LIMIT)
    ).all()
    cut = _cut(list(rows))
    counts = pipelines.funnel(session, [row[0] for row in cut.rows])
    return Cut(
        [PositionFunnel(pid, title, grade, counts[pid]) for pid, title, grade in cut.rows],
        cut.total,
    )


def waiting_for_interviewer(session: DbSession, organization_id: int) -> Cut:
    """Finished candidates (not withdrawn) with no interviewer assigned, the longest
    waiting first."""
    assigned = sa.select(InterviewAssignment.id).where(InterviewAssignment.attempt_id == Attempt.id)
    rows = session.execute(
        sa.select(
            Attempt.id,
            Invitation.candidate_name,
            Position.title,
            Attempt.finished_at,
            sa.func.count().over(),
        )
        .join(Invitation, Invitation.id == Attempt.invitation_id)
        .join(Position, Position.id == Invitation.position_id)
        .where(
            _in_organisation(organization_id),
            Attempt.state != AttemptState.STARTED,
            Invitation.revoked_at.is_(None),
            ~assigned.exists(),
        )
        .order_by(Attempt.finished_at, Attempt.id)
        .limit(LIST_LIMIT)
    ).all()
    cut = _cut(list(rows))
    return Cut([WaitingCandidate(*row) for row in cut.rows], cut.total)


def _pending_invitations(
    session: DbSession, organization_id: int, *conditions: sa.ColumnElement[bool]
) -> Cut:
    """Live invitations (not withdrawn, not started) of the organisation matching
    ``conditions``, in the order they need attention."""
    started = sa.select(Attempt.id).where(Attempt.invitation_id == Invitation.id)
    rows = session.execute(
        sa.select(
            Invitation.id,
            Invitation.position_id,
            Invitation.candidate_name,
            Position.title,
            Invitation.created_at,
            Invitation.expires_at,
            Invitation.opened_at.is_not(None),
            sa.func.count().over(),
        )
        .join(Position, Position.id == Invitation.position_id)
        .where(
            _in_organisation(organization_id),
            Invitation.revoked_at.is_(None),
            ~started.exists(),
            *conditions,
        )
        .order_by(Invitation.expires_at, Invitation.id)
        .limit(LIST_LIMIT)
    ).all()
    cut = _cut(list(rows))
    return Cut(
        [
            InvitationLine(
                id=row[0],
                position_id=row[1],
                candidate=row[2],
                position=row[3],
                created_at=row[4],
                expires_at=row[5],
                opened=bool(row[6]),
            )
            for row in cut.rows
        ],
        cut.total,
    )


def expiring_invitations(
    session: DbSession, organization_id: int, now: datetime | None = None
) -> Cut:
    """Invitations not yet used whose link expires within 48 hours, soonest first."""
    now = now or utcnow()
    return _pending_invitations(
        session,
        organization_id,
        Invitation.expires_at > now,
        Invitation.expires_at <= now + EXPIRY_HORIZON,
    )


def unopened_invitations(
    session: DbSession, organization_id: int, now: datetime | None = None
) -> Cut:
    """Invitations whose link was never opened and that do not expire within 48 hours
    (those are listed as expiring), the soonest to expire first."""
    now = now or utcnow()
    return _pending_invitations(
        session,
        organization_id,
        Invitation.opened_at.is_(None),
        Invitation.expires_at > now + EXPIRY_HORIZON,
    )


def latest_scorecards(session: DbSession, organization_id: int) -> list[ScorecardLine]:
    """The organisation's most recently scored candidates, newest first."""
    rows = session.execute(
        sa.select(
            Attempt.id,
            Invitation.candidate_name,
            Position.title,
            Attempt.scored_at,
            Attempt.scorecard,
        )
        .join(Invitation, Invitation.id == Attempt.invitation_id)
        .join(Position, Position.id == Invitation.position_id)
        .where(_in_organisation(organization_id), Attempt.scored_at.is_not(None))
        .order_by(Attempt.scored_at.desc(), Attempt.id.desc())
        .limit(SCORECARD_LIMIT)
    ).tuples()
    return [
        ScorecardLine(aid, name, title, scored_at, (scorecard or {}).get("recommended_grade"))
        for aid, name, title, scored_at, scorecard in rows
    ]


def recruiter_part(session: DbSession, organization_id: int) -> RecruiterPart:
    """Everything a recruiter's start page shows (nine statements)."""
    now = utcnow()
    return RecruiterPart(
        positions=open_positions(session, organization_id),
        stages=pipelines.FUNNEL,
        waiting=waiting_for_interviewer(session, organization_id),
        expiring=expiring_invitations(session, organization_id, now),
        unopened=unopened_invitations(session, organization_id, now),
        scorecards=latest_scorecards(session, organization_id),
    )


# --- interviewers ------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveLine:
    """A live interview of today."""

    id: int
    title: str
    candidate: str
    scheduled_for: datetime | None
    state: str


@dataclass(frozen=True)
class InterviewerPart:
    """What needs an interviewer now."""

    queue: Cut
    live_today: list[LiveLine]


def my_queue(session: DbSession, user: User) -> Cut:
    """The finished attempts assigned to ``user`` without their interview recorded, the
    longest waiting (since assigned) first; the review desk's queue, cut short."""
    waiting = [row for row in review.desk_queue(session, user) if not row.interviewed]
    waiting.sort(key=lambda row: (row.assigned_at, row.attempt.id))
    return Cut(waiting[:LIST_LIMIT], len(waiting))


def today_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The start and end of ``now``'s day (UTC)."""
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def live_today(session: DbSession, user: User, now: datetime | None = None) -> list[LiveLine]:
    """Live interviews of ``user``'s organisation scheduled for today (UTC) and not ended,
    that ``user`` opened or whose candidate ``user`` is assigned to; earliest first."""
    start, end = today_bounds(now or utcnow())
    mine = sa.select(InterviewAssignment.id).where(
        InterviewAssignment.attempt_id == LiveInterview.attempt_id,
        InterviewAssignment.interviewer_id == user.id,
    )
    rows = session.execute(
        sa.select(
            LiveInterview.id,
            LiveInterview.title,
            Invitation.candidate_name,
            LiveInterview.scheduled_for,
            LiveInterview.state,
        )
        .join(Attempt, Attempt.id == LiveInterview.attempt_id)
        .join(Invitation, Invitation.id == Attempt.invitation_id)
        .where(
            LiveInterview.organization_id == user.organization_id,
            LiveInterview.state != LiveState.ENDED,
            LiveInterview.scheduled_for >= start,
            LiveInterview.scheduled_for < end,
            sa.or_(LiveInterview.created_by_id == user.id, mine.exists()),
        )
        .order_by(LiveInterview.scheduled_for, LiveInterview.id)
        .limit(LIST_LIMIT)
    ).tuples()
    return [LiveLine(i, title, name, at, state.value) for i, title, name, at, state in rows]


def interviewer_part(session: DbSession, user: User) -> InterviewerPart:
    """Everything an interviewer's start page shows (three statements; two when nothing is
    assigned, the review queue then skipping its second)."""
    return InterviewerPart(queue=my_queue(session, user), live_today=live_today(session, user))


# --- admins ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradingFigures:
    """The organisation's submissions in the grading pipeline."""

    queued: int
    oldest_queued_at: datetime | None
    running: int
    failed_last_hour: int
    retried_last_hour: int


@dataclass(frozen=True)
class Workers:
    """The graders: how grading is dispatched and who is grading now."""

    backend: str  # "inprocess", "rq" or "off"
    busy: int  # graders holding a lease now, on every host
    registered: int | None  # RQ workers Redis knows, None when not asked or unreachable
    threads: int | None  # the in-process pool's threads


@dataclass(frozen=True)
class SandboxState:
    """The sandbox's image and this process's warm pool."""

    enabled: bool
    image: str | None
    problem: str | None
    spares: int | None  # ready spare containers in this process; None: no sandbox here
    pool_size: int


@dataclass(frozen=True)
class DiskLeft:
    """Free space where the instance keeps its files."""

    path: str
    free_bytes: int
    total_bytes: int

    @property
    def share(self) -> float:
        """The free share of the disk (0..1)."""
        return self.free_bytes / self.total_bytes if self.total_bytes else 0.0

    @property
    def low(self) -> bool:
        """Whether less than a tenth is left."""
        return self.share < LOW_DISK_SHARE


@dataclass(frozen=True)
class BankVersion:
    """The bank as served now: a fingerprint of its current items and when it last changed."""

    fingerprint: str
    questions: int
    tasks: int
    interview_questions: int
    changed_at: datetime | None


@dataclass(frozen=True)
class FlaggedItem:
    """A question the item statistics flag."""

    key: str
    version: int
    flags: tuple[str, ...]


@dataclass(frozen=True)
class SignInFailures:
    """Failed sign-ins of one staff account since its last successful one."""

    user_id: int
    email: str
    count: int
    last_at: datetime | None
    slowed: bool  # at or over the free attempts: further tries must wait


@dataclass(frozen=True)
class AdminPart:
    """What needs an admin now."""

    grading: GradingFigures
    workers: Workers
    sandbox: SandboxState
    disk: DiskLeft | None
    bank: BankVersion
    flagged: Cut
    sign_ins: Cut
    window_seconds: int


def grading_figures(
    session: DbSession, organization_id: int, now: datetime | None = None
) -> GradingFigures:
    """Queued and running submissions of the organisation's candidates, the oldest wait,
    and the failed and retried ones of the last hour (one statement)."""
    since = (now or utcnow()) - HEALTH_WINDOW
    queued = Submission.state == SubmissionState.QUEUED
    recent = sa.or_(Submission.finished_at.is_(None), Submission.finished_at >= since)
    failed = sa.and_(Submission.state == SubmissionState.FAILED, Submission.finished_at >= since)
    retried = sa.and_(
        recent,
        sa.or_(Submission.tries > 1, sa.and_(queued, Submission.tries > 0)),
    )

    def counted(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        """How many rows meet ``condition``."""
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    row = session.execute(
        sa.select(
            counted(queued),
            sa.func.min(sa.case((queued, Submission.created_at))),
            counted(Submission.state == SubmissionState.RUNNING),
            counted(failed),
            counted(retried),
        )
        .join(Attempt, Attempt.id == Submission.attempt_id)
        .join(Invitation, Invitation.id == Attempt.invitation_id)
        .join(Position, Position.id == Invitation.position_id)
        .where(_in_organisation(organization_id))
    ).one()
    return GradingFigures(int(row[0]), row[1], int(row[2]), int(row[3]), int(row[4]))


def registered_rq_workers(redis_url: str) -> int | None:
    """How many RQ workers Redis knows, None when Redis does not answer."""
    from redis import Redis
    from rq import Worker

    try:
        connection = Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1)
        return int(Worker.count(connection=connection))
    except Exception:  # noqa: BLE001 - a health line says "unknown", never a 500
        return None


def workers(session: DbSession, config: Mapping[str, Any], now: datetime | None = None) -> Workers:
    """How grading is dispatched and how many graders hold a lease now (one statement;
    counts only, never a host's name)."""
    busy = session.scalar(
        sa.select(sa.func.count(sa.distinct(Submission.lease_owner))).where(
            Submission.state == SubmissionState.RUNNING,
            Submission.lease_expires_at > (now or utcnow()),
        )
    )
    backend = str(config.get("GRADING_BACKEND", "inprocess"))
    if backend == "rq":
        url = str(config.get("REDIS_URL") or "")
        return Workers("rq", int(busy or 0), registered_rq_workers(url) if url else None, None)
    if not config.get("SANDBOX_ENABLED"):
        return Workers("off", int(busy or 0), None, None)
    return Workers("inprocess", int(busy or 0), None, int(config.get("GRADING_WORKERS", 2)))


def sandbox_state(config: Mapping[str, Any]) -> SandboxState:
    """The runner image and whether it is usable (the cached readiness check), and this
    process's warm pool."""
    from assess.observability.grading import spare_containers
    from assess.services.readiness import grading_problem
    from sandbox import SandboxConfig
    from sandbox.image import image_tag

    settings = SandboxConfig.from_env(os.environ)
    enabled = bool(config.get("SANDBOX_ENABLED"))
    return SandboxState(
        enabled=enabled,
        image=settings.image or image_tag(),
        problem=grading_problem(config),
        spares=spare_containers(),
        pool_size=settings.pool_size,
    )


def disk_left(path: str) -> DiskLeft | None:
    """Free space on the disk holding ``path`` (its nearest existing parent)."""
    folder = path
    while folder and not os.path.exists(folder):
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
    try:
        usage = shutil.disk_usage(folder)
    except OSError:
        return None
    return DiskLeft(folder, usage.free, usage.total)


def bank_version(session: DbSession) -> BankVersion:
    """A fingerprint of the current bank items (their content hashes), how many of each
    kind, and when one last changed (one statement)."""
    kinds = [
        sa.select(
            sa.cast(sa.literal(kind), sa.String(16)), model.content_hash, model.created_at
        ).where(model.is_current)
        for kind, model in (
            ("question", Question),
            ("task", CodingTask),
            ("interview", InterviewQuestion),
        )
    ]
    rows = session.execute(sa.union_all(*kinds)).all()
    counts: Counter[str] = Counter(kind for kind, _, _ in rows)
    digest = hashlib.sha256()
    for kind, content_hash in sorted((kind, content_hash) for kind, content_hash, _ in rows):
        digest.update(f"{kind}:{content_hash}\n".encode())
    return BankVersion(
        fingerprint=digest.hexdigest()[:12] if rows else "",
        questions=counts["question"],
        tasks=counts["task"],
        interview_questions=counts["interview"],
        changed_at=max((at for _, _, at in rows if at is not None), default=None),
    )


def flagged_items(session: DbSession, organization_id: int) -> Cut:
    """The questions the item statistics of the organisation's attempts flag (too few
    responses is not a flag here), by key (three statements)."""
    flagged = [
        FlaggedItem(question.key, question.version, stat.flags)
        for question, stat in item_stats.bank_statistics(session, organization_id)
        if stat.flags and stat.flags != (item_stats.FLAG_FEW,)
    ]
    flagged.sort(key=lambda item: (item.key, item.version))
    return Cut(flagged[:LIST_LIMIT], len(flagged))


def sign_in_failures(session: DbSession, organization_id: int, config: Mapping[str, Any]) -> Cut:
    """Staff of the organisation with failed sign-ins in the sign-in window, most first.

    The throttle ledger counts failures per account (keyed by a hash of the address) and
    forgets them at a successful sign-in, so this is what happened since. Only the
    organisation's own accounts are looked up (two statements; with the Redis ledger one,
    the counts coming from Redis)."""
    window = int(config.get("LOGIN_FAILURE_WINDOW_SECONDS", 3600))
    free = int(config.get("LOGIN_FAILURES_PER_ACCOUNT", 5))
    staff = session.execute(
        sa.select(User.id, User.email).where(User.organization_id == organization_id)
    ).all()
    keys = {account_key(email): (uid, email) for uid, email in staff}
    found: dict[str, tuple[int, datetime | None]] = {}
    if keys and config.get("RATE_LIMIT_BACKEND", "database") == "redis":
        for key in keys:
            count = throttle.count_recent(session, key, window)
            if count:
                found[key] = (count, None)
    elif keys:
        since = utcnow() - timedelta(seconds=window)
        found = {
            key: (int(count), last)
            for key, count, last in session.execute(
                sa.select(ThrottleEvent.key, sa.func.count(), sa.func.max(ThrottleEvent.at))
                .where(ThrottleEvent.key.in_(list(keys)), ThrottleEvent.at >= since)
                .group_by(ThrottleEvent.key)
            ).tuples()
        }
    lines = [
        SignInFailures(keys[key][0], keys[key][1], count, last, count >= free)
        for key, (count, last) in found.items()
    ]
    lines.sort(key=lambda line: (-line.count, line.email))
    return Cut(lines[:LIST_LIMIT], len(lines))


def admin_part(
    session: DbSession, organization_id: int, config: Mapping[str, Any], instance_path: str
) -> AdminPart:
    """Everything an admin's start page shows (eight statements)."""
    return AdminPart(
        grading=grading_figures(session, organization_id),
        workers=workers(session, config),
        sandbox=sandbox_state(config),
        disk=disk_left(instance_path),
        bank=bank_version(session),
        flagged=flagged_items(session, organization_id),
        sign_ins=sign_in_failures(session, organization_id, config),
        window_seconds=int(config.get("LOGIN_FAILURE_WINDOW_SECONDS", 3600)),
    )


# --- the page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StartPage:
    """The parts of one person's start page (None: not theirs)."""

    parts: tuple[str, ...]
    recruiter: RecruiterPart | None
    interviewer: InterviewerPart | None
    admin: AdminPart | None


def build(
    session: DbSession, user: User, config: Mapping[str, Any], instance_path: str
) -> StartPage:
    """The start page of ``user``: each part their role holds, of their organisation."""
    parts = parts_for(user.role)
    org = user.organization_id
    return StartPage(
        parts=parts,
        recruiter=recruiter_part(session, org) if RECRUITER in parts else None,
        interviewer=interviewer_part(session, user) if INTERVIEWER in parts else None,
        admin=admin_part(session, org, config, instance_path) if ADMIN in parts else None,
    )
