"""Drug allergies: recorded by a doctor during a visit, checked against every new prescription's
drugs (an allergy to a class, `penicillins`, covers its members; a combination carries each of
its ingredients), written through only with a reason the delivering centre then reads, and
disputed by the person through an objection that SSO's staff resolve."""

import csv
from functools import cache

from sqlalchemy import select

from .. import clock
from ..auth.providers import AuthenticatedProvider
from ..catalogue.importer import DATA
from ..domain.refusal import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Allergy, AllergyAcknowledgement, CatalogueItem
from ..records import access
from ..staff import audit, objections

CLASSES = DATA / "allergy_classes.csv"  # class → ingredients, each row with its public source


@cache
def classes() -> dict[str, frozenset[str]]:
    """The classes an allergy may name, each with the catalogue's ingredients it covers."""
    members: dict[str, set[str]] = {}
    with CLASSES.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            members.setdefault(row["class"], set()).add(row["ingredient"])
    return {name: frozenset(found) for name, found in members.items()}


def _ingredients_of(entry: CatalogueItem) -> set[str]:
    """A catalogue drug's active ingredients (a combination has several)."""
    return set(entry.ingredients.split("+"))


def allergen(text: str) -> str:
    """The allergen as the catalogue names ingredients (lower case), or a class of them; 400
    `unknown_ingredient` for a name neither knows."""
    name = " ".join(text.strip().lower().split())
    if name in classes():
        return name
    drugs = db.session.scalars(
        select(CatalogueItem.ingredients).where(
            CatalogueItem.kind == "drug", CatalogueItem.ingredients.contains(name)
        )
    )
    if any(name in ingredients.split("+") for ingredients in drugs):
        return name
    raise Invalid("unknown_ingredient", field="ingredient", words={"ingredient": text.strip()})


def covers(allergy_ingredient: str) -> frozenset[str]:
    """The ingredients an allergy covers: a class's members, or the ingredient itself."""
    return classes().get(allergy_ingredient, frozenset({allergy_ingredient}))


def record(
    person_id: int,
    provider: AuthenticatedProvider,
    ingredient: str,
    reaction: str,
    severity: str,
) -> Allergy:
    """Record an allergy (the caller has checked the visit); logged as a read of the record,
    which the person sees and is told of. Flushed, with its id."""
    allergy = Allergy(
        person_id=person_id,
        ingredient=allergen(ingredient),
        reaction=reaction,
        severity=severity,
        provider_id=provider.id,
        member_id=provider.member_id,
        recorded_at=clock.now(),
        status="active",
    )
    db.session.add(allergy)
    access.log_provider_read(person_id, provider)
    db.session.flush()
    return allergy


def described(allergy: Allergy) -> dict:
    """An allergy as the APIs give it."""
    return {
        "id": allergy.id,
        "ingredient": allergy.ingredient,
        "covers": sorted(covers(allergy.ingredient)),
        "reaction": allergy.reaction,
        "severity": allergy.severity,
        "status": allergy.status,
        "recorded_at": clock.as_tehran(allergy.recorded_at).isoformat(),
    }


def of_person(person_id: int) -> list[Allergy]:
    """A person's allergies not removed, oldest first (a disputed one still counts: safety
    comes first until staff have looked)."""
    return list(
        db.session.scalars(
            select(Allergy)
            .where(Allergy.person_id == person_id, Allergy.status != "removed")
            .order_by(Allergy.id)
        )
    )


def findings(items: dict[str, CatalogueItem], person_id: int) -> list[dict]:
    """Each (allergy, drug) pair where the drug carries an ingredient the allergy covers, as the
    409 names it: `{id, code, ingredient, reaction, severity, name, matched}`."""
    drugs = [entry for entry in items.values() if entry.kind == "drug"]
    if not drugs:
        return []
    found = []
    for allergy in of_person(person_id):
        for entry in drugs:
            matched = _ingredients_of(entry) & covers(allergy.ingredient)
            if matched:
                found.append(
                    {
                        "id": allergy.id,
                        "code": entry.code,
                        "ingredient": allergy.ingredient,
                        "reaction": allergy.reaction,
                        "severity": allergy.severity,
                        "name": entry.name,
                        "matched": sorted(matched),
                    }
                )
    return found


def judge(found: list[dict], acknowledged: list) -> list[dict]:
    """The allergies written through, each with its reason; 409 `allergy` naming those without
    one (an acknowledgement names the allergy's id, as the 409 gives it)."""
    reasons = {ack.id: ack.reason for ack in acknowledged}
    missing = [finding for finding in found if finding["id"] not in reasons]
    if missing:
        raise Conflict("allergy", allergies=missing)
    return [{**finding, "reason": reasons[finding["id"]]} for finding in found]


def store_acknowledgements(prescription_id: int, passed: list[dict]) -> None:
    """Keep each allergy written through, with its reason, with the prescription."""
    for finding in passed:
        db.session.add(
            AllergyAcknowledgement(
                prescription_id=prescription_id,
                allergy_id=finding["id"],
                item_code=finding["code"],
                ingredient=finding["ingredient"],
                reaction=finding["reaction"],
                reason=finding["reason"],
            )
        )


def acknowledgements_of(prescription_id: int) -> list[dict]:
    """The allergies a prescription was written through, with the doctor's reasons."""
    rows = db.session.execute(
        select(AllergyAcknowledgement, CatalogueItem.name)
        .outerjoin(CatalogueItem, CatalogueItem.code == AllergyAcknowledgement.item_code)
        .where(AllergyAcknowledgement.prescription_id == prescription_id)
        .order_by(AllergyAcknowledgement.id)
    )
    return [
        {
            "id": row.AllergyAcknowledgement.allergy_id,
            "code": row.AllergyAcknowledgement.item_code,
            "name": row.name or row.AllergyAcknowledgement.item_code,
            "ingredient": row.AllergyAcknowledgement.ingredient,
            "reaction": row.AllergyAcknowledgement.reaction,
            "reason": row.AllergyAcknowledgement.reason,
        }
        for row in rows
    ]


def mine(person_id: int, allergy_id: int) -> Allergy:
    """One of this person's allergies not removed; 404 `unknown_allergy` otherwise."""
    allergy = db.session.get(Allergy, allergy_id)
    if allergy is None or allergy.person_id != person_id or allergy.status == "removed":
        raise NotFound("unknown_allergy")
    return allergy


def dispute(account_id: int, person_id: int, allergy_id: int, text: str, per_day: int):
    """The person disputes a recorded allergy: an objection (subject `allergy`) staff answer,
    the allergy `disputed` meanwhile (still checked); 409 `already_disputed` for a second one."""
    allergy = mine(person_id, allergy_id)
    if allergy.status == "disputed":
        raise Conflict("already_disputed")
    objection = objections.file(account_id, person_id, "allergy", text, per_day=per_day)
    allergy.status = "disputed"
    allergy.objection_id = objection.id
    db.session.flush()
    return objection


def disputed_by(objection_id: int) -> Allergy | None:
    """The allergy an objection disputes, if it does."""
    return db.session.scalar(select(Allergy).where(Allergy.objection_id == objection_id))


def resolve(objection_id: int, remove: bool) -> Allergy:
    """SSO's medical staff decide a disputed allergy: removed (no longer shown nor checked) or
    kept (active again); audited. 404 when the objection disputes no allergy; 409 once
    decided."""
    allergy = disputed_by(objection_id)
    if allergy is None:
        raise NotFound("unknown_allergy")
    if allergy.status != "disputed":
        raise Conflict("allergy_decided")
    allergy.status = "removed" if remove else "active"
    audit.record(
        "allergy_removed" if remove else "allergy_kept",
        person_id=allergy.person_id,
        subject=f"allergy:{allergy.id}",
        objection=objection_id,
    )
    return allergy
