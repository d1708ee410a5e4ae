"""The forms of prescribing and dispensing in the web for centres (Flask-WTF, with CSRF).

Item rows are a FieldList, so each row has its own label, id and error; quantities are typed in
any digits and read as whole numbers here. The operations check everything else."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..domain.digits import to_latin_digits, whole_number
from ..domain.national_code import InvalidNationalCode, normalise
from ..records.schemas import MAX_ITEMS
from ..web.fields import REQUIRED

NOT_A_CODE = _l(
    "Please type the patient's 10-digit national code or the 12-digit prescription code."
)
ROWS = 3  # empty rows on a new prescription; «ردیف دیگر» adds one more
# A repeat's parts: 1 is an ordinary prescription; 7–12 only for a special patient (the write
# operation checks the list).
PARTS_CHOICES = [SelectChoice("1", _l("One (not a repeat)"))] + [
    SelectChoice(str(n), str(n)) for n in range(2, 13)
]


def _whole_number(form, field) -> None:
    """A whole number in any digits (empty allowed: an empty row); kept as Latin digits."""
    value = to_latin_digits((field.data or "").strip())
    if value and whole_number(value, 0, 100000) is None:
        raise ValidationError(_l("Please type a whole number."))
    field.data = value


class ItemForm(Form):
    """One row: what (a catalogue code, chosen by name as you type), how many, how to take it."""

    code = StringField(_l("Drug or service"), [Optional(), Length(max=40)])
    quantity = StringField(_l("Quantity"), [_whole_number])
    instructions = StringField(_l("Instructions"), [Optional(), Length(max=300)])
    # A hospital's item it lacks (the rows show these to hospitals only).
    obtain_outside = BooleanField(_l("To be got outside (not available here)"))
    outside_reason = StringField(_l("Why outside"), [Optional(), Length(max=300)])


class AcknowledgementForm(Form):
    """The doctor's reason for writing through one major interaction or duplicate."""

    finding = HiddenField()  # the pair's id in the write operation's answer
    reason = StringField(_l("Reason for writing both"), [Optional(), Length(max=300)])


class AllergyReasonForm(Form):
    """The doctor's reason for writing an item the patient is recorded as allergic to."""

    allergy = HiddenField()  # the allergy's id in the write operation's 409
    reason = StringField(
        _l("Reason for writing it despite the allergy"), [Optional(), Length(max=300)]
    )


class PrescriptionForm(FlaskForm):
    """A new prescription for the patient of an eligibility inquiry."""

    type = SelectField(_l("Type"))
    diagnosis = StringField(_l("Diagnosis"), [Optional(), Length(max=500)])
    parts = SelectField(
        _l("Monthly parts (a repeat prescription: each quantity is one month's)"),
        choices=PARTS_CHOICES,
        default="1",
    )
    diagnoses = StringField(_l("Diagnoses (ICD-10 codes)"), [Optional(), Length(max=120)])
    items = FieldList(FormField(ItemForm), min_entries=1, max_entries=MAX_ITEMS)
    acknowledgements = FieldList(FormField(AcknowledgementForm), max_entries=MAX_ITEMS)
    allergy_reasons = FieldList(FormField(AllergyReasonForm), max_entries=MAX_ITEMS)
    favourite_name = StringField(_l("Name of the favourite"), [Optional(), Length(max=100)])
    key = HiddenField()  # an idempotency key: a second click or a reload writes nothing twice


class CancelForm(FlaskForm):
    """The doctor cancels a prescription they wrote: why, and (once something of it is
    delivered) which items' rest."""

    reason = StringField(_l("Why it is cancelled"), [DataRequired(REQUIRED), Length(max=300)])


class RenameForm(FlaskForm):
    """A favourite's new name."""

    name = StringField(_l("New name"), [DataRequired(REQUIRED), Length(max=100)])


def _national_or_prescription_code(form, field) -> None:
    """A national code, or a 12-digit code: a prescription's or a foreign national's FIDA
    number (`normalise` keeps 12 digits as they are), in any digits, spaces and dashes allowed."""
    try:
        field.data = normalise(field.data or "")
    except InvalidNationalCode:
        raise ValidationError(NOT_A_CODE) from None


class PatientForm(FlaskForm):
    """A centre finds what to deliver: by the patient's national code, or by the prescription
    code the patient received by SMS."""

    code = StringField(
        _l("Patient's national code or prescription code"),
        [DataRequired(REQUIRED), _national_or_prescription_code],
        render_kw={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"},
    )
