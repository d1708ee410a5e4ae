"""A doctor prescribes in the browser: from a covered answer, items found as typed, the same
write operation as the API (catalogue, quantities, interactions, SMS), favourites kept, renamed,
deleted and started from, and the prescriptions of the day."""

import re

import pytest
from catalogue_loading import load_small_catalogue
from families import INSURED, INSURED_MOBILE, SON
from patient_view import readers_seen
from sqlalchemy import func, select, update
from web_prescribing import items, make_doctor, visit

from server.extensions import db
from server.models import (
    Favourite,
    Inquiry,
    InteractionAcknowledgement,
    OutboxEvent,
    Prescription,
    PrescriptionItem,
    Provider,
)

WARFARIN, ASPIRIN, AMOXICILLIN = "D1084", "D1085", "D1001"
IBUPROFEN, ACETAMINOPHEN = "D1007", "D1006"
PAIR = re.compile(
    r'name="acknowledgements-(\d+)-finding" type="hidden" value="([^"]+)">.*?'
    r'name="acknowledgements-\1-reason"[^>]*value="([^"]*)"',
    re.S,
)


@pytest.fixture
def catalogue(runner, tmp_path):
    """The small catalogue and the shipped interaction table, through the real commands."""
    load_small_catalogue(runner, tmp_path)


@pytest.fixture
def doctor(app, clinic, centre_browser, family, catalogue):
    """Zahra, a doctor of the clinic, confirmed with a passkey."""
    return make_doctor(app, clinic, centre_browser)


def count(app, model) -> int:
    """How many rows a table has."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def write(doctor, inquiry_id: int, page: str | None = None, **fields):
    """Send the new-prescription form."""
    url = f"/centre/prescriptions/new/{inquiry_id}"
    return doctor.post(url, {"type": "drug", "action": "save", **fields}, page=page or url)


def test_the_search_route_finds_persian_variants_with_the_api_s_search(doctor):
    found = doctor.get("/centre/catalogue?q=وارفاري&kind=drug").get_json()  # Arabic ي
    assert [item["code"] for item in found["items"]] == [WARFARIN]
    assert doctor.get("/centre/catalogue?q=amoxi").get_json()["items"][0]["code"] == AMOXICILLIN
    refused = doctor.get("/centre/catalogue?q=a&kind=pill")
    assert refused.status_code == 400 and refused.get_json()["error"] == "invalid_kind"
    assert "message" in refused.get_json()


def test_a_doctor_writes_from_a_covered_answer_and_sees_the_code_in_groups_of_four(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    page = doctor.get(f"/centre/prescriptions/new/{inquiry_id}").get_data(as_text=True)
    assert "نسخهٔ جدید" in page and "علی رضایی" in page
    saved = write(
        doctor,
        inquiry_id,
        diagnosis="عفونت گلو",
        **items(("آموکسی‌سیلین ۵۰۰", "۲۰", "هر ۸ ساعت یک عدد")),  # a name finding one item
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.app_context():
        prescription = db.session.scalars(select(Prescription)).one()
        item = db.session.scalars(select(PrescriptionItem)).one()
        inquiry = db.session.scalars(
            select(Inquiry).where(Inquiry.tracking_code == prescription.tracking_code)
        ).one()
        events = db.session.scalar(
            select(func.count()).where(OutboxEvent.kind == "prescription_written")
        )
    assert (item.code, item.quantity, item.instructions) == (AMOXICILLIN, 20, "هر ۸ ساعت یک عدد")
    assert (inquiry.channel, inquiry.member_id is not None) == ("web", True)
    assert events == 1  # the patient's push notice, as the API's writes
    shown = doctor.get(saved.headers["Location"]).get_data(as_text=True)
    persian = prescription.code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    grouped = " ".join(persian[i : i + 4] for i in range(0, 12, 4))
    assert f'id="prescription-code" dir="ltr">{grouped}<' in shown
    assert "کد رهگیری" in shown
    today = doctor.get("/centre/prescriptions").get_data(as_text=True)
    assert grouped in today and "آموکسی‌سیلین" in today


def test_the_patient_gets_an_sms_with_the_code(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    write(doctor, inquiry_id, **items((AMOXICILLIN, "10", "")))
    with app.app_context():
        code = db.session.scalar(select(Prescription.code))
    assert code in str(doctor.last_sms()) or code.translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    ) in str(doctor.last_sms())


def test_a_major_interaction_asks_a_reason_per_pair_then_saves_with_it(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    rows = items((WARFARIN, "30", ""), (ASPIRIN, "30", ""))
    stopped = write(doctor, inquiry_id, **rows)
    page = stopped.get_data(as_text=True)
    assert stopped.status_code == 409
    assert "خونریزی" in page and "وارفارین ۵ میلی‌گرم — آسپرین ۸۰ میلی‌گرم" in page
    assert count(app, Prescription) == 0
    finding_id = re.search(r'name="acknowledgements-0-finding" type="hidden" value="([^"]+)"', page)
    saved = write(
        doctor,
        inquiry_id,
        **rows,
        **{
            "acknowledgements-0-finding": finding_id.group(1),
            "acknowledgements-0-reason": "بیمار تحت پایش INR است",
        },
    )
    assert saved.status_code == 302
    with app.app_context():
        stored = db.session.scalars(select(InteractionAcknowledgement)).one()
    assert stored.reason == "بیمار تحت پایش INR است"
    assert "بیمار تحت پایش INR است" in doctor.get(saved.headers["Location"]).get_data(as_text=True)


def asked(page: str) -> dict[str, str]:
    """The findings the page asks a reason for, by id, with the reason its field holds."""
    return {finding: reason for _, finding, reason in PAIR.findall(page)}


def answered(page: str, reasons: dict[str, str]) -> dict:
    """The page's reason fields filled: each finding's reason by its id, where the page put it."""
    fields = {}
    for index, finding, _ in PAIR.findall(page):
        fields[f"acknowledgements-{index}-finding"] = finding
        fields[f"acknowledgements-{index}-reason"] = reasons.get(finding, "")
    return fields


def test_after_a_drug_is_swapped_the_reasons_asked_are_those_of_the_items_now_there(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    painkillers = items((ACETAMINOPHEN, "20", ""), (IBUPROFEN, "20", ""))
    assert write(doctor, inquiry_id, **painkillers).status_code == 302  # current medicines now
    inquiry_id = visit(doctor, INSURED)
    first = write(
        doctor,
        inquiry_id,
        **items((AMOXICILLIN, "20", ""), (WARFARIN, "30", ""), (IBUPROFEN, "20", "")),
    )
    assert first.status_code == 409
    bleeding, twice = (
        f"{IBUPROFEN}:{WARFARIN}:ibuprofen+warfarin",
        f"{IBUPROFEN}:{IBUPROFEN}:ibuprofen",
    )
    assert asked(first.get_data(as_text=True)) == {bleeding: "", twice: ""}
    reasons = {bleeding: "بیمار تحت پایش INR است", twice: "دوز قبلی قطع می‌شود"}
    swapped = items((AMOXICILLIN, "20", ""), (WARFARIN, "30", ""), (ACETAMINOPHEN, "20", ""))
    second = write(doctor, inquiry_id, **swapped, **answered(first.get_data(as_text=True), reasons))
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    again = f"{ACETAMINOPHEN}:{ACETAMINOPHEN}:acetaminophen"
    # Warfarin still meets the ibuprofen the patient takes: its reason is kept. Ibuprofen twice
    # is gone with its reason; acetaminophen twice is new.
    assert asked(page) == {again: "", bleeding: "بیمار تحت پایش INR است"}
    assert page.count('class="pair"') == 2
    reasons[again] = "بیمار استامینوفن قبلی را مصرف نمی‌کند"
    saved = write(doctor, inquiry_id, **swapped, **answered(page, reasons))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalars(select(InteractionAcknowledgement)).all()
    assert {(row.finding_id, row.reason) for row in stored} == {
        (bleeding, "بیمار تحت پایش INR است"),
        (again, "بیمار استامینوفن قبلی را مصرف نمی‌کند"),
    }


def test_any_submit_asks_the_reasons_of_the_items_on_the_form_and_keeps_them(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    rows = items((WARFARIN, "30", ""), (ASPIRIN, "30", ""), (AMOXICILLIN, "20", ""))
    stopped = write(doctor, inquiry_id, **rows).get_data(as_text=True)
    (finding,) = asked(stopped)
    reason = {finding: "بیمار تحت پایش INR است"}
    added = write(doctor, inquiry_id, **rows, **answered(stopped, reason), action="add")
    assert asked(added.get_data(as_text=True)) == reason  # another row: the reason stays
    removed = write(doctor, inquiry_id, **rows, **answered(stopped, reason), action="remove-1")
    page = removed.get_data(as_text=True)
    assert asked(page) == {}  # aspirin's row removed: no pair, no reason field
    assert 'data-code="D1084"' in page and 'data-code="D1001"' in page
    assert 'data-code="D1085"' not in page and count(app, Prescription) == 0


def test_a_picked_name_is_read_as_its_item_and_shown_by_name(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    picked = [("وارفارین ۵ میلی‌گرم", "30", ""), ("Amoxicillin 500 mg", "20", "")]
    refused = write(doctor, inquiry_id, **items(*picked, ("zzzz", "1", "")))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400  # the third row is nothing; the others are shown by name
    assert 'value="وارفارین ۵ میلی‌گرم"' in page and 'value="آموکسی‌سیلین ۵۰۰ میلی‌گرم"' in page
    assert f'value="{WARFARIN}"' not in page
    assert write(doctor, inquiry_id, **items(*picked)).status_code == 302


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ((AMOXICILLIN, "31", ""), "items-0-quantity", "حداکثر ۳۰"),
        (("L2001", "1", ""), "items-0-code", "نوشت"),
        (("zzzz", "1", ""), "items-0-code", "از فهرست"),
        ((AMOXICILLIN, "سه", ""), "items-0-quantity", "عدد"),
        (("", "", ""), "items-0-code", "دست‌کم"),
    ],
)
def test_a_refused_item_is_told_by_its_field_and_writes_nothing(app, doctor, row, field, message):
    inquiry_id = visit(doctor, INSURED)
    refused = write(doctor, inquiry_id, **items(row))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400, page
    error = re.search(rf'<p class="error" id="{field}-error">([^<]+)<', page)
    assert error and message in error.group(1), page
    assert f'id="{field}"' in page and 'aria-invalid="true"' in page
    assert count(app, Prescription) == 0


def test_no_prescription_from_an_uncovered_answer_or_another_centre_s(app, doctor):
    doctor.post("/centre/eligibility", {"national_code": SON})  # not covered
    with app.app_context():
        uncovered = db.session.scalar(select(Inquiry.id).where(Inquiry.national_code == SON))
    assert doctor.get(f"/centre/prescriptions/new/{uncovered}").status_code == 404
    assert doctor.get("/centre/prescriptions/new/99999").status_code == 404


def test_a_receptionist_cannot_prescribe(app, clinic, centre_browser, family, catalogue):
    from families import INSURED_MOBILE
    from web_prescribing import confirmed

    admin = confirmed(centre_browser, INSURED, INSURED_MOBILE)  # the clinic's admin, no doctor
    admin.post("/centre/eligibility", {"national_code": INSURED})
    with app.app_context():
        inquiry_id = db.session.scalar(select(Inquiry.id))
    assert admin.get(f"/centre/prescriptions/new/{inquiry_id}").status_code == 403
    assert admin.get("/centre/favourites").status_code == 403


def test_an_sms_only_session_is_sent_to_confirm_with_a_passkey(app, clinic, make_browser, family):
    from families import WIFE, WIFE_MOBILE
    from web_prescribing import add_member

    add_member(app, clinic, WIFE, WIFE_MOBILE, "doctor")
    browser = make_browser()
    browser.sign_in(WIFE, WIFE_MOBILE)
    inquiry_id = visit(browser, INSURED)
    answer = browser.get(f"/centre/prescriptions/new/{inquiry_id}")
    assert answer.status_code == 302 and "/centre/passkey" in answer.headers["Location"]
    tried = write(browser, inquiry_id, "/centre/eligibility", **items((AMOXICILLIN, "10", "")))
    assert tried.status_code == 302 and "/centre/passkey" in tried.headers["Location"]
    checked = browser.client.post(  # the live check names current medicines: a passkey too
        f"/centre/prescriptions/new/{inquiry_id}/check",
        json={"type": "drug", "codes": [AMOXICILLIN]},
        headers={"X-CSRFToken": browser.csrf("/centre/eligibility")},
    )
    assert checked.status_code == 302 and "/centre/passkey" in checked.headers["Location"]


def test_favourites_are_kept_started_from_renamed_and_deleted(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    url = f"/centre/prescriptions/new/{inquiry_id}"
    fields = {
        "type": "drug",
        "action": "favourite",
        "favourite_name": "سرماخوردگی",
        **items((AMOXICILLIN, "20", "هر ۸ ساعت یک عدد")),
    }
    kept = doctor.post(url, fields, page=url)
    assert kept.status_code == 200 and "سرماخوردگی" in kept.get_data(as_text=True)
    with app.app_context():
        favourite = db.session.scalars(select(Favourite)).one()
        favourite_id, member_id = favourite.id, favourite.member_id
    assert member_id is not None  # the doctor member's own
    again = doctor.post(url, fields, page=url)
    assert again.status_code == 409 and "سرماخوردگی" in again.get_data(as_text=True)
    started = doctor.get(f"{url}?favourite={favourite_id}").get_data(as_text=True)
    assert f'data-code="{AMOXICILLIN}"' in started and 'value="هر ۸ ساعت یک عدد"' in started
    assert 'value="آموکسی‌سیلین ۵۰۰ میلی‌گرم"' in started  # the item by its name, not its code
    listed = doctor.get("/centre/favourites").get_data(as_text=True)
    assert "سرماخوردگی" in listed
    renamed = doctor.post(
        f"/centre/favourites/{favourite_id}/rename", {"name": "گلودرد"}, page="/centre/favourites"
    )
    assert renamed.status_code == 302
    assert "گلودرد" in doctor.get("/centre/favourites").get_data(as_text=True)
    deleted = doctor.post(f"/centre/favourites/{favourite_id}/delete", page="/centre/favourites")
    assert deleted.status_code == 302 and count(app, Favourite) == 0


def test_another_doctor_s_favourite_is_not_found(app, doctor, make_browser, clinic):
    from families import FATHER
    from web_prescribing import FATHER_MOBILE, add_member, confirmed

    inquiry_id = visit(doctor, INSURED)
    url = f"/centre/prescriptions/new/{inquiry_id}"
    fields = {"type": "drug", "action": "favourite", "favourite_name": "قلب"}
    doctor.post(url, {**fields, **items((ASPIRIN, "30", ""))}, page=url)
    with app.app_context():
        favourite_id = db.session.scalar(select(Favourite.id))
    add_member(app, clinic, FATHER, FATHER_MOBILE, "doctor")
    other = confirmed(make_browser(), FATHER, FATHER_MOBILE)
    other_inquiry = visit(other, INSURED)
    assert (
        other.get(f"/centre/prescriptions/new/{other_inquiry}?favourite={favourite_id}").status_code
        == 404
    )
    assert "قلب" not in other.get("/centre/favourites").get_data(as_text=True)
    refused = other.post(f"/centre/favourites/{favourite_id}/delete", page="/centre/favourites")
    assert refused.status_code == 302 and count(app, Favourite) == 1


def test_a_centre_s_first_admin_may_be_its_doctor(app, flask_command, family):
    from server.models import CentreMember

    centre = flask_command(
        "centre", "create", "مطب نو", "--kind", "doctor",
        "--admin", f"{INSURED}:09121234567", "--admin-role", "doctor",
    )  # fmt: skip
    with app.app_context():
        member = db.session.scalars(
            select(CentreMember).where(CentreMember.provider_id == int(centre))
        ).one()
    assert (member.role, member.is_admin) == ("doctor", True)


def test_the_page_checks_chosen_items_as_they_arise_and_writes_nothing(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    url = f"/centre/prescriptions/new/{inquiry_id}/check"
    token = doctor.csrf(f"/centre/prescriptions/new/{inquiry_id}")
    body = {"type": "drug", "codes": [WARFARIN, ASPIRIN, "nothing"]}
    answer = doctor.client.post(url, json=body, headers={"X-CSRFToken": token})
    findings = answer.get_json()["findings"]
    assert [(f["a"], f["b"], f["severity"], f["blocking"]) for f in findings] == [
        (WARFARIN, ASPIRIN, "major", True)
    ]
    assert findings[0]["a_name"] == "وارفارین ۵ میلی‌گرم"
    bad = doctor.client.post(
        url, json={"type": "pill", "codes": []}, headers={"X-CSRFToken": token}
    )
    assert bad.status_code == 400 and bad.get_json()["error"] == "invalid_request"
    assert count(app, Prescription) == 0


def test_a_check_that_names_a_current_medicine_is_a_read_the_patient_sees(
    app, doctor, citizen, runner
):
    inquiry_id = visit(doctor, INSURED)
    assert write(doctor, inquiry_id, **items((WARFARIN, "10", ""))).status_code == 302
    url = f"/centre/prescriptions/new/{inquiry_id}/check"
    token = doctor.csrf(f"/centre/prescriptions/new/{inquiry_id}")

    def check(*codes: str) -> list[tuple[str, str, bool]]:
        answer = doctor.client.post(
            url, json={"type": "drug", "codes": list(codes)}, headers={"X-CSRFToken": token}
        )
        return [(f["a"], f["b"], f["current"]) for f in answer.get_json()["findings"]]

    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    assert check(AMOXICILLIN) == []
    assert readers_seen(citizen, runner) == ([], 0)  # nothing named: no read
    assert check(ASPIRIN) == [(ASPIRIN, WARFARIN, True)]
    who, told = readers_seen(citizen, runner)
    assert (len(who), told) == (1, 1)
    assert "مطب سلامت" in who[0]  # the doctor, at her centre


def test_the_doctor_s_view_of_a_patient_speaks_of_the_items_not_to_the_patient(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    assert write(doctor, inquiry_id, **items((AMOXICILLIN, "20", ""))).status_code == 302
    with app.app_context():  # a name with brackets of its own, as the demo's offices have
        db.session.execute(update(Provider).values(name="مطب سلامت (پزشک عمومی)"))
        db.session.commit()
    page = doctor.get(f"/centre/patients/{visit(doctor, INSURED)}").get_data(as_text=True)
    assert "بگیرید" not in page  # the patient's imperative
    assert "هنوز تحویل نشده است؛ تا" in page and "از هر داروخانه‌ای قابل دریافت است" in page
    assert "پزشک:</span> مطب سلامت (پزشک عمومی)" in page and "(پزشک عمومی) (" not in page
