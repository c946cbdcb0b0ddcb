"""Positions and their pipelines, invitations, and scorecards, for recruiters and admins."""

from __future__ import annotations

import smtplib
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assess.errors import AssessError, RateLimited, ValidationFailed
from assess.extensions import db
from assess.models import Attempt, AuditEvent, GradeCode, Invitation, Position, Role, User
from assess.ops import retention
from assess.policy import roles_required
from assess.recruiting import bp
from assess.recruiting.forms import (
    GRADE_LABELS,
    CsvInviteForm,
    ExtendForm,
    ExtraTimeForm,
    ForgetForm,
    InviteForm,
    PositionForm,
    ReminderForm,
    RevokeForm,
)
from assess.security import client_ip
from assess.services import (
    accommodations,
    attempts,
    audit,
    blueprints,
    candidate_data,
    feedback,
    invitations,
    mailer,
    pipeline,
    scorecards,
)

recruiter_required = roles_required(Role.RECRUITER, Role.ADMIN)


def _position(position_id: int) -> Position:
    """A position of the signed-in person's organisation, or 404."""
    position = db.session.get(Position, position_id)
    if position is None or position.organization_id != current_user.organization_id:
        abort(404)
    return position


def _invite_link(token: str) -> str:
    """The absolute link a candidate opens."""
    return url_for("candidate.landing", token=token, _external=True)


def _email_invitation(invitation: Invitation, link: str, days: int) -> None:
    """Email the link when SMTP is configured; say plainly when it is not or it failed. Called
    after the invitation is committed, and never raises: the page still shows the link."""
    settings = mailer.SmtpSettings.from_config(current_app.config)
    if settings is None:
        flash(_("Email is not configured; send the link yourself."), "error")
        return
    try:
        message = mailer.invitation_message(
            settings.sender,
            invitation.candidate_email,
            invitation.candidate_name,
            invitation.position.title,
            link,
            days,
        )
        mailer.send(settings, message)
    except (OSError, ValueError, smtplib.SMTPException) as exc:
        current_app.logger.warning(
            "invitation %s: email not sent (%s)", invitation.id, type(exc).__name__
        )
        flash(
            _(
                "The email could not be sent (%(reason)s); send the link yourself.",
                reason=type(exc).__name__,
            ),
            "error",
        )
    else:
        flash(_("Invitation emailed to %(email)s.", email=invitation.candidate_email), "success")


def _throttle_invitations(count: int) -> None:
    """Bound how many invitations one person creates per hour."""
    try:
        invitations.spend_invitation_budget(db.session, current_user.id, count)
    except RateLimited:
        raise ValidationFailed(
            _("Too many invitations in the last hour; try again later.")
        ) from None


@bp.route("", methods=["GET", "POST"])
@recruiter_required
def positions() -> Any:
    """The organisation's positions with their pipelines; create a position."""
    form = PositionForm()
    status = 200
    if form.validate_on_submit():
        position = invitations.create_position(
            db.session,
            current_user,
            form.title.data or "",
            GradeCode(form.grade.data),
            show_result=bool(form.show_result_summary.data),
            reminder_after_days=form.reminder_after_days.data,
        )
        audit.record(
            db.session,
            "position.created",
            actor_id=current_user.id,
            object_type="position",
            object_id=position.id,
            ip=client_ip(),
        )
        db.session.commit()
        flash(_("Position created."), "success")
        return redirect(url_for("recruiting.position", position_id=position.id))
    if form.is_submitted():
        status = 422
    rows = db.session.scalars(
        sa.select(Position)
        .where(Position.organization_id == current_user.organization_id)
        .order_by(Position.created_at.desc())
    ).all()
    counts = pipeline.counts_by_position(db.session, [p.id for p in rows])
    return render_template(
        "recruiting/positions.html",
        positions=rows,
        counts=counts,
        form=form,
        grade_labels=GRADE_LABELS,
    ), status


@bp.route("/<int:position_id>", methods=["GET", "POST"])
@recruiter_required
def position(position_id: int) -> Any:
    """A position: its candidates and their stages; invite one candidate."""
    target = _position(position_id)
    form = InviteForm(prefix="one")
    created: list[tuple[Invitation, str]] = []
    status = 200
    if form.validate_on_submit():
        try:
            _throttle_invitations(1)
            invitation, token = invitations.invite(
                db.session,
                target,
                form.name.data or "",
                form.email.data or "",
                current_user,
                valid_days=form.valid_days.data or 14,
            )
        except ValidationFailed as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
            status = 422
        else:
            audit.record(
                db.session,
                "invitation.created",
                actor_id=current_user.id,
                object_type="invitation",
                object_id=invitation.id,
                ip=client_ip(),
            )
            db.session.commit()
            link = _invite_link(token)
            created.append((invitation, link))
            if form.send_email.data:
                _email_invitation(invitation, link, form.valid_days.data or 14)
            form = InviteForm(prefix="one", formdata=None)
    elif form.is_submitted() and request.form.get("one-submit"):
        status = 422
    return _position_page(target, form, CsvInviteForm(prefix="csv"), created, [], status)


@bp.route("/<int:position_id>/invitations.csv", methods=["POST"])
@recruiter_required
def invite_csv(position_id: int) -> Any:
    """Invite many candidates from a CSV upload; report each bad row by its line."""
    target = _position(position_id)
    form = CsvInviteForm(prefix="csv")
    if not form.validate_on_submit():
        return _position_page(target, InviteForm(prefix="one", formdata=None), form, [], [], 422)
    raw = form.file.data.read(512 * 1024 + 1)
    if len(raw) > 512 * 1024:
        form.file.errors.append(_("The file is larger than 512 KB."))
        return _position_page(target, InviteForm(prefix="one", formdata=None), form, [], [], 413)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        form.file.errors.append(_("The file is not UTF-8 text."))
        return _position_page(target, InviteForm(prefix="one", formdata=None), form, [], [], 422)
    try:
        report = invitations.invite_csv(db.session, target, text, current_user)
        _throttle_invitations(len(report.created))
    except ValidationFailed as exc:
        db.session.rollback()
        form.file.errors.append(str(exc))
        return _position_page(target, InviteForm(prefix="one", formdata=None), form, [], [], 422)
    audit.record(
        db.session,
        "invitation.csv",
        actor_id=current_user.id,
        object_type="position",
        object_id=target.id,
        ip=client_ip(),
        created=len(report.created),
        refused=len(report.errors),
    )
    db.session.commit()
    created = [(inv, _invite_link(token)) for inv, token in report.created]
    return _position_page(
        target,
        InviteForm(prefix="one", formdata=None),
        CsvInviteForm(prefix="csv", formdata=None),
        created,
        report.errors,
        200,
    )


def _position_page(
    target: Position,
    form: InviteForm,
    csv_form: CsvInviteForm,
    created: list[Any],
    csv_errors: list[tuple[int, str]],
    status: int,
    reminder_form: ReminderForm | None = None,
) -> tuple[str, int]:
    """Render the position page (closing attempts whose time ran out first)."""
    scorecards.close_overdue_and_score(db.session)
    candidates = pipeline.candidates(db.session, target)
    return render_template(
        "recruiting/position.html",
        position=target,
        form=form,
        csv_form=csv_form,
        created=created,
        csv_errors=csv_errors,
        candidates=candidates,
        revoke_form=RevokeForm(),
        forget_form=ForgetForm(),
        reminder_form=reminder_form
        or ReminderForm(formdata=None, data={"days": target.reminder_after_days}),
        feedback=feedback.summary(db.session, target),
        min_feedback=feedback.MIN_RESPONSES,
        is_forgotten=retention.is_forgotten,
        grade_labels=GRADE_LABELS,
        email_enabled=bool(current_app.config.get("SMTP_HOST")),
    ), status


@bp.route("/<int:position_id>/reminders", methods=["POST"])
@recruiter_required
def reminders_setting(position_id: int) -> Any:
    """Change when the position's unopened links get their one reminder."""
    target = _position(position_id)
    form = ReminderForm()
    if not form.validate_on_submit():
        return _position_page(
            target, InviteForm(prefix="one", formdata=None), CsvInviteForm(prefix="csv"),
            [], [], 422, reminder_form=form,
        )  # fmt: skip
    target.reminder_after_days = form.days.data
    audit.record(
        db.session,
        "position.reminders",
        actor_id=current_user.id,
        object_type="position",
        object_id=target.id,
        ip=client_ip(),
        days=target.reminder_after_days,
    )
    db.session.commit()
    flash(_("The reminder setting was saved."), "success")
    return redirect(url_for("recruiting.position", position_id=target.id))


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@recruiter_required
def revoke(invitation_id: int) -> Response:
    """Withdraw an invitation (an attempt in progress loses access)."""
    invitation = _invitation(invitation_id)
    if RevokeForm().validate_on_submit() and invitation.revoked_at is None:
        invitations.revoke(invitation)
        audit.record(
            db.session,
            "invitation.revoked",
            actor_id=current_user.id,
            object_type="invitation",
            object_id=invitation.id,
            ip=client_ip(),
        )
        db.session.commit()
        flash(_("Invitation withdrawn."), "success")
    return redirect(url_for("recruiting.position", position_id=invitation.position_id))


def _invitation(invitation_id: int) -> Invitation:
    """An invitation of the signed-in person's organisation, or 404."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.position.organization_id != current_user.organization_id:
        abort(404)
    return invitation


def _apply_extra_time(invitation: Invitation, form: ExtraTimeForm | ExtendForm) -> None:
    """Grant (before the start) or extend (while it runs) as the valid ``form`` says, with a
    message saying what it came to; the services' errors propagate."""
    reason = form.reason.data or ""
    if isinstance(form, ExtendForm):
        assert invitation.attempt is not None
        deadline = accommodations.extend(
            db.session,
            invitation.attempt,
            form.minutes.data or 0,
            reason,
            current_user,
            ip=client_ip(),
        )
        message = _(
            "The attempt now ends at %(time)s UTC; the candidate's countdown follows within "
            "seconds.",
            time=deadline.strftime("%H:%M"),
        )
    else:
        extra = accommodations.grant(
            db.session,
            invitation,
            form.percent.data or 0,
            form.minutes.data or 0,
            reason,
            current_user,
            ip=client_ip(),
        )
        message = _("The attempt will start with %(minutes)d extra minutes.", minutes=extra)
    flash(message, "success")


@bp.route("/invitations/<int:invitation_id>/extra-time", methods=["GET", "POST"])
@recruiter_required
def extra_time(invitation_id: int) -> Any:
    """Extra time for one candidate: before the attempt starts, a share of the time limit and
    minutes it will start with; while it runs, minutes added to its deadline (the
    candidate's countdown follows). Each change is audited with who and why."""
    invitation = _invitation(invitation_id)
    attempt = invitation.attempt
    if attempt is not None and attempts.close_if_due(db.session, attempt):
        scorecards.recompute(db.session, attempt)
        db.session.commit()
    running = attempt is not None and attempts.is_open(attempt)
    grant_form = ExtraTimeForm(prefix="grant", obj=None)
    extend_form = ExtendForm(prefix="extend")
    status = 200
    form: ExtraTimeForm | ExtendForm | None = None
    if attempt is None and request.method == "GET":
        grant_form.percent.data = invitation.extra_time_percent
        grant_form.minutes.data = invitation.extra_minutes
    if request.method == "POST":
        form = extend_form if attempt is not None else grant_form
        status = 422
        if form.validate_on_submit():
            try:
                _apply_extra_time(invitation, form)
            except AssessError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
                status = getattr(exc, "status", 422)
            else:
                db.session.commit()
                return redirect(url_for("recruiting.extra_time", invitation_id=invitation.id))
    position = invitation.position
    blueprint = blueprints.effective(db.session, position.organization_id, position.grade)
    own = sa.and_(
        AuditEvent.object_type == "invitation",
        AuditEvent.object_id == str(invitation.id),
        AuditEvent.action == "invitation.extra_time",
    )
    if attempt is not None:
        own = sa.or_(
            own,
            sa.and_(
                AuditEvent.object_type == "attempt",
                AuditEvent.object_id == str(attempt.id),
                AuditEvent.action == "attempt.extended",
            ),
        )
    history = db.session.scalars(sa.select(AuditEvent).where(own).order_by(AuditEvent.id)).all()
    ids = {event.actor_id for event in history if event.actor_id is not None}
    emails = db.session.execute(sa.select(User.id, User.email).where(User.id.in_(ids)))
    actors: dict[int, str] = {row.id: row.email for row in emails}
    return render_template(
        "recruiting/extra_time.html",
        invitation=invitation,
        attempt=attempt,
        running=running,
        grant_form=grant_form,
        extend_form=extend_form,
        limit_minutes=blueprint.time_limit_minutes if blueprint else None,
        max_percent=accommodations.MAX_EXTRA_PERCENT,
        history=history,
        actors=actors,
    ), status


@bp.route("/invitations/<int:invitation_id>/forget", methods=["POST"])
@recruiter_required
def forget(invitation_id: int) -> Response:
    """Confirm a candidate's request to be forgotten: anonymise what they left (audited)."""
    invitation = _invitation(invitation_id)
    requested = invitation.erasure_requested_at is not None
    if ForgetForm().validate_on_submit() and requested and not retention.is_forgotten(invitation):
        candidate_data.confirm_erasure(db.session, invitation, current_user, ip=client_ip())
        db.session.commit()
        flash(_("The candidate's data was deleted; only anonymous figures remain."), "success")
    return redirect(url_for("recruiting.position", position_id=invitation.position_id))


@bp.route("/attempts/<int:attempt_id>/scorecard")
@recruiter_required
def scorecard(attempt_id: int) -> Response:
    """One candidate's scorecard: it lives in the insights area; this address keeps working."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or (
        attempt.invitation.position.organization_id != current_user.organization_id
    ):
        abort(404)
    return redirect(url_for("insights.scorecard_page", attempt_id=attempt.id))
