"""The notices API: the VAPID key, subscriptions (validated), the inbox and the settings."""

import base64

import pytest
from families import INSURED, INSURED_MOBILE, WIFE, WIFE_MOBILE
from inboxes import add_notices, count_subscriptions
from sqlalchemy import func, select

from server.extensions import db
from server.models import Account, NotificationOptOut, Person, PushSubscription
from server.notify.kinds import KINDS


def test_every_route_needs_a_sign_in(client):
    for method, url in [
        ("get", "/api/push/key"),
        ("get", "/api/notifications"),
        ("get", "/api/notifications/settings"),
    ]:
        answer = getattr(client, method)(url)
        assert answer.status_code == 401
        assert answer.get_json()["message"] == "لطفاً وارد شوید."


def test_the_key_is_a_p256_point_in_base64url(ali):
    key = ali.get("/api/push/key").get_json()["public_key"]
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 4
    assert "=" not in key and "+" not in key and "/" not in key


def test_several_devices_subscribe_and_one_unsubscribes(
    app, ali, make_citizen, push_service, clock
):
    phone, laptop = push_service.browser(), push_service.browser()
    assert ali.post("/api/push/subscriptions", phone.subscription()).status_code == 201
    clock.move(seconds=61)  # one SMS a minute
    other = make_citizen()
    assert other.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    assert other.post("/api/push/subscriptions", laptop.subscription()).status_code == 201
    again = ali.post("/api/push/subscriptions", phone.subscription())
    assert again.status_code == 200 and again.get_json()["created"] is False
    assert count_subscriptions(app) == 2

    gone = ali.delete("/api/push/subscriptions", json={"endpoint": phone.endpoint})
    assert gone.status_code == 204
    with app.app_context():
        left = db.session.scalars(select(PushSubscription.endpoint)).all()
    assert left == [laptop.endpoint]


def test_a_browser_passed_to_another_person_is_theirs(app, ali, make_citizen, push_service):
    shared = push_service.browser()
    assert ali.post("/api/push/subscriptions", shared.subscription()).status_code == 201
    zahra = make_citizen()
    assert zahra.sign_in(WIFE, WIFE_MOBILE).status_code == 200
    assert zahra.post("/api/push/subscriptions", shared.subscription()).status_code == 200
    # Ali cannot remove it any more; it is Zahra's now.
    assert (
        ali.delete("/api/push/subscriptions", json={"endpoint": shared.endpoint}).status_code == 204
    )
    with app.app_context():
        owner = db.session.scalar(
            select(Person.national_code)
            .join(Account, Account.person_id == Person.id)
            .join(PushSubscription, PushSubscription.account_id == Account.id)
        )
    assert owner == WIFE


def _with(subscription: dict, **changes) -> dict:
    """A copy of the subscription JSON with some values replaced (keys.* too)."""
    copy = {**subscription, "keys": dict(subscription["keys"])}
    for name, value in changes.items():
        if name in ("p256dh", "auth"):
            copy["keys"][name] = value
        else:
            copy[name] = value
    return copy


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"endpoint": "http://push.example.com/send/abc"}, "invalid_push_endpoint"),
        ({"endpoint": "https://10.0.0.7/send/abc"}, "invalid_push_endpoint"),
        ({"endpoint": "https://user:pw@push.example.com/x"}, "invalid_push_endpoint"),
        ({"endpoint": "https://intranet/send"}, "invalid_push_endpoint"),
        ({"endpoint": "ftp://push.example.com/x"}, "invalid_push_endpoint"),
        ({"p256dh": _b64(b"\x04" + b"\x01" * 63)}, "invalid_push_subscription"),  # 64 bytes
        ({"p256dh": _b64(b"\x02" + b"\x01" * 64)}, "invalid_push_subscription"),  # not 0x04
        ({"p256dh": "not base64url!"}, "invalid_push_subscription"),
        ({"auth": _b64(b"\x01" * 15)}, "invalid_push_subscription"),
        ({"auth": base64.b64encode(b"\xfb" * 16).decode()}, "invalid_push_subscription"),  # + /
        ({"keys": None}, "invalid_push_subscription"),
        ({"endpoint": None}, "invalid_push_subscription"),
    ],
)
def test_a_bad_subscription_is_refused_in_persian_and_nothing_is_stored(
    app, ali, push_service, changes, code
):
    good = push_service.browser().subscription()
    if "endpoint" in changes and changes["endpoint"] and changes["endpoint"].startswith("http:"):
        app.config["DARMAN_PUSH_ALLOW_LOOPBACK"] = False
    answer = ali.post("/api/push/subscriptions", _with(good, **changes))
    assert answer.status_code == 400
    assert answer.get_json()["error"] == code
    assert answer.get_json()["message"] in (
        "اشتراک اعلان این مرورگر معتبر نیست. لطفاً اعلان‌ها را یک بار خاموش و دوباره روشن کنید.",
        "اعلان به این نشانی فرستاده نمی‌شود؛ نشانی باید سرویس اعلان یک مرورگر (https) باشد.",
    )
    assert count_subscriptions(app) == 0


def test_loopback_endpoints_need_the_test_setting(app, ali, push_service):
    app.config["DARMAN_PUSH_ALLOW_LOOPBACK"] = False
    answer = ali.post("/api/push/subscriptions", push_service.browser().subscription())
    assert answer.get_json()["error"] == "invalid_push_endpoint"
    assert count_subscriptions(app) == 0


def test_not_json_and_no_csrf_token_store_nothing(app, ali, push_service):
    answer = ali.post("/api/push/subscriptions", data="endpoint=x", content_type="text/plain")
    assert answer.status_code == 400
    assert answer.get_json()["message"] == "لطفاً یک شیء JSON بفرستید."
    forged = ali.client.post("/api/push/subscriptions", json=push_service.browser().subscription())
    assert forged.status_code == 400 and forged.get_json()["error"] == "csrf_failed"
    assert count_subscriptions(app) == 0


def test_the_inbox_lists_newest_first_and_marks_read(app, ali, family):
    first, second, third = add_notices(app, INSURED, 3)
    listed = ali.get("/api/notifications").get_json()
    assert [n["id"] for n in listed["notifications"]] == [third, second, first]
    assert listed["unread"] == 3 and listed["next_cursor"] is None
    assert set(listed["notifications"][0]) == {"id", "kind", "title", "body", "url", "at", "read"}

    assert ali.post(f"/api/notifications/{second}/read").get_json() == {"unread": 2}
    unread = ali.get("/api/notifications?unread=1").get_json()["notifications"]
    assert [n["id"] for n in unread] == [third, first]
    assert ali.post("/api/notifications/read-all").get_json() == {"unread": 0}
    assert all(n["read"] for n in ali.get("/api/notifications").get_json()["notifications"])


def test_the_inbox_pages_with_a_cursor(app, ali):
    ids = add_notices(app, INSURED, 55)
    page = ali.get("/api/notifications").get_json()
    assert len(page["notifications"]) == 50 and page["next_cursor"] == ids[5]
    rest = ali.get(f"/api/notifications?before={page['next_cursor']}").get_json()
    assert [n["id"] for n in rest["notifications"]] == ids[4::-1]
    assert rest["next_cursor"] is None


def test_nobody_reads_anothers_notice(app, ali, make_citizen):
    zahra = make_citizen()
    assert zahra.sign_in(WIFE, WIFE_MOBILE).status_code == 200
    (hers,) = add_notices(app, WIFE, 1)
    answer = ali.post(f"/api/notifications/{hers}/read")
    assert answer.status_code == 404
    assert answer.get_json()["message"] == "این اعلان پیدا نشد."
    assert zahra.get("/api/notifications").get_json()["unread"] == 1


def test_settings_turn_kinds_off_and_on(app, ali):
    settings = ali.get("/api/notifications/settings").get_json()["kinds"]
    assert [s["kind"] for s in settings] == list(KINDS)
    assert all(s["enabled"] for s in settings)
    assert settings[0]["label"] == "برقراری حمایت درمانی من"

    changed = ali.client.put(
        "/api/notifications/settings",
        json={"kinds": [{"kind": "expiry_later", "enabled": False}]},
        headers={"X-CSRFToken": ali.csrf_token},
    ).get_json()["kinds"]
    assert [s["kind"] for s in changed if not s["enabled"]] == ["expiry_later"]
    back = ali.client.put(
        "/api/notifications/settings",
        json={"kinds": [{"kind": "expiry_later", "enabled": True}]},
        headers={"X-CSRFToken": ali.csrf_token},
    ).get_json()["kinds"]
    assert all(s["enabled"] for s in back)


def test_an_unknown_kind_is_refused_and_changes_nothing(app, ali):
    answer = ali.client.put(
        "/api/notifications/settings",
        json={"kinds": [{"kind": "coverage_lost", "enabled": False}, {"kind": "x", "enabled": 0}]},
        headers={"X-CSRFToken": ali.csrf_token},
    )
    assert answer.status_code == 400
    assert answer.get_json() == {
        "error": "unknown_notice_kind",
        "message": "چنین نوعی از اعلان وجود ندارد.",
    }
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(NotificationOptOut)) == 0


def test_english_labels_for_an_english_request(ali):
    settings = ali.get("/api/notifications/settings", headers={"Accept-Language": "en"}).get_json()[
        "kinds"
    ]
    assert settings[1]["label"] == "My cover stops after a change in my records"
