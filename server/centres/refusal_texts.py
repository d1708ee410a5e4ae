"""What the refusals of centres' operations say (`server/web/refusals.py` maps them to answers)."""

from flask_babel import gettext

from .documents import DOCUMENT_LABELS


def _document_missing(field: str | None = None, **_) -> str:
    """One document missing (named by its field), or some of the four."""
    if field in DOCUMENT_LABELS:
        return gettext("Please attach the %(document)s.", document=DOCUMENT_LABELS[field])
    return gettext("Please attach all four documents.")


TEXTS = {
    "member_mobile_mismatch": lambda **_: gettext(
        "This national code and mobile number do not match the registry."
    ),
    "unknown_kind": lambda **_: gettext("This kind of centre is not known."),
    "unknown_centre": lambda **_: gettext("No centre has this id."),
    "contract_overlaps": lambda **_: gettext(
        "This centre already has a contract over some of these days."
    ),
    "contract_ends_before_it_starts": lambda **_: gettext(
        "A contract cannot end before it starts."
    ),
    "rejection_not_pending": lambda **_: gettext(
        "Only a registration that is waiting can be rejected."
    ),
    "unknown_role": lambda **_: gettext("This role is not known."),
    "already_member": lambda **_: gettext("This person is already a member of this centre."),
    "unknown_member": lambda **_: gettext("No member of this centre has this id."),
    "last_admin": lambda **_: gettext("The centre's last administrator cannot be removed."),
    "name_mismatch": lambda **_: gettext(
        "The name does not match the registry for this national code."
    ),
    "council_number_taken": lambda **_: gettext(
        "This medical council number is already registered."
    ),
    "document_missing": _document_missing,
    "document_too_large": lambda field, **_: gettext(
        "The %(document)s is larger than 5 MB. Please send a smaller file.",
        document=DOCUMENT_LABELS[field],
    ),
    "document_type": lambda field, **_: gettext(
        "The %(document)s must be a PDF, JPEG or PNG file.", document=DOCUMENT_LABELS[field]
    ),
    "invalid_scopes": lambda **_: gettext(
        "Choose at least one permission that this kind of centre may have."
    ),
    "unknown_token": lambda **_: gettext("No token has this id."),
    "revoked_token": lambda **_: gettext("This token has been revoked."),
}
