"""Every read of a record — by me, a parent or a provider — is on my access log."""

from families import DAUGHTER, INSURED
from prescribing import bearer, prescription_body


def test_every_read_is_logged_with_who_kind_and_time(ali, client, written, doctor, pharmacy):
    ali.get("/api/records")
    ali.get(f"/api/records/{written['id']}")
    client.get(f"/api/provider/patients/{INSURED}/records", headers=bearer(doctor))
    client.get(f"/api/provider/prescriptions/{written['code']}", headers=bearer(pharmacy))
    response = ali.get("/api/records/access-log")
    assert response.status_code == 200
    entries = response.get_json()["entries"]
    assert [
        (e["who"], e["kind"], e["kind_label"], e["provider_kind"], e["record_id"]) for e in entries
    ] == [
        ("داروخانه رازی", "provider", "داروخانه", "pharmacy", written["id"]),
        ("مطب دکتر احمدی", "provider", "پزشک", "doctor", None),
        ("شما", "self", "خودتان", None, written["id"]),
        ("شما", "self", "خودتان", None, None),
    ]
    assert len({e["id"] for e in entries}) == 4  # each read can be named in an objection
    for entry in entries:
        assert entry["at"].endswith("+03:30")
        assert "ساعت" in entry["at_jalali"]


def test_reading_the_access_log_is_not_itself_a_read(ali, written, counts):
    ali.get("/api/records/access-log")
    ali.get("/api/records/access-log")
    assert counts()["reads"] == 0
    assert ali.get("/api/records/access-log").get_json() == {"entries": [], "next_cursor": None}


def test_a_parents_read_is_logged_as_a_parent_read(ali, doctor, write):
    saras = write(doctor, prescription_body(national_code=DAUGHTER)).get_json()
    ali.get(f"/api/records?national_code={DAUGHTER}")
    ali.get(f"/api/records/{saras['id']}")
    log = ali.get(f"/api/records/access-log?national_code={DAUGHTER}").get_json()["entries"]
    assert [(e["who"], e["kind"], e["kind_label"], e["record_id"]) for e in log] == [
        ("علی رضایی", "parent", "والد", saras["id"]),
        ("علی رضایی", "parent", "والد", None),
    ]
    assert ali.get("/api/records/access-log").get_json()["entries"] == []  # not on Ali's own


def test_an_adults_access_log_is_refused_to_the_family(ali, family):
    response = ali.get("/api/records/access-log?national_code=0034567895")  # the son, 21
    assert response.status_code == 403


def test_a_refused_read_is_not_logged(ali, written, pharmacy2, client, counts):
    client.get(f"/api/provider/patients/{INSURED}/records", headers=bearer(pharmacy2))
    assert counts()["reads"] == 0


def test_the_access_log_pages(ali, written):
    for _ in range(5):
        ali.get("/api/records")
    first = ali.get("/api/records/access-log?limit=3").get_json()
    assert len(first["entries"]) == 3
    rest = ali.get(f"/api/records/access-log?limit=3&cursor={first['next_cursor']}").get_json()
    assert len(rest["entries"]) == 2
    assert rest["next_cursor"] is None


def test_english_when_asked(ali, written):
    ali.get("/api/records")
    entry = ali.get("/api/records/access-log", headers={"Accept-Language": "en"}).get_json()
    assert (entry["entries"][0]["who"], entry["entries"][0]["kind_label"]) == ("You", "Yourself")
