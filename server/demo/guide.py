"""What `make run` tells the person trying the demo: for each demo case, who to sign in as and
what they will see (their status, until when, their family), who cannot sign in (no mobile), and
a ready `curl` line for the provider API with the real token and a real national code."""

import json
import shlex
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from .. import clock, inquiries
from ..domain.digits import to_persian_digits
from ..domain.eligibility import newborn_until
from ..domain.jalali import jalali_text
from ..extensions import db
from ..models import Birth, DependantLink

SAMPLES_FILE = "demo-people.json"
TOKEN_FILE = "demo-provider-token"


def sample_lines(samples: dict[str, dict[str, str]], today: date) -> list[str]:
    """Two lines a demo person: the case, code and mobile; then what the app shows them."""
    lines = ["Demo people (case: national code, mobile) and what they will see:"]
    for case, person in samples.items():
        lines.append(f"  {case}: {person['national_code']}  {person.get('mobile') or '-'}")
        mark = "" if person.get("mobile") else "(no mobile: cannot sign in) "
        lines.append(f"      {mark}{seen_by(person['national_code'], today)}")
    return lines


def seen_by(national_code: str, today: date) -> str:
    """One Persian line: the label, until when, and the family («۹ نفر تحت تکفل، یکی نوزاد»)."""
    answer = inquiries.find(national_code, today)
    words = answer.label
    if answer.eligibility.valid_until is not None:
        words += f" (تا {jalali_text(answer.eligibility.valid_until)})"
    if answer.person_id is None:
        return words
    dependants = db.session.scalar(
        select(func.count())
        .select_from(DependantLink)
        .where(DependantLink.insured_id == answer.person_id)
    )
    newborns = _newborns(answer.person_id, today)
    if dependants or newborns:
        count = to_persian_digits(dependants + newborns)
        words += f"؛ این فرد {count} نفر تحت تکفل دارد"
        if newborns:
            words += "، یکی نوزاد" if newborns == 1 else f"، {to_persian_digits(newborns)} نوزاد"
    return words


def _newborns(person_id: int, today: date) -> int:
    """Births to this person (or to his wife) still covered as newborns today."""
    wives = select(DependantLink.dependant_id).where(
        DependantLink.insured_id == person_id, DependantLink.relation == "spouse"
    )
    births = db.session.scalars(
        select(Birth.birth_date).where(
            (Birth.mother_id == person_id) | Birth.mother_id.in_(wives), Birth.birth_date <= today
        )
    )
    return sum(1 for born in births if newborn_until(born) >= today)


@click.command("demo-curl")
@click.option("--port", type=int, default=8000, show_default=True)
@with_appcontext
def demo_curl_command(port: int) -> None:
    """Print a ready provider inquiry: the demo token and a demo person's real national code."""
    instance = Path(current_app.instance_path)
    token = (instance / TOKEN_FILE).read_text(encoding="utf-8").strip()
    samples = json.loads((instance / SAMPLES_FILE).read_text(encoding="utf-8"))
    person = samples.get("covered_worker") or next(iter(samples.values()))
    body = json.dumps({"national_code": person["national_code"]})
    click.echo("Try the provider API (a general inquiry: has / has not, and a tracking code):")
    click.echo(
        f"  curl -H {shlex.quote('Authorization: Bearer ' + token)}"
        f" -H 'Content-Type: application/json' -d {shlex.quote(body)}"
        f" http://localhost:{port}/api/provider/eligibility"
    )
    click.echo(f"Today is {clock.today().isoformat()} for the demo.")
