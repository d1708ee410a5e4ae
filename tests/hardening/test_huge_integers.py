"""Integers past what an id column holds (2³¹−1: PostgreSQL's INTEGER) are a 404 in a path and a
400 in a field, never a 500: PostgreSQL raises NumericValueOutOfRange on them, and SQLite's
driver OverflowError past 2⁶³−1.

The walk covers every route of the URL map: each `<int:…>` takes each huge value, every other
argument a plausible one and the huge values too, and each request goes out in every realm,
signed in (citizen, provider token, a centre's admin who is its doctor, staff of each role), so
that it reaches the view and its query when nothing stops it before. Then the integer fields:
ids and quantities in JSON bodies, forms and query strings.
"""

import base64
import json
import re
from dataclasses import dataclass, field

import pytest
from auth.authenticator import SoftAuthenticator
from centres.centre_browser import CentreBrowser
from families import INSURED, INSURED_MOBILE
from sqlalchemy import func, select
from staff.conftest import StaffBrowser

from server.extensions import db
from server.models import Favourite, Objection, Prescription

# The last is past what Python's int() converts.
HUGE = (str(2**31), str(2**63), str(10**30), "9" * 5000)
PLAUSIBLE = {
    "code": "123456789012",
    "tracking_code": "123456789012",
    "national_code": INSURED,
    "session_id": "x" * 20,
    "member_id": "1",
    "lang": "fa",
    "name": "app.js",
    "folder": "js",
    "filename": "app.js",
    "unsupported": "Patient",
}
ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
STAFF = (
    ("branch", "0499370899", "09121110001"),
    ("medical", "0084575948", "09121110002"),
    ("admin", "0067749828", "09121110003"),
)
TEHRAN_ADDRESS = "5.160.0.10"  # the staff console's allowed address (tests/staff/conftest.py)


@dataclass
class Realm:
    """A signed-in client: its headers, and the body its writes carry (a form or JSON)."""

    name: str
    client: object
    headers: dict = field(default_factory=dict)
    form: dict | None = None
    json: dict | None = None

    def send(self, method: str, path: str) -> int | str:
        """One request; its status, or the exception the app raised (tests propagate them)."""
        body = {"data": self.form} if self.form is not None else {"json": self.json}
        if method in ("GET", "HEAD"):
            body = {}
        try:
            response = self.client.open(path, method=method, headers=self.headers, **body)
        except Exception as error:  # noqa: BLE001 — a crash is what the test looks for
            return type(error).__name__
        response.close()
        return response.status_code


def paths(rule: str, value: str) -> list[str]:
    """The rule with `value` in each int argument; each other argument plausible, then huge."""
    filled = ARGUMENT.sub(
        lambda m: value if m.group(1) == "int" else PLAUSIBLE.get(m.group(2), "1"), rule
    )
    huge_everywhere = ARGUMENT.sub(
        lambda m: value if m.group(1) in (None, "int", "string") else m.group(0), rule
    )
    return sorted({filled} | ({huge_everywhere} if "<" not in huge_everywhere else set()))


def int_rules(app) -> list:
    """The rules with an integer in their path."""
    return [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]


@pytest.fixture
def realms(app, family, citizen, runner) -> list[Realm]:
    """Every realm, signed in: the requests reach each view past its sign-in and CSRF checks."""
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    token = runner.invoke(args=["darman", "provider", "create", "دکتر", "--kind", "doctor"])
    runner.invoke(
        args=["darman", "centre", "create", "مطب", "--kind", "doctor",
              "--admin", f"{INSURED}:{INSURED_MOBILE}", "--admin-role", "doctor"]
    )  # fmt: skip
    centre = CentreBrowser(app, app.test_client())  # its admin, and its doctor
    centre.sign_in(INSURED, INSURED_MOBILE)
    centre.confirm_with_passkey(SoftAuthenticator())
    csrf = centre.csrf("/centre/eligibility")
    found = [
        Realm("citizen", citizen.client, {"X-CSRFToken": citizen.csrf_token}, json={}),
        Realm(
            "provider",
            app.test_client(),
            {"Authorization": f"Bearer {token.output.strip()}"},
            json={"name": "نسخهٔ سرماخوردگی"},
        ),
        Realm("centre", centre.client, {"X-CSRFToken": csrf}, form={"csrf_token": csrf}),
    ]
    for role, national_code, mobile in STAFF:
        runner.invoke(args=["darman", "staff", "create", national_code, mobile, "--role", role])
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = TEHRAN_ADDRESS
        staff = StaffBrowser(app, client)
        staff.sign_in(national_code, mobile)
        csrf = staff.csrf()
        headers, form = {"X-CSRFToken": csrf}, {"csrf_token": csrf}
        found.append(Realm(f"staff {role}", client, headers, form=form))
    return found


def test_the_walk_finds_the_routes_with_integers(app):
    rules = {rule.rule for rule in int_rules(app)}
    assert {"/api/records/<int:record_id>", "/centre/patients/<int:inquiry_id>"} <= rules
    assert "/api/notifications/<int:notification_id>/read" in rules
    assert len(rules) >= 15


def test_an_integer_past_the_database_s_in_a_path_is_a_404_in_every_realm(app, realms):
    answers = {}
    for rule in int_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for value in HUGE:
                for path in paths(rule.rule, value):
                    for realm in realms:
                        answers[(method, rule.rule, len(value), realm.name)] = realm.send(
                            method, path
                        )
    assert {key: status for key, status in answers.items() if status != 404} == {}


def test_no_route_answers_5xx_to_huge_numbers_in_its_other_arguments(app, realms):
    failures = {}
    for rule in app.url_map.iter_rules():
        if "<" not in rule.rule or "<int:" in rule.rule:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for value in HUGE:
                for path in paths(rule.rule, value):
                    for realm in realms:
                        status = realm.send(method, path)
                        if not isinstance(status, int) or status >= 500:
                            failures[(method, path[:60], realm.name)] = status
    assert failures == {}


def count(app, model) -> int:
    """Rows of a model."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def cursor(*parts: str) -> str:
    """A cursor as the records API makes them (base64 of a JSON list of strings)."""
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode().rstrip("=")


@pytest.mark.parametrize("value", [2**31, 2**63, 10**30])
def test_a_huge_id_in_an_objection_is_a_400_naming_the_field(app, family, citizen, value):
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    fields = {"subject": "misuse", "text": "این من نبودم", "record_access_id": value}
    as_json = citizen.post("/api/objections", fields)
    as_form = citizen.post(
        "/api/objections", data={**fields, "record_access_id": str(value)},
        content_type="multipart/form-data",
    )  # fmt: skip
    for answer in (as_json, as_form):
        assert answer.status_code == 400
        assert answer.get_json() == {
            "error": "invalid_request",
            "message": "مدخل فهرست مشاهده‌های پرونده معتبر نیست.",
            "field": "record_access_id",
        }
    assert count(app, Objection) == 0


@pytest.mark.parametrize("value", [str(2**31), str(2**63), str(10**30), "9" * 5000, "abc"])
def test_a_huge_number_in_a_citizen_s_query_is_a_400_naming_the_field(family, citizen, value):
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    before = citizen.get(f"/api/notifications?before={value}")
    assert before.status_code == 400
    assert before.get_json()["field"] == "before"
    assert before.get_json()["message"] == "صفحهٔ بعد معتبر نیست."
    for url in (
        f"/api/records?cursor={cursor('2026-11-01', value)}",
        f"/api/records/access-log?cursor={cursor(value)}",
    ):
        answer = citizen.get(url)
        assert (answer.status_code, answer.get_json()["error"]) == (400, "invalid_cursor"), url
    limit = citizen.get(f"/api/records?limit={value}")
    assert (limit.status_code, limit.get_json()["field"]) == (400, "limit")


@pytest.mark.parametrize("value", [2**31, 2**63, 10**30])
def test_a_huge_quantity_from_a_provider_is_a_400_and_writes_nothing(app, family, doctor, value):
    headers = {"Authorization": f"Bearer {doctor}"}
    item = {"code": "A1", "name": "آموکسی‌سیلین", "quantity": value}
    prescription = {
        "national_code": INSURED, "written_on": "2026-11-22", "type": "drug",
        "diagnosis": "گلودرد", "items": [item],
    }  # fmt: skip
    favourite = {"name": "سرماخوردگی", "type": "drug", "items": [item]}
    for url, body in (
        ("/api/provider/prescriptions", prescription),
        ("/api/provider/favourites", favourite),
    ):
        answer = app.test_client().post(url, json=body, headers=headers)
        assert answer.status_code == 400, url
        assert answer.get_json()["error"] == "invalid_quantity"
        assert answer.get_json()["field"] == "items.0.quantity"
    search = app.test_client().get(
        f"/api/provider/catalogue?q=a&limit={'9' * 5000}", headers=headers
    )
    assert (search.status_code, search.get_json()["field"]) == (400, "limit")
    assert count(app, Prescription) == count(app, Favourite) == 0


def test_a_huge_number_on_the_prescription_page_is_a_400(app, realms):
    centre = next(realm for realm in realms if realm.name == "centre")
    asked = centre.client.post(
        "/centre/eligibility", data={**centre.form, "national_code": INSURED}
    ).get_data(as_text=True)
    inquiry_id = re.search(r"/centre/prescriptions/new/(\d+)", asked).group(1)
    url = f"/centre/prescriptions/new/{inquiry_id}"
    assert centre.client.get(f"{url}?favourite={2**31}").status_code == 400
    form = {"type": "drug", "diagnosis": "گلودرد", "items-0-code": "A1"}
    written = centre.client.post(url, data={**centre.form, **form, "items-0-quantity": "9" * 5000})
    assert written.status_code == 400
    assert "لطفاً یک عدد صحیح وارد کنید." in written.get_data(as_text=True)
    assert count(app, Prescription) == 0
