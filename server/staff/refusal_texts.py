"""What the staff console's and the objections' refusals say (`server/web/refusals.py` maps
them to answers).

The sign-in's refusals are shown on its pages only, beside a field; those of its SMS codes are
the sign-in kit's, the same in every realm.
"""

from flask_babel import gettext

TEXTS = {
    # the special-patients list (special_patients.py)
    "special_patient_exists": lambda **_: gettext(
        "This person is already on the list for this condition from that day."
    ),
    "special_patient_ended": lambda **_: gettext("This entry has already ended."),
    "ends_before_start": lambda **_: gettext("The last day cannot be before the first."),
    # sign-in (sign_in.py): the codes' own refusals are the sign-in kit's
    "not_staff": lambda **_: gettext("This national code and mobile do not match a staff account."),
    # the branch's mobile registration (branch.py)
    "staff_invalid_mobile": lambda **_: gettext(
        "The mobile number is not valid. Please check it (09xxxxxxxxx)."
    ),
    "person_deceased": lambda **_: gettext(
        "This person's death has been recorded; no mobile can be registered."
    ),
    "same_mobile": lambda **_: gettext("This is already the mobile on file."),
    "document_required": lambda **_: gettext("Please record the identity document."),
    # a lost device's passkeys (lost_passkey.py)
    "passkey_realm": lambda **_: gettext(
        "Please choose whose passkeys: the app's or the centres'."
    ),
    "no_passkeys": lambda **_: gettext("This person has no passkey there."),
    # objections (objections.py): filed by citizens, answered by staff
    "attachment_too_large": lambda **_: gettext("The file is larger than 5 MB."),
    "attachment_type": lambda **_: gettext("Please attach a photo (JPEG or PNG) or a PDF file."),
    "not_in_family": lambda **_: gettext("This national code is not in your family."),
    "record_access_not_found": lambda **_: gettext("This entry is not in your access log."),
    "missing_field": lambda **_: gettext("Please choose the dependant this is about."),
    "answer_required": lambda **_: gettext("Please write the answer."),
    "unchanged": lambda **_: gettext("Nothing was changed."),
    "not_a_dispute": lambda **_: gettext("Only a disputed entry can be flagged."),
    # documents sent from the app or shown at a branch (documents.py)
    "document_not_adult": lambda **_: gettext(
        "Only the main insured can send a document for someone under 18."
    ),
    "document_expired": lambda **_: gettext(
        "The valid-until date has already passed. Please send a document that is still valid."
    ),
    "document_file_missing": lambda **_: gettext("Please attach the document (a photo or a PDF)."),
    "document_not_saved": lambda **_: gettext("The document could not be saved. Please try again."),
    "document_valid_from": lambda **_: gettext("Please write the day the document starts."),
    "document_period": lambda **_: gettext(
        "The last day must be after the first day and not already past."
    ),
    "document_decided": lambda **_: gettext(
        "Another staff member has just decided on this document; nothing was changed."
    ),
    "document_kind": lambda **_: gettext("Please choose which document was shown."),
    # medical staff's decisions on centres (medical.py)
    "registration_decided": lambda **_: gettext(
        "This registration is no longer waiting for a decision."
    ),
    "centre_not_active": lambda **_: gettext("Only an active centre can be suspended."),
    "reason_required": lambda **_: gettext("Please write the reason."),
    "contract_not_requested": lambda **_: gettext(
        "This centre has not asked for a contract, or its request was already answered."
    ),
}
