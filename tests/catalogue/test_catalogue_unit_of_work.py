"""One unit of work per request in the catalogue's API: a read commits nothing of its own, a
favourite's write commits once, a refusal keeps nothing and says what it always said, and a
write that fails half-way leaves nothing behind.

Every provider API request counts against its token's limit in the request's own transaction
(`server/auth/providers.py`): that count is the one commit a read makes; a write commits it
with the write, once; a refused request commits the count alone, after its rollback."""

import pytest

from server.catalogue import favourites as favourite_operations

TOKEN_USE = 1  # the commit of the token's counted use (a read's; a write's rides with it)
COLD = {"name": "سرد", "type": "drug", "items": [{"code": "D1001", "quantity": 2}]}


@pytest.fixture
def favourites(api, catalogue, doctor):
    """Call the favourites API as the doctor."""

    def call(method: str, url: str = "", json: dict | None = None):
        return api(doctor, method, f"/api/provider/favourites{url}", json=json)

    return call


def test_reads_commit_nothing_of_their_own(api, catalogue, doctor, favourites, count_commits):
    favourites("POST", json=COLD)
    for url in (
        "/api/provider/catalogue?q=amox",
        "/api/provider/instruction-presets",
        "/api/provider/favourites",
    ):
        count_commits.reset()
        assert api(doctor, "GET", url).status_code == 200, url
        assert count_commits.count == TOKEN_USE, (url, count_commits.statements)


def test_a_favourite_s_writes_commit_once_each(favourites, counts, count_commits):
    count_commits.reset()
    made = favourites("POST", json=COLD)
    assert made.status_code == 201
    assert count_commits.count == 1, count_commits.statements
    url = f"/{made.get_json()['id']}"

    count_commits.reset()
    assert favourites("PUT", url, json={"name": "گلو"}).status_code == 200
    assert count_commits.count == 1, count_commits.statements

    count_commits.reset()
    assert favourites("DELETE", url).status_code == 204
    assert count_commits.count == 1, count_commits.statements
    assert counts()["favourites"] == 0


@pytest.mark.parametrize(
    ("method", "url", "body", "answer"),
    [
        (
            "POST",
            "",
            COLD,
            (409, "favourite_name_taken", "نسخهٔ پرکاربردی با نام «سرد» از قبل دارید.", "name"),
        ),
        (
            "PUT",
            "/{id}",
            {"type": "lab"},
            (400, "items_for_type", "لطفاً اقلام نوع تازه را هم همراه آن بفرستید.", "items"),
        ),
        (
            "PUT",
            "/{id}",
            {"name": "گلو", "items": [{"code": "D1001", "quantity": 31}]},
            (
                400,
                "quantity_above_max",
                "قلم ۱: از «آموکسی‌سیلین ۵۰۰ میلی‌گرم» در هر نسخه حداکثر ۳۰ عدد می‌توان نوشت.",
                "items.0.quantity",
            ),
        ),
        ("DELETE", "/999", None, (404, "unknown_favourite", None, None)),
    ],
)
def test_a_refused_write_says_so_and_keeps_nothing(
    favourites, count_commits, method, url, body, answer
):
    kept = favourites("POST", json=COLD).get_json()
    count_commits.reset()
    refused = favourites(method, url.format(id=kept["id"]), json=body)
    status, error, message, field = answer
    said = refused.get_json()
    assert (refused.status_code, said["error"], said.get("field")) == (status, error, field)
    if message is not None:
        assert said["message"] == message
    assert count_commits.count == TOKEN_USE, count_commits.statements
    assert favourites("GET").get_json()["favourites"] == [kept]  # the name too: not «گلو»


def test_a_favourite_whose_write_fails_half_way_leaves_nothing(
    favourites, counts, monkeypatch, count_commits
):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(favourite_operations, "_described", broken)  # after the row is flushed
    count_commits.reset()
    answer = favourites("POST", json=COLD)
    assert answer.status_code == 500
    assert answer.get_json()["error"] == "internal_error"
    assert count_commits.count == TOKEN_USE, count_commits.statements
    assert counts()["favourites"] == 0
