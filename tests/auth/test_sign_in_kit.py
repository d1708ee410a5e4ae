"""The sign-in kit's rules, each held in every realm: citizen, centre member, staff.

Ali (the family's insured) is all three: he uses the app, administers a doctor's office and is on
SSO's medical staff, with one national code and one mobile. A stranger knows both.
"""

import hashlib

import pytest
from authenticator import SoftAuthenticator
from centres.centre_browser import CentreBrowser
from families import INSURED, INSURED_MOBILE
from sqlalchemy import func, select
from staff.conftest import StaffBrowser

from server.extensions import db
from server.models import (
    Account,
    DeviceSession,
    MemberSession,
    SmsChallenge,
    StaffSession,
)

STRANGER = "203.0.113.66"
OWNER = "198.51.100.7"
BRANCH_STAFF = ("0499370899", "09121110001")
NEW_MOBILE = "09351234567"


def wrong(code: str) -> str:
    """Another six-digit code."""
    return f"{(int(code) + 1) % 10**6:06d}"


class Citizen:
    """The app's sign-in from one address."""

    def __init__(self, make_citizen, address: str) -> None:
        self.browser = make_citizen()
        self.browser.client.environ_base["REMOTE_ADDR"] = address
        self.request_id = ""

    def ask(self, national_code: str, mobile: str) -> int:
        """Ask for a code; the answer's status."""
        answer = self.browser.start(national_code, mobile)
        self.request_id = (answer.get_json() or {}).get("request_id", self.request_id)
        return answer.status_code

    def enter(self, code: str) -> bool:
        """Send a code back; True when it signed in."""
        return self.browser.verify(self.request_id, code).status_code == 200

    def finish(self) -> None:
        """Nothing more: a right code signs a citizen in."""

    def signed_in(self) -> bool:
        """This browser is signed in."""
        return self.browser.get("/api/me").status_code == 200

    def cookie_id(self, app) -> str:
        """The raw device-session id the signed session cookie carries."""
        cookie = self.browser.client.get_cookie("darman").value
        return app.session_interface.get_signing_serializer(app).loads(cookie)["_user_id"]


class Centre:
    """The web for centres' sign-in from one address."""

    def __init__(self, app, address: str) -> None:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        self.browser = CentreBrowser(app, client)

    def ask(self, national_code: str, mobile: str) -> int:
        """Ask for a code; 302 when it went."""
        form = {"national_code": national_code, "mobile": mobile}
        return self.browser.post("/centre/sign-in", form).status_code

    def enter(self, code: str) -> bool:
        """Send a code back; True when it signed in."""
        form = {"code": code}
        answer = self.browser.post("/centre/sign-in/code", form, page="/centre/sign-in/code")
        return answer.status_code == 302

    def finish(self) -> None:
        """Nothing more: a right code signs a member in (reading only)."""

    def signed_in(self) -> bool:
        """This browser is signed in to the clinic."""
        return self.browser.get("/centre/eligibility").status_code == 200

    def cookie_id(self, app) -> str:
        """The member session's raw id."""
        return self.browser.client.get_cookie("darman-centre").value


class Console:
    """The staff console's sign-in from one address (a passkey after the code)."""

    def __init__(self, app, address: str) -> None:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        self.browser = StaffBrowser(app, client)
        self.browser.authenticator = SoftAuthenticator()

    def ask(self, national_code: str, mobile: str) -> int:
        """Ask for a code; 303 when it went."""
        return self.browser.start(national_code, mobile).status_code

    def enter(self, code: str) -> bool:
        """Send a code back; True when it passed the SMS step."""
        return self.browser.post("/staff/sign-in/code", {"code": code}).status_code == 303

    def finish(self) -> None:
        """The passkey step (registered on the first sign-in)."""
        assert self.browser.passkey().status_code == 200

    def signed_in(self) -> bool:
        """This browser is signed in to the console."""
        return self.browser.get("/staff/").status_code == 200

    def cookie_id(self, app) -> str:
        """The staff session's raw token."""
        return self.browser.client.get_cookie("darman-staff").value


SENT = {Citizen: 200, Centre: 302, Console: 303}
TABLES = {Citizen: DeviceSession, Centre: MemberSession, Console: StaffSession}


@pytest.fixture
def ali(app, family, runner):
    """Ali as a clinic's admin and a medical staff member, beside his citizen self."""
    admin = f"{INSURED}:{INSURED_MOBILE}"
    for args in (
        ["centre", "create", "مطب سلامت", "--kind", "doctor", "--admin", admin],
        ["staff", "create", INSURED, INSURED_MOBILE, "--role", "medical"],
    ):
        result = runner.invoke(args=["darman", *args])
        assert result.exit_code == 0, result.output


@pytest.fixture(params=[Citizen, Centre, Console], ids=["citizen", "centre", "staff"])
def realm(request, app, make_citizen):
    """`realm(address)`: a browser of one realm at an address."""

    def make(address: str):
        if request.param is Citizen:
            return Citizen(make_citizen, address)
        return request.param(app, address)

    return make


def sign_in(browser) -> None:
    """Ali's whole sign-in in this browser."""
    assert browser.ask(INSURED, INSURED_MOBILE) == SENT[type(browser)]
    assert browser.enter(browser.browser.last_sms()["code"])
    browser.finish()
    assert browser.signed_in()


def flood(stranger) -> list[int]:
    """What a stranger who knows Ali's national code and mobile can do in a burst: ask for
    codes (the right pair and a wrong one) and guess every code sent; the answers' statuses."""
    statuses = []
    for _ in range(8):
        statuses.append(stranger.ask(INSURED, "09350000000"))
        statuses.append(stranger.ask(INSURED, INSURED_MOBILE))
        if statuses[-1] == SENT[type(stranger)]:
            code = stranger.browser.last_sms()["code"]
            for _ in range(3):
                assert not stranger.enter(wrong(code))
    return statuses


def test_a_strangers_burst_locks_only_the_strangers_address(app, ali, realm, clock):
    stranger = realm(STRANGER)
    statuses = flood(stranger)
    assert len(statuses) >= 16
    assert stranger.ask(INSURED, INSURED_MOBILE) != SENT[type(stranger)]  # locked out there
    owner = realm(OWNER)
    sign_in(owner)  # the owner, from his own address, at once


def test_a_stranger_cannot_lock_the_owner_out_for_a_day(app, ali, realm, clock):
    stranger = realm(STRANGER)
    for _ in range(12):  # a burst every hour for half a day
        flood(stranger)
        clock.move(minutes=61)
    sign_in(realm(OWNER))


def test_the_strangers_wrong_codes_do_not_spend_the_owners_code(app, ali, realm, clock):
    owner, stranger = realm(OWNER), realm(STRANGER)
    assert owner.ask(INSURED, INSURED_MOBILE) == SENT[type(owner)]
    code = owner.browser.last_sms()["code"]
    for _ in range(12):  # failures enough to lock an address
        assert stranger.ask(INSURED, "09350000000") != SENT[type(stranger)]
    flood(stranger)  # and the stranger's own codes, each guessed and used up
    assert owner.enter(code)
    owner.finish()
    assert owner.signed_in()


def test_a_failing_address_is_locked_for_that_national_code_only(app, ali, realm, clock):
    stranger = realm(STRANGER)
    flood(stranger)
    assert stranger.ask(INSURED, INSURED_MOBILE) != SENT[type(stranger)]
    clock.move(minutes=61)  # the failures leave the hour's window
    sign_in(stranger)  # (the same address, now: a family's shared computer, say)


def test_the_cookie_holds_an_id_the_table_keeps_only_hashed(app, ali, realm):
    browser = realm(OWNER)
    sign_in(browser)
    raw = browser.cookie_id(app)
    table = TABLES[type(browser)]
    with app.app_context():
        assert db.session.get(table, raw) is None
        hashed = db.session.get(table, hashlib.sha256(raw.encode()).hexdigest())
        assert hashed is not None and hashed.ended_at is None


def test_every_realm_keeps_its_codes_in_the_one_table(app, ali, realm):
    sign_in(realm(OWNER))
    with app.app_context():
        realms = db.session.scalars(select(SmsChallenge.realm)).all()
    assert realms == [{Citizen: "citizen", Centre: "centre", Console: "staff"}[type(realm(OWNER))]]


def test_a_code_of_one_realm_is_worth_nothing_in_another(app, ali, make_citizen):
    centre = Centre(app, OWNER)
    assert centre.ask(INSURED, INSURED_MOBILE) == 302
    code = centre.browser.last_sms()["code"]
    with app.app_context():
        request_id = db.session.scalar(select(SmsChallenge.id))
    citizen = Citizen(make_citizen, STRANGER)
    citizen.request_id = request_id
    assert not citizen.enter(code)
    assert centre.enter(code)  # still good where it was asked for


def test_a_doctor_new_to_the_app_signs_in_to_the_centre_without_a_citizen_account(app, ali):
    sign_in(Centre(app, OWNER))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Account)) == 0


def test_a_mobile_change_by_the_branch_ends_every_session_of_that_person(
    app, ali, make_citizen, runner
):
    realms = [Citizen(make_citizen, "198.51.100.1"), Centre(app, "198.51.100.2")]
    realms.append(Console(app, "198.51.100.3"))
    for browser in realms:
        sign_in(browser)
    branch = _branch_member(app, runner)
    changed = branch.post(
        branch.person_url(INSURED),
        {"document_kind": "national_card", "document_number": "A123", "mobile": NEW_MOBILE},
    )
    assert changed.status_code == 303
    assert realms[0].browser.get("/api/me").status_code == 401
    for browser, sign_in_page in ((realms[1], "/centre/sign-in"), (realms[2], "/staff/sign-in")):
        page = browser.browser.get("/centre/eligibility" if browser is realms[1] else "/staff/")
        assert page.status_code == 302 and page.location.endswith(sign_in_page)
    with app.app_context():
        for table in TABLES.values():
            live = select(func.count()).select_from(table).where(table.ended_at.is_(None))
            assert db.session.scalar(live) == (1 if table is StaffSession else 0)  # the branch's


def _branch_member(app, runner) -> StaffBrowser:
    """Another staff member, of the branch, signed in."""
    national_code, mobile = BRANCH_STAFF
    result = runner.invoke(
        args=["darman", "staff", "create", national_code, mobile, "--role", "branch"]
    )
    assert result.exit_code == 0, result.output
    console = Console(app, "5.160.0.10")
    console.browser.sign_in(national_code, mobile)
    return console.browser


def test_an_owner_signing_in_all_day_from_the_office_is_no_flood(app, ali, realm):
    first = realm(OWNER)
    sign_in(first)
    for _ in range(app.config["DARMAN_SMS_PER_DAY"] + 2):  # a spent code stops counting
        again = realm(OWNER)
        if isinstance(again, Console):
            again.browser.authenticator = first.browser.authenticator  # the office's passkey
        sign_in(again)
