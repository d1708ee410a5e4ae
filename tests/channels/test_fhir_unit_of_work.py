"""The FHIR channel is one unit of work per request: the metadata commits nothing, an answered
$submit commits its logged inquiry once, a refused one commits nothing of ours, and a $submit
failing after the inquiry is logged leaves no inquiry behind.

`provider_required` (server/auth/providers.py) counts each request against the token's limit in
the request's own transaction: an answered request commits the count with its writes (one
commit), a refused one commits the count alone after its rollback (`auth_commits`: one)."""

import pytest
from channel_testing import inquiry_count
from test_fhir import eligibility_request, outcome, submit

from server.domain.refusal import TooMany, Unauthorized
from server.fhir import views


@pytest.fixture
def auth_commits(client, token, count_commits) -> int:
    """The commits of a $submit that the FHIR layer itself refuses (a wrong Content-Type)."""
    count_commits.reset()
    refused = submit(client, token, eligibility_request(), **{"Content-Type": "text/plain"})
    assert refused.status_code == 415
    assert count_commits.count == 1  # the count, kept after the rollback
    return count_commits.count


def test_the_metadata_commits_nothing(client, count_commits):
    count_commits.reset()
    assert client.get("/fhir/metadata").status_code == 200
    assert count_commits.count == 0, count_commits.statements


def test_an_answered_submit_commits_its_inquiry_once(
    app, client, family, token, auth_commits, count_commits
):
    count_commits.reset()
    assert submit(client, token, eligibility_request()).status_code == 200
    assert count_commits.count == 1, count_commits.statements  # the count rides along
    assert inquiry_count(app) == 1


def test_a_refused_submit_commits_nothing_of_ours(
    app, client, family, token, auth_commits, count_commits
):
    count_commits.reset()
    assert submit(client, token, eligibility_request(status="cancelled")).status_code == 400
    assert count_commits.count == auth_commits, count_commits.statements
    assert inquiry_count(app) == 0


def test_a_submit_failing_after_the_inquiry_is_logged_leaves_none(
    app, client, family, token, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the answer could not be made")

    monkeypatch.setattr(views, "eligibility_response", broken)
    response = submit(client, token, eligibility_request())
    assert response.status_code == 500
    assert inquiry_count(app) == 0  # logged in the request's transaction, undone with it


@pytest.mark.parametrize(
    ("refusal", "status", "code", "header"),
    [
        (lambda: Unauthorized("invalid_token", bearer=True), 401, "login", "WWW-Authenticate"),
        (lambda: TooMany("rate_limited", retry_after=7), 429, "processing", "Retry-After"),
    ],
)  # made anew in each test: an instance kept by the parametrization would keep the traceback
# (the FHIR request's pydantic datetimes) until the interpreter's exit, whose last collection
# then crashes inside pydantic-core (pydantic issue 12867)
def test_a_shared_layers_refusal_is_an_operation_outcome_with_its_headers(
    client, family, token, monkeypatch, refusal, status, code, header
):
    """A refusal raised under the FHIR blueprint (by an operation or `auth/`) keeps its status
    and headers and is answered as an OperationOutcome, not as the API's JSON."""

    def refuse(*args, **kwargs):
        raise refusal()

    monkeypatch.setattr(views, "checked_national_code", refuse)
    response = submit(client, token, eligibility_request())
    assert response.status_code == status
    assert outcome(response).issue[0].code == code
    assert header in response.headers
