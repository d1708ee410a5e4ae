"""Objections: filed in the app (JSON or with a photo/PDF), queued, answered, told as a notice."""

import io
import re
from pathlib import Path

import families
import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from server.extensions import db
from server.models import (
    Account,
    Objection,
    OutboxEvent,
    Person,
    Provider,
    ProviderReview,
    RecordAccess,
    Staff,
    StaffAudit,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def ali(citizen, family):
    """Ali, signed in."""
    assert citizen.sign_in(families.INSURED, families.INSURED_MOBILE).status_code == 200
    return citizen


def _file(citizen, **fields):
    """POST /api/objections as JSON."""
    return citizen.post("/api/objections", fields)


def _upload(citizen, content: bytes, name: str, **fields):
    """POST /api/objections as a form with an attachment."""
    # encoded in memory: the test client's own encoder spills large bodies to a temporary file
    boundary, body = encode_multipart(
        {**fields, "attachment": FileStorage(io.BytesIO(content), filename=name)}
    )
    return citizen.post(
        "/api/objections", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def _count(app, model) -> int:
    """Rows of a table."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_filing_answers_a_tracking_number_and_the_list_shows_it(ali):
    filed = _file(ali, subject="cover", text="من هر ماه حق بیمه پرداخته‌ام.")
    assert filed.status_code == 201
    body = filed.get_json()
    assert body["status"] == "received" and re.fullmatch(r"\d{12}", body["tracking_number"])
    listed = ali.get("/api/objections").get_json()["objections"]
    assert [(o["id"], o["subject"], o["status"], o["answer"]) for o in listed] == [
        (body["id"], "cover", "received", None)
    ]


def test_a_dependants_cover_names_the_dependant(app, ali):
    filed = _file(ali, subject="dependant_cover", text="پسرم دانشجوست.", national_code=families.SON)
    assert filed.status_code == 201
    with app.app_context():
        row = db.session.get(Objection, filed.get_json()["id"])
        son = db.session.scalar(select(Person.id).where(Person.national_code == families.SON))
        assert row.about_person_id == son


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"subject": "weather", "text": "x"}, 400, "invalid_request"),
        ({"subject": "cover", "text": ""}, 400, "invalid_request"),
        ({"subject": "cover"}, 400, "missing_field"),
        ({"subject": "dependant_cover", "text": "x"}, 400, "missing_field"),
        ({"subject": "dependant_cover", "text": "x", "national_code": "123"}, 400,
         "invalid_national_code"),
        ({"subject": "dependant_cover", "text": "x", "national_code": families.UNKNOWN}, 404,
         "not_in_family"),
        ({"subject": "misuse", "text": "x", "record_access_id": 999999}, 404,
         "record_access_not_found"),
    ],
)  # fmt: skip
def test_bad_filings_change_nothing(app, ali, fields, status, code):
    answer = _file(ali, **fields)
    assert answer.status_code == status
    assert answer.get_json()["error"] == code and answer.get_json()["message"]
    assert _count(app, Objection) == 0


def test_filing_needs_a_citizen_session_and_csrf(client, ali):
    assert client.post("/api/objections", json={"subject": "cover", "text": "x"}).status_code in (
        400,
        401,
    )
    no_token = ali.client.post("/api/objections", json={"subject": "cover", "text": "x"})
    assert no_token.status_code == 400 and no_token.get_json()["error"] == "csrf_failed"


def test_a_pdf_or_photo_is_kept_in_the_instance_folder(app, ali):
    filed = _upload(ali, PDF, "letter.txt", subject="cover", text="نامهٔ کارفرما پیوست است.")
    assert filed.status_code == 201, filed.get_json()
    with app.app_context():
        row = db.session.get(Objection, filed.get_json()["id"])
        assert row.attachment_type == "application/pdf"  # by content, not by the name
        path = app.instance_path + "/objection-attachments/" + row.attachment_name
    with open(path, "rb") as stream:
        assert stream.read() == PDF
    assert _upload(ali, PNG, "x.png", subject="cover", text="عکس").status_code == 201


def test_an_objection_whose_final_commit_fails_keeps_no_attachment(app, ali, busy_commit):
    folder = Path(app.instance_path) / "objection-attachments"
    before = set(folder.glob("*")) if folder.exists() else set()
    busy_commit.arm()
    refused = _upload(ali, PDF, "letter.pdf", subject="cover", text="پیوست")
    assert refused.status_code == 503 and refused.get_json()["error"] == "busy"
    assert busy_commit.failed and _count(app, Objection) == 0
    assert set(folder.glob("*")) == before
    assert _upload(ali, PDF, "letter.pdf", subject="cover", text="پیوست").status_code == 201
    assert len(set(folder.glob("*")) - before) == 1


def test_an_attachment_that_is_not_a_photo_or_pdf_is_refused(app, ali):
    refused = _upload(ali, b"MZ\x90\x00" + bytes(100), "scan.pdf", subject="cover", text="x")
    assert refused.status_code == 400 and refused.get_json()["error"] == "attachment_type"
    assert _count(app, Objection) == 0


def _photo(size: int) -> bytes:
    """A JPEG of `size` bytes, as a phone's camera makes them (1–4 MB)."""
    header = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
    return header + bytes(size - len(header))


def test_a_phones_4_mb_photo_goes_through_the_csrf_check(app, ali):
    photo = _photo(4 * 1024 * 1024)
    filed = _upload(ali, photo, "IMG_0001.jpg", subject="cover", text="عکس نامه")
    assert filed.status_code == 201, filed.get_json()
    with app.app_context():
        row = db.session.get(Objection, filed.get_json()["id"])
        assert row.attachment_type == "image/jpeg"
        path = Path(app.instance_path) / "objection-attachments" / row.attachment_name
    assert path.read_bytes() == photo


def test_a_large_body_elsewhere_is_still_refused_at_64_kb(ali):
    boundary, body = encode_multipart({"text": "x" * (65 * 1024)})
    refused = ali.post(
        "/api/notifications/read-all",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert refused.status_code == 413


@pytest.mark.parametrize("extra", [1, 64 * 1024 + 1])  # past 5 MB; past the body's whole room
def test_an_attachment_over_5_mb_is_refused_in_persian(app, ali, extra):
    big = _photo(5 * 1024 * 1024 + extra)
    refused = _upload(ali, big, "big.jpg", subject="cover", text="x")
    assert refused.status_code == 413
    assert refused.get_json()["error"] == "attachment_too_large"
    assert refused.get_json()["message"] == "حجم فایل بیش از ۵ مگابایت است."
    assert _count(app, Objection) == 0


def test_the_queue_is_the_branchs_by_age_and_subject(ali, signed_in, clock):
    first = _file(ali, subject="cover", text="اول").get_json()
    clock.move(days=2)
    second = _file(ali, subject="dependant_cover", text="دوم", national_code=families.SON)
    second = second.get_json()
    branch = signed_in("branch")
    page = branch.get("/staff/objections").get_data(as_text=True)
    digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    numbers = [o["tracking_number"].translate(digits) for o in (first, second)]
    assert page.index(numbers[0]) < page.index(numbers[1])  # the oldest first
    only = branch.get("/staff/objections?subject=cover").get_data(as_text=True)
    assert numbers[0] in only and numbers[1] not in only


def test_the_answer_goes_back_to_the_app_as_a_notice(app, ali, signed_in, runner):
    filed = _file(ali, subject="cover", text="من کار می‌کنم.").get_json()
    branch = signed_in("branch")
    page = branch.get(f"/staff/objections/{filed['id']}").get_data(as_text=True)
    assert "حمایت درمانی دارد" in page  # the eligibility answer as of now
    assert "من کار می‌کنم." in page
    answered = branch.post(
        f"/staff/objections/{filed['id']}",
        {"status": "answered", "answer": "حق بیمهٔ شما ثبت شده و حمایت درمانی برقرار است."},
    )
    assert answered.status_code == 303
    mine = ali.get("/api/objections").get_json()["objections"][0]
    assert mine["status"] == "answered" and mine["answer"].startswith("حق بیمهٔ شما")
    assert runner.invoke(args=["darman", "worker", "--once"]).exit_code == 0
    notices = ali.get("/api/notifications").get_json()["notifications"]
    assert [(n["kind"], n["url"]) for n in notices] == [
        ("objection_status", "/#/objections"),
        ("record_read", "/#/records/access-log"),  # the branch opened it first
    ]
    digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    assert filed["tracking_number"].translate(digits) in notices[0]["body"]
    with app.app_context():
        actions = db.session.scalars(
            select(StaffAudit.action).where(StaffAudit.subject == f"objection:{filed['id']}")
        ).all()
    assert actions == ["objection_viewed", "objection_answered"]


def test_answered_needs_an_answer_and_nothing_changes_without_it(app, ali, signed_in):
    filed = _file(ali, subject="cover", text="x").get_json()
    branch = signed_in("branch")
    refused = branch.post(f"/staff/objections/{filed['id']}", {"status": "answered", "answer": ""})
    assert refused.status_code == 400
    assert "لطفاً پاسخ را بنویسید" in refused.get_data(as_text=True)
    assert ali.get("/api/objections").get_json()["objections"][0]["status"] == "received"
    with app.app_context():
        assert not db.session.scalar(
            select(OutboxEvent.id).where(OutboxEvent.kind == "objection_status")
        )


def _provider_read(app, national_code: str) -> int:
    """A provider's read of the person's record, as the access log keeps it; its id."""
    from server import clock

    with app.app_context():
        provider = Provider(name="مطب دکتر ناشناس", kind="doctor", created_at=clock.now())
        db.session.add(provider)
        db.session.flush()
        person = db.session.scalar(select(Person.id).where(Person.national_code == national_code))
        access = RecordAccess(
            person_id=person, reader="provider", provider_id=provider.id, at=clock.now()
        )
        db.session.add(access)
        db.session.commit()
        return access.id


def test_it_wasnt_me_shows_the_one_entry_and_can_flag_the_provider(app, ali, signed_in):
    access_id = _provider_read(app, families.INSURED)
    assert ali.get("/api/records/access-log").get_json()["entries"][0]["id"] == access_id
    filed = _file(ali, subject="misuse", text="من به این مطب نرفته‌ام.", record_access_id=access_id)
    assert filed.status_code == 201
    objection_id = filed.get_json()["id"]
    branch = signed_in("branch")
    page = branch.get(f"/staff/objections/{objection_id}").get_data(as_text=True)
    assert "مطب دکتر ناشناس" in page
    flagged = branch.post(
        f"/staff/objections/{objection_id}",
        {"status": "in_review", "answer": "", "flag_provider": "y"},
    )
    assert flagged.status_code == 303
    with app.app_context():
        review = db.session.scalars(select(ProviderReview)).one()
        assert review.record_access_id == access_id and review.provider_id is not None


def test_a_cover_objection_cannot_flag_a_provider(app, ali, signed_in):
    filed = _file(ali, subject="cover", text="x").get_json()
    branch = signed_in("branch")
    refused = branch.post(
        f"/staff/objections/{filed['id']}",
        {"status": "in_review", "answer": "", "flag_provider": "y"},
    )
    assert refused.status_code == 400
    assert _count(app, ProviderReview) == 0


def test_an_access_entry_of_someone_else_is_refused(app, ali):
    access_id = _provider_read(app, families.FATHER)  # not Ali's, not a dependant named
    refused = _file(ali, subject="misuse", text="x", record_access_id=access_id)
    assert refused.status_code == 404


def test_the_attachment_is_shown_to_the_branch_only_never_from_the_web_root(app, ali, signed_in):
    filed = _upload(ali, PDF, "letter.pdf", subject="cover", text="پیوست").get_json()
    with app.app_context():
        name = db.session.get(Objection, filed["id"]).attachment_name
    assert ali.get(f"/objection-attachments/{name}").status_code == 404
    url = f"/staff/objections/{filed['id']}/attachment"
    assert ali.get(url).status_code == 302  # a citizen's session is not a staff one
    assert signed_in("admin").get(url).status_code == 403
    shown = signed_in("branch").get(url)
    assert shown.status_code == 200 and shown.data == PDF
    assert shown.mimetype == "application/pdf"
    assert shown.headers["Cache-Control"] == "no-store"
    assert "sandbox" in shown.headers["Content-Security-Policy"]


def test_the_api_document_describes_objections(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/objections"])


def test_an_account_files_at_most_five_a_day_then_429_says_when(app, ali, clock):
    for number in range(5):
        assert _file(ali, subject="cover", text=f"اعتراض {number}").status_code == 201
        clock.move(hours=1)
    refused = _file(ali, subject="cover", text="ششم")
    assert refused.status_code == 429 and refused.get_json()["error"] == "rate_limited"
    # the first filing leaves the 24 hours in 19 hours
    assert int(refused.headers["Retry-After"]) == 19 * 3600
    assert "حدود ۱۹ ساعت" in refused.get_json()["message"]
    assert _count(app, Objection) == 5
    clock.move(hours=19)
    assert _file(ali, subject="cover", text="فردا").status_code == 201


def test_a_refused_filing_does_not_count_and_the_limit_is_configurable(app, ali):
    app.config["DARMAN_OBJECTIONS_PER_DAY"] = 1
    assert _file(ali, subject="misuse", text="x", record_access_id=999999).status_code == 404
    assert _file(ali, subject="cover", text="اول").status_code == 201
    assert _file(ali, subject="cover", text="دوم").status_code == 429
    assert _upload(ali, PDF, "letter.pdf", subject="cover", text="سوم").status_code == 429
    assert _count(app, Objection) == 1


def test_the_queue_shows_fifty_a_page_the_oldest_first(app, ali, signed_in, clock):
    from server import clock as app_clock

    with app.app_context():
        person = db.session.scalar(
            select(Person.id).where(Person.national_code == families.INSURED)
        )
        account = db.session.scalar(select(Account.id).where(Account.person_id == person))
        for number in range(120):  # older objections than the limit lets one account file
            db.session.add(
                Objection(
                    tracking_number=f"{number:012d}",
                    account_id=account,
                    person_id=person,
                    about_person_id=person,
                    subject="cover",
                    text="x",
                    status="received",
                    created_at=app_clock.now(),
                )
            )
        db.session.commit()
    branch = signed_in("branch")
    digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    first = branch.get("/staff/objections").get_data(as_text=True)
    assert shown(first) == [f"{n:012d}".translate(digits) for n in range(50)]
    assert "۱۲۰" in first and 'rel="next"' in first and 'rel="prev"' not in first
    last = branch.get("/staff/objections?page=3").get_data(as_text=True)
    assert shown(last) == [f"{n:012d}".translate(digits) for n in range(100, 120)]
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert branch.get("/staff/objections?page=99999999999999999999").status_code == 200


def shown(page: str) -> list[str]:
    """The tracking numbers a queue page lists, in order."""
    return re.findall(r"<bdi>([۰-۹]{12})</bdi>", page)


def test_a_staff_members_reads_are_on_the_citizens_access_log_and_told(app, ali, signed_in, runner):
    filed = _upload(ali, PDF, "letter.pdf", subject="cover", text="پیوست").get_json()
    branch = signed_in("branch")
    assert branch.get(f"/staff/objections/{filed['id']}").status_code == 200
    assert branch.get(f"/staff/objections/{filed['id']}/attachment").status_code == 200
    log = ali.get("/api/records/access-log")
    assert log.status_code == 200
    entries = log.get_json()["entries"]
    assert [(e["kind"], e["who"], e["kind_label"], e["opened"]) for e in entries] == [
        ("staff", "کارمند شعبهٔ تأمین اجتماعی", "تأمین اجتماعی", "attachment"),
        ("staff", "کارمند شعبهٔ تأمین اجتماعی", "تأمین اجتماعی", "objection"),
    ]
    with app.app_context():
        staff = db.session.scalar(select(Staff).where(Staff.role == "branch"))
        assert {row.staff_id for row in db.session.scalars(select(RecordAccess))} == {staff.id}
    assert staff.national_code not in log.get_data(as_text=True)  # the role, never who
    assert runner.invoke(args=["darman", "worker", "--once"]).exit_code == 0
    notices = ali.get("/api/notifications").get_json()["notifications"]
    read = [n for n in notices if n["kind"] == "record_read"]  # a new reader: told once a day
    assert len(read) == 1 and read[0]["url"] == "/#/records/access-log"
    assert "کارمند شعبهٔ تأمین اجتماعی اعتراض شما را برای بررسی باز کرد" in read[0]["body"]


def test_a_dependants_objection_is_on_both_access_logs(app, ali, signed_in):
    filed = _file(ali, subject="dependant_cover", text="پسرم دانشجوست.", national_code=families.SON)
    signed_in("branch").get(f"/staff/objections/{filed.get_json()['id']}")
    with app.app_context():
        people = db.session.execute(
            select(Person.national_code)
            .join(RecordAccess, RecordAccess.person_id == Person.id)
            .where(RecordAccess.reader == "staff")
        ).scalars()
        assert sorted(people) == sorted([families.INSURED, families.SON])
