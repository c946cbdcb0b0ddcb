"""Pages and calls of live interviews: schedule, the staff room with its private panel, the
candidate's pad, runs, notes, scores, the end, and playback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assess import strictjson
from assess.errors import Forbidden, NotFound, ValidationFailed
from assess.extensions import db
from assess.live import bp, history, runs
from assess.live.forms import EndForm, NoteForm, ScheduleForm
from assess.live.rooms import Hub
from assess.live.service import (
    add_note,
    candidate_participant,
    end,
    interview_for_token,
    link_is_valid,
    may_open,
    notes,
    revoke_link,
    schedule,
    staff_interview,
    staff_participant,
)
from assess.live.service import (
    runs as service_runs,
)
from assess.live.socket import CANDIDATE_KEY
from assess.models import CodingTask, Recommendation, Role
from assess.models.live import LiveInterview, LiveState
from assess.policy import public, roles_required
from assess.review import interviews
from assess.review.forms import RECOMMENDATION_LABELS
from assess.security import client_ip
from assess.services import review

LIVE_CANDIDATE = "live-candidate"
staff_required = roles_required(Role.ADMIN, Role.RECRUITER, Role.INTERVIEWER)
F = TypeVar("F", bound=Callable[..., Any])


def live_candidate_required(view: F) -> F:
    """Let only the browser holding this interview's valid candidate link in its signed
    session reach the view; the interview is put on ``g.interview``."""

    @wraps(view)
    def guarded(interview_id: int, *args: Any, **kwargs: Any) -> Any:
        held = session.get(CANDIDATE_KEY)
        interview = db.session.get(LiveInterview, interview_id) if interview_id > 0 else None
        if (
            interview is None
            or not isinstance(held, dict)
            or held.get("id") != interview.id
            or held.get("key") != interview.token_hash
        ):
            abort(403)
        g.interview = interview
        return view(interview_id, *args, **kwargs)

    guarded.allowed_roles = frozenset({LIVE_CANDIDATE})  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]


def _hub() -> Hub:
    """This process's rooms."""
    hub: Hub = current_app.extensions["live"]
    return hub


def _staff_interview(interview_id: int) -> LiveInterview:
    """The interview for a staff member of its organisation, or 404."""
    try:
        return staff_interview(db.session, current_user, interview_id)
    except NotFound:
        abort(404)


def _json_error(exc: Exception, status: int) -> tuple[Response, int]:
    """A JSON error with a reason (the pad's calls read ``error``)."""
    return jsonify({"error": str(exc), "fields": getattr(exc, "fields", {})}), status


@bp.route("/new/<int:attempt_id>", methods=["GET", "POST"])
@staff_required
def new(attempt_id: int) -> Any:
    """Open a live interview for the attempt's candidate (assigned interviewers, recruiters
    and admins of its organisation)."""
    try:
        attempt = review.visible_attempt(db.session, current_user, attempt_id)
    except NotFound:
        abort(404)
    if not may_open(db.session, current_user, attempt):
        abort(403)
    tasks = db.session.scalars(
        sa.select(CodingTask)
        .where(CodingTask.is_current)
        .order_by(CodingTask.grade, CodingTask.slug)
    ).all()
    form = ScheduleForm()
    form.task.choices = [("", _("A blank pad"))] + [
        (t.slug, f"{t.title} ({t.slug})") for t in tasks
    ]
    if not form.is_submitted():
        form.title.data = _("Live interview: %(name)s", name=attempt.invitation.candidate_name)
    if form.validate_on_submit():
        when = form.scheduled_for.data
        try:
            interview, token = schedule(
                db.session,
                current_user,
                attempt.id,
                form.title.data or "",
                form.task.data or None,
                when.replace(tzinfo=UTC) if isinstance(when, datetime) else None,
            )
            history.seed(db.session, interview)
        except (ValidationFailed, Forbidden) as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            link = url_for("live.join", token=token, _external=True)
            return render_template("live/created.html", interview=interview, link=link)
    status = 422 if form.is_submitted() else 200
    return render_template("live/new.html", attempt=attempt, form=form), status


@bp.route("/<int:interview_id>")
@staff_required
def room(interview_id: int) -> str:
    """The staff room: the shared pad, the statement, and the private panel."""
    interview = _staff_interview(interview_id)
    attempt = interview.attempt
    kit = interviews.interview_kit(db.session, attempt)
    mine = interviews.my_scorecard(db.session, attempt, current_user)
    return render_template(
        "live/room.html",
        interview=interview,
        participant=staff_participant(current_user),
        statement=history.statement_html(interview),
        kit=kit,
        mine={r.competency_code: r for r in (mine.rubric_scores if mine else [])},
        recommendation=mine.recommendation.value if mine and mine.recommendation else "",
        reason=mine.reason if mine else "",
        may_score=review.is_assigned(db.session, attempt, current_user),
        notes=notes(db.session, interview),
        past_runs=service_runs(db.session, interview),
        end_form=EndForm(),
        note_form=NoteForm(),
        recommendation_labels=RECOMMENDATION_LABELS,
        files=history.file_names(interview),
        live=interview.state is not LiveState.ENDED,
    )


@bp.route("/j/<token>")
@public
def join(token: str) -> Response:
    """The candidate's link: hold the room in the signed session, then go to the pad."""
    try:
        interview = interview_for_token(db.session, token)
    except NotFound:
        return Response(render_template("live/invalid.html"), status=404, mimetype="text/html")
    session[CANDIDATE_KEY] = {"id": interview.id, "key": interview.token_hash}
    return redirect(url_for("live.pad", interview_id=interview.id))


@bp.route("/<int:interview_id>/pad")
@live_candidate_required
def pad(interview_id: int) -> Any:
    """The candidate's pad: the shared editor, the statement and the run output only."""
    interview: LiveInterview = g.interview
    if not link_is_valid(interview):
        return render_template("live/closed.html", interview=interview), 410
    return render_template(
        "live/pad.html",
        interview=interview,
        participant=candidate_participant(interview),
        statement=history.statement_html(interview),
        files=history.file_names(interview),
        past_runs=service_runs(db.session, interview),
    )


def _start_run(interview: LiveInterview, started_by: str) -> tuple[Response, int]:
    """Start a run of the pad for either side (rate-limited per room)."""
    try:
        mode = strictjson.request_object().get("mode") if request.content_length else None
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        run = runs.start(app, db.session, interview, started_by, mode)
    except ValidationFailed as exc:
        db.session.rollback()
        return _json_error(exc, 422)
    except runs.TooManyRuns as exc:
        db.session.rollback()
        response, status = _json_error(exc, 429)
        response.headers["Retry-After"] = str(runs.WINDOW_SECONDS)
        return response, status
    return jsonify({"run": run}), 202


@bp.route("/<int:interview_id>/runs", methods=["POST"])
@staff_required
def staff_run(interview_id: int) -> tuple[Response, int]:
    """Run the pad (staff side)."""
    interview = _staff_interview(interview_id)
    return _start_run(interview, staff_participant(current_user).name)


@bp.route("/<int:interview_id>/pad/runs", methods=["POST"])
@live_candidate_required
def candidate_run(interview_id: int) -> tuple[Response, int]:
    """Run the pad (candidate side)."""
    interview: LiveInterview = g.interview
    if not link_is_valid(interview):
        return _json_error(ValidationFailed("the interview has ended"), 410)
    return _start_run(interview, candidate_participant(interview).name)


@bp.route("/<int:interview_id>/notes", methods=["POST"])
@staff_required
def note(interview_id: int) -> tuple[Response, int]:
    """Add a private, timestamped note (staff only; never sent on any socket)."""
    interview = _staff_interview(interview_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return jsonify({"error": _("Write a note of 1 to 2000 characters.")}), 422
    try:
        added = add_note(db.session, current_user, interview, form.text.data or "")
    except ValidationFailed as exc:
        db.session.rollback()
        return _json_error(exc, 422)
    db.session.commit()
    return jsonify({"note": history.note_json(added)}), 201


@bp.route("/<int:interview_id>/scores", methods=["POST"])
@roles_required(Role.INTERVIEWER, Role.ADMIN)
def scores(interview_id: int) -> Response:
    """Save the rubric from the private panel: the same interview scores the scorecard
    combines (only an interviewer assigned to the attempt records them)."""
    interview = _staff_interview(interview_id)
    attempt = interview.attempt
    codes = [section.competency.code for section in interviews.interview_kit(db.session, attempt)]
    entries, errors = interviews.parse_entries(request.form, codes)
    raw = request.form.get("recommendation", "")
    try:
        recommendation = Recommendation(raw) if raw else None
    except ValueError:
        errors["recommendation"] = "unknown"
    if errors:
        flash(_("The scores were not saved: check the marked fields."), "error")
        return redirect(url_for("live.room", interview_id=interview.id) + "#panel")
    try:
        interviews.save_interview(
            db.session,
            attempt,
            current_user,
            entries,
            recommendation,
            request.form.get("reason", ""),
            ip=client_ip(),
        )
    except (ValidationFailed, Forbidden) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Scores saved."), "success")
    return redirect(url_for("live.room", interview_id=interview.id) + "#panel")


@bp.route("/<int:interview_id>/revoke", methods=["POST"])
@staff_required
def revoke(interview_id: int) -> Response:
    """Revoke the candidate's link; their open socket closes within seconds."""
    interview = _staff_interview(interview_id)
    if EndForm().validate_on_submit():
        revoke_link(db.session, current_user, interview)
        db.session.commit()
        flash(_("The candidate's link no longer opens the room."), "success")
    return redirect(url_for("live.room", interview_id=interview.id))


@bp.route("/<int:interview_id>/end", methods=["POST"])
@staff_required
def finish(interview_id: int) -> Response:
    """End the interview: freeze the pad, revoke the link, hand everything over."""
    interview = _staff_interview(interview_id)
    if not EndForm().validate_on_submit():
        abort(400)
    hub = _hub()
    try:
        files = hub.room(interview.id).files()
    finally:
        hub.close_if_empty(interview.id)  # opened only to read the pad: not kept here
    try:
        end(db.session, current_user, interview, files)
    except ValidationFailed as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("live.room", interview_id=interview.id))
    except Forbidden:
        db.session.rollback()
        abort(403)
    db.session.commit()
    hub.end(interview.id, "the interview has ended")
    flash(
        _("The interview has ended. The code, runs and playback are on the review desk."), "success"
    )
    return redirect(url_for("live.playback", interview_id=interview.id))


@bp.route("/<int:interview_id>/playback")
@staff_required
def playback(interview_id: int) -> str:
    """Replay how the code was written, with runs and notes on the same timeline."""
    interview = _staff_interview(interview_id)
    return render_template(
        "live/playback.html", interview=interview, files=history.file_names(interview)
    )


@bp.route("/<int:interview_id>/history.json")
@staff_required
def history_json(interview_id: int) -> Response:
    """The timeline behind playback (staff only)."""
    interview = _staff_interview(interview_id)
    return jsonify(history.timeline(db.session, interview))
