"""What the rules' codes say to people: reasons, notes and the seeds' sentences (COPY.md)."""

from flask_babel import lazy_gettext as _l

from .domain.eligibility import CURRENT_PROCEDURE_REASONS

REASONS = {
    "no_recent_contributions": _l(
        "No contributions have been recorded for you in the last 24 months."
    ),
    "cover_ended": _l("The period of cover has ended."),
    "pension_ended": _l("The pension has ended."),
    "not_started": _l("The insurance has not started yet."),
    "insured_not_covered": _l("The main insured is not covered for treatment."),
    "link_ended": _l("The dependant's link to the main insured is not in force."),
    "student_certificate_missing": _l("No valid university enrolment certificate is on record."),
    "birth_certificate_not_presented": _l("The original birth certificate has not been presented."),
    "husband_conditions": _l("A husband is covered if he is over 60 or disabled."),
    "parent_conditions": _l(
        "A father from 60, a mother from 55, or either if disabled, is covered."
    ),
    "newborn_period_ended": _l(
        "A newborn is covered under the mother's national code only in the first month."
    ),
    "not_born": _l("The birth date is after today."),
    "not_insured": _l("No insurance is on record for this person."),
    "deceased": _l("This person's death has been recorded."),
    "not_found": _l("This national code is not in the registry."),
}

NOTES = {
    "over_65": _l("Treatment in public hospitals is free for insured people aged 65 and over."),
    "newborn": _l(
        "A newborn is served under the mother's national code for one month after birth."
    ),
}

# The web for centres' line for each reason: why, and what the centre tells the patient (1420,
# a branch), worded for the centre, never in the citizen's imperative.
FOR_CENTRES = {
    "no_recent_contributions": _l(
        "No contributions are on record for the patient in the last 24 months; if they "
        "disagree, they may call 1420 or visit a branch of the Organization."
    ),
    "cover_ended": _l(
        "The patient's period of cover has ended; if they disagree, they may call 1420 or "
        "visit a branch of the Organization."
    ),
    "pension_ended": _l(
        "The patient's pension has ended; they may call 1420 or visit a branch of the Organization."
    ),
    "not_started": _l(
        "The patient's insurance has not started yet; they may ask a branch of the "
        "Organization when it starts."
    ),
    "insured_not_covered": _l(
        "The main insured (for a newborn, the mother) is not covered for treatment; the main "
        "insured may call 1420 or visit a branch of the Organization."
    ),
    "link_ended": _l(
        "The patient's link to the main insured is not in force; the main insured may visit "
        "a branch of the Organization to renew it."
    ),
    "husband_conditions": _l(
        "A husband is covered from 60 or if disabled; for a disability, the family may send the "
        "decision in the Darman app, or the patient may visit a branch of the Organization."
    ),
    "parent_conditions": _l(
        "A father is covered from 60 and a mother from 55, or either if disabled; for a "
        "disability, the family may send the decision in the Darman app, or the patient may "
        "visit a branch of the Organization."
    ),
    "student_certificate_missing": _l(
        "No university enrolment certificate is on record for this son of 19 or more; the main "
        "insured may send it in the Darman app, or he may present one at a branch of the "
        "Organization."
    ),
    "birth_certificate_not_presented": _l(
        "This daughter's original birth certificate has not been presented; it must be seen in "
        "person, so she may present it at a branch of the Organization."
    ),
    "newborn_period_ended": _l(
        "A newborn is covered under the mother's national code only in the first month; the "
        "baby now needs its own national code, registered at a branch of the Organization."
    ),
    "not_born": _l("The birth date typed is after today; please check it."),
    "not_insured": _l(
        "No insurance is on record for this person; they may call 1420 or visit a branch of "
        "the Organization."
    ),
    "deceased": _l(
        "The registry records this person's death; if that is a mistake, the family may visit "
        "a branch of the Organization."
    ),
    "not_found": _l(
        "This national code is not in the registry; please check it, and if it is right, the "
        "patient may visit a branch of the Organization."
    ),
}

CURRENT_PROCEDURE = _l(
    "Until the electronic link with the Ministry of Science and the Registration Organisation "
    "exists, these children are served under the current procedure."
)
AS_OF_TODAY = _l(
    "This date reflects your contributions and insurance status as of today and may change "
    "with them."
)
OBJECTION = _l("If you disagree with your eligibility status, call 1420 or visit 1420.tamin.ir.")
MOBILE_MISMATCH = _l(
    "This national code does not match the mobile number. Please visit a branch to register "
    "your mobile number."
)


def reason(code: str) -> dict:
    """A reason as the API gives it: its code, its text, and the seed's note where it applies."""
    answer = {"code": code, "message": str(REASONS.get(code, code))}
    if code in CURRENT_PROCEDURE_REASONS:
        answer["note"] = str(CURRENT_PROCEDURE)
    return answer


def for_centre(code: str) -> dict:
    """A reason as the web for centres shows it: its line for the centre, and the seed's note
    (served under the current procedure) where it applies."""
    procedure = str(CURRENT_PROCEDURE) if code in CURRENT_PROCEDURE_REASONS else None
    return {
        "code": code,
        "line": str(FOR_CENTRES.get(code, REASONS.get(code, code))),
        "procedure": procedure,
    }


def note(code: str) -> dict:
    """An informational line (I1, N1)."""
    return {"code": code, "message": str(NOTES.get(code, code))}
