"""What an outbox row tells a person: the kind of notice, the facts its text needs, and a key
that makes it once.

A coverage change is read from the old and new cover alone: a cover that stops with its last
day unchanged ran out with time (ended), any other stop is a loss; a change of the last day
while covered moved the expiry, earlier or later.
"""

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Change:
    """One notice kind about one person (the subject), with its facts."""

    kind: str
    person_id: int
    facts: dict = field(default_factory=dict)
    # Same key, same notice: "ended" from the daily job and from a recompute are one notice.
    key: str = ""


def read_event(event_id: int, kind: str, person_id: int, old, new, today: date) -> Change | None:
    """The change an outbox row tells, or None when it tells nobody anything."""
    old, new = old or {}, new or {}
    if kind == "coverage_changed":
        return _coverage_change(event_id, person_id, old, new, today)
    if kind in ("coverage_ending", "newborn_ending"):
        until = _date(new.get("valid_until"))
        facts = {"date": until, "days_left": int(new.get("days_left") or 0)}
        return Change(kind, person_id, facts, f"{person_id}:{until}")
    if kind == "coverage_ended":
        until = _date(new.get("valid_until")) or _date(old.get("valid_until"))
        return Change(kind, person_id, {"date": until}, f"{person_id}:{until}")
    if kind == "document_reminder":
        on = _date(new.get("date"))
        edge, ahead = str(new.get("edge")), int(new.get("ahead") or 0)
        facts = {"date": on, "edge": edge, "days_left": int(new.get("days_left") or 0)}
        return Change(kind, person_id, facts, f"{person_id}:{edge}:{on}:{ahead}")
    if kind in ("prescription_written", "prescription_cancelled"):
        record = new.get("prescription_id")
        facts = {"center": _center(new), "record": int(record) if record is not None else None}
        return Change(kind, person_id, facts, f"outbox:{event_id}")
    if kind == "repeat_due":
        record, part = int(new["prescription_id"]), int(new["part"])
        facts = {"record": record, "date": _date(new.get("date")), "part": part}
        return Change(kind, person_id, facts, f"repeat:{record}:{part}")
    if kind in ("objection_status", "document_status"):
        facts = {"number": str(new["tracking_number"]), "status": str(new["status"])}
        return Change(kind, person_id, facts, f"outbox:{event_id}")
    if kind == "record_read":
        return _record_read(event_id, person_id, new)
    if kind == "sign_in":
        return _sign_in(event_id, person_id, new)
    return None


def _record_read(event_id: int, person_id: int, new: dict) -> Change:
    """A provider's read: who, when and what it showed (older rows have no `what`)."""
    facts = {
        "center": str(new.get("member") or _center(new))[:200],
        "at": datetime.fromisoformat(new["at"]) if new.get("at") else None,
        "what": str(new.get("what") or "record"),
        "staff": bool(new.get("staff")),  # SSO staff opened the person's objection or document
        "provider": _center(new),  # the centre itself (`center` may name its member)
    }
    return Change("record_read", person_id, facts, f"outbox:{event_id}")


def _sign_in(event_id: int, person_id: int, new: dict) -> Change:
    """A new sign-in or passkey: on which device, when, and the pushes that device must not get."""
    facts = {
        "event": "passkey" if new.get("event") == "passkey" else "sign_in",
        "device": str(new.get("device") or "")[:100],
        "at": datetime.fromisoformat(new["at"]),
        "device_key": str(new.get("device_key") or ""),
    }
    return Change("sign_in", person_id, facts, f"outbox:{event_id}")


def _coverage_change(event_id: int, person_id: int, old: dict, new: dict, today: date):
    """Gained, lost, ended, expiry earlier or later; None when neither side is covered."""
    was, now = bool(old.get("covered")), bool(new.get("covered"))
    before, after = _date(old.get("valid_until")), _date(new.get("valid_until"))
    key = f"outbox:{event_id}"
    if not was and now:
        return Change("coverage_gained", person_id, {"date": after}, key)
    if was and not now:
        if before is not None and before == after:
            return Change("coverage_ended", person_id, {"date": before}, f"{person_id}:{before}")
        ended = after if after is not None and after < today else today
        return Change("coverage_lost", person_id, {"date": ended}, key)
    if was and now and before != after and after is not None:
        earlier = before is not None and after < before
        kind = "expiry_earlier" if earlier else "expiry_later"
        return Change(kind, person_id, {"date": after}, key)
    return None


def _center(new: dict) -> str:
    """The provider's name, as long as the provider table keeps it."""
    return str(new.get("center") or "")[:200]


def _date(value) -> date | None:
    """An ISO date from the outbox's JSON."""
    return date.fromisoformat(value) if value else None
