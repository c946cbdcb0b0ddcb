"""Forms of the insights area: retiring a question from draws and returning it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from assess.services.item_review import MAX_REASON
from assess.textrules import MultiLine

BACK_TO = ("items", "detail")  # the page a form returns to


class RetireForm(FlaskForm):
    """Take a question out of the organisation's future draws, saying why."""

    reason = TextAreaField(
        _l("Why retire it (kept with the question and in the audit log)"),
        validators=[DataRequired(), Length(max=MAX_REASON), MultiLine()],
    )
    back = HiddenField(default="detail", validators=[AnyOf(BACK_TO)])
    submit = SubmitField(_l("Retire from draws"))


class ReturnForm(FlaskForm):
    """Let the organisation's draws pick a retired question again."""

    back = HiddenField(default="detail", validators=[AnyOf(BACK_TO)])
    submit = SubmitField(_l("Return to draws"))


def form_prefix(kind: str, key: str) -> str:
    """The field prefix of one question's form, unique on a page that lists several."""
    return f"{kind}-{key}-"
