"""Forms of the integrations pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from assess.textrules import SingleLine
from assess.webhooks.registry import EVENTS

EVENT_LABELS = {
    "attempt.finished": _l("An attempt is finished"),
    "attempt.scored": _l("An attempt is scored"),
    "interview.finished": _l("A live interview has ended"),
}
WHOLE_ORGANISATION = "0"


class TokenForm(FlaskForm):
    """A new personal API token."""

    name = StringField(
        _l("Token name (what it is for)"),
        validators=[DataRequired(), Length(max=100), SingleLine()],
    )
    submit = SubmitField(_l("Create token"))


class WebhookForm(FlaskForm):
    """A new webhook."""

    url = StringField(
        _l("URL (http or https)"), validators=[DataRequired(), Length(max=2000), SingleLine()]
    )
    events = SelectMultipleField(
        _l("Events"),
        choices=[SelectChoice(event, EVENT_LABELS[event]) for event in EVENTS],
        default=list(EVENTS),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[DataRequired()],
    )
    scope = SelectField(
        _l("Events of"), choices=[SelectChoice(WHOLE_ORGANISATION, _l("every position"))]
    )
    submit = SubmitField(_l("Register webhook"))


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (revoke, delete)."""
