"""One unit of work per request in the web for centres (`server/web/unit_of_work.py`): a page
that only reads commits nothing, one that writes commits once, what must stick although the
answer is an error (a counted SMS try, a spent passkey token, a stale session) is committed at
once, and a request that fails half-way leaves nothing behind."""

from authenticator import SoftAuthenticator
from families import INSURED, INSURED_MOBILE, WIFE, WIFE_MOBILE
from sqlalchemy import func, select
from test_registration import confirm_mobile, counts, details, send
from web_prescribing import items, make_doctor, make_pharmacist, visit

from server.catalogue import checks
from server.centres import accounts, documents, registration, tokens, views
from server.domain.refusal import Conflict, Invalid
from server.extensions import db
from server.models import (
    DOCUMENT_KINDS,
    CentreMember,
    Inquiry,
    MemberSession,
    Prescription,
    ProviderToken,
    SmsChallenge,
    UsedToken,
)


def rows(app, model) -> int:
    """How many rows a table has."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def counted_post(browser, count_commits, url: str, data: dict, page: str | None = None):
    """POST a form with the CSRF token of its page, fetched first: only the POST is counted."""
    token = browser.csrf(page or url)
    count_commits.reset()
    return browser.client.post(url, data={"csrf_token": token, **data})


def test_the_pages_that_only_read_commit_nothing(admin, count_commits):
    for url in ("/centre/eligibility", "/centre/members", "/centre/tokens", "/centre/passkey"):
        count_commits.reset()
        assert admin.get(url).status_code == 200, url
        assert count_commits.count == 0, (url, count_commits.statements)


def test_an_admin_s_writes_commit_once_each(app, admin, count_commits):
    asked = counted_post(admin, count_commits, "/centre/eligibility", {"national_code": WIFE})
    assert asked.status_code == 200
    assert count_commits.count == 1, count_commits.statements  # the inquiry, logged
    assert rows(app, Inquiry) == 1

    made = counted_post(
        admin, count_commits, "/centre/tokens", {"name": "نرم‌افزار", "scopes": "eligibility"}
    )
    assert made.status_code == 200
    assert count_commits.count == 1, count_commits.statements
    with app.app_context():
        token_id = db.session.scalar(select(ProviderToken.id))
    revoked = counted_post(
        admin, count_commits, f"/centre/tokens/{token_id}/revoke", {}, page="/centre/tokens"
    )
    assert revoked.status_code == 302
    assert count_commits.count == 1, count_commits.statements

    added = counted_post(
        admin,
        count_commits,
        "/centre/members",
        {"national_code": WIFE, "mobile": WIFE_MOBILE, "role": "reception"},
    )
    assert added.status_code == 302
    assert count_commits.count == 1, count_commits.statements
    assert rows(app, CentreMember) == 2

    signed_out = counted_post(
        admin, count_commits, "/centre/sign-out", {}, page="/centre/eligibility"
    )
    assert signed_out.status_code == 302
    assert count_commits.count == 1, count_commits.statements


def test_a_wrong_sms_code_is_counted_at_once_and_a_right_one_opens_a_session(
    app, clinic, centre_browser, count_commits
):
    sign_in = {"national_code": INSURED, "mobile": INSURED_MOBILE}
    assert centre_browser.post("/centre/sign-in", sign_in).status_code == 302
    code = centre_browser.last_sms()["code"]
    wrong = "000000" if code != "000000" else "111111"
    url = "/centre/sign-in/code"
    tried = counted_post(centre_browser, count_commits, url, {"code": wrong})
    assert tried.status_code == 200 and "۲" in tried.get_data(as_text=True)  # two tries left
    assert count_commits.count == 1, count_commits.statements  # the try, counted at once
    with app.app_context():
        assert db.session.scalar(select(SmsChallenge.failed_attempts)) == 1

    signed_in = counted_post(centre_browser, count_commits, url, {"code": code})
    assert signed_in.status_code == 302
    # One for the try, counted before the code is compared (commit_now); one for the session.
    assert count_commits.count == 2, count_commits.statements
    assert rows(app, MemberSession) == 1


def test_a_refused_passkey_ceremony_spends_its_token_all_the_same(
    app, clinic, centre_browser, count_commits
):
    centre_browser.sign_in(INSURED, INSURED_MOBILE)
    ceremony = centre_browser.post_json("/centre/passkey/options", {}).get_json()
    body = {"state": ceremony["state"], "credential": {"id": "forged"}}
    token = centre_browser.csrf("/centre/passkey")
    count_commits.reset()
    refused = centre_browser.client.post(
        "/centre/passkey/verify", json=body, headers={"X-CSRFToken": token}
    )
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "passkey_refused"
    assert count_commits.count == 1, count_commits.statements  # the token, spent at once
    assert rows(app, UsedToken) == 1
    credential = SoftAuthenticator().create(ceremony["options"])
    again = centre_browser.post_json(
        "/centre/passkey/verify", {"state": ceremony["state"], "credential": credential}
    )
    assert again.get_json()["error"] == "passkey_expired"  # no second try on one token


def test_a_confirmed_ceremony_commits_the_spent_token_then_the_session(
    app, clinic, centre_browser, count_commits
):
    centre_browser.sign_in(INSURED, INSURED_MOBILE)
    ceremony = centre_browser.post_json("/centre/passkey/options", {}).get_json()
    credential = SoftAuthenticator().create(ceremony["options"])
    token = centre_browser.csrf("/centre/passkey")
    count_commits.reset()
    confirmed = centre_browser.client.post(
        "/centre/passkey/verify",
        json={"state": ceremony["state"], "credential": credential},
        headers={"X-CSRFToken": token},
    )
    assert confirmed.status_code == 200
    # One for the spent token (commit_now, whatever follows); one for the passkey and session.
    assert count_commits.count == 2, count_commits.statements
    with app.app_context():
        assert db.session.scalar(select(MemberSession.method)) == "passkey"


def test_a_stale_session_is_ended_although_the_answer_is_a_401(app, clinic, centre_browser, clock):
    centre_browser.sign_in(INSURED, INSURED_MOBILE)
    token = centre_browser.csrf("/centre/passkey")
    clock.move(minutes=31)  # idle for longer than 30 minutes
    answer = centre_browser.client.post(
        "/centre/passkey/options", json={}, headers={"X-CSRFToken": token}
    )
    assert answer.status_code == 401
    with app.app_context():
        assert db.session.scalar(select(MemberSession.ended_at)) is not None


def test_a_refusal_shown_on_a_page_that_answers_200_keeps_nothing_of_its_operation(
    app, admin, monkeypatch
):
    real = tokens.create_token

    def made_then_refused(*args, **kwargs):
        real(*args, **kwargs)
        raise Invalid("invalid_scopes", field="scopes")

    monkeypatch.setattr(views.tokens, "create_token", made_then_refused)
    page = admin.post("/centre/tokens", {"name": "نرم‌افزار", "scopes": "eligibility"})
    assert page.status_code == 200
    assert "دست‌کم" in page.get_data(as_text=True) or "حداقل" in page.get_data(as_text=True)
    assert rows(app, ProviderToken) == 0


def test_a_registration_refused_after_its_files_are_written_is_shown_and_keeps_none(
    app, family, centre_browser, monkeypatch
):
    confirm_mobile(centre_browser)
    before = counts(app)
    real, written = registration.register, []

    def stored_then_refused(application, checked, folder):
        written.append(real(application, checked, folder))  # the office, its rows, its files
        raise Conflict("council_number_taken", field="medical_council_number")

    monkeypatch.setattr(registration, "register", stored_then_refused)
    answer = send(centre_browser, details())
    assert answer.status_code == 200  # the form again, the refusal beside its field
    assert "این شمارهٔ نظام پزشکی پیش‌تر ثبت شده است." in answer.get_data(as_text=True)
    assert written  # the registration got as far as its files
    assert counts(app) == before  # no centre, member, document row or file more


def test_a_refusal_flashed_on_a_redirect_keeps_nothing_of_its_operation(
    app, admin, monkeypatch, count_commits
):
    added = admin.post(
        "/centre/members", {"national_code": WIFE, "mobile": WIFE_MOBILE, "role": "reception"}
    )
    assert added.status_code == 302
    with app.app_context():
        member_id = db.session.scalar(select(func.max(CentreMember.id)))
    real = accounts.remove_member

    def removed_then_refused(centre_id, member_id):
        real(centre_id, member_id)
        raise Conflict("last_admin")

    monkeypatch.setattr(views.accounts, "remove_member", removed_then_refused)
    url = f"/centre/members/{member_id}/remove"
    answer = counted_post(admin, count_commits, url, {}, page="/centre/members")
    assert answer.status_code == 302  # a redirect, which would commit, to the flashed refusal
    assert count_commits.count == 0, count_commits.statements
    with app.app_context():
        assert db.session.get(CentreMember, member_id).removed_at is None
    shown = admin.get(answer.headers["Location"]).get_data(as_text=True)
    assert "آخرین مدیر مرکز را نمی‌توان حذف کرد." in shown  # the refusal, flashed


def test_a_registration_that_fails_half_way_leaves_nothing(
    app, family, centre_browser, monkeypatch
):
    confirm_mobile(centre_browser)
    before = counts(app)  # no centre, member or document row; the files of earlier tests
    assert before[:3] == (0, 0, 0)
    real, stored = documents.store, []

    def third_fails(document, folder):
        if len(stored) == 2:  # the office and its doctor are flushed, two files written
            raise OSError("the disk is full")
        stored.append(real(document, folder))
        return stored[-1]

    monkeypatch.setattr(documents, "store", third_fails)
    answer = send(centre_browser, details())
    assert answer.status_code == 500
    assert len(stored) == 2
    assert counts(app) == before  # no centre, member, document row or file more


def test_a_registration_whose_final_commit_fails_keeps_no_document_on_disk(
    app, family, centre_browser, busy_commit
):
    confirm_mobile(centre_browser)
    before = counts(app)
    busy_commit.arm()
    answer = send(centre_browser, details())
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert busy_commit.failed  # the registration got as far as its commit
    assert counts(app) == before  # no centre, member, document row or file more
    # sent again, with no new SMS code, it goes through
    assert send(centre_browser, details()).status_code == 302
    kinds = len(DOCUMENT_KINDS)
    assert counts(app)[2:] == (before[2] + kinds, before[3] + kinds)


def test_a_prescription_that_fails_half_way_leaves_nothing(
    app, clinic, centre_browser, family, catalogue, monkeypatch, count_commits
):
    doctor = make_doctor(app, clinic, centre_browser)
    inquiry_id = visit(doctor, INSURED)
    assert rows(app, Inquiry) == 1

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(checks, "store_acknowledgements", broken)
    url = f"/centre/prescriptions/new/{inquiry_id}"
    fields = {"type": "drug", "action": "save", **items(("D1001", "20", ""))}
    answer = counted_post(doctor, count_commits, url, fields)
    assert answer.status_code == 500
    assert count_commits.count == 0, count_commits.statements
    assert rows(app, Prescription) == 0
    assert rows(app, Inquiry) == 1  # the prescription's own inquiry is undone with it

    monkeypatch.undo()
    saved = counted_post(doctor, count_commits, url, fields)
    assert saved.status_code == 302
    assert count_commits.count == 1, count_commits.statements  # the SMS follows, reading only
    assert rows(app, Prescription) == 1 and rows(app, Inquiry) == 2


def test_prescribing_and_delivering_commit_once_per_write_and_never_to_read(
    app, clinic, family, catalogue, flask_command, make_browser, count_commits
):
    doctor = make_doctor(app, clinic, make_browser())
    inquiry_id = visit(doctor, INSURED)
    url = f"/centre/prescriptions/new/{inquiry_id}"
    fields = {"type": "drug", "action": "save", **items(("D1001", "20", ""))}
    saved = counted_post(doctor, count_commits, url, fields)
    assert saved.status_code == 302
    assert count_commits.count == 1, count_commits.statements
    code = saved.headers["Location"].rsplit("/", 1)[1]
    kept = counted_post(
        doctor, count_commits, url, {**fields, "action": "favourite", "favourite_name": "گلو"}
    )
    assert kept.status_code == 200
    assert count_commits.count == 1, count_commits.statements
    for read in (
        url,
        f"/centre/prescriptions/{code}",
        "/centre/prescriptions",
        "/centre/favourites",
        "/centre/catalogue?q=amox",
    ):
        count_commits.reset()
        assert doctor.get(read).status_code == 200, read
        assert count_commits.count == 0, (read, count_commits.statements)
    count_commits.reset()
    assert doctor.get(f"/centre/patients/{inquiry_id}").status_code == 200
    assert count_commits.count == 1, count_commits.statements  # the read, logged for the patient

    razi = make_pharmacist(app, flask_command, make_browser(), "داروخانه رازی", "father")
    found = counted_post(razi, count_commits, "/centre/deliver", {"code": INSURED})
    assert found.status_code == 200
    assert count_commits.count == 1, count_commits.statements  # the read, logged for the patient
    delivered = counted_post(
        razi, count_commits, f"/centre/deliver/{code}", {"qty-D1001": "5"}, page="/centre/deliver"
    )
    assert delivered.status_code == 302
    assert count_commits.count == 1, count_commits.statements
    count_commits.reset()
    assert razi.get(f"/centre/deliver/{code}/receipt").status_code == 200
    assert count_commits.count == 0, count_commits.statements
