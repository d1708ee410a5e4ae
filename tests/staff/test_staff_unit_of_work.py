"""One unit of work per console request: a page that only reads commits nothing, an action
commits once with its audit row, and an action that fails half-way leaves neither behind.
What must stick whatever the answer (a counted try, a spent challenge) is committed at once."""

import json

import families
import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import (
    DeviceSession,
    Objection,
    OutboxEvent,
    Person,
    RateLimitHit,
    SmsChallenge,
    StaffAudit,
)
from server.staff import citizen_api, objections, views

NEW_MOBILE = "09351234567"


def rows(app, model, *where) -> int:
    """How many rows of `model` (that match `where`) are stored."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def audited(app, action: str) -> int:
    """How many audit rows of one action are stored."""
    return rows(app, StaffAudit, StaffAudit.action == action)


def person_id(app, national_code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.national_code == national_code))


def commits_of(count_commits, request) -> tuple[int, object]:
    """The commits one request made, and its answer."""
    count_commits.reset()
    answer = request()
    return count_commits.count, answer


@pytest.fixture
def branch(signed_in, family, clock):
    """A branch member, signed in (on a still clock), with the Rezaei family in the registry."""
    return signed_in("branch")


@pytest.fixture
def filed(app, citizen, family) -> int:
    """Ali has filed an objection about a record he does not recognise; its id."""
    assert citizen.sign_in(families.INSURED, families.INSURED_MOBILE).status_code == 200
    answer = citizen.post("/api/objections", {"subject": "misuse", "text": "این من نبودم."})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["id"]


def test_each_sign_in_step_commits_once_and_a_wrong_code_stays_counted(
    app, make_staff, staff_browser, count_commits, clock
):
    _, national_code, mobile = make_staff("branch")
    browser = staff_browser()
    assert commits_of(count_commits, lambda: browser.get("/staff/sign-in"))[0] == 0
    count, started = commits_of(count_commits, lambda: browser.start(national_code, mobile))
    assert started.status_code == 303
    # the challenge is committed before the SMS goes out (no write lock while it does), then
    # the request commits the new session
    assert count == 2, count_commits.statements
    right = browser.last_sms()["code"]
    wrong_code = "000000" if right != "000000" else "111111"
    count, wrong = commits_of(
        count_commits, lambda: browser.post("/staff/sign-in/code", {"code": wrong_code})
    )
    assert wrong.status_code == 400
    assert count == 1  # a 400 commits nothing but the counted try (commit_now)
    with app.app_context():
        challenge = db.session.execute(select(SmsChallenge)).scalar_one()
        assert (challenge.realm, challenge.failed_attempts) == ("staff", 1)
    count, coded = commits_of(
        count_commits, lambda: browser.post("/staff/sign-in/code", {"code": right})
    )
    # the try is counted before the code is compared (commit_now), then the SMS step is passed
    assert coded.status_code == 303 and count == 2
    verified = commits_of(count_commits, browser.passkey)
    # the options commit nothing; the verification spends its challenge at once (commit_now),
    # then commits the passkey, the signed-in session and the audit as one
    assert verified[1].status_code == 200 and verified[0] == 2, count_commits.statements
    assert audited(app, "passkey_registered") == 1 and audited(app, "signed_in") == 1


def test_a_refused_pair_stays_counted_although_the_page_answers_400(
    app, make_staff, staff_browser, count_commits
):
    _, national_code, _ = make_staff("branch")
    count, refused = commits_of(
        count_commits, lambda: staff_browser().start(national_code, "09350000000")
    )
    assert refused.status_code == 400
    assert count == 1  # the try, and only it (commit_now)
    assert rows(app, RateLimitHit) == 2  # one per address, one per national code


def test_a_refused_passkey_spends_its_challenge(make_staff, staff_browser):
    _, national_code, mobile = make_staff("branch")
    browser = staff_browser()
    browser.start(national_code, mobile)
    browser.post("/staff/sign-in/code", {"code": browser.last_sms()["code"]})
    options = browser.post_json("/staff/sign-in/passkey/options").get_json()
    garbled = browser.post_json(
        "/staff/sign-in/passkey/verify", {"state": options["state"], "credential": {"id": "x"}}
    )
    assert garbled.status_code == 400
    assert garbled.get_json()["error"] == "passkey_refused"
    credential = browser.authenticator.create(options["options"])
    again = browser.post_json(
        "/staff/sign-in/passkey/verify", {"state": options["state"], "credential": credential}
    )
    assert again.status_code == 400  # the refusal was rolled back, the spending was not
    assert again.get_json() == {
        "error": "passkey_expired",
        "message": "مهلت این درخواست تمام شده است. لطفاً دوباره تلاش کنید.",
    }


def test_the_console_reads_commit_nothing_and_its_last_use_once_a_minute(
    app, branch, count_commits, clock
):
    for url in ("/staff/", "/staff/objections", "/staff/branch"):
        count, page = commits_of(count_commits, lambda url=url: branch.get(url))
        assert page.status_code == 200 and count == 0, (url, count_commits.statements)
    clock.move(minutes=2)
    assert commits_of(count_commits, lambda: branch.get("/staff/"))[0] == 1  # the last use
    assert commits_of(count_commits, lambda: branch.get("/staff/"))[0] == 0


def test_the_branchs_actions_commit_once_with_their_audit(app, branch, count_commits):
    count, found = commits_of(
        count_commits, lambda: branch.post("/staff/branch", {"national_code": families.INSURED})
    )
    assert found.status_code == 303 and count == 0  # the search shows no one: nothing to audit
    assert commits_of(count_commits, lambda: branch.get(found.location))[0] == 1
    assert audited(app, "person_viewed") == 1  # the person's page, shown
    change = {"document_kind": "national_card", "document_number": "A1", "mobile": NEW_MOBILE}
    count, changed = commits_of(count_commits, lambda: branch.post(found.location, change))
    assert changed.status_code == 303 and count == 1 and audited(app, "mobile_changed") == 1
    count, refused = commits_of(count_commits, lambda: branch.post(found.location, change))
    assert refused.status_code == 400 and count == 0
    assert "همان شمارهٔ همراهی" in refused.get_data(as_text=True)  # «already the mobile on file»


def test_a_mobile_change_that_fails_half_way_leaves_nothing_and_texts_no_one(
    app, branch, citizen, monkeypatch
):
    assert citizen.sign_in(families.INSURED, families.INSURED_MOBILE).status_code == 200
    texts_before = _texts(app)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    # after the mobile, the sessions and the audit row are written, before the page is done
    monkeypatch.setattr(views, "flash", broken)
    url = branch.person_url(families.INSURED)
    change = {"document_kind": "national_card", "document_number": "A1", "mobile": NEW_MOBILE}
    assert branch.post(url, change).status_code == 500
    with app.app_context():
        mobile = db.session.scalar(
            select(Person.mobile).where(Person.national_code == families.INSURED)
        )
    assert mobile == families.INSURED_MOBILE
    assert rows(app, DeviceSession, DeviceSession.ended_at.is_not(None)) == 0
    assert audited(app, "mobile_changed") == 0
    assert _texts(app) == texts_before  # the SMS wait for a commit that never came


def _texts(app) -> list[dict]:
    """Every SMS the file backend wrote."""
    path = app.config["DARMAN_SMS_BACKEND"].removeprefix("file:")
    with open(path, encoding="utf-8") as stream:
        return [json.loads(line) for line in stream.read().splitlines()]


def test_objections_commit_once_per_action(app, filed, citizen, branch, count_commits):
    assert commits_of(count_commits, lambda: citizen.get("/api/objections"))[0] == 0
    url = f"/staff/objections/{filed}"
    count, page = commits_of(count_commits, lambda: branch.get(url))
    assert page.status_code == 200 and count == 1  # the audit of the viewing
    answer = {"status": "answered", "answer": "بررسی شد."}
    count, answered = commits_of(count_commits, lambda: branch.post(url, answer))
    assert answered.status_code == 303 and count == 1, count_commits.statements


def test_filing_commits_once(app, citizen, family, count_commits):
    assert citizen.sign_in(families.INSURED, families.INSURED_MOBILE).status_code == 200
    body = {"subject": "cover", "text": "حق بیمه پرداخته‌ام."}
    count, answer = commits_of(count_commits, lambda: citizen.post("/api/objections", body))
    assert answer.status_code == 201 and count == 1
    refused = {"subject": "dependant_cover", "text": "پسرم", "national_code": families.UNKNOWN}
    count, answer = commits_of(count_commits, lambda: citizen.post("/api/objections", refused))
    assert answer.status_code == 404 and count == 0
    assert answer.get_json()["error"] == "not_in_family"
    assert answer.get_json()["field"] == "national_code"


def test_a_filing_that_fails_after_the_write_leaves_no_objection(app, citizen, family, monkeypatch):
    assert citizen.sign_in(families.INSURED, families.INSURED_MOBILE).status_code == 200

    def broken(objection):
        raise RuntimeError("the answer cannot be made")

    monkeypatch.setattr(citizen_api, "_filed", broken)
    answer = citizen.post("/api/objections", {"subject": "cover", "text": "x"})
    assert answer.status_code == 500
    assert rows(app, Objection) == 0


def test_an_answer_that_fails_half_way_leaves_no_status_and_no_audit(
    app, filed, branch, monkeypatch
):
    def broken(objection):
        raise RuntimeError("the outbox is full")

    monkeypatch.setattr(objections, "_tell", broken)  # after the status and the audit row
    answer = {"status": "answered", "answer": "بررسی شد."}
    assert branch.post(f"/staff/objections/{filed}", answer).status_code == 500
    with app.app_context():
        assert db.session.get(Objection, filed).status == "received"
    assert audited(app, "objection_answered") == 0
    assert rows(app, OutboxEvent, OutboxEvent.kind == "objection_status") == 0


def test_a_refused_flag_changes_nothing(app, citizen, family, branch):
    assert citizen.sign_in(families.INSURED, families.INSURED_MOBILE).status_code == 200
    filed = citizen.post("/api/objections", {"subject": "cover", "text": "x"}).get_json()["id"]
    flagged = {"status": "in_review", "answer": "", "flag_provider": "y"}
    refused = branch.post(f"/staff/objections/{filed}", flagged)
    assert refused.status_code == 400  # (the page offers the flag for disputes only)
    with app.app_context():
        assert db.session.get(Objection, filed).status == "received"
    assert audited(app, "objection_status") == 0


def test_the_admins_pages_commit_nothing(signed_in, clock, count_commits):
    admin = signed_in("admin")
    for url in ("/staff/audit", "/staff/imports"):
        count, page = commits_of(count_commits, lambda url=url: admin.get(url))
        assert page.status_code == 200 and count == 0, (url, count_commits.statements)
