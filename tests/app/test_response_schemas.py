"""Every main route answers what its `operation` declares: the URL map is walked, each route with
a declared response model is called for real, and its JSON is checked against the model — no
missing or mistyped field (strict), and no field the model (and so the OpenAPI document) lacks."""

import json
import types
import typing

import pytest
from catalogue_loading import load_small_catalogue
from families import INSURED, INSURED_MOBILE, WIFE, WIFE_MOBILE
from pydantic import BaseModel
from visits import make_visit

from server.notify.kinds import KINDS

TODAY = "2026-11-22"  # the suite's pinned date
AMOXICILLIN = {"code": "D1001", "instructions": "هر ۸ ساعت یک عدد", "quantity": 3}
PRESCRIPTION = {
    "national_code": INSURED,
    "written_on": TODAY,
    "type": "drug",
    "diagnosis": "عفونت حاد گلو",
    "items": [AMOXICILLIN],
}


def _bearer(token: str) -> dict:
    """The provider's Authorization header."""
    return {"Authorization": f"Bearer {token}"}


class World:
    """A family, Ali signed in, a doctor and a pharmacy, a catalogue and one prescription."""

    def __init__(self, app, client, citizen, make_citizen, runner, tmp_path) -> None:
        self.app, self.client, self.citizen, self.make_citizen = app, client, citizen, make_citizen
        load_small_catalogue(runner, tmp_path)
        self.doctor = self._provider(runner, "مطب دکتر احمدی", "doctor")
        self.pharmacy = self._provider(runner, "داروخانه رازی", "pharmacy")
        assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
        make_visit(client, self.doctor, PRESCRIPTION)
        written = client.post(
            "/api/provider/prescriptions", json=PRESCRIPTION, headers=_bearer(self.doctor)
        )
        assert written.status_code == 201, written.get_json()
        self.prescription = written.get_json()

    @staticmethod
    def _provider(runner, name: str, kind: str) -> str:
        """A new provider's token."""
        result = runner.invoke(args=["darman", "provider", "create", name, "--kind", kind])
        assert result.exit_code == 0, result.output
        return result.output.strip()

    def put(self, url: str, body: dict):
        """A citizen's PUT, with the CSRF header."""
        headers = {"X-CSRFToken": self.citizen.csrf_token}
        return self.citizen.client.put(url, json=body, headers=headers)

    def as_doctor(self, method: str, url: str, **kwargs):
        """A request with the doctor's token."""
        return self.client.open(url, method=method, headers=_bearer(self.doctor), **kwargs)


def _sms_start(world: World):
    """Ask for a code for the wife, on a browser of her own."""
    world.wife = world.make_citizen()
    world.sms_started = world.wife.start(WIFE, WIFE_MOBILE)
    return world.sms_started


def _sms_verify(world: World):
    """The wife sends back the code asked for by `_sms_start` (the table is called in order)."""
    request_id = world.sms_started.get_json()["request_id"]
    return world.wife.verify(request_id, world.wife.last_sms()["code"])


def _family_member(world: World):
    """The first member of Ali's family list, by its id."""
    members = world.citizen.get("/api/family").get_json()["members"]
    return world.citizen.get(f"/api/family/{members[0]['member_id']}")


def _record(world: World):
    """Ali's first record, as he reads it."""
    records = world.citizen.get("/api/records").get_json()["records"]
    return world.citizen.get(f"/api/records/{records[0]['id']}")


def _inquiry(world: World):
    """Verify the tracking code of a fresh inquiry."""
    asked = world.as_doctor("POST", "/api/provider/eligibility", json={"national_code": INSURED})
    code = asked.get_json()["tracking_code"]
    return world.as_doctor("GET", f"/api/provider/inquiries/{code}?national_code={INSURED}")


def _dispense(world: World):
    """The pharmacy delivers the prescription's amoxicillin."""
    code = world.prescription["code"]
    return world.client.post(
        f"/api/provider/prescriptions/{code}/dispense",
        json={"items": [{"code": "D1001", "quantity": 3}]},
        headers=_bearer(world.pharmacy),
    )


def _cancel(world: World):
    """The doctor writes a lab order, then cancels it (the world's prescription stays)."""
    body = {**PRESCRIPTION, "type": "lab", "items": [{"code": "L2001", "quantity": 1}]}
    code = world.as_doctor("POST", "/api/provider/prescriptions", json=body).get_json()["code"]
    url = f"/api/provider/prescriptions/{code}/cancel"
    return world.as_doctor("POST", url, json={"reason": "اشتباه نوشته شد"})


def _favourite_change(world: World):
    """Make a favourite, then rename it."""
    body = {"name": "گلودرد", "type": "drug", "items": [AMOXICILLIN]}
    made = world.as_doctor("POST", "/api/provider/favourites", json=body).get_json()
    url = f"/api/provider/favourites/{made['id']}"
    return world.as_doctor("PUT", url, json={"name": "گلودرد بزرگسال"})


# (method, rule) -> how to call it. The routes of the citizen app and the provider API; the card's
# (which makes signing keys in the shared instance folder) has its own tests in tests/channels/.
CALLS: dict[tuple[str, str], typing.Callable[[World], typing.Any]] = {
    ("GET", "/healthz"): lambda w: w.client.get("/healthz"),
    ("GET", "/api/ping"): lambda w: w.citizen.get("/api/ping"),
    ("GET", "/api/auth/csrf"): lambda w: w.client.get("/api/auth/csrf"),
    ("POST", "/api/auth/sms/start"): _sms_start,
    ("POST", "/api/auth/sms/verify"): _sms_verify,
    ("GET", "/api/me"): lambda w: w.citizen.get("/api/me"),
    ("PUT", "/api/me/locale"): lambda w: w.put("/api/me/locale", {"locale": "fa"}),
    ("GET", "/api/me/sessions"): lambda w: w.citizen.get("/api/me/sessions"),
    ("GET", "/api/auth/passkeys"): lambda w: w.citizen.get("/api/auth/passkeys"),
    ("POST", "/api/auth/passkeys/register/options"): lambda w: w.citizen.post(
        "/api/auth/passkeys/register/options"
    ),
    ("POST", "/api/auth/passkeys/login/options"): lambda w: w.citizen.post(
        "/api/auth/passkeys/login/options"
    ),
    ("GET", "/api/eligibility"): lambda w: w.citizen.get("/api/eligibility"),
    ("GET", "/api/family"): lambda w: w.citizen.get("/api/family"),
    ("GET", "/api/family/<member_id>"): _family_member,
    ("GET", "/api/notifications"): lambda w: w.citizen.get("/api/notifications"),
    ("POST", "/api/notifications/read-all"): lambda w: w.citizen.post(
        "/api/notifications/read-all"
    ),
    ("GET", "/api/notifications/settings"): lambda w: w.citizen.get("/api/notifications/settings"),
    ("PUT", "/api/notifications/settings"): lambda w: w.put(
        "/api/notifications/settings", {"kinds": [{"kind": next(iter(KINDS)), "enabled": False}]}
    ),
    ("GET", "/api/push/key"): lambda w: w.citizen.get("/api/push/key"),
    ("GET", "/api/records"): lambda w: w.citizen.get("/api/records"),
    ("GET", "/api/records/<int:record_id>"): _record,
    ("GET", "/api/records/access-log"): lambda w: w.citizen.get("/api/records/access-log"),
    ("POST", "/api/objections"): lambda w: w.citizen.post(
        "/api/objections", json={"subject": "cover", "text": "پوشش من اشتباه است."}
    ),
    ("GET", "/api/objections"): lambda w: w.citizen.get("/api/objections"),
    ("POST", "/api/provider/eligibility"): lambda w: w.as_doctor(
        "POST", "/api/provider/eligibility", json={"national_code": INSURED}
    ),
    ("GET", "/api/provider/inquiries/<tracking_code>"): _inquiry,
    ("GET", "/api/provider/catalogue"): lambda w: w.as_doctor(
        "GET", "/api/provider/catalogue?q=amox"
    ),
    ("GET", "/api/provider/instruction-presets"): lambda w: w.as_doctor(
        "GET", "/api/provider/instruction-presets"
    ),
    ("POST", "/api/provider/favourites"): lambda w: w.as_doctor(
        "POST",
        "/api/provider/favourites",
        json={"name": "سرماخوردگی", "type": "drug", "items": [AMOXICILLIN]},
    ),
    ("GET", "/api/provider/favourites"): lambda w: w.as_doctor("GET", "/api/provider/favourites"),
    ("PUT", "/api/provider/favourites/<int:favourite_id>"): _favourite_change,
    ("POST", "/api/provider/prescriptions"): lambda w: w.as_doctor(
        "POST",
        "/api/provider/prescriptions",
        json={**PRESCRIPTION, "type": "lab", "items": [{"code": "L2001", "quantity": 1}]},
    ),
    ("GET", "/api/provider/prescriptions/<code>"): lambda w: w.as_doctor(
        "GET", f"/api/provider/prescriptions/{w.prescription['code']}"
    ),
    ("POST", "/api/provider/prescriptions/<code>/dispense"): _dispense,
    ("POST", "/api/provider/prescriptions/<code>/cancel"): _cancel,
    ("GET", "/api/provider/patients/<national_code>/records"): lambda w: w.as_doctor(
        "GET", f"/api/provider/patients/{INSURED}/records"
    ),
}


def declared_responses(app) -> dict[tuple[str, str], type[BaseModel]]:
    """(method, rule) -> the response model its `operation` declares, from the URL map."""
    found = {}
    for rule in app.url_map.iter_rules():
        spec = getattr(app.view_functions[rule.endpoint], "openapi", None)
        if spec is None or spec.response is None:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found[(method, rule.rule)] = spec.response
    return found


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """The pydantic models an annotation may hold (`X`, `X | None`, `list[X]`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, tuple, typing.Annotated):
        return [model for arg in typing.get_args(annotation) for model in _models_in(arg)]
    return []


def undeclared_fields(model: type[BaseModel], value: object, path: str = "") -> list[str]:
    """The keys of `value` (recursively) that `model` does not declare."""
    if not isinstance(value, dict):
        return []
    extra = []
    for key, item in value.items():
        field = model.model_fields.get(key)
        if field is None:
            extra.append(f"{path}{key}")
            continue
        for nested in _models_in(field.annotation)[:1]:
            for element in item if isinstance(item, list) else [item]:
                extra += undeclared_fields(nested, element, f"{path}{key}.")
    return extra


@pytest.fixture
def world(app, client, citizen, make_citizen, runner, tmp_path, family) -> World:
    """The scene every route is called in."""
    return World(app, client, citizen, make_citizen, runner, tmp_path)


def test_the_main_routes_answer_their_declared_schemas(app, world):
    declared = declared_responses(app)
    missing = sorted(set(CALLS) - set(declared))
    assert not missing, f"routes without a declared response (or gone): {missing}"
    problems = []
    for (method, rule), call in sorted(CALLS.items()):
        model = declared[(method, rule)]
        response = call(world)
        if not 200 <= response.status_code < 300:
            problems.append(f"{method} {rule}: {response.status_code} {response.get_data(True)}")
            continue
        try:
            model.model_validate_json(response.get_data(), strict=True)
        except ValueError as error:
            problems.append(f"{method} {rule}: not a {model.__name__}: {error}")
            continue
        extra = undeclared_fields(model, json.loads(response.get_data()))
        if extra:
            problems.append(f"{method} {rule}: fields {model.__name__} lacks: {extra}")
    assert not problems, "\n".join(problems)


def test_the_check_notices_an_undeclared_or_mistyped_field():
    """The checks above refuse an answer that strays from its model."""
    from server.api.schemas import EligibilityAnswer

    answer = {"covered": True, "label": "حمایت درمانی دارد", "tracking_code": "123456789012"}
    EligibilityAnswer.model_validate_json(json.dumps(answer), strict=True)
    assert undeclared_fields(EligibilityAnswer, {**answer, "valid_until": "2026-12-01"}) == [
        "valid_until"
    ]
    with pytest.raises(ValueError):
        EligibilityAnswer.model_validate_json(json.dumps({**answer, "covered": "yes"}), strict=True)


def test_most_declared_routes_are_called():
    """The table covers the citizen app and the provider API: a new route there belongs in it."""
    rules = {rule for _method, rule in CALLS}
    assert {"/api/provider/eligibility", "/api/eligibility", "/api/family", "/api/me"} <= rules
