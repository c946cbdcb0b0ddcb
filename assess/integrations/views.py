"""Personal API tokens (every staff member) and webhooks (recruiters and admins).

A new token or webhook secret is rendered once in the response that created it, never flashed
(the session cookie is signed, not encrypted) and never shown again.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from assess.api import tokens
from assess.errors import NotFound, ValidationFailed
from assess.extensions import db
from assess.integrations.blueprint import bp
from assess.integrations.forms import (
    EVENT_LABELS,
    WHOLE_ORGANISATION,
    ActionForm,
    TokenForm,
    WebhookForm,
)
from assess.models import DeliveryStatus, Position, Role, WebhookDelivery, utcnow
from assess.policy import roles_required, staff_required
from assess.security import client_ip
from assess.services import audit
from assess.webhooks import delivery, registry, runner

webhook_managers = roles_required(Role.RECRUITER, Role.ADMIN)


@bp.route("/tokens", methods=["GET", "POST"])
@staff_required
def api_tokens() -> Any:
    """The signed-in person's API tokens; create one (shown once)."""
    form = TokenForm()
    new_token: str | None = None
    status = 200
    if form.validate_on_submit():
        try:
            row, new_token = tokens.issue(db.session, current_user, form.name.data or "")
        except ValidationFailed as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, exc.fields.get("name", str(exc))]
            status = 422
        else:
            audit.record(
                db.session,
                "api_token.created",
                actor_id=current_user.id,
                object_type="api_token",
                object_id=row.id,
                ip=client_ip(),
            )
            db.session.commit()
            form = TokenForm(formdata=None)
    elif form.is_submitted():
        status = 422
    return render_template(
        "integrations/tokens.html",
        form=form,
        new_token=new_token,
        tokens=tokens.tokens_of(db.session, current_user),
        action_form=ActionForm(),
    ), status


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@staff_required
def revoke_token(token_id: int) -> Response:
    """Revoke one of the person's own tokens (anyone else's is 404)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    if not tokens.revoke(db.session, current_user, token_id):
        abort(404)
    audit.record(
        db.session,
        "api_token.revoked",
        actor_id=current_user.id,
        object_type="api_token",
        object_id=token_id,
        ip=client_ip(),
    )
    db.session.commit()
    flash(_("Token revoked."), "success")
    return redirect(url_for("integrations.api_tokens"))


def _positions() -> list[Position]:
    """The organisation's positions, for the webhook scope choice."""
    return list(
        db.session.scalars(
            sa.select(Position)
            .where(Position.organization_id == current_user.organization_id)
            .order_by(Position.title, Position.id)
        )
    )


def _webhook_form(positions: list[Position], *, fresh: bool = False) -> WebhookForm:
    """The new-webhook form, offering the organisation's positions as its scope."""
    form = WebhookForm(formdata=None) if fresh else WebhookForm()
    form.scope.choices = [
        SelectChoice(WHOLE_ORGANISATION, _("every position")),
        *[SelectChoice(str(p.id), p.title) for p in positions],
    ]
    return form


@bp.route("/webhooks", methods=["GET", "POST"])
@webhook_managers
def webhooks() -> Any:
    """The organisation's webhooks; register one (its secret is shown once)."""
    positions = _positions()
    form = _webhook_form(positions)
    created = None
    secret: str | None = None
    status = 200
    if form.validate_on_submit():
        chosen = {str(p.id): p for p in positions}.get(form.scope.data or WHOLE_ORGANISATION)
        try:
            created, secret = registry.register(
                db.session,
                current_user,
                form.url.data or "",
                list(form.events.data or []),
                chosen,
                allow=runner.allow_list(current_app),
            )
        except ValidationFailed as exc:
            db.session.rollback()
            form.url.errors = [*form.url.errors, *exc.fields.values()]
            status = 422
        else:
            audit.record(
                db.session,
                "webhook.created",
                actor_id=current_user.id,
                object_type="webhook",
                object_id=created.id,
                ip=client_ip(),
                events=created.events,
                position_id=created.position_id,
            )
            db.session.commit()
            form = _webhook_form(positions, fresh=True)
    elif form.is_submitted():
        status = 422
    titles = {p.id: p.title for p in positions}
    return render_template(
        "integrations/webhooks.html",
        form=form,
        created=created,
        secret=secret,
        webhooks=registry.webhooks_of(db.session, current_user.organization_id),
        titles=titles,
        event_labels=EVENT_LABELS,
    ), status


@bp.route("/webhooks/<int:webhook_id>")
@webhook_managers
def webhook(webhook_id: int) -> str:
    """One webhook and the log of its latest deliveries."""
    try:
        target = registry.webhook_for(db.session, current_user, webhook_id)
    except NotFound:
        abort(404)
    position = db.session.get(Position, target.position_id) if target.position_id else None
    return render_template(
        "integrations/webhook.html",
        webhook=target,
        position=position,
        deliveries=registry.recent_deliveries(db.session, target),
        action_form=ActionForm(),
        event_labels=EVENT_LABELS,
    )


@bp.route("/webhooks/<int:webhook_id>/delete", methods=["POST"])
@webhook_managers
def delete_webhook(webhook_id: int) -> Response:
    """Remove a webhook and its delivery log."""
    try:
        target = registry.webhook_for(db.session, current_user, webhook_id)
    except NotFound:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    db.session.delete(target)
    audit.record(
        db.session,
        "webhook.deleted",
        actor_id=current_user.id,
        object_type="webhook",
        object_id=webhook_id,
        ip=client_ip(),
    )
    db.session.commit()
    flash(_("Webhook removed."), "success")
    return redirect(url_for("integrations.webhooks"))


@bp.route("/webhooks/deliveries/<int:delivery_id>/retry", methods=["POST"])
@webhook_managers
def retry_delivery(delivery_id: int) -> Response:
    """Queue a finished delivery again (after the receiver was fixed, say)."""
    row = db.session.get(WebhookDelivery, delivery_id)
    if row is None or row.webhook.organization_id != current_user.organization_id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if row.status is not DeliveryStatus.PENDING:
        delivery.retry(row, utcnow())
        audit.record(
            db.session,
            "webhook.redelivered",
            actor_id=current_user.id,
            object_type="webhook_delivery",
            object_id=row.id,
            ip=client_ip(),
        )
        db.session.commit()
        flash(_("Delivery queued again."), "success")
    return redirect(url_for("integrations.webhook", webhook_id=row.webhook_id))
