"""One unit of work per notices request: reads commit nothing, each write commits once, and a
write that fails half-way leaves nothing behind."""

from families import INSURED
from inboxes import add_notices, count_subscriptions
from sqlalchemy import func, select

from server.extensions import db
from server.models import Notification
from server.notify import views


def commits(count_commits, request, status: int) -> int:
    """The commits of one request, which must answer `status`."""
    count_commits.reset()
    answer = request()
    assert answer.status_code == status, answer.get_data(as_text=True)
    return count_commits.count


def test_reads_commit_nothing(app, ali, count_commits):
    add_notices(app, INSURED, 2)
    for url in ("/api/push/key", "/api/notifications", "/api/notifications/settings"):
        assert commits(count_commits, lambda url=url: ali.get(url), 200) == 0, url


def test_each_write_commits_once(app, ali, push_service, count_commits):
    first, _ = add_notices(app, INSURED, 2)
    phone = push_service.browser()
    put = {"kinds": [{"kind": "expiry_later", "enabled": False}]}
    writes = [
        (lambda: ali.post("/api/push/subscriptions", phone.subscription()), 201),
        (lambda: ali.post("/api/push/subscriptions", phone.subscription()), 200),
        (lambda: ali.post(f"/api/notifications/{first}/read"), 200),
        (lambda: ali.post("/api/notifications/read-all"), 200),
        (
            lambda: ali.client.put(
                "/api/notifications/settings", json=put, headers={"X-CSRFToken": ali.csrf_token}
            ),
            200,
        ),
        (lambda: ali.delete("/api/push/subscriptions", json={"endpoint": phone.endpoint}), 204),
    ]
    for write, status in writes:
        assert commits(count_commits, write, status) == 1, count_commits.statements


def test_a_missing_notice_is_refused_and_commits_nothing(ali, count_commits):
    count_commits.reset()
    answer = ali.post("/api/notifications/999/read")
    assert answer.status_code == 404
    assert answer.get_json() == {
        "error": "notification_not_found",
        "message": "این اعلان پیدا نشد.",
    }
    assert count_commits.count == 0


def test_a_subscription_that_fails_half_way_is_not_stored(app, ali, push_service, monkeypatch):
    def broken(account_id):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(views, "_keep_newest", broken)  # after the row is flushed
    answer = ali.post("/api/push/subscriptions", push_service.browser().subscription())
    assert answer.status_code == 500
    assert count_subscriptions(app) == 0


def test_marking_read_that_fails_half_way_leaves_the_notices_unread(app, ali, monkeypatch):
    notice, _, _ = add_notices(app, INSURED, 3)

    def broken(account_id):
        raise RuntimeError("the count cannot be read")

    monkeypatch.setattr(views, "_unread", broken)  # after the notice is marked read
    assert ali.post(f"/api/notifications/{notice}/read").status_code == 500
    with app.app_context():
        unread = db.session.scalar(
            select(func.count()).select_from(Notification).where(Notification.read_at.is_(None))
        )
    assert unread == 3
