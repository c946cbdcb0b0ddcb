"""Organisations: the operators' page that creates one with its first administrator, and
the ``create-organisation`` and ``set-operator`` commands.

Only platform operators reach the page: an admin whose account carries the operator flag,
which only ``flask set-operator`` (shell access to the server) can grant. An organisation's
own admin therefore never gains a way to create or see other organisations; the page shows
names and staff counts only, and the operator gains no rights inside what they create.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from assess.admin import bp
from assess.errors import NotFound, ValidationFailed
from assess.extensions import db, login_manager
from assess.models import Role
from assess.security import client_ip
from assess.services import audit, organisations
from assess.textrules import SingleLine

F = TypeVar("F", bound=Callable[..., Any])


def operator_required(view: F) -> F:
    """Let only operator admins reach the view: anonymous visitors sign in, everyone else
    (admins without the flag included) gets 403. The access matrix reads both marks."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not organisations.may_create_organisations(current_user):
            abort(403)
        return view(*args, **kwargs)

    guarded.allowed_roles = frozenset({Role.ADMIN})  # type: ignore[attr-defined]
    guarded.operator_only = True  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]


class OrganisationForm(FlaskForm):
    """A new organisation and its first administrator."""

    name = StringField(
        _l("Organisation name"),
        validators=[DataRequired(), Length(max=organisations.MAX_NAME_LENGTH), SingleLine()],
    )
    email = EmailField(_l("Administrator's email"), validators=[DataRequired(), Length(max=254)])
    admin_name = StringField(_l("Administrator's name"), validators=[Length(max=200), SingleLine()])
    password = PasswordField(
        _l("Administrator's initial password"), validators=[DataRequired(), Length(max=1024)]
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Create organisation"))


FIELDS = {"name": "name", "email": "email", "password": "password"}


@bp.route("/organisations", methods=["GET", "POST"])
@operator_required
def organisations_page() -> Any:
    """Every organisation (name and staff count); create one with its first admin."""
    form = OrganisationForm()
    status = 200
    if form.validate_on_submit():
        try:
            created, admin = organisations.create_organisation(
                db.session,
                form.name.data or "",
                form.email.data or "",
                form.password.data or "",
                admin_name=form.admin_name.data or "",
                fast_hash=current_app.config["PASSWORD_HASH_FAST"],
            )
        except ValidationFailed as exc:
            db.session.rollback()
            for key, message in exc.fields.items():
                getattr(form, FIELDS.get(key, "name")).errors.append(message)
            if not exc.fields:
                form.form_errors.append(str(exc))
            status = 422
        else:
            audit.record(
                db.session,
                "organisation.created",
                actor_id=current_user.id,
                object_type="organization",
                object_id=created.id,
                ip=client_ip(),
                admin=admin.id,
            )
            db.session.commit()
            flash(
                _(
                    "Organisation %(name)s created; %(email)s can sign in as its administrator.",
                    name=created.name,
                    email=admin.email,
                ),
                "success",
            )
            return redirect(url_for("admin.organisations_page"))
    elif form.is_submitted():
        status = 422
    return render_template(
        "admin/organisations.html", form=form, rows=organisations.organisations(db.session)
    ), status


def _password(password_stdin: bool) -> str:
    """The password from standard input (first line) or an interactive prompt."""
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@click.command("create-organisation")
@click.argument("name")
@click.option("--admin-email", required=True, help="The first administrator's email.")
@click.option("--admin-name", default="", help="The first administrator's display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_organisation_command(
    name: str, admin_email: str, admin_name: str, password_stdin: bool
) -> None:
    """Create an organisation and its first administrator (password prompted, or stdin)."""
    password = _password(password_stdin)
    try:
        created, admin = organisations.create_organisation(
            db.session,
            name,
            admin_email,
            password,
            admin_name=admin_name,
            fast_hash=current_app.config["PASSWORD_HASH_FAST"],
        )
    except ValidationFailed as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    audit.record(
        db.session,
        "organisation.created",
        actor_id=None,
        object_type="organization",
        object_id=created.id,
        admin=admin.id,
        via="cli",
    )
    db.session.commit()
    click.echo(f"created organisation {created.name!r} with admin {admin.email}")


@click.command("set-operator")
@click.argument("email")
@click.option("--revoke", is_flag=True, help="Withdraw the flag instead of granting it.")
@with_appcontext
def set_operator_command(email: str, revoke: bool) -> None:
    """Let an administrator create organisations from the web pages (or stop them)."""
    try:
        user = organisations.set_operator(db.session, email, not revoke)
    except (NotFound, ValidationFailed) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    audit.record(
        db.session,
        "operator.revoked" if revoke else "operator.granted",
        actor_id=None,
        object_type="user",
        object_id=user.id,
        via="cli",
    )
    db.session.commit()
    click.echo(f"{user.email} is {'no longer ' if revoke else ''}an operator")
