"""The kinds of notice: what each is called in settings, and how urgently a push carries it.

Each kind can be turned off per account. A dependant's kinds go to the main insured; the
others to the person themself (a newborn's, to the mother and the main insured).
"""

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

DAY = 24 * 3600


@dataclass(frozen=True)
class NoticeKind:
    """One kind of notice: its settings label, the push's `Urgency` and `TTL` (seconds)."""

    name: str
    label: LazyString
    urgency: str
    ttl: int
    screen: str  # the PWA screen a notice of this kind opens


KINDS: dict[str, NoticeKind] = {
    kind.name: kind
    for kind in (
        NoticeKind("coverage_gained", _l("My cover starts"), "normal", 2 * DAY, "/#/home"),
        NoticeKind(
            "coverage_lost",
            _l("My cover stops after a change in my records"),
            "high",
            3 * DAY,
            "/#/home",
        ),
        NoticeKind(
            "expiry_earlier", _l("My expiry date moves earlier"), "normal", 2 * DAY, "/#/home"
        ),
        NoticeKind("expiry_later", _l("My expiry date moves later"), "normal", 2 * DAY, "/#/home"),
        NoticeKind("coverage_ending", _l("My cover ends within 7 days"), "normal", DAY, "/#/home"),
        NoticeKind(
            "coverage_ended", _l("My cover runs out (on the day)"), "high", 3 * DAY, "/#/home"
        ),
        NoticeKind(
            "dependant_gained", _l("A dependant's cover starts"), "normal", 2 * DAY, "/#/family"
        ),
        NoticeKind(
            "dependant_lost",
            _l("A dependant's cover stops after a change in records"),
            "high",
            3 * DAY,
            "/#/family",
        ),
        NoticeKind(
            "dependant_expiry_earlier",
            _l("A dependant's expiry date moves earlier"),
            "normal",
            2 * DAY,
            "/#/family",
        ),
        NoticeKind(
            "dependant_expiry_later",
            _l("A dependant's expiry date moves later"),
            "normal",
            2 * DAY,
            "/#/family",
        ),
        NoticeKind(
            "dependant_ending",
            _l("A dependant's cover ends within 7 days"),
            "normal",
            DAY,
            "/#/family",
        ),
        NoticeKind(
            "dependant_ended",
            _l("A dependant's cover runs out (on the day)"),
            "high",
            3 * DAY,
            "/#/family",
        ),
        NoticeKind(
            "newborn_ending",
            _l("A newborn's cover under the mother is ending"),
            "high",
            DAY,
            "/#/family",
        ),
        NoticeKind(
            "document_reminder",
            _l("A dependant will need a document soon (a reminder ahead of the day)"),
            "normal",
            3 * DAY,
            "/#/family",
        ),
        NoticeKind(
            "prescription_written",
            _l("A prescription is written under my national code"),
            "high",
            DAY,
            "/#/records",
        ),
        NoticeKind(
            "prescription_cancelled",
            _l("A prescription of mine is cancelled by the doctor"),
            "high",
            DAY,
            "/#/records",
        ),
        NoticeKind(
            "repeat_due",
            _l("The next part of a repeat prescription can soon be received"),
            "normal",
            3 * DAY,
            "/#/records",
        ),
        NoticeKind(
            "sign_in",
            _l("A new sign-in or passkey on my account"),
            "high",
            DAY,
            "/#/settings",  # the devices list, where that session can be ended
        ),
        NoticeKind(
            "record_read",
            _l("A provider or SSO staff read my health record"),
            "normal",
            DAY,
            "/#/records/access-log",
        ),
        NoticeKind(
            "objection_status",
            _l("My objection (1420) moves on"),
            "normal",
            3 * DAY,
            "/#/objections",
        ),
        NoticeKind(
            "document_status",
            _l("A document I sent is accepted or refused"),
            "normal",
            3 * DAY,
            "/#/documents",
        ),
    )
}

# The outbox kinds the worker turns into notices; any other kind is left for its own consumer.
OUTBOX_KINDS = (
    "coverage_changed",
    "coverage_ending",
    "coverage_ended",
    "newborn_ending",
    "document_reminder",
    "prescription_written",
    "prescription_cancelled",
    "repeat_due",
    "record_read",
    "sign_in",
    "objection_status",
    "document_status",
)

# A person's own coverage kind → the kind the main insured gets about them as a dependant.
DEPENDANT_KIND = {
    "coverage_gained": "dependant_gained",
    "coverage_lost": "dependant_lost",
    "expiry_earlier": "dependant_expiry_earlier",
    "expiry_later": "dependant_expiry_later",
    "coverage_ending": "dependant_ending",
    "coverage_ended": "dependant_ended",
}
