"""Candidate views. Pages render state; JSON endpoints save work as the candidate goes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assess import strictjson
from assess.bank import kinds, texts
from assess.candidate import bp, practice
from assess.candidate.forms import (
    AccommodationRequestForm,
    ContinueForm,
    ErasureForm,
    FeedbackForm,
    FinishForm,
    PracticeDoneForm,
    SectionForm,
    StartForm,
)
from assess.candidate.render import render_markdown, without_title
from assess.errors import AssessError, InvitationInvalid, RateLimited, ValidationFailed
from assess.extensions import db
from assess.grading.dispatch import dispatcher
from assess.i18n import select_locale
from assess.models import (
    Attempt,
    AttemptState,
    CodeDraft,
    CodingTask,
    Competency,
    GradeCode,
    Invitation,
    Organization,
    Question,
    Submission,
    SubmissionKind,
    utcnow,
)
from assess.policy import (
    CANDIDATE_SESSION_KEY,
    candidate_answer_required,
    candidate_required,
    candidate_save_required,
    public,
)
from assess.security import client_ip
from assess.services import (
    accommodations,
    adaptive,
    attempts,
    blueprints,
    candidate_data,
    feedback,
    integrity,
    recording,
    scorecards,
    sections,
    submissions,
    throttle,
)
from assess.services.invitations import find_invitation
from assess.services.readiness import grading_problem
from sandbox import SandboxError


@bp.errorhandler(AssessError)
def handle_domain_error(exc: AssessError) -> Any:
    """Domain errors: the JSON error shape for the page's scripts, a page otherwise."""
    db.session.rollback()
    if request.path.startswith("/attempt/api/") or (request.method == "POST" and request.is_json):
        body: dict[str, Any] = {
            "error": {"status": exc.status, "code": exc.code, "message": str(exc)}
        }
        if isinstance(exc, ValidationFailed) and exc.fields:
            body["error"]["fields"] = exc.fields
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else {}
        return jsonify(body), exc.status, headers
    return render_template("candidate/problem.html", message=str(exc)), exc.status


def _throttle_landing(scope: str = "invite", share: int = 1) -> None:
    """Limit invitation landings per address (slows down token guessing); a practice page
    counts in its own window, ``share`` times as wide (a round is several pages)."""
    key = f"{scope}:ip:{client_ip()}"
    limit = throttle.at_most(current_app.config["INVITE_LANDINGS_PER_MINUTE"] * share)
    ticket = throttle.take(db.session, key, 60, limit)
    db.session.commit()
    if not ticket.allowed:
        message = _("Too many requests. Please wait a moment and try again.")
        raise RateLimited(message, ticket.retry_after)


def _hold(attempt: Attempt) -> None:
    """Bind this browser to the attempt, in a fresh session (only the language carries over)."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    session[CANDIDATE_SESSION_KEY] = {"attempt": attempt.id, "key": attempt.session_hash}


def _close_if_due(attempt: Attempt) -> None:
    """Close and score an attempt whose deadline has passed (everything saved counts); a
    break past its limit ends first (the clock runs again)."""
    if sections.settle(db.session, attempt):
        db.session.commit()
    if attempts.close_if_due(db.session, attempt):
        scorecards.recompute(db.session, attempt)
        db.session.commit()


def _timing(organization_id: int, grade: GradeCode) -> dict[str, int | None]:
    """The time limit of the grade's assessment in the organisation and its break between
    sections, in minutes."""
    blueprint = blueprints.effective(db.session, organization_id, grade)
    if blueprint is None:
        return {"minutes": None, "break_minutes": 0}
    return {"minutes": blueprint.time_limit_minutes, "break_minutes": blueprint.break_minutes}


@bp.route("/i/<token>", methods=["GET", "POST"])
@public
def landing(token: str) -> Any:
    """The invitation: rules, time limit and what is measured; start, or continue."""
    _throttle_landing()
    try:
        invitation = find_invitation(db.session, token)
    except InvitationInvalid as exc:
        return render_template("candidate/problem.html", message=str(exc)), 404
    # no reminder is owed once the link was opened; committed with the page's own writes
    # or after it renders (a commit now would expire what the page goes on to read)
    first_visit = invitation.opened_at is None
    if first_visit:
        invitation.opened_at = utcnow()
    attempt = invitation.attempt
    if attempt is not None:
        _close_if_due(attempt)
    if attempt is not None and attempt.state is not AttemptState.STARTED:
        message = _("This assessment is already finished. Thank you!")
        data_url = url_for("candidate.my_data", token=token)
        page = render_template("candidate/problem.html", message=message, data_url=data_url)
        db.session.commit()
        return page, 409
    form: StartForm | ContinueForm = ContinueForm() if attempt else StartForm()
    if form.validate_on_submit():
        if attempt is None:
            attempt = attempts.start_attempt(db.session, invitation)
        _hold(attempt)
        db.session.commit()
        return redirect(url_for("candidate.overview"))
    competencies = db.session.scalars(sa.select(Competency).order_by(Competency.position)).all()
    page = render_template(
        "candidate/landing.html",
        invitation=invitation,
        form=form,
        attempt=attempt,
        **_timing(invitation.position.organization_id, invitation.position.grade),
        competencies=competencies,
        token=token,
        request_form=AccommodationRequestForm(formdata=None),
        privacy_notice=_privacy_notice(invitation.position.organization_id),
        requested=request.args.get("requested") == "1",
        practised=invitation.practised_at is not None,
    )
    if first_visit:
        db.session.commit()
    return page


def _privacy_notice(organization_id: int) -> str | None:
    """The organisation's own privacy notice for candidates, if it wrote one."""
    organization = db.session.get(Organization, organization_id)
    return organization.privacy_notice if organization else None


@bp.route("/i/<token>/accommodation", methods=["POST"])
@public
def request_accommodation(token: str) -> Any:
    """The candidate asks for an accommodation before starting; the recruiter decides."""
    invitation = _own_invitation(token)
    if isinstance(invitation, tuple):
        return invitation
    form = AccommodationRequestForm()
    if form.validate_on_submit():
        try:
            accommodations.request(db.session, invitation, form.request.data or "", client_ip())
        except AssessError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            return redirect(url_for("candidate.landing", token=token, requested=1))
    return render_template("candidate/request_problem.html", form=form, token=token), 422


PRACTICE_SHARE = 4  # practice pages per minute and address, as a multiple of the landings


def _practice_invitation(token: str) -> Any:
    """The invitation of a practice page, while its assessment has not started; a problem
    page (404) for a link that is not valid, the landing page once the clock runs."""
    _throttle_landing("practice", PRACTICE_SHARE)
    try:
        invitation = find_invitation(db.session, token)
    except InvitationInvalid as exc:
        return render_template("candidate/problem.html", message=str(exc)), 404
    if invitation.attempt is not None:
        return redirect(url_for("candidate.landing", token=token))
    return invitation


def _practised(invitation: Invitation) -> None:
    """Note (once) that the candidate practised: all that staff learn of the round."""
    if invitation.practised_at is None:
        invitation.practised_at = utcnow()
    db.session.commit()


@bp.route("/i/<token>/practice")
@public
def practice_start(token: str) -> Any:
    """The practice round starts at its first question."""
    return redirect(url_for("candidate.practice_item", token=token, position=1))


@bp.route("/i/<token>/practice/<int:position>")
@public
def practice_item(token: str, position: int) -> Any:
    """One item of the practice round, on the assessment's own widgets, untimed."""
    invitation = _practice_invitation(token)
    if not isinstance(invitation, Invitation):
        return invitation
    if not 1 <= position <= practice.count():
        return render_template("candidate/problem.html",
                               message=_("There is no such practice item.")), 404  # fmt: skip
    context: dict[str, Any] = {"token": token, "current": position, "total": practice.count(),
                               "done_form": PracticeDoneForm()}  # fmt: skip
    question = practice.question_at(position)
    if question is not None:
        view = practice.view(question)
        return render_template("candidate/practice.html", view=view, saved=None,
                               prompt_html=render_markdown(view["prompt"]), **context)  # fmt: skip
    title, statement = practice.task_text()
    return render_template(
        "candidate/practice.html",
        view=None,
        title=title,
        statement_html=render_markdown(statement),
        code=practice.STARTER,
        tests=practice.TESTS,
        **context,
    )


@bp.route("/i/<token>/practice/<int:position>/check", methods=["POST"])
@public
def practice_check(token: str, position: int) -> Any:
    """Whether a practice answer is right, and why: said to the candidate, kept nowhere."""
    invitation = _practice_invitation(token)
    if not isinstance(invitation, Invitation):
        return _practice_refusal(invitation)
    question = practice.question_at(position)
    if question is None:
        return jsonify(error={"status": 404, "code": "not_found",
                              "message": "no such practice question"}), 404  # fmt: skip
    result = practice.check(question, _payload().get("response"))
    _practised(invitation)
    return jsonify(result)


@bp.route("/i/<token>/practice/run", methods=["POST"])
@public
def practice_run(token: str) -> Any:
    """Run the practice task's sample tests on the candidate's code, in the sandbox."""
    invitation = _practice_invitation(token)
    if not isinstance(invitation, Invitation):
        return _practice_refusal(invitation)
    code = _payload().get("code")
    if not isinstance(code, str):
        raise ValidationFailed("code must be text", {"code": "not text"})
    ticket = throttle.take(db.session, f"practice-run:{invitation.id}", 60,
                           throttle.at_most(practice.RUNS_PER_MINUTE))  # fmt: skip
    db.session.commit()
    if not ticket.allowed:
        message = _("Too many runs. Please wait a moment and try again.")
        raise RateLimited(message, ticket.retry_after)
    _practised(invitation)
    try:
        result = practice.run(code)
    except SandboxError:
        message = _("Code runs are not available right now; the assessment saves your code.")
        return jsonify(kind="sample", state="done", message=message), 503
    return jsonify(practice.status(result))


def _practice_refusal(page: Any) -> Any:
    """A practice API call on a link that is not valid or an assessment already started."""
    status = page[1] if isinstance(page, tuple) else 409
    message = _("This practice round is closed.") if status == 409 else _("This link is not valid.")
    return jsonify(error={"status": status, "code": "practice_closed", "message": message}), status


@bp.route("/i/<token>/practice/done", methods=["POST"])
@public
def practice_done(token: str) -> Any:
    """Back to the invitation's page from the practice round."""
    invitation = _practice_invitation(token)
    if not isinstance(invitation, Invitation):
        return invitation
    if PracticeDoneForm().validate_on_submit():
        _practised(invitation)
        return redirect(url_for("candidate.landing", token=token, practised=1))
    return render_template("candidate/problem.html",
                           message=_("The form expired; please try again.")), 400  # fmt: skip


def _own_invitation(token: str) -> Any:
    """The invitation the link names for its candidate's own data (withdrawn and expired
    links too), throttled like the landing page; or the problem page."""
    _throttle_landing()
    try:
        return candidate_data.find_own_records(db.session, token)
    except InvitationInvalid as exc:
        return render_template("candidate/problem.html", message=str(exc)), 404


@bp.route("/i/<token>/data", methods=["GET", "POST"])
@public
def my_data(token: str) -> Any:
    """The candidate's own data: download it, or ask to be forgotten."""
    invitation = _own_invitation(token)
    if isinstance(invitation, tuple):
        return invitation
    form = ErasureForm()
    status = 200
    if form.validate_on_submit():
        if candidate_data.request_erasure(db.session, invitation, ip=client_ip()):
            db.session.commit()
        return redirect(url_for("candidate.my_data", token=token))
    if form.is_submitted():
        status = 422
    return render_template("candidate/my_data.html", invitation=invitation, form=form,
                           token=token), status  # fmt: skip


@bp.route("/i/<token>/data.json")
@public
def my_data_download(token: str) -> Any:
    """Everything the platform holds about the candidate, as a JSON file."""
    invitation = _own_invitation(token)
    if isinstance(invitation, tuple):
        return invitation
    response = jsonify(candidate_data.export(db.session, invitation))
    response.headers["Content-Disposition"] = 'attachment; filename="my-assessment-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _closed_redirect() -> Response | None:
    """Send the candidate to the end page once the attempt is over, and to the break page
    while a break runs."""
    attempt: Attempt = g.attempt
    _close_if_due(attempt)
    if attempt.state is not AttemptState.STARTED:
        return redirect(url_for("candidate.done"))
    if sections.section(attempt) == sections.BREAK:
        return redirect(url_for("candidate.on_break"))
    return None


def _page_context(position: int | None = None) -> dict[str, Any]:
    """What every attempt page needs: the items' states, the deadline, the finish form."""
    attempt: Attempt = g.attempt
    states = attempts.item_states(db.session, attempt)
    at = next((n for n, s in enumerate(states) if s.position == position), None)
    return {
        "attempt": attempt,
        "states": states,
        "current": position,
        "number": states[at].number if at is not None else None,
        "previous_position": states[at - 1].position if at else None,
        "next_position": states[at + 1].position
        if at is not None and at + 1 < len(states)
        else None,
        # an adaptive blueprint without questions (tasks only) shows as a fixed one
        "adaptive": bool((attempt.adaptive or {}).get("slots")),
        "finish_form": FinishForm(),
        "position_title": attempt.invitation.position.title,
        "now_iso": utcnow().isoformat(),
        "deadline_iso": sections.deadline(attempt).isoformat(),
        "section": sections.section(attempt),
        "section_form": SectionForm(),
    }


@bp.route("/attempt")
@candidate_required
def overview() -> Any:
    """The attempt's items with their states, the countdown and the finish button."""
    closed = _closed_redirect()
    if closed:
        return closed
    attempt: Attempt = g.attempt
    context = _page_context()
    quiz_over = context["adaptive"] and adaptive.complete(attempt)
    return render_template("candidate/overview.html", quiz_over=quiz_over, **context)


@bp.route("/attempt/<int:position>")
@candidate_required
def item(position: int) -> Any:
    """One item: a question with its saved answer, or a coding task with its draft."""
    closed = _closed_redirect()
    if closed:
        return closed
    attempt: Attempt = g.attempt
    entry = attempts.item_at(attempt, position)
    context = _page_context(position)
    if not _in_section(entry, context["section"]):
        return redirect(url_for("candidate.overview"))
    if entry.question_id is not None:
        question = db.session.get(Question, entry.question_id)
        assert question is not None
        view = attempts.question_view(question, entry, attempt.seed, select_locale())
        saved = attempts.saved_response(db.session, attempt, entry, question)
        latest = context["adaptive"] and entry.final_at is None
        return render_template(
            "candidate/question.html",
            view=view,
            prompt_html=render_markdown(view["prompt"]),
            saved=saved,
            final=entry.final_at is not None,
            next_form=SectionForm() if latest else None,
            **context,
        )
    task = db.session.get(CodingTask, entry.task_id)
    assert task is not None
    draft = db.session.scalar(
        sa.select(CodeDraft).where(CodeDraft.attempt_id == attempt.id, CodeDraft.task_id == task.id)
    )
    title, statement = texts.task_text(task, select_locale())
    last = db.session.scalar(
        sa.select(Submission.id)
        .where(Submission.attempt_id == attempt.id, Submission.task_id == task.id)
        .order_by(Submission.id.desc())
        .limit(1)
    )
    return render_template(
        "candidate/task.html",
        last_submission=last,
        task=task,
        kind=kinds.view(task.kind),
        editable=kinds.editable_paths(task.spec),
        title=title,
        statement_html=render_markdown(without_title(statement, title)),
        code=draft.code if draft else task.starter_code,
        revision=draft.revision if draft else 0,
        grading_problem=grading_problem(current_app.config),
        **context,
    )


def _in_section(entry: Any, section: str | None) -> bool:
    """Whether an item can be opened in the current section (every item without sections)."""
    if section is None:
        return True
    return (entry.question_id is not None) == (section == sections.QUIZ)


@bp.route("/attempt/<int:position>/next", methods=["POST"])
@candidate_required
def next_question(position: int) -> Response:
    """Adaptive: make this question's answer final and show the next question chosen for
    the candidate, or the overview once the quiz is over."""
    closed = _closed_redirect()
    if closed:
        return closed
    attempt: Attempt = g.attempt
    if attempt.adaptive is None or not SectionForm().validate_on_submit():
        return redirect(url_for("candidate.item", position=position))
    attempts.require_open(attempt, utcnow())
    sections.require(attempt, "question")
    drawn = adaptive.advance(db.session, attempt, position)
    db.session.commit()
    if drawn is None:
        return redirect(url_for("candidate.overview"))
    return redirect(url_for("candidate.item", position=drawn.position))


@bp.route("/attempt/break", methods=["GET", "POST"])
@candidate_required
def on_break() -> Any:
    """POST ends the quiz section and starts the break; GET shows the break: the clock
    stopped, how long the break may last, and the button that starts the coding section."""
    attempt: Attempt = g.attempt
    _close_if_due(attempt)
    if attempt.state is not AttemptState.STARTED:
        return redirect(url_for("candidate.done"))
    if request.method == "POST":
        if SectionForm().validate_on_submit():
            sections.take_break(db.session, attempt)
            db.session.commit()
        return redirect(url_for("candidate.on_break"))
    if sections.section(attempt) != sections.BREAK:
        return redirect(url_for("candidate.overview"))
    ends = sections.break_ends_at(attempt)
    assert ends is not None and attempt.break_started_at is not None
    return render_template(
        "candidate/break.html",
        attempt=attempt,
        left_seconds=int((attempt.deadline_at - attempt.break_started_at).total_seconds()),
        ends_iso=ends.isoformat(),
        now_iso=utcnow().isoformat(),
        section_form=SectionForm(),
    )


@bp.route("/attempt/resume", methods=["POST"])
@candidate_required
def resume() -> Response:
    """End the break and start the coding section; the clock runs again."""
    attempt: Attempt = g.attempt
    if SectionForm().validate_on_submit() and attempt.state is AttemptState.STARTED:
        sections.resume(db.session, attempt)
        db.session.commit()
    return redirect(url_for("candidate.overview"))


def _payload() -> dict[str, Any]:
    """The JSON body of a request, or a 422 naming the problem."""
    return strictjson.request_object()


def _int(data: dict[str, Any], key: str, default: int | None = None) -> int:
    """An integer field of a JSON body."""
    value = data.get(key, default)
    if type(value) is not int:
        raise ValidationFailed(f"{key} must be a whole number", {key: "not a whole number"})
    return value


@bp.route("/attempt/api/items/<int:position>/answer", methods=["POST"])
@candidate_answer_required
def save_answer(position: int) -> Any:
    """Autosave a quiz answer; refused after the deadline."""
    data = _payload()
    if g.attempt.adaptive is not None:
        # leave autocommit: the answer and the check that it is not final yet commit
        # together (attempts.save_answer locks the question's row)
        db.session.commit()
    answer = attempts.save_answer(
        db.session, g.attempt, position, data.get("response"), _int(data, "revision", 1),
        target=g.save_target,
    )  # fmt: skip
    db.session.commit()
    return jsonify(saved=True, revision=answer.revision, saved_at=answer.saved_at.isoformat())


@bp.route("/attempt/api/items/<int:position>/draft", methods=["POST"])
@candidate_save_required
def save_draft(position: int) -> Any:
    """Autosave the code of a coding task."""
    data = _payload()
    code = data.get("code")
    if not isinstance(code, str):
        raise ValidationFailed("code must be text", {"code": "not text"})
    changes = recording.parse_changes(data.get("changes"))
    draft = attempts.save_draft(
        db.session, g.attempt, position, code, _int(data, "revision", 1), changes=changes,
        target=g.save_target,
    )  # fmt: skip
    db.session.commit()
    return jsonify(saved=True, revision=draft.revision, saved_at=draft.saved_at.isoformat())


def _submit(position: int, kind: SubmissionKind) -> Any:
    """Queue the code for a sample run or as the final submission, then dispatch it."""
    data = _payload()
    code = data.get("code")
    if not isinstance(code, str):
        raise ValidationFailed("code must be text", {"code": "not text"})
    submission = submissions.submit_code(db.session, g.attempt, position, code, kind)
    db.session.commit()
    dispatcher(current_app).enqueue(submission.id, submission.priority)
    return jsonify(submissions.candidate_status(db.session, g.attempt, submission.id)), 202


@bp.route("/attempt/api/items/<int:position>/run", methods=["POST"])
@candidate_required
def run_samples(position: int) -> Any:
    """Run the visible sample tests on the code (rate limited)."""
    return _submit(position, SubmissionKind.SAMPLE)


@bp.route("/attempt/api/items/<int:position>/submit", methods=["POST"])
@candidate_required
def submit(position: int) -> Any:
    """Submit the code for grading with the hidden probes."""
    return _submit(position, SubmissionKind.FINAL)


@bp.route("/attempt/api/submissions/<int:submission_id>")
@candidate_required
def submission_status(submission_id: int) -> Any:
    """The state of a submission (the page polls this)."""
    return jsonify(submissions.candidate_status(db.session, g.attempt, submission_id))


@bp.route("/attempt/api/events", methods=["POST"])
@candidate_required
def record_events() -> Any:
    """Integrity signals and time per item, batched by the page."""
    data = _payload()
    attempt: Attempt = g.attempt
    if not attempts.is_open(attempt, grace=attempts.GRACE_SECONDS):
        return jsonify(recorded=0)
    recorded = integrity.record_batch(db.session, attempt, data.get("events", []))
    db.session.commit()
    return jsonify(recorded=recorded)


@bp.route("/attempt/api/state")
@candidate_required
def state() -> Any:
    """The attempt's state and the server's clock (for the countdown after a reload)."""
    attempt: Attempt = g.attempt
    _close_if_due(attempt)
    return jsonify(
        state=attempt.state.value,
        deadline=sections.deadline(attempt).isoformat(),
        now=utcnow().isoformat(),
        section=sections.section(attempt),
        items=[s.__dict__ for s in attempts.item_states(db.session, attempt)],
    )


@bp.route("/attempt/api/clock")
@candidate_required
def clock() -> Any:
    """The attempt's deadline and the server's clock, polled by the countdown so that extra
    time granted while the attempt runs reaches it without a reload (no item states: cheap)."""
    attempt: Attempt = g.attempt
    _close_if_due(attempt)
    return jsonify(
        state=attempt.state.value,
        deadline=sections.deadline(attempt).isoformat(),
        now=utcnow().isoformat(),
        section=sections.section(attempt),
    )


@bp.route("/attempt/finish", methods=["POST"])
@candidate_required
def finish() -> Response:
    """End the attempt now; everything saved counts."""
    if FinishForm().validate_on_submit():
        attempt: Attempt = g.attempt
        if attempt.state is AttemptState.STARTED:
            attempts.finish_attempt(db.session, attempt)
            scorecards.recompute(db.session, attempt)
            db.session.commit()
    return redirect(url_for("candidate.done"))


@bp.route("/attempt/done")
@candidate_required
def done() -> Any:
    """The thank-you page, with a short summary where the position allows it."""
    attempt: Attempt = g.attempt
    _close_if_due(attempt)
    if attempt.state is AttemptState.STARTED:
        return redirect(url_for("candidate.overview"))
    return _done_page(attempt, FeedbackForm(formdata=None))


def _done_page(attempt: Attempt, form: FeedbackForm) -> str:
    """The thank-you page: the result summary where the position allows it, the survey."""
    show = attempt.invitation.position.show_result_summary and attempt.scorecard is not None
    return render_template(
        "candidate/done.html",
        attempt=attempt,
        summary=attempt.scorecard if show else None,
        lines=scorecards.candidate_summary(db.session, attempt) if show else [],
        feedback_form=form,
    )


@bp.route("/attempt/feedback", methods=["POST"])
@candidate_required
def give_feedback() -> Any:
    """The optional survey after the assessment, once per attempt."""
    attempt: Attempt = g.attempt
    _close_if_due(attempt)
    form = FeedbackForm()
    status = 422
    if form.validate_on_submit():
        fairness = int(form.fairness.data) if form.fairness.data else None
        try:
            feedback.give(db.session, attempt, fairness, form.comment.data)
        except AssessError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
            status = getattr(exc, "status", 422)
        else:
            db.session.commit()
            return redirect(url_for("candidate.done"))
    return _done_page(attempt, form), status
