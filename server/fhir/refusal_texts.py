"""What the FHIR channel's refusals say, each as an OperationOutcome issue's diagnostics (the
FHIR blueprint answers them; `server/web/refusals.py` knows the texts)."""

from flask_babel import gettext

TEXTS = {
    "fhir_not_json": lambda **_: gettext("Please send a FHIR JSON resource."),
    "fhir_wrong_resource": lambda **_: gettext(
        "Please send a CoverageEligibilityRequest resource."
    ),
    "fhir_invalid_resource": lambda **_: gettext("Please send a FHIR JSON resource."),
    "fhir_required": lambda field, **_: gettext("%(field)s is required.", field=field),
    "fhir_not_valid": lambda field, **_: gettext("%(field)s is not valid.", field=field),
    "fhir_not_active": lambda **_: gettext("Only an active request can be answered."),
    "fhir_not_validation": lambda **_: gettext("Only the purpose validation is supported."),
    "fhir_not_today": lambda **_: gettext("Eligibility can only be checked for today."),
    "fhir_no_national_code": lambda system, **_: gettext(
        "The patient must be identified by a national code (system %(system)s).", system=system
    ),
    "fhir_invalid_national_code": lambda **_: gettext(
        "The national code is not valid. Please check it."
    ),
}
