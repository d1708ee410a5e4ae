"""The branch registers a new mobile: identity shown, both numbers told, old sessions ended."""

import json

import families
import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import Person, StaffAudit

NEW_MOBILE = "09351234567"


def _person_id(app, national_code: str) -> int:
    """The registry id of a person."""
    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.national_code == national_code))


def _sms_lines(app) -> list[dict]:
    """Every message the file backend wrote."""
    path = app.config["DARMAN_SMS_BACKEND"].removeprefix("file:")
    with open(path, encoding="utf-8") as stream:
        return [json.loads(line) for line in stream.read().splitlines()]


def _register_mobile(branch, url: str, **fields):
    """POST the new-mobile form, right in every field unless `fields` says otherwise."""
    form = {
        "document_kind": "national_card",
        "document_number": "A1",
        "mobile": NEW_MOBILE,
        "mobile_again": NEW_MOBILE,
    }
    return branch.post(url, {**form, **fields})


@pytest.fixture
def branch(signed_in, family):
    """A branch member, signed in, with the Rezaei family in the registry."""
    return signed_in("branch")


def test_finding_a_person_shows_the_masked_mobile_and_no_health_record(app, branch):
    found = branch.post("/staff/branch", {"national_code": "۰۰۱۲۳۴۵۶۷۹"})
    assert found.status_code == 303
    assert families.INSURED not in found.location  # the national code never goes in a URL
    page = branch.get(found.location).get_data(as_text=True)
    assert "علی رضایی" in page
    assert "۰۹۱۲***۴۵۶۷" in page and families.INSURED_MOBILE not in page
    assert "نسخه" not in page  # no prescriptions, no record


def test_an_unknown_or_invalid_national_code_gets_a_message(branch):
    unknown = branch.post("/staff/branch", {"national_code": families.UNKNOWN})
    assert unknown.status_code == 400
    assert "فردی با این کد ملی" in unknown.get_data(as_text=True)
    invalid = branch.post("/staff/branch", {"national_code": "1234567890"})
    assert invalid.status_code == 400
    assert "کد ملی واردشده معتبر نیست" in invalid.get_data(as_text=True)


def test_a_new_mobile_ends_the_old_sessions_and_lets_the_person_register(
    app, branch, citizen, make_citizen, clock
):
    assert citizen.sign_in(families.INSURED, families.INSURED_MOBILE).status_code == 200
    person_id = _person_id(app, families.INSURED)
    url = branch.person_url(families.INSURED)
    changed = branch.post(
        url,
        {
            "document_kind": "national_card",
            "document_number": "A123",
            "mobile": "+989351234567",
            "mobile_again": "+989351234567",
        },
    )
    assert changed.status_code == 303
    texts = {line["to"]: line["text"] for line in _sms_lines(app)[-2:]}
    assert set(texts) == {NEW_MOBILE, families.INSURED_MOBILE}
    assert "۱۴۲۰" in texts[families.INSURED_MOBILE]
    signed_out = citizen.get("/api/me")  # signed out on the old number, and told why
    assert signed_out.status_code == 401
    assert signed_out.get_json()["error"] == "session_ended"
    assert "در شعبه تغییر کرد" in signed_out.get_json()["message"]
    clock.move(minutes=2)  # past the SMS resend limit
    newcomer = make_citizen()
    assert newcomer.start(families.INSURED, families.INSURED_MOBILE).status_code == 409
    assert newcomer.sign_in(families.INSURED, NEW_MOBILE).status_code == 200
    with app.app_context():
        row = db.session.scalars(
            select(StaffAudit).where(StaffAudit.action == "mobile_changed")
        ).one()
        assert row.person_id == person_id and row.address == "5.160.0.10"
        assert row.detail["document_kind"] == "national_card"
        assert row.detail["document_number"] == "A123"
        assert row.detail["sessions_ended"] == 1
        assert NEW_MOBILE not in json.dumps(row.detail)  # masked, never in full


@pytest.mark.parametrize(
    ("mobile", "message"),
    [
        ("0912", "شمارهٔ همراه معتبر نیست"),
        (families.INSURED_MOBILE, "همان شمارهٔ همراهی"),
    ],
)
def test_a_bad_or_same_mobile_changes_nothing(app, branch, citizen, mobile, message):
    citizen.sign_in(families.INSURED, families.INSURED_MOBILE)
    person_id = _person_id(app, families.INSURED)
    url = branch.person_url(families.INSURED)
    refused = branch.post(
        url,
        {
            "document_kind": "national_card",
            "document_number": "A123",
            "mobile": mobile,
            "mobile_again": mobile,
        },
    )
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Person, person_id).mobile == families.INSURED_MOBILE
        assert not db.session.scalar(
            select(StaffAudit.id).where(StaffAudit.action == "mobile_changed")
        )
    assert citizen.get("/api/me").status_code == 200


def test_no_mobile_for_a_deceased_person(app, branch, registry):
    registry.write(
        "persons.csv",
        "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
        f"{families.FATHER},حسین,رضایی,1964-02-01,M,09141111111,2026-10-01",
    )
    assert registry.load().exit_code == 0
    person_id = _person_id(app, families.FATHER)
    url = branch.person_url(families.FATHER)
    page = branch.get(url).get_data(as_text=True)
    assert "فوت این شخص ثبت شده است" in page
    refused = branch.post(
        url,
        {
            "document_kind": "birth_certificate",
            "document_number": "9",
            "mobile": NEW_MOBILE,
            "mobile_again": NEW_MOBILE,
        },
    )
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.get(Person, person_id).mobile == "09141111111"


def test_the_identity_document_is_required(app, branch):
    person_id = _person_id(app, families.WIFE)
    url = branch.person_url(families.WIFE)
    refused = _register_mobile(branch, url, document_number="")
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.get(Person, person_id).mobile == families.WIFE_MOBILE


def test_a_form_without_its_csrf_token_does_nothing(app, branch):
    person_id = _person_id(app, families.WIFE)
    url = branch.person_url(families.WIFE)
    answer = branch.client.post(
        url,
        data={
            "document_kind": "national_card",
            "document_number": "1",
            "mobile": NEW_MOBILE,
            "mobile_again": NEW_MOBILE,
        },
    )
    assert answer.status_code == 400
    assert "لطفاً صفحه را دوباره بارگیری" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Person, person_id).mobile == families.WIFE_MOBILE


def test_people_are_found_by_name_and_each_one_listed_is_audited(app, branch):
    found = branch.post("/staff/branch/by-name", {"first_name": "علي", "last_name": "رضا"})
    assert found.status_code == 200
    people = found.get_data(as_text=True).split('id="people"', 1)[1]
    assert "علی رضایی" in people and "۰۰۱***۶۷۹" in people  # Arabic ye typed: the same name
    assert "زهرا" not in people and families.INSURED_MOBILE not in people
    assert f'name="national_code" value="{families.INSURED}"' in people  # opened by its code
    with app.app_context():
        listed = db.session.scalars(
            select(StaffAudit.person_id).where(StaffAudit.action == "person_listed")
        ).all()
    assert listed == [_person_id(app, families.INSURED)]


def test_a_name_search_needs_both_names_and_says_when_no_one_matches(branch):
    missing = branch.post("/staff/branch/by-name", {"first_name": "", "last_name": "رضایی"})
    assert missing.status_code == 400 and 'id="first_name-error"' in missing.get_data(as_text=True)
    nobody = branch.post("/staff/branch/by-name", {"first_name": "%", "last_name": "_"})
    assert "کسی با این نام" in nobody.get_data(as_text=True)  # wildcards are letters here


def test_the_new_mobile_is_typed_twice_and_a_difference_changes_nothing(app, branch):
    person_id = _person_id(app, families.WIFE)
    refused = _register_mobile(branch, branch.person_url(families.WIFE), mobile_again="09351234576")
    assert refused.status_code == 400
    assert 'id="mobile_again-error"' in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Person, person_id).mobile == families.WIFE_MOBILE


def _people(app) -> list[tuple[int, str]]:
    """Every registry person's id and first name."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(select(Person.id, Person.first_name))]


def _views(app) -> list[dict]:
    """The audit's rows of a person's page being viewed."""
    with app.app_context():
        rows = db.session.scalars(select(StaffAudit).where(StaffAudit.action == "person_viewed"))
        return [{"person_id": row.person_id, **row.detail} for row in rows]


def test_bare_ids_show_no_one_and_leave_nothing(app, branch):
    people = _people(app)
    assert len(people) >= 5
    change = {"document_kind": "national_card", "document_number": "A1", "mobile": NEW_MOBILE}
    for person_id, first_name in [*people, (people[-1][0] + 1, "")]:
        for url in (
            f"/staff/branch/people/{person_id}",
            f"/staff/branch/people/{person_id}/passkeys",
        ):
            page = branch.get(url)
            assert page.status_code == 404
            text = page.get_data(as_text=True)
            assert "چیزی در این نشانی پیدا نشد." in text  # the console's own refusal page
            assert not first_name or first_name not in text
        assert branch.post(f"/staff/branch/people/{person_id}", change).status_code == 404
    assert _views(app) == []
    with app.app_context():
        assert not db.session.scalar(select(Person.id).where(Person.mobile == NEW_MOBILE))
        assert not db.session.scalar(select(StaffAudit.id).where(StaffAudit.person_id.is_not(None)))


def test_a_changed_old_or_borrowed_link_shows_no_one(app, branch, signed_in, clock):
    url = branch.person_url(families.INSURED)
    token = url.rsplit("/", 1)[1]
    payload, rest = token.split(".", 1)
    changed = f"/staff/branch/people/{payload[:-1]}{'A' if payload[-1] != 'A' else 'B'}.{rest}"
    assert branch.get(changed).status_code == 404
    assert signed_in("branch").get(url).status_code == 404  # made for another staff member
    for _ in range(3):  # 33 minutes at the counter, the session kept alive (15 minutes idle)
        clock.move(minutes=11)
        assert branch.get("/staff/").status_code == 200
    assert branch.get(url).status_code == 404
    assert _views(app) == []


def test_every_view_of_a_person_is_audited(app, branch):
    url = branch.person_url(families.INSURED)
    person_id = _person_id(app, families.INSURED)
    assert _views(app) == []  # the search alone shows no one
    assert "علی رضایی" in branch.get(url).get_data(as_text=True)
    assert "علی رضایی" in branch.get(url).get_data(as_text=True)
    assert branch.get(url + "/passkeys").status_code == 200
    assert _views(app) == [
        {"person_id": person_id, "page": "mobile"},
        {"person_id": person_id, "page": "mobile"},
        {"person_id": person_id, "page": "passkeys"},
    ]
