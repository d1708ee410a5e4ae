"""Documents online: sent from the app (the upload's rules and who may send for whom), reviewed
by insurance staff (the cover recomputed in the same request, the family told), recorded at a
branch's counter, and two staff deciding the same document at once."""

import io
from datetime import date, timedelta
from pathlib import Path

import families
import pytest
from races import race
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from server.extensions import db
from server.models import (
    Coverage,
    Document,
    DocumentSubmission,
    OutboxEvent,
    Person,
    RecordAccess,
    StaffAudit,
)
from server.staff import documents

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)
TODAY = date(2026, 11, 22)  # the suite's pinned date (1 Azar 1405)
TERM_ENDS = "2027-09-22"


@pytest.fixture
def ali(citizen, family):
    """Ali, the main insured, signed in; Mohammad, his son of 21, has no certificate."""
    assert citizen.sign_in(families.INSURED, families.INSURED_MOBILE).status_code == 200
    return citizen


def person_id(app, national_code: str) -> int:
    """A registry person's id."""
    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.national_code == national_code))


def send(citizen, content: bytes | None = PDF, name: str = "certificate.pdf", **fields):
    """POST /api/documents as a multipart form (encoded in memory, as a phone sends it)."""
    if content is not None:
        fields["file"] = FileStorage(io.BytesIO(content), filename=name)
    boundary, body = encode_multipart(fields)
    return citizen.post(
        "/api/documents", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def send_for_son(app, citizen, **fields):
    """Ali sends Mohammad's student certificate."""
    member = f"p{person_id(app, families.SON)}"
    fields = {"kind": "student_certificate", "university": "دانشگاه تهران", **fields}
    return send(citizen, member_id=member, valid_until=TERM_ENDS, **fields)


def count(app, model) -> int:
    """Rows of a table."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def kept_files(app) -> set[Path]:
    """The files kept for documents sent (the instance folder is the whole session's)."""
    folder = Path(app.instance_path) / "citizen-documents"
    return set(folder.iterdir()) if folder.exists() else set()


def coverage(app, national_code: str) -> Coverage:
    """A person's snapshot, read afresh."""
    with app.app_context():
        return db.session.get(Coverage, person_id(app, national_code))


def test_a_father_sends_his_sons_certificate_and_sees_it_pending(app, ali):
    before = kept_files(app)
    sent = send_for_son(app, ali, note="ترم پاییز")
    assert sent.status_code == 201, sent.get_json()
    body = sent.get_json()
    assert body["status"] == "pending" and len(body["tracking_number"]) == 12
    with app.app_context():
        row = db.session.get(DocumentSubmission, body["id"])
        assert row.person_id == person_id(app, families.SON)
        assert (row.kind, row.university, row.valid_until) == (
            "student_certificate",
            "دانشگاه تهران",
            date(2027, 9, 22),
        )
        assert row.media_type == "application/pdf"  # read from the bytes
    (path,) = kept_files(app) - before
    assert path.read_bytes() == PDF and "static" not in path.parts and "pwa" not in path.parts
    listed = ali.get("/api/documents").get_json()["documents"]
    assert [(d["id"], d["status"], d["name"], d["reason"]) for d in listed] == [
        (body["id"], "pending", "محمد رضایی", None)
    ]


def test_an_adult_dependant_sends_his_own(app, citizen, family):
    assert citizen.sign_in(families.SON, "09131111111").status_code == 200
    sent = send(citizen, PNG, "photo.jpg", kind="student_certificate")
    assert sent.status_code == 201, sent.get_json()
    with app.app_context():
        row = db.session.get(DocumentSubmission, sent.get_json()["id"])
        assert row.person_id == row.sender_id == person_id(app, families.SON)
        assert row.media_type == "image/png"


@pytest.mark.parametrize(
    ("content", "fields", "status", "code"),
    [
        (b"just some text, named as a PDF", {"kind": "disability"}, 400, "attachment_type"),
        (b"%PDF-1.4\n" + bytes(5 * 1024 * 1024), {"kind": "disability"}, 413,
         "attachment_too_large"),
        (PDF, {}, 400, "missing_field"),
        (PDF, {"kind": "unmarried_verified"}, 400, "invalid_request"),
        (None, {"kind": "disability"}, 400, "document_file_missing"),
        (PDF, {"kind": "disability", "valid_until": "2020-01-01"}, 400, "document_expired"),
        (PDF, {"kind": "disability", "valid_until": "tomorrow"}, 400, "invalid_date"),
        (PDF, {"kind": "disability", "member_id": "b1"}, 400, "invalid_request"),
    ],
)  # fmt: skip
def test_bad_uploads_are_refused_in_persian_and_change_nothing(
    app, ali, content, fields, status, code
):
    before = kept_files(app)
    answer = send(ali, content, "x.pdf", **fields)
    assert answer.status_code == status, answer.get_json()
    body = answer.get_json()
    assert body["error"] == code and any("\u0600" <= c <= "\u06ff" for c in body["message"])
    assert count(app, DocumentSubmission) == 0 and kept_files(app) == before


def test_another_familys_member_is_not_found(app, ali):
    with app.app_context():
        db.session.add(
            Person(national_code="0081234566", first_name="رضا", last_name="کریمی", sex="M")
        )
        db.session.commit()
    stranger = f"p{person_id(app, '0081234566')}"
    before = kept_files(app)
    answer = send(ali, kind="student_certificate", member_id=stranger)
    assert answer.status_code == 404 and answer.get_json()["error"] == "member_not_found"
    assert count(app, DocumentSubmission) == 0 and kept_files(app) == before


def test_a_wife_cannot_send_for_her_husbands_son(app, citizen, family):
    assert citizen.sign_in(families.WIFE, families.WIFE_MOBILE).status_code == 200
    answer = send(citizen, kind="student_certificate", member_id=f"p{person_id(app, families.SON)}")
    assert answer.status_code == 404
    assert count(app, DocumentSubmission) == 0


def test_sending_needs_a_session(app, client, family):
    boundary, body = encode_multipart({"kind": "disability"})
    answer = client.post(
        "/api/documents", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert answer.status_code in (400, 401)
    assert count(app, DocumentSubmission) == 0


@pytest.fixture
def reviewer(signed_in):
    """A staff member with the insurance role, signed in."""
    return signed_in("insurance")


def submission_id(app) -> int:
    """The one document sent."""
    with app.app_context():
        return db.session.scalar(select(DocumentSubmission.id))


def test_the_queue_is_the_insurance_roles_oldest_first(app, ali, reviewer, signed_in):
    send_for_son(app, ali)
    send(ali, kind="disability", member_id=f"p{person_id(app, families.FATHER)}")
    page = reviewer.get("/staff/documents").get_data(as_text=True)
    assert page.index("محمد رضایی") < page.index("حسین رضایی")
    assert "امور بیمه‌ای (در شعبه)" in page  # the role, as the console's header says it
    assert signed_in("branch").get("/staff/documents").status_code == 403
    assert signed_in("medical").get(f"/staff/documents/{submission_id(app)}").status_code == 403


def test_accepting_covers_the_son_in_the_same_request(app, ali, reviewer):
    send_for_son(app, ali)
    assert not coverage(app, families.SON).covered
    row_id = submission_id(app)
    accepted = reviewer.post(
        f"/staff/documents/{row_id}/accept",
        {"valid_from": "2026-09-23", "valid_until": TERM_ENDS},
    )
    assert accepted.status_code == 303, accepted.get_data(as_text=True)
    son = person_id(app, families.SON)
    snapshot = coverage(app, families.SON)
    assert snapshot.covered and snapshot.valid_until >= TODAY  # no `daily` ran
    with app.app_context():
        document = db.session.scalar(select(Document).where(Document.person_id == son))
        assert (document.kind, document.valid_from, document.valid_until) == (
            "student_certificate",
            date(2026, 9, 23),
            date(2027, 9, 22),
        )
        row = db.session.get(DocumentSubmission, row_id)
        assert (row.status, row.document_id) == ("accepted", document.id)
        kinds = {(e.kind, e.person_id) for e in db.session.scalars(select(OutboxEvent))}
        assert ("document_status", person_id(app, families.INSURED)) in kinds
        assert ("coverage_changed", son) in kinds  # the family's «covered again» notice
        assert db.session.scalar(
            select(StaffAudit.action).where(StaffAudit.subject == f"document_submission:{row_id}")
            .order_by(StaffAudit.id.desc())
        ) == "document_accepted"  # fmt: skip
    members = ali.get("/api/family").get_json()["members"]
    mohammad = next(m for m in members if m["national_code"] == families.SON)
    assert mohammad["covered"] and mohammad["label"] == "حمایت درمانی دارد"
    assert ali.get("/api/documents").get_json()["documents"][0]["status"] == "accepted"


def test_the_notice_is_written_for_the_father(app, ali, reviewer, runner):
    send_for_son(app, ali)
    reviewer.post(
        f"/staff/documents/{submission_id(app)}/accept",
        {"valid_from": "2026-09-23", "valid_until": TERM_ENDS},
    )
    assert runner.invoke(args=["darman", "worker", "--once"]).exit_code == 0
    notices = ali.get("/api/notifications").get_json()["notifications"]
    bodies = " ".join(n["title"] + " " + n["body"] for n in notices)
    assert "پذیرفته شد" in bodies and "محمد رضایی" in bodies


def test_refusing_needs_a_reason_and_the_family_sees_it(app, ali, reviewer):
    send_for_son(app, ali)
    row_id = submission_id(app)
    empty = reviewer.post(f"/staff/documents/{row_id}/refuse", {"reason": ""})
    assert empty.status_code == 400
    refused = reviewer.post(
        f"/staff/documents/{row_id}/refuse", {"reason": "مهر دانشگاه خوانا نیست."}
    )
    assert refused.status_code == 303
    (listed,) = ali.get("/api/documents").get_json()["documents"]
    assert (listed["status"], listed["reason"]) == ("refused", "مهر دانشگاه خوانا نیست.")
    assert not coverage(app, families.SON).covered and count(app, Document) == 0
    again = reviewer.post(
        f"/staff/documents/{row_id}/accept", {"valid_from": "2026-09-23", "valid_until": TERM_ENDS}
    )
    assert again.status_code == 409 and count(app, Document) == 0


def test_a_wrong_period_is_refused_beside_the_field(app, ali, reviewer):
    send_for_son(app, ali)
    row_id = submission_id(app)
    answer = reviewer.post(
        f"/staff/documents/{row_id}/accept",
        {"valid_from": "2026-09-23", "valid_until": "2026-01-01"},
    )
    assert answer.status_code == 400
    assert "aria-invalid" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(DocumentSubmission, row_id).status == "pending"
    assert count(app, Document) == 0


def test_opening_the_file_is_a_read_the_family_sees(app, ali, reviewer):
    send_for_son(app, ali)
    opened = reviewer.get(f"/staff/documents/{submission_id(app)}/file")
    assert opened.status_code == 200 and opened.data == PDF
    assert opened.headers["Content-Security-Policy"].startswith("sandbox")
    with app.app_context():
        reads = db.session.execute(
            select(RecordAccess.person_id, RecordAccess.opened).where(
                RecordAccess.reader == "staff"
            )
        ).all()
        assert set(reads) == {
            (person_id(app, families.SON), "document"),
            (person_id(app, families.INSURED), "document"),
        }
        actions = set(db.session.scalars(select(StaffAudit.action)))
        assert "submission_file_viewed" in actions
    log = ali.get("/api/records/access-log").get_json()
    assert any(entry.get("opened") == "document" for entry in log["entries"])


def prune(app, runner) -> str:
    """`darman prune`, as `daily` runs it; its summary line."""
    with app.app_context():
        result = runner.invoke(args=["darman", "prune"])
    assert result.exit_code == 0, result.output
    return result.output


def decided_days_ago(app, row_id: int, days: int) -> None:
    """Date a decision back (the rest of the app keeps its own clock)."""
    with app.app_context():
        row = db.session.get(DocumentSubmission, row_id)
        row.decided_at = row.decided_at - timedelta(days=days)
        db.session.commit()


def test_a_decided_documents_file_is_deleted_after_its_window_and_the_decision_stays(
    app, ali, reviewer, runner
):
    send_for_son(app, ali)
    son_row = submission_id(app)
    send(ali, kind="disability", member_id=f"p{person_id(app, families.FATHER)}")
    with app.app_context():
        pending_row = db.session.scalar(
            select(DocumentSubmission.id).where(DocumentSubmission.id != son_row)
        )
    files = kept_files(app)  # the session's instance folder: other tests' files too
    with app.app_context():
        folder = documents.folder(app.instance_path)
        son_file, pending_file = (
            folder / db.session.get(DocumentSubmission, i).file_name for i in (son_row, pending_row)
        )
    assert {son_file, pending_file} <= files
    accepted = reviewer.post(
        f"/staff/documents/{son_row}/accept", {"valid_from": "1405/07/01", "valid_until": ""}
    )
    assert accepted.status_code == 303
    decided_days_ago(app, son_row, 89)
    assert "document_file" not in prune(app, runner)  # 89 days: still kept
    assert kept_files(app) == files

    decided_days_ago(app, son_row, 2)  # 91 days
    assert "document_file 1" in prune(app, runner)
    with app.app_context():
        son, pending = (db.session.get(DocumentSubmission, i) for i in (son_row, pending_row))
        assert (son.status, son.file_name, son.document_id is not None) == ("accepted", "", True)
        assert pending.file_name and pending.status == "pending"  # never decided: kept
    assert kept_files(app) == files - {son_file}
    page = reviewer.get(f"/staff/documents/{son_row}").get_data(as_text=True)
    assert "فایل این مدرک ۹۰ روز پس از تصمیم پاک شد" in page and "/file" not in page
    assert reviewer.get(f"/staff/documents/{son_row}/file").status_code == 404
    assert "document_file" not in prune(app, runner)  # once


ROUNDS = 8


def test_two_staff_deciding_at_once_one_wins(app, ali, signed_in):
    first, second = signed_in("insurance"), signed_in("insurance")
    for _ in range(ROUNDS):
        send_for_son(app, ali)
    with app.app_context():
        ids = list(db.session.scalars(select(DocumentSubmission.id)))
    period = {"valid_from": "2026-09-23", "valid_until": TERM_ENDS}
    for round_, row_id in enumerate(ids):
        refusing = round_ % 2 == 1  # half the rounds: one accepts while the other refuses
        action, form = ("refuse", {"reason": "تکراری"}) if refusing else ("accept", period)
        answers = race(
            lambda row_id=row_id: first.post(f"/staff/documents/{row_id}/accept", period),
            lambda row_id=row_id, action=action, form=form: second.post(
                f"/staff/documents/{row_id}/{action}", form
            ),
        )
        assert [a.status_code for a in answers] == [303, 409], round_
        assert "Another staff member" in answers[1].get_data(as_text=True) or (
            "کارمند دیگری" in answers[1].get_data(as_text=True)
        )
    with app.app_context():
        decided = db.session.scalars(select(StaffAudit.action).where(
            StaffAudit.action.in_(("document_accepted", "document_refused"))
        )).all()  # fmt: skip
        told = db.session.scalar(
            select(func.count()).select_from(OutboxEvent).where(
                OutboxEvent.kind == "document_status"
            )
        )  # fmt: skip
    assert len(decided) == ROUNDS and told == ROUNDS


DAUGHTER_18 = "0091234565"  # a daughter of 18, whose original birth certificate was never shown


@pytest.fixture
def daughter(app, ali, registry):
    """Ali's daughter Maryam, 18 on 2026-03-01: not covered until the certificate is seen."""
    registry.write(
        "persons.csv",
        "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
        f"{DAUGHTER_18},مریم,رضایی,2008-03-01,F,,",
    )
    registry.write(
        "dependants.csv",
        "insured_national_code,national_code,relation,start_date,end_date",
        f"{families.INSURED},{DAUGHTER_18},child,2008-03-01,",
    )
    result = registry.load()
    assert result.exit_code == 0, result.output
    assert not coverage(app, DAUGHTER_18).covered
    return DAUGHTER_18


def test_the_branch_records_a_birth_certificate_and_cover_is_back_at_once(app, daughter, signed_in):
    counter = signed_in("branch")
    page_url = counter.person_url(daughter) + "/document"
    shown = {
        "document_kind": "national_card",
        "document_number": "0091234565",
        "kind": "unmarried_verified",
        "valid_from": "2026-11-22",
    }
    recorded = counter.post(page_url, shown)
    assert recorded.status_code == 303, recorded.get_data(as_text=True)
    snapshot = coverage(app, daughter)
    assert snapshot.covered  # before she leaves the counter, no import, no `daily`
    page = counter.get(recorded.location).get_data(as_text=True)
    assert "حمایت درمانی دارد" in page
    with app.app_context():
        (document,) = db.session.scalars(select(Document))
        assert (document.kind, document.valid_from, document.valid_until) == (
            "unmarried_verified",
            TODAY,
            None,
        )
        audit = db.session.scalar(
            select(StaffAudit).where(StaffAudit.action == "document_recorded")
        )
        assert audit.detail["kind"] == "unmarried_verified"
        assert audit.detail["document_kind"] == "national_card"
        changed = db.session.scalar(
            select(OutboxEvent).where(
                OutboxEvent.kind == "coverage_changed",
                OutboxEvent.person_id == person_id(app, daughter),
            )
        )
        assert changed.new["covered"] is True  # the family is told as by an import


def test_the_branch_needs_the_identity_document_first(app, daughter, signed_in):
    counter = signed_in("branch")
    page_url = counter.person_url(daughter) + "/document"
    refused = counter.post(page_url, {"kind": "unmarried_verified", "valid_from": "2026-11-22"})
    assert refused.status_code == 400
    assert count(app, Document) == 0 and not coverage(app, daughter).covered


def test_a_branch_person_given_the_insurance_role_keeps_the_branch_screens(
    app, runner, make_staff, staff_browser, daughter
):
    _, national_code, mobile = make_staff("branch")
    changed = runner.invoke(args=["darman", "staff", "set-role", national_code, "insurance"])
    assert changed.exit_code == 0 and changed.output.strip() == "branch -> insurance"
    browser = staff_browser()
    browser.sign_in(national_code, mobile)
    assert browser.get("/staff/documents").status_code == 200
    assert browser.get(browser.person_url(daughter) + "/document").status_code == 200
    with app.app_context():
        assert db.session.scalar(
            select(StaffAudit.detail).where(StaffAudit.action == "staff_role_changed")
        ) == {"old": "branch", "role": "insurance", "by": "cli"}  # fmt: skip


def test_an_account_sends_at_most_the_days_limit_then_429(app, ali):
    app.config["DARMAN_DOCUMENTS_PER_DAY"] = 2
    assert send(ali, b"not a file", kind="disability").status_code == 400  # counts nowhere
    assert send_for_son(app, ali).status_code == 201
    assert send_for_son(app, ali).status_code == 201
    refused = send_for_son(app, ali)
    assert refused.status_code == 429 and refused.get_json()["error"] == "rate_limited"
    assert "مدرک بعدی را می‌توانید" in refused.get_json()["message"]
    assert count(app, DocumentSubmission) == 2
