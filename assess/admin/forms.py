"""Forms of the administration area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from assess.bank import kinds
from assess.models import Role
from assess.textrules import MultiLine, SingleLine

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.RECRUITER: _l("Recruiter"),
    Role.INTERVIEWER: _l("Interviewer"),
}


class UserForm(FlaskForm):
    """A new staff account."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=200), SingleLine()])
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
    )
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Create account"))


class ToggleForm(FlaskForm):
    """A button that flips an account between active and deactivated."""

    submit = SubmitField(_l("Change"))


class BlueprintForm(FlaskForm):
    """What an assessment of one grade contains. Per-competency counts are added at runtime."""

    time_limit_minutes = IntegerField(
        _l("Time limit (minutes)"), validators=[NumberRange(min=5, max=480)]
    )
    task_kinds = SelectMultipleField(
        _l("Kinds of coding task to draw from"),
        choices=[SelectChoice(kind, kinds.view(kind).label) for kind in kinds.names()],
        validate_choice=True,
    )
    task_count = IntegerField(
        _l("Coding tasks per attempt (each of a different kind while kinds last)"),
        default=2,
        validators=[NumberRange(min=0, max=6)],
    )
    break_minutes = IntegerField(
        _l("Break between the quiz and the coding tasks, the clock stopped (minutes; 0: none)"),
        default=0,
        validators=[NumberRange(min=0, max=60)],
    )
    adaptive = BooleanField(
        _l("Adaptive: choose each next question from the candidate's answers so far")
    )
    se_target = DecimalField(
        _l("Adaptive: stop a competency once its standard error is at most (0.2 to 1.0)"),
        places=2,
        default=0.4,
        validators=[NumberRange(min=0.2, max=1.0)],
    )
    submit = SubmitField(_l("Save blueprint"))


def blueprint_form_class(codes: list[str]) -> type[BlueprintForm]:
    """A BlueprintForm with one 0..20 count field per competency code."""

    class Form(BlueprintForm):
        pass

    for code in codes:
        setattr(
            Form,
            f"count_{code}",
            IntegerField(code, default=0, validators=[NumberRange(min=0, max=20)]),
        )
    return Form


class PrivacyNoticeForm(FlaskForm):
    """The privacy notice candidates read on the invitation's page (empty: the default)."""

    notice = TextAreaField(
        _l("Privacy notice for candidates"), validators=[Optional(), Length(max=4000), MultiLine()]
    )
    submit = SubmitField(_l("Save the notice"))
