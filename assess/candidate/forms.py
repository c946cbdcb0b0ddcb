"""Forms of the candidate's pages (buttons that change state, each with a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from assess.textrules import MultiLine


class StartForm(FlaskForm):
    """Start (or continue) the assessment after reading the rules."""

    agree = BooleanField(
        _l("I have read the rules and will work on my own."), validators=[DataRequired()]
    )
    submit = SubmitField(_l("Start the assessment"))


class ContinueForm(FlaskForm):
    """Continue an attempt already started (on this or another device)."""

    submit = SubmitField(_l("Continue the assessment"))


class PracticeDoneForm(FlaskForm):
    """Leave the practice round for the invitation's page."""

    submit = SubmitField(_l("I am done practising"))


class SectionForm(FlaskForm):
    """End the quiz section (the break begins) or the break (the coding section begins)."""

    submit = SubmitField(_l("Continue"))


class FinishForm(FlaskForm):
    """End the attempt before the deadline."""

    submit = SubmitField(_l("Finish the assessment"))


class ErasureForm(FlaskForm):
    """Ask to be forgotten (a recruiter confirms; nothing is deleted at once)."""

    confirm = BooleanField(
        _l("I understand that my answers and code will be removed once a recruiter confirms."),
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Ask to delete my data"))


class FeedbackForm(FlaskForm):
    """The two optional survey questions after the assessment."""

    fairness = RadioField(
        _l("How fair did the assessment feel? (1 = not at all, 5 = completely)"),
        choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
        validators=[Optional()],
    )
    comment = TextAreaField(
        _l("Anything you would like to tell us (optional)"),
        validators=[Optional(), Length(max=1000), MultiLine()],
    )
    submit = SubmitField(_l("Send feedback"))


class AccommodationRequestForm(FlaskForm):
    """Ask the recruiter for extra time or another adjustment before starting."""

    request = TextAreaField(
        _l("What would help you take the assessment fairly?"),
        validators=[DataRequired(), Length(max=1000), MultiLine()],
    )
    submit = SubmitField(_l("Send the request"))
