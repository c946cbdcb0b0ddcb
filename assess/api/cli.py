"""``flask api-token EMAIL``: issue a personal API token from the command line."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from assess.api import tokens
from assess.errors import ValidationFailed
from assess.extensions import db
from assess.models import User
from assess.services import audit
from assess.services.accounts import normalize_email


@click.command("api-token")
@click.argument("email")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
@with_appcontext
def api_token_command(email: str, name: str) -> None:
    """Print a new API token for the staff account EMAIL (shown once, stored hashed)."""
    try:
        address = normalize_email(email)
    except ValidationFailed as exc:
        raise click.ClickException(str(exc)) from exc
    user = db.session.scalar(sa.select(User).where(User.email == address))
    if user is None or not user.is_active:
        raise click.ClickException(f"no active staff account {address}")
    try:
        row, token = tokens.issue(db.session, user, name)
    except ValidationFailed as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    audit.record(
        db.session,
        "api_token.created",
        actor_id=user.id,
        object_type="api_token",
        object_id=row.id,
        via="cli",
    )
    db.session.commit()
    click.echo(token)
