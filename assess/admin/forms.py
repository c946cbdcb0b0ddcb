"""Forms of the administration area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from assess.models import Role

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.RECRUITER: _l("Recruiter"),
    Role.INTERVIEWER: _l("Interviewer"),
}


class UserForm(FlaskForm):
    """A new staff account."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
    )
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Create account"))


class ToggleForm(FlaskForm):
    """A button that flips an account between active and deactivated."""

    submit = SubmitField(_l("Change"))
