"""The console's forms (Flask-WTF, CSRF on every one): labels, validators, Persian errors."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..web.fields import REQUIRED, DayField, MobileField, NationalCodeField, WholeNumberField
from ..web.forms import CodeForm as CodeForm  # the sign-in steps are the shell's
from ..web.forms import SignInForm as SignInForm
from .branch import DOCUMENT_KINDS
from .documents import DOCUMENT_KIND_LABELS
from .objections import STATUS_LABELS


class EmptyForm(FlaskForm):
    """A button with its CSRF token only (sign out)."""


class FindPersonForm(FlaskForm):
    """The branch looks a person up by national code."""

    national_code = NationalCodeField(_l("National code"))


class FindByNameForm(FlaskForm):
    """The branch looks a person up by first name and surname (as they start)."""

    first_name = StringField(_l("First name"), validators=[DataRequired(REQUIRED), Length(max=60)])
    last_name = StringField(_l("Surname"), validators=[DataRequired(REQUIRED), Length(max=60)])


class CentreSearchForm(FlaskForm):
    """Medical staff find an active centre by part of its name (a GET: nothing changes)."""

    class Meta:
        csrf = False

    name = StringField(_l("Centre's name"), validators=[Length(max=200)])


class IdentityDocumentForm(FlaskForm):
    """A branch action that needs an identity document seen first: its kind and number."""

    document_kind = SelectField(
        _l("Identity document seen"),
        choices=[SelectChoice(key, label) for key, label in DOCUMENT_KINDS.items()],
        validators=[DataRequired(REQUIRED)],
    )
    document_number = StringField(
        _l("Document number"), validators=[DataRequired(REQUIRED), Length(max=40)]
    )


class MobileForm(IdentityDocumentForm):
    """The branch registers a new mobile after seeing an identity document."""

    mobile = MobileField(_l("New mobile number"), render_kw={"autocomplete": "off"})
    mobile_again = MobileField(_l("New mobile number, again"), render_kw={"autocomplete": "off"})

    def validate(self, extra_validators=None) -> bool:
        """The new number typed twice, the same both times (a typo would lock the person out)."""
        if not super().validate(extra_validators):
            return False
        if self.mobile.data != self.mobile_again.data:
            self.mobile_again.errors.append(
                _l("The two numbers are not the same. Please type the new number again.")
            )
            return False
        return True


class AnswerForm(FlaskForm):
    """Staff set an objection's status and write the answer."""

    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(key, label) for key, label in STATUS_LABELS.items() if key != "received"
        ],
        validators=[DataRequired(REQUIRED)],
    )
    answer = TextAreaField(_l("Answer to the person (in Persian)"), validators=[Length(max=4000)])
    flag_provider = BooleanField(_l("Put the provider's entry under review"))


class ApproveForm(FlaskForm):
    """Medical staff approve a registration (the button and its CSRF token)."""


REASON_CHECKS = [
    DataRequired(_l("Please write the reason.")),
    Length(max=500, message=_l("Please keep the reason within 500 characters.")),
]


class ReasonForm(FlaskForm):
    """Reject a registration or suspend a centre: the reason is required and sent to them."""

    reason = TextAreaField(_l("Reason"), validators=REASON_CHECKS)


class ContractRefusalForm(FlaskForm):
    """Refuse a centre's contract request: the reason is required and sent to its admins (its
    own label and prefix: the same page may ask for a registration's reason too)."""

    reason = TextAreaField(_l("Why the contract request is refused"), validators=REASON_CHECKS)


class ContractForm(FlaskForm):
    """Medical staff make a centre's contract: its first day, and its last if it has one."""

    valid_from = DayField(
        _l("First day of the contract"), message=_l("Please write the day the contract starts.")
    )
    valid_until = DayField(_l("Last day (optional)"), required=False)


class PasskeyResetForm(IdentityDocumentForm):
    """The branch removes a person's passkeys of one realm (a lost device) after seeing an
    identity document; the person then makes a new one after an SMS sign-in."""

    realm = SelectField(
        _l("Passkeys of"),
        choices=[
            SelectChoice("citizen", _l("The Darman app")),
            SelectChoice("centre", _l("The web for centres")),
        ],
        validators=[DataRequired(REQUIRED)],
    )


class ReviewLineForm(FlaskForm):
    """Claims staff deduct from a claim line's SSO share, or reject the line, with a reason
    (the button pressed says which); the line by its number in the month's table."""

    line = WholeNumberField(_l("Line number"))
    amount = WholeNumberField(_l("Deduction (rials)"), required=False)
    reason = TextAreaField(_l("Reason for the deduction"))  # checked by the operation
    deduct = SubmitField(_l("Deduct"))
    reject = SubmitField(_l("Reject the whole line"))


class SettlementDayForm(FlaskForm):
    """Which day's settlement to show (a GET form: nothing to forge)."""

    class Meta:
        csrf = False

    day = DayField(_l("Day"), required=False)


class SpecialPatientForm(FlaskForm):
    """Medical staff put a person on the special-patients list: the condition and its days."""

    condition = StringField(
        _l("Condition (as the list names it)"),
        validators=[DataRequired(REQUIRED), Length(max=100)],
    )
    valid_from = DayField(_l("From"), message=_l("Please write the first day."))
    valid_until = DayField(_l("Until (optional)"), required=False)


class DocumentAcceptForm(FlaskForm):
    """Insurance staff accept a document sent from the app: the period it holds for."""

    valid_from = DayField(
        _l("First day the document holds"), message=_l("Please write the day the document starts.")
    )
    valid_until = DayField(_l("Last day (empty: no end)"), required=False)


class DocumentRefusalForm(FlaskForm):
    """Insurance staff refuse a document: the reason is required and shown to the family."""

    reason = TextAreaField(
        _l("Why it is not accepted (the family sees this)"), validators=REASON_CHECKS
    )


class BranchDocumentForm(IdentityDocumentForm):
    """The branch records a document shown in person, after an identity document was seen."""

    kind = SelectField(
        _l("Document shown"),
        choices=[SelectChoice(key, label) for key, label in DOCUMENT_KIND_LABELS.items()],
        validators=[DataRequired(REQUIRED)],
    )
    valid_from = DayField(
        _l("First day the document holds"), message=_l("Please write the day the document starts.")
    )
    valid_until = DayField(_l("Last day (empty: no end)"), required=False)
