"""Forms of the interviewer's desk."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from assess.models import Recommendation
from assess.textrules import MultiLine

RECOMMENDATION_LABELS = {
    Recommendation.STRONG_NO: _l("Strong no"),
    Recommendation.NO: _l("No"),
    Recommendation.YES: _l("Yes"),
    Recommendation.STRONG_YES: _l("Strong yes"),
}


class InterviewForm(FlaskForm):
    """The recommendation and its reason (rubric scores are fields named per competency)."""

    recommendation = SelectField(
        _l("Recommendation"),
        choices=[SelectChoice("", _l("Not decided yet"))]
        + [SelectChoice(r.value, label) for r, label in RECOMMENDATION_LABELS.items()],
    )
    reason = TextAreaField(_l("Reason"), validators=[Length(max=5000), MultiLine()])
    submit = SubmitField(_l("Save interview"))


class AssignForm(FlaskForm):
    """Assign an interviewer to an attempt."""

    interviewer = SelectField(_l("Interviewer"), coerce=int, choices=[])
    submit = SubmitField(_l("Assign"))


class ActionForm(FlaskForm):
    """A button that changes something (CSRF only): re-grade, withdraw an assignment."""

    submit = SubmitField(_l("Confirm"))
