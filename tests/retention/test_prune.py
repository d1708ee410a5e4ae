"""`darman prune` (and `daily`) delete each kind of row once it is past its window, and nothing
younger; the deletes go in small batches, each its own transaction."""

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from families import INSURED
from sqlalchemy import func, insert, select

from server import clock as server_clock
from server.extensions import db
from server.models import (
    Account,
    DeviceSession,
    GatewayNonce,
    IdempotencyKey,
    Inquiry,
    Notification,
    OutboxEvent,
    Person,
    Provider,
    PushDelivery,
    PushSubscription,
    RateBucket,
    RateLimitHit,
    RecordAccess,
    SmsAllowance,
    SmsChallenge,
    UsedToken,
)
from server.retention import WINDOWS, prune_all

DEFAULT_WINDOWS = {
    "rate_limit_hit": timedelta(hours=48),
    "rate_bucket": timedelta(hours=48),
    "gateway_nonce": timedelta(minutes=11),  # twice the gateways' skew and a minute
    "used_token": timedelta(0),
    "sms_challenge": timedelta(hours=24),
    "device_session": timedelta(days=90),
    "idempotency_key": timedelta(hours=24),
    "sms_allowance": timedelta(days=2),  # by day: its own test below
    "outbox": timedelta(days=30),
    "push_delivery": timedelta(days=30),
    "notification": timedelta(days=365),
    "inquiry": timedelta(days=400),
    "record_access": timedelta(days=6 * 366),
}


def _id() -> str:
    """A fresh unique text id."""
    return uuid.uuid4().hex


class Rows:
    """Parents for the rows under test (a person, an account, a provider, a notice, a browser),
    and a factory of one row per kind, made at a given time."""

    def __init__(self) -> None:
        now = server_clock.now()
        self.person_id = db.session.scalar(select(Person.id).where(Person.national_code == INSURED))
        self.account_id = self._add(
            Account, person_id=self.person_id, user_handle=uuid.uuid4().bytes, created_at=now
        )
        self.provider_id = self._add(
            Provider, name="مطب", kind="doctor", token_hash=_id() + _id(), created_at=now
        )
        self.notification_id = self.row("notification", now)
        self.subscription_id = self._add(
            PushSubscription, account_id=self.account_id, endpoint=f"https://x/{_id()}",
            p256dh="p", auth="a", created_at=now,
        )  # fmt: skip

    def _add(self, model, **values) -> int:
        """Insert one row; its primary key."""
        result = db.session.execute(insert(model).returning(*model.__table__.primary_key), values)
        return result.scalar_one()

    def row(self, kind: str, at: datetime, **changes) -> object:
        """One row of `kind` whose retention time is `at`; its primary key."""
        values = self._values(kind, at)
        model = values.pop("model")
        return self._add(model, **{**values, **changes})

    def _values(self, kind: str, at: datetime) -> dict:
        """The columns of one row of a kind."""
        factories: dict[str, Callable[[], dict]] = {
            "rate_limit_hit": lambda: {"model": RateLimitHit, "key": "ip:x", "at": at},
            "rate_bucket": lambda: {
                "model": RateBucket, "key": f"token:{_id()}", "level": 1.0, "at": at.timestamp()
            },
            "gateway_nonce": lambda: {"model": GatewayNonce, "nonce": _id(), "seen_at": at},
            "used_token": lambda: {"model": UsedToken, "id": _id(), "expires_at": at},
            "sms_challenge": lambda: {
                "model": SmsChallenge, "id": _id(), "realm": "citizen",
                "subject_id": self.person_id, "national_code": "0499370899",
                "mobile": "09121234567", "address": "127.0.0.1", "code_hash": "0" * 64,
                "created_at": at - timedelta(minutes=3), "expires_at": at, "failed_attempts": 0,
            },
            "device_session": lambda: {
                "model": DeviceSession, "id": _id(), "account_id": self.account_id,
                "method": "sms", "user_agent": "", "created_at": at - timedelta(days=1),
                "authenticated_at": at, "last_seen_at": at, "ended_at": at,
            },
            "idempotency_key": lambda: {
                "model": IdempotencyKey, "provider_id": self.provider_id, "key": _id(),
                "fingerprint": "0" * 64, "status": 201, "answer": {}, "created_at": at,
            },
            "outbox": lambda: {
                "model": OutboxEvent, "kind": "coverage_changed", "person_id": self.person_id,
                "old": None, "new": None, "created_at": at, "status": "done",
            },
            "push_delivery": lambda: {
                "model": PushDelivery, "notification_id": self.notification_id,
                "subscription_id": self.subscription_id, "status": "sent", "attempts": 1,
                "next_attempt_at": at, "created_at": at, "sent_at": at,
            },
            "notification": lambda: {
                "model": Notification, "account_id": self.account_id, "kind": "coverage_lost",
                "title": "عنوان", "body": "متن", "url": "/", "dedup_key": _id(), "created_at": at,
            },
            "inquiry": lambda: {
                "model": Inquiry, "tracking_code": _id()[:12], "channel": "provider",
                "provider_id": self.provider_id, "person_id": self.person_id,
                "national_code": INSURED, "covered": True, "asked_at": at,
            },
            "record_access": lambda: {
                "model": RecordAccess, "person_id": self.person_id, "reader": "self", "at": at,
            },
        }  # fmt: skip
        return factories[kind]()


@pytest.fixture
def rows(app, family, clock):
    """The row factory, inside an app context; the clock is pinned, so cutoffs are exact."""
    with app.app_context():
        yield Rows()
        db.session.commit()


def model_of(kind: str):
    """The table of a kind of row."""
    return next(window.table for window in WINDOWS if window.name == kind)


def primary_keys(kind: str) -> set:
    """Every primary key left in a kind's table."""
    table = model_of(kind)
    (key,) = table.primary_key.columns
    return set(db.session.scalars(select(key)))


def test_every_window_is_covered_by_these_tests():
    assert {window.name for window in WINDOWS} == set(DEFAULT_WINDOWS)


@pytest.mark.parametrize("kind", sorted(set(DEFAULT_WINDOWS) - {"sms_allowance"}))
def test_each_table_loses_what_is_past_its_window_and_nothing_younger(app, rows, runner, kind):
    now = server_clock.now()
    cutoff = now - DEFAULT_WINDOWS[kind]
    old = [rows.row(kind, cutoff - timedelta(seconds=s)) for s in (1, 3600, 86400 * 30)]
    young = [rows.row(kind, cutoff + timedelta(seconds=s)) for s in (1, 3600)]
    db.session.commit()
    before = primary_keys(kind)
    assert set(old) | set(young) <= before
    db.session.commit()

    result = runner.invoke(args=["darman", "prune"])
    assert result.exit_code == 0, result.output
    assert f"{kind} {len(old)}" in result.output

    after = primary_keys(kind)
    assert after == before - set(old)  # shrank by exactly the old rows
    assert set(young) <= after


def test_pending_rows_and_live_sessions_stay_however_old(app, rows, runner):
    long_ago = server_clock.now() - timedelta(days=3000)
    pending_outbox = rows.row("outbox", long_ago, status="pending")
    pending_push = rows.row("push_delivery", long_ago, status="pending", sent_at=None)
    live_session = rows.row("device_session", long_ago, ended_at=None)
    db.session.commit()
    assert runner.invoke(args=["darman", "prune"]).exit_code == 0
    assert pending_outbox in primary_keys("outbox")
    assert pending_push in primary_keys("push_delivery")
    assert live_session in primary_keys("device_session")


def test_each_window_is_a_setting(app, rows, runner, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_RETAIN_INQUIRY_DAYS", 10)
    eleven_days = rows.row("inquiry", server_clock.now() - timedelta(days=11))
    nine_days = rows.row("inquiry", server_clock.now() - timedelta(days=9))
    db.session.commit()
    assert runner.invoke(args=["darman", "prune"]).exit_code == 0
    assert primary_keys("inquiry") == {nine_days}
    assert eleven_days not in primary_keys("inquiry")


def test_a_nonce_stays_while_its_request_could_be_replayed_whatever_is_set(
    app, rows, runner, monkeypatch
):
    monkeypatch.setitem(app.config, "DARMAN_GATEWAY_NONCE_SECONDS", 60)  # shorter than allowed
    window = 2 * app.config["DARMAN_GATEWAY_SKEW_SECONDS"] + 60
    inside = rows.row("gateway_nonce", server_clock.now() - timedelta(seconds=window - 1))
    past = rows.row("gateway_nonce", server_clock.now() - timedelta(seconds=window + 1))
    db.session.commit()
    assert runner.invoke(args=["darman", "prune"]).exit_code == 0
    assert inside in primary_keys("gateway_nonce")
    assert past not in primary_keys("gateway_nonce")


def test_deletes_go_in_small_batches_each_committed(app, rows, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_PRUNE_BATCH", 2)
    old = server_clock.now() - timedelta(days=401)
    for _ in range(5):
        rows.row("inquiry", old)
    db.session.commit()
    commits = []
    monkeypatch.setattr(db.session, "commit", _counting(db.session.commit, commits))
    pruned = prune_all()
    assert pruned.rows["inquiry"] == 5
    assert pruned.batches["inquiry"] == 3  # 2 + 2 + 1
    assert len(commits) >= 2 * 3  # each batch: a read, then its delete, each committed
    assert pruned.longest_write_seconds < 1.0


def test_a_large_prune_keeps_each_write_short(app, rows):
    old = server_clock.now() - timedelta(days=401)
    values = [rows._values("inquiry", old) for _ in range(3000)]
    for value in values:
        value.pop("model")
        value["tracking_code"] = _id()[:12]
    db.session.execute(insert(Inquiry), values)
    db.session.commit()
    pruned = prune_all()
    assert pruned.rows["inquiry"] == 3000
    assert pruned.batches["inquiry"] >= 12  # at most 250 rows under the lock at a time
    # The budget is ~50 ms; a loaded shared test machine gets some slack.
    assert pruned.longest_write_seconds < 0.5
    assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 0


def test_daily_prunes_too(app, rows, runner):
    gone = rows.row("rate_limit_hit", server_clock.now() - timedelta(days=3))
    db.session.commit()
    result = runner.invoke(args=["darman", "daily"])
    assert result.exit_code == 0, result.output
    assert "rate_limit_hit 1" in result.output
    assert gone not in primary_keys("rate_limit_hit")


def _counting(commit: Callable[[], None], calls: list) -> Callable[[], None]:
    """`commit`, noting each call."""

    def counted() -> None:
        calls.append(1)
        commit()

    return counted


def test_a_pruned_session_leaves_its_browsers_subscription_unlinked(app, rows, runner):
    ended = rows.row("device_session", server_clock.now() - timedelta(days=91))
    subscription = db.session.get(PushSubscription, rows.subscription_id)
    subscription.device_session_id = ended
    db.session.commit()
    assert runner.invoke(args=["darman", "prune"]).exit_code == 0
    db.session.expire_all()
    assert ended not in primary_keys("device_session")
    assert db.session.get(PushSubscription, rows.subscription_id).device_session_id is None


def test_a_days_sms_allowance_goes_once_the_day_is_two_days_past(app, rows, runner, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_PRUNE_BATCH", 2)  # pairs of keys, in batches too
    today = server_clock.now().date()
    for days_ago in (0, 1, 3, 4, 30):
        db.session.add(
            SmsAllowance(account_id=rows.account_id, day=today - timedelta(days=days_ago), used=3)
        )
    db.session.commit()
    result = runner.invoke(args=["darman", "prune"])
    assert result.exit_code == 0, result.output
    assert "sms_allowance 3" in result.output
    left = db.session.scalars(select(SmsAllowance.day).order_by(SmsAllowance.day)).all()
    assert left == [today - timedelta(days=1), today]
