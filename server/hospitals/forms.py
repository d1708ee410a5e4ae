"""The hospitals' web forms: an admission (in the web for centres) and an overlap's resolution
(in the staff console)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..web.fields import REQUIRED, DayField, NationalCodeField

NOT_A_DATE = _l("This date is not valid. Please check it.")


class AdmissionForm(FlaskForm):
    """A patient admitted by national code, or a newborn by the mother's code and birth date."""

    national_code = NationalCodeField(_l("Patient's national code"), required=False)
    mother_national_code = NationalCodeField(
        _l("Or, for a newborn: the mother's national code"), required=False
    )
    birth_date = DayField(
        _l("Newborn's birth date (Jalali, e.g. 1405/08/25)"), required=False,
        unreadable=NOT_A_DATE, description="",  # the label says how
    )  # fmt: skip
    admitted_on = DayField(_l("Admission date (Jalali)"), message=REQUIRED, unreadable=NOT_A_DATE)
    ward = StringField(_l("Ward"), [DataRequired(REQUIRED), Length(max=100)])

    def validate(self, extra_validators=None) -> bool:
        """The fields, then exactly one way of naming the patient."""
        if not super().validate(extra_validators):
            return False
        newborn = bool(self.mother_national_code.data or self.birth_date.data)
        if bool(self.national_code.data) == newborn:
            self.national_code.errors = [
                _l("Type the patient's national code, or the mother's code and the birth date.")
            ]
            return False
        if newborn and not (self.mother_national_code.data and self.birth_date.data):
            self.birth_date.errors = [_l("Please type the newborn's birth date.")]
            return False
        return True


class ResolveForm(FlaskForm):
    """How an overlap of insurers was handled."""

    note = TextAreaField(_l("How it was resolved"), [DataRequired(REQUIRED), Length(max=500)])
