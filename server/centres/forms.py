"""The web for centres' forms (Flask-WTF, with CSRF): typed values are normalised here, so the
views get a 10-digit national code, an 09… mobile and a date whatever digits were typed."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..domain.digits import to_latin_digits
from ..models import MEMBER_ROLES, TOKEN_SCOPES
from ..web.fields import REQUIRED, DayField, MobileField, NationalCodeField
from ..web.forms import CodeForm as CodeForm  # the sign-in steps are the shell's
from ..web.forms import SignInForm as SignInForm


def _digits(form, field) -> None:
    """Digits only (Persian and Arabic accepted), stored in Latin digits."""
    value = to_latin_digits((field.data or "").strip())
    if value and not (value.isascii() and value.isdigit()):
        raise ValidationError(_l("Please type digits only."))
    field.data = value


class EligibilityForm(FlaskForm):
    """A patient by national code."""

    national_code = NationalCodeField(_l("Patient's national code"), required=False)

    def validate(self, extra_validators=None) -> bool:
        """The national code is required, with its own words."""
        if not super().validate(extra_validators):
            return False
        if not self.national_code.data:
            self.national_code.errors.append(_l("Please type the patient's national code."))
            return False
        return True


class NewbornForm(FlaskForm):
    """A newborn without a national code: the mother's code and the birth date (its own form,
    so that a patient's code left in the other one never blocks it)."""

    mother_national_code = NationalCodeField(_l("Mother's national code"))
    birth_date = DayField(
        _l("Newborn's birth date (Jalali, e.g. 1405/08/25)"),
        message=_l("Please type the newborn's birth date."),
        unreadable=_l("The birth date is not valid. Please check it."),
        description="",  # the label says how
    )


class MemberForm(FlaskForm):
    """An admin adds a member: who, and in which role."""

    national_code = NationalCodeField(_l("National code"))
    mobile = MobileField(_l("Mobile number"))
    role = SelectField(_l("Role"), choices=[SelectChoice(role) for role in MEMBER_ROLES])
    medical_council_number = StringField(
        _l("Medical council number (doctors)"), [Optional(), Length(max=20), _digits]
    )
    specialty = StringField(_l("Specialty (doctors)"), [Optional(), Length(max=100)])


class TokenForm(FlaskForm):
    """An admin makes an API token."""

    name = StringField(
        _l("Token name (e.g. the clinic's software)"), [DataRequired(REQUIRED), Length(max=100)]
    )
    scopes = SelectMultipleField(
        _l("Permissions"),
        choices=[SelectChoice(scope) for scope in TOKEN_SCOPES],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )


class ConfirmForm(FlaskForm):
    """A button that changes something (remove a member, revoke a token, sign out): CSRF only."""


class RegistrationForm(FlaskForm):
    """A doctor registers an office, with the four documents of seed 002 (the name is the
    registry's: not asked)."""

    medical_council_number = StringField(
        _l("Medical council number"), [DataRequired(REQUIRED), Length(max=20), _digits]
    )
    specialty = StringField(_l("Specialty"), [DataRequired(REQUIRED), Length(max=100)])
    office_name = StringField(_l("Office name"), [DataRequired(REQUIRED), Length(max=200)])
    city = StringField(_l("City"), [DataRequired(REQUIRED), Length(max=100)])
    address = StringField(_l("Address"), [DataRequired(REQUIRED), Length(max=300)])
    contract_requested = BooleanField(
        _l("I ask for a contract with the Social Security Organization")
    )
    council_card = FileField(_l("Medical council card"))
    national_card = FileField(_l("National card"))
    medical_licence = FileField(_l("Permanent or temporary medical licence"))
    activity_licence = FileField(_l("Activity licence (office)"))
