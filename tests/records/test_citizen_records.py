"""The insured read their record: newest first, by type, page by page, each record in detail;
parents read their minors' records; nobody reads another adult's."""

import pytest
from families import DAUGHTER, FATHER, INSURED, SON, WIFE, WIFE_MOBILE
from prescribing import CBC, CHEST_XRAY, FBS, REFILL, is_persian, prescription_body


@pytest.fixture
def history(family, doctor, write) -> list[dict]:
    """Five records of Ali's, written on the 18th to the 22nd of November (newest last)."""
    answers = []
    for day, type_ in zip(range(18, 23), ["drug", "lab", "drug", "imaging", "lab"], strict=True):
        body = prescription_body(
            written_on=f"2026-11-{day}", type=type_, acknowledged_interactions=REFILL
        )
        if type_ != "drug":
            body["items"] = [CHEST_XRAY] if type_ == "imaging" else [FBS, CBC]
        response = write(doctor, body)
        assert response.status_code == 201
        answers.append(response.get_json())
    return answers


def test_my_records_newest_first(ali, history):
    response = ali.get("/api/records")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    records = response.get_json()["records"]
    assert [r["code"] for r in records] == [h["code"] for h in reversed(history)]
    assert response.get_json()["next_cursor"] is None


def test_a_listed_record_reads_in_persian(ali, written):
    record = ali.get("/api/records").get_json()["records"][0]
    assert (record["type"], record["type_label"]) == ("drug", "نسخهٔ دارویی")
    assert record["written_on_jalali"] == "۱ آذر ۱۴۰۵"
    assert record["provider"] == {"name": "مطب دکتر احمدی", "kind": "doctor", "kind_label": "پزشک"}
    assert (record["status"], record["status_label"]) == ("open", "هنوز دریافت نشده")
    assert (record["receive_until"], record["receive_until_jalali"]) == (
        "2027-01-21",
        "۱ بهمن ۱۴۰۵",
    )
    assert record["items"][0]["status_text"] == (
        "هنوز تحویل نشده — تا ۱ بهمن ۱۴۰۵ از هر داروخانه‌ای بگیرید."
    )


def test_records_filtered_by_type(ali, history):
    labs = ali.get("/api/records?type=lab").get_json()["records"]
    assert [r["code"] for r in labs] == [history[4]["code"], history[1]["code"]]
    both = ali.get("/api/records?type=lab,imaging").get_json()["records"]
    assert {r["type"] for r in both} == {"lab", "imaging"} and len(both) == 3


def test_cursor_pagination_returns_each_record_once(ali, history, doctor, write):
    body = prescription_body(written_on="2026-11-20", acknowledged_interactions=REFILL)
    assert write(doctor, body).status_code == 201  # two on the same day
    seen, cursor, pages = [], None, 0
    while True:
        url = "/api/records?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = ali.get(url).get_json()
        assert len(page["records"]) <= 2
        seen += [r["id"] for r in page["records"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 6
    written_on = [r["written_on"] for r in ali.get("/api/records?limit=100").get_json()["records"]]
    assert written_on == sorted(written_on, reverse=True)


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("type=massage", "invalid_type"),
        ("limit=0", "invalid_limit"),
        ("limit=101", "invalid_limit"),
        ("limit=abc", "invalid_limit"),
        ("cursor=garbage", "invalid_cursor"),
        ("cursor=WyJ4IiwiMSJd", "invalid_cursor"),  # ["x","1"]: not a date
        ("national_code=0012345678", "invalid_national_code"),
    ],
)
def test_bad_arguments_are_a_400_in_persian(ali, written, counts, query, error):
    response = ali.get(f"/api/records?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"] == error
    assert is_persian(response.get_json()["message"])
    assert counts()["reads"] == 0


def test_a_record_in_detail_with_partial_dispensing(ali, written, pharmacy, pharmacy2, dispense):
    dispense(pharmacy, written["code"], {"D1001": 1})
    dispense(pharmacy2, written["code"], {"D1001": 1, "D1002": 60})
    response = ali.get(f"/api/records/{written['id']}")
    assert response.status_code == 200
    record = response.get_json()
    assert (record["code"], record["tracking_code"]) == (written["code"], written["tracking_code"])
    assert (record["status"], record["status_label"]) == ("partial", "بخشی دریافت شده")
    amoxicillin, metformin = record["items"]
    assert (amoxicillin["quantity"], amoxicillin["dispensed"], amoxicillin["remaining"]) == (
        3,
        2,
        1,
    )
    assert amoxicillin["status_text"] == (
        "۲ از ۳ عدد تحویل شده — بقیه را تا ۱ بهمن ۱۴۰۵ از هر داروخانه‌ای بگیرید."
    )
    assert [(d["center"], d["quantity"]) for d in amoxicillin["dispensing"]] == [
        ("داروخانه رازی", 1),
        ("داروخانه سینا", 1),
    ]
    delivery = amoxicillin["dispensing"][0]
    assert delivery["center_kind_label"] == "داروخانه"
    assert delivery["at"].endswith("+03:30")
    assert "ساعت" in delivery["at_jalali"]
    assert metformin["status_text"] == "به‌طور کامل تحویل شده است (۶۰ عدد)."


def test_an_expired_record_says_so(app, ali, written, pharmacy, dispense, monkeypatch):
    dispense(pharmacy, written["code"], {"D1001": 2})
    monkeypatch.setitem(app.config, "DARMAN_TODAY", "2027-02-01")
    record = ali.get(f"/api/records/{written['id']}").get_json()
    assert (record["status"], record["receive_until"]) == ("expired", None)
    assert record["items"][0]["status_text"] == (
        "۲ از ۳ عدد تحویل شده؛ مهلت دریافت بقیه ۱ بهمن ۱۴۰۵ به پایان رسید."
    )


def test_a_lab_orders_sentence(ali, family, doctor, write):
    write(doctor, prescription_body(type="lab", items=[FBS]))
    record = ali.get("/api/records").get_json()["records"][0]
    assert record["type_label"] == "درخواست آزمایش"
    assert record["items"][0]["status_text"] == (
        "هنوز انجام نشده — تا ۱ بهمن ۱۴۰۵ در هر آزمایشگاهی انجام دهید."
    )


@pytest.fixture
def saras(family, doctor, write) -> dict:
    """A prescription for Sara, Ali's 10-year-old daughter."""
    response = write(doctor, prescription_body(national_code=DAUGHTER))
    assert response.status_code == 201
    return response.get_json()


def test_a_parent_reads_a_minors_records(ali, saras, written):
    response = ali.get(f"/api/records?national_code={DAUGHTER}")
    assert response.status_code == 200
    assert [r["code"] for r in response.get_json()["records"]] == [saras["code"]]
    detail = ali.get(f"/api/records/{saras['id']}")
    assert detail.status_code == 200
    assert detail.get_json()["code"] == saras["code"]


def test_my_own_code_as_the_argument_is_my_record(ali, written):
    records = ali.get(f"/api/records?national_code={INSURED}").get_json()["records"]
    assert [r["code"] for r in records] == [written["code"]]


def test_the_mother_on_the_family_reads_the_minors_records_too(family, citizen, saras):
    assert citizen.sign_in(WIFE, WIFE_MOBILE).status_code == 200
    response = citizen.get(f"/api/records?national_code={DAUGHTER}")
    assert response.status_code == 200
    assert len(response.get_json()["records"]) == 1


@pytest.mark.parametrize("adult", [SON, WIFE, FATHER])
def test_an_adults_record_is_refused_to_the_family(ali, doctor, write, counts, adult):
    other = write(doctor, prescription_body(national_code=adult)).get_json()
    listed = ali.get(f"/api/records?national_code={adult}")
    assert listed.status_code == 403
    assert listed.get_json()["error"] == "not_your_minor"
    assert is_persian(listed.get_json()["message"])
    opened = ali.get(f"/api/records/{other['id']}")
    assert opened.status_code == 404
    assert counts()["reads"] == 0


def test_a_minor_cannot_read_a_parents_record(family, citizen, written, registry):
    registry.write(
        "persons.csv",
        "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
        f"{DAUGHTER},سارا,رضایی,2016-06-01,F,09351112233,",
    )
    assert registry.load().exit_code == 0
    assert citizen.sign_in(DAUGHTER, "09351112233").status_code == 200
    assert citizen.get(f"/api/records/{written['id']}").status_code == 404
    assert citizen.get(f"/api/records?national_code={INSURED}").status_code == 403


def test_someone_not_on_my_family_is_refused(ali, family, counts):
    response = ali.get("/api/records?national_code=0067891233")  # valid, not in the registry
    assert response.status_code == 403
    assert counts()["reads"] == 0


def test_an_unknown_record_is_a_404(ali, written):
    response = ali.get(f"/api/records/{written['id'] + 1000}")
    assert response.status_code == 404
    assert is_persian(response.get_json()["message"])


def test_health_data_needs_a_sign_in_within_ten_minutes(family, citizen, clock, written):
    citizen.sign_in(INSURED, "09121234567")
    assert citizen.get("/api/records").status_code == 200
    clock.move(minutes=11)
    for url in ("/api/records", f"/api/records/{written['id']}", "/api/records/access-log"):
        response = citizen.get(url)
        assert response.status_code == 401
        assert response.get_json()["error"] == "reauthentication_required"
    citizen.sign_in(INSURED, "09121234567")
    assert citizen.get("/api/records").status_code == 200


def test_signed_out_is_a_401(client, written):
    for url in ("/api/records", f"/api/records/{written['id']}", "/api/records/access-log"):
        assert client.get(url).status_code == 401
