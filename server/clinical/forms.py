"""The clinical forms of the web for centres (Flask-WTF, with CSRF): an allergy seen in a visit."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..web.fields import REQUIRED

SEVERITY_LABELS = {
    "mild": _l("Mild"),
    "moderate": _l("Moderate"),
    "severe": _l("Severe"),
}


class AllergyForm(FlaskForm):
    """What the patient is allergic to, what it did, how badly."""

    ingredient = StringField(
        _l("Ingredient or class (as the catalogue names it)"),
        [DataRequired(REQUIRED), Length(min=2, max=100)],
    )
    reaction = StringField(_l("Reaction"), [DataRequired(REQUIRED), Length(min=2, max=300)])
    severity = SelectField(
        _l("Severity"), choices=[SelectChoice(key, label) for key, label in SEVERITY_LABELS.items()]
    )
