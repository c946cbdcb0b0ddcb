"""Forms of live interviews."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from assess.textrules import MultiLine, SingleLine


class ScheduleForm(FlaskForm):
    """Open a live interview: a title, a starting task (or a blank pad), an optional time."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), SingleLine()])
    task = SelectField(_l("Starting task"), choices=[], validate_choice=True)
    scheduled_for = DateTimeLocalField(
        _l("Scheduled for (UTC, optional)"), validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )
    submit = SubmitField(_l("Open the live interview"))


class NoteForm(FlaskForm):
    """A private note in the staff panel."""

    text = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=2000), MultiLine()])


class EndForm(FlaskForm):
    """A button that changes the interview (end it, revoke the link)."""

    submit = SubmitField(_l("End the interview"))
