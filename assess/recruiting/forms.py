"""Forms of the recruiting area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from assess.models import GradeCode
from assess.textrules import MultiLine, SingleLine

GRADE_LABELS = {
    GradeCode.JUNIOR: _l("Junior"),
    GradeCode.MIDDLE: _l("Middle"),
    GradeCode.SENIOR: _l("Senior"),
}


class PositionForm(FlaskForm):
    """A new position."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), SingleLine()])
    grade = SelectField(
        _l("Target grade"),
        choices=[SelectChoice(g.value, label) for g, label in GRADE_LABELS.items()],
    )
    show_result_summary = BooleanField(_l("Show candidates a short result summary"))
    reminder_after_days = IntegerField(
        _l("Remind candidates who have not opened their link after (days)"),
        validators=[Optional(), NumberRange(min=1, max=30)],
    )
    submit = SubmitField(_l("Create position"))


class InviteForm(FlaskForm):
    """Invite one candidate."""

    name = StringField(
        _l("Candidate's name"), validators=[DataRequired(), Length(max=200), SingleLine()]
    )
    email = EmailField(_l("Candidate's email"), validators=[DataRequired(), Length(max=254)])
    valid_days = IntegerField(
        _l("Link valid for (days)"), default=14, validators=[NumberRange(min=1, max=90)]
    )
    send_email = BooleanField(_l("Also email the link to the candidate"))
    submit = SubmitField(_l("Create invitation"))


class CsvInviteForm(FlaskForm):
    """Invite many candidates from a CSV file of name,email rows."""

    file = FileField(
        _l("CSV file (name,email per line)"),
        validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("A .csv file, please."))],
    )
    submit = SubmitField(_l("Upload and invite"))


class RevokeForm(FlaskForm):
    """Withdraw an invitation."""

    submit = SubmitField(_l("Withdraw"))


class ExtraTimeForm(FlaskForm):
    """Extra time an invitation's attempt will start with (an accommodation)."""

    percent = IntegerField(
        _l("Extra time as a share of the time limit (%)"),
        default=0,
        validators=[InputRequired(), NumberRange(min=0, max=200)],
    )
    minutes = IntegerField(
        _l("Extra minutes"), default=0, validators=[InputRequired(), NumberRange(min=0, max=600)]
    )
    reason = TextAreaField(
        _l("Why (kept in the audit log, never shown to interviewers)"),
        validators=[DataRequired(), Length(max=500), MultiLine()],
    )
    submit = SubmitField(_l("Save the extra time"))


class ExtendForm(FlaskForm):
    """Minutes added to an attempt in progress."""

    minutes = IntegerField(
        _l("Minutes to add"), validators=[InputRequired(), NumberRange(min=1, max=600)]
    )
    reason = TextAreaField(
        _l("Why (kept in the audit log, never shown to interviewers)"),
        validators=[DataRequired(), Length(max=500), MultiLine()],
    )
    submit = SubmitField(_l("Extend the attempt"))


class ForgetForm(FlaskForm):
    """Confirm a candidate's request to be forgotten."""

    submit = SubmitField(_l("Confirm and delete"))


class ReminderForm(FlaskForm):
    """When unopened links get their one reminder (empty: never)."""

    days = IntegerField(
        _l("Remind candidates who have not opened their link after (days)"),
        validators=[Optional(), NumberRange(min=1, max=30)],
    )
    submit = SubmitField(_l("Save the reminder setting"))
