"""One handler answers every refusal (`server/web/refusals.py`): JSON for the API and for a
client that asks for JSON, a page in the request's blueprint's layout otherwise, and the request
rolled back either way. A probe app (the real factory, with two routes more) calls a real
operation that writes, then refuses, from an API path and from a page of the web for centres."""

import pytest
from flask import Blueprint
from sqlalchemy import func, select

from server import create_app
from server.centres import accounts
from server.domain.refusal import Refused
from server.extensions import db
from server.models import Person
from server.web import refusals

UNKNOWN = "0000000000"  # no one in the registry has this national code
MISMATCH_FA = "این کد ملی و شمارهٔ همراه با اطلاعات ثبت‌شده مطابقت ندارند."


def _written_then_refused() -> dict:
    """Write a person, then ask for a member the registry does not know: the operation refuses
    (409 `member_mobile_mismatch`), and the person must not be kept."""
    db.session.add(
        Person(national_code="1111111111", first_name="آزمون", last_name="آزمون", sex="M")
    )
    db.session.flush()
    accounts.find_person(UNKNOWN, "09120000000")
    return {"found": True}


@pytest.fixture
def probe(app):
    """The real app factory's app on the tests' database, with the probe's two routes."""
    probing = create_app({**app.config, "TESTING": True})
    api = Blueprint("probe_api", __name__, url_prefix="/api/probe")
    page = Blueprint("centre_probe", __name__, url_prefix="/centre/probe")
    api.get("/member")(_written_then_refused)
    page.get("/member")(_written_then_refused)
    probing.register_blueprint(api)
    probing.register_blueprint(page)
    yield probing
    with probing.app_context():
        db.engine.dispose()


def people(app) -> int:
    """How many people the registry holds."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Person))


def test_the_app_has_one_handler_for_every_refusal(app):
    handlers = app.error_handler_spec[None][None]
    assert handlers[Refused] is refusals.answer
    refused_kinds = [kind for kind in handlers if issubclass(kind, Refused)]
    assert refused_kinds == [Refused]  # no other kind (no `ApiError`) has a handler of its own


def test_an_operation_s_refusal_is_json_for_an_api_request(probe):
    answer = probe.test_client().get("/api/probe/member", headers={"Accept": "text/html"})
    assert answer.status_code == 409
    assert answer.get_json() == {
        "error": "member_mobile_mismatch",
        "message": MISMATCH_FA,
        "field": "mobile",
    }
    assert people(probe) == 0  # the person written before the refusal was rolled back


def test_the_same_refusal_is_a_persian_page_for_a_browser(probe):
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    answer = probe.test_client().get("/centre/probe/member", headers=browser)
    assert answer.status_code == 409
    assert answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in page
    assert f"<h1>{MISMATCH_FA}</h1>" in page
    assert "centres.css" in page  # in the layout of the web for centres
    assert people(probe) == 0


def test_a_page_s_script_that_asks_for_json_gets_json(probe):
    answer = probe.test_client().get("/centre/probe/member", headers={"Accept": "application/json"})
    assert answer.status_code == 409
    assert answer.get_json()["error"] == "member_mobile_mismatch"


def test_a_refusal_worded_by_the_request_layer_is_a_page_too(app):
    browser = {"Accept": "text/html"}
    answer = app.test_client().get("/centre/sign-in?q=%00", headers=browser)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert answer.mimetype == "text/html"
    assert "<h1>درخواست نویسه‌ای دارد که پذیرفته نیست.</h1>" in page


def test_every_package_s_texts_are_registered_once(app):
    with app.app_context():
        known = refusals.texts()
        with pytest.raises(RuntimeError, match="two texts tables"):
            refusals.register_texts(app, {"member_mobile_mismatch": lambda **_: ""})
    for code in ("member_mobile_mismatch", "rate_limited", "wrong_provider_kind", "invalid_token"):
        assert code in known, code
