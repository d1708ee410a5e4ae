"""`POST /api/ussd` and `POST /api/sms/inbound`: called by operators' gateways, never browsers
(so no cookies and no CSRF token: the body's X-Signature authenticates them)."""

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext

from ..auth.sms import SmsDeliveryError, backend_from_config
from ..domain.mobile import InvalidMobile, normalise_mobile
from ..domain.refusal import TooMany, Unavailable
from ..web.refusals import error_response
from ..web.toolkit import operation
from . import sms_inbound, ussd
from .gateway import InquiryLimits, gateway_signed
from .schemas import SmsInbound, SmsInboundAnswer

bp = Blueprint("channels", __name__, url_prefix="/api")


def _plain(text: str, status: int = 200) -> Response:
    """A text/plain answer, as USSD gateways expect."""
    return Response(text, status, mimetype="text/plain")


def _refuse_plain(status: int, code: str, message: str) -> Response:
    """A refused USSD call: the message alone, in plain text."""
    return _plain(message, status)


@bp.post("/ussd")
@gateway_signed(_refuse_plain)
@operation(
    "USSD gateway: form fields sessionId, phoneNumber, serviceCode, text (`*`-joined inputs); "
    "answers text/plain `CON …` or `END …`; signed with X-Signature",
    errors=(400, 401, 503),
)
def ussd_session():
    """One step of a USSD session: the page for the inputs so far."""
    form = request.form
    if not all(form.get(name) for name in ("sessionId", "phoneNumber", "serviceCode")):
        return _plain(gettext("The gateway's request is incomplete."), 400)
    if form["serviceCode"] not in current_app.config["DARMAN_USSD_SERVICE_CODES"]:
        return _plain(ussd.end(gettext("This service code is not known.")).render())
    try:
        mobile = normalise_mobile(form["phoneNumber"])
    except InvalidMobile:
        return _plain(ussd.end(gettext("This service is for Iranian mobile numbers.")).render())
    text = form.get("text", "")
    inputs = [part.strip() for part in text.split("*")] if text else []
    allowed = InquiryLimits.from_config(current_app.config)
    return _plain(ussd.respond(mobile, inputs, allowed).render())


@bp.post("/sms/inbound")
@gateway_signed(error_response)
@operation(
    "Inbound SMS from the SMS provider {from, text}: answered by SMS; signed with X-Signature",
    request_schema=SmsInbound,
    response=SmsInboundAnswer,
    errors=(400, 401, 429, 503),
)
def sms_message(body: SmsInbound):
    """Answer a message holding a national code (or explain how to ask) by SMS."""
    try:
        allowed = InquiryLimits.from_config(current_app.config)
        sms = backend_from_config(current_app.config)
        wait = sms_inbound.reply_to(body.sender, body.text, allowed, sms)
    except SmsDeliveryError as error:
        current_app.logger.warning("SMS reply not delivered: status %s", error.status)
        raise Unavailable("sms_unavailable") from None
    if wait:
        raise TooMany("rate_limited", retry_after=wait)
    return {"replied": True}
