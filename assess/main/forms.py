"""Forms of the front door."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


class LanguageForm(FlaskForm):
    """Choose the interface language."""

    locale = SelectField(
        _l("Language"), choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]
    )
    submit = SubmitField(_l("Change"))
