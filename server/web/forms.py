"""The two sign-in steps both webs ask the same way (Flask-WTF, with CSRF): who you are, by
national code and mobile, then the code that came by SMS."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from .fields import MobileField, NationalCodeField, SmsCodeField


class SignInForm(FlaskForm):
    """Step one: national code and mobile."""

    # the national code names who signs in: the browser may offer it, and passkeys, there
    national_code = NationalCodeField(_l("National code"), render_kw={"autocomplete": "username"})
    mobile = MobileField(_l("Mobile number"))


class CodeForm(FlaskForm):
    """Step two: the code that came by SMS."""

    code = SmsCodeField(_l("Code sent by SMS"))
