"""The notices API: the VAPID key, this browser's push subscription, the inbox, the settings.

Every route needs a signed-in citizen; writes need the CSRF header like every citizen write.
A write is committed by the request's unit of work, once, when it answers a success. A body
that cannot be used (a garbled subscription, an unknown kind) is answered here as a bad request.
"""

from flask import Blueprint, current_app, request
from flask_babel import gettext
from flask_login import current_user, login_required
from pydantic import ValidationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..domain.refusal import Invalid, NotFound
from ..extensions import db
from ..models import Account, Notification, NotificationOptOut, PushDelivery, PushSubscription
from ..web.refusals import InvalidInput
from ..web.toolkit import id_argument, operation
from .kinds import KINDS
from .schemas import (
    NoticeSettings,
    NoticeSettingsChange,
    NotificationList,
    PushKey,
    PushSubscribed,
    PushSubscriptionIn,
    PushSubscriptionRef,
    UnreadCount,
    endpoint_problem,
)
from .vapid import signer

bp = Blueprint("notify", __name__, url_prefix="/api")

MAX_DEVICES = 20  # subscriptions kept per account; the oldest goes first
PAGE = 50


def _bad_subscription(error: ValidationError) -> InvalidInput:
    """A subscription the browser garbled: say how to make a new one."""
    message = gettext(
        "This browser's notice subscription is not valid. Please turn notices off and on again."
    )
    return InvalidInput("invalid_push_subscription", message)


def _unknown_kind() -> InvalidInput:
    """A settings change naming no kind of notice we have."""
    return InvalidInput("unknown_notice_kind", gettext("There is no such kind of notice."))


def _bad_settings(error: ValidationError) -> InvalidInput:
    """A settings change we cannot read: an SMS choice we do not offer, or an unknown kind."""
    if any(problem["loc"][:1] == ("sms",) for problem in error.errors()):
        message = gettext("Choose how notices reach you: push only, push then SMS, or SMS too.")
        return InvalidInput("unknown_sms_choice", message)
    return _unknown_kind()


@bp.get("/push/key")
@operation("The VAPID public key (applicationServerKey)", response=PushKey, errors=(401,))
@login_required
def push_key():
    """Base64url of the 65-byte public key."""
    return {"public_key": signer().public_key}


@bp.post("/push/subscriptions")
@login_required
@operation(
    "Subscribe this browser to push notices",
    request_schema=PushSubscriptionIn,
    response=PushSubscribed,
    errors=(400, 401),
    invalid=_bad_subscription,
)
def subscribe(body: PushSubscriptionIn):
    """Store the subscription for the signed-in account and device (201 new, 200 known)."""
    config = current_app.config
    problem = endpoint_problem(
        body.endpoint, config["DARMAN_PUSH_ALLOW_LOOPBACK"], config["DARMAN_PUSH_HOSTS"]
    )
    if problem:
        raise Invalid("invalid_push_endpoint")
    try:
        with db.session.begin_nested():
            subscription, created = _store(body)
    except IntegrityError:  # the same browser subscribed twice at once: the other one won
        subscription, created = _store(body)
    return {"id": subscription.id, "created": created}, 201 if created else 200


def _store(body: PushSubscriptionIn) -> tuple[PushSubscription, bool]:
    """Insert the subscription, or take over the row of the same endpoint; flushed."""
    account = current_user.account
    row = db.session.scalars(
        select(PushSubscription).where(PushSubscription.endpoint == body.endpoint)
    ).first()
    created = row is None
    if row is None:
        row = PushSubscription(endpoint=body.endpoint, created_at=clock.now())
        db.session.add(row)
    elif row.account_id != account.id:  # another person now uses this browser
        db.session.execute(delete(PushDelivery).where(PushDelivery.subscription_id == row.id))
    row.account_id = account.id
    row.device_session_id = current_user.device.id
    row.p256dh, row.auth = body.keys.p256dh, body.keys.auth
    db.session.flush()
    _keep_newest(account.id)
    return row, created


def _keep_newest(account_id: int) -> None:
    """At most MAX_DEVICES subscriptions per account."""
    ids = db.session.scalars(
        select(PushSubscription.id)
        .where(PushSubscription.account_id == account_id)
        .order_by(PushSubscription.id.desc())
        .offset(MAX_DEVICES)
    ).all()
    if ids:
        db.session.execute(delete(PushDelivery).where(PushDelivery.subscription_id.in_(ids)))
        db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(ids)))


@bp.delete("/push/subscriptions")
@login_required
@operation(
    "Unsubscribe this browser (by its endpoint)",
    request_schema=PushSubscriptionRef,
    errors=(400, 401),
    invalid=_bad_subscription,
)
def unsubscribe(body: PushSubscriptionRef):
    """Forget my subscription of this endpoint (204 also when there was none)."""
    mine = select(PushSubscription.id).where(
        PushSubscription.endpoint == body.endpoint,
        PushSubscription.account_id == current_user.account.id,
    )
    db.session.execute(delete(PushDelivery).where(PushDelivery.subscription_id.in_(mine)))
    db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(mine)))
    return "", 204


@bp.get("/notifications")
@operation(
    "My notices, newest first (?unread=1 for unread only, ?before=<id> for the next page)",
    response=NotificationList,
    errors=(401,),
)
@login_required
def notifications():
    """A page of my inbox and the count of unread notices."""
    account_id = current_user.account.id
    query = select(Notification).where(Notification.account_id == account_id)
    if request.args.get("unread") in ("1", "true"):
        query = query.where(Notification.read_at.is_(None))
    before = id_argument("before")
    if before is not None:
        query = query.where(Notification.id < before)
    rows = db.session.scalars(query.order_by(Notification.id.desc()).limit(PAGE + 1)).all()
    page = rows[:PAGE]
    return {
        "notifications": [_item(row) for row in page],
        "unread": _unread(account_id),
        "next_cursor": page[-1].id if len(rows) > PAGE else None,
    }


def _item(row: Notification) -> dict:
    """One notice as the API gives it."""
    return {
        "id": row.id,
        "kind": row.kind,
        "title": row.title,
        "body": row.body,
        "url": row.url,
        "at": clock.as_tehran(row.created_at).isoformat(),
        "read": row.read_at is not None,
    }


def _unread(account_id: int) -> int:
    """How many of my notices are unread."""
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.account_id == account_id, Notification.read_at.is_(None))
    )


@bp.post("/notifications/<int:notification_id>/read")
@operation("Mark one notice read", response=UnreadCount, errors=(401, 404))
@login_required
def mark_read(notification_id: int):
    """Mark it read (again is fine); the unread count."""
    account_id = current_user.account.id
    row = db.session.scalars(
        select(Notification).where(
            Notification.id == notification_id, Notification.account_id == account_id
        )
    ).first()
    if row is None:
        raise NotFound("notification_not_found")
    if row.read_at is None:
        row.read_at = clock.now()
    return {"unread": _unread(account_id)}


@bp.post("/notifications/read-all")
@operation("Mark all my notices read", response=UnreadCount, errors=(401,))
@login_required
def mark_all_read():
    """Mark every unread notice read."""
    account_id = current_user.account.id
    db.session.execute(
        update(Notification)
        .where(Notification.account_id == account_id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
    return {"unread": 0}


@bp.get("/notifications/settings")
@operation(
    "Which kinds of notice I get, and whether they also come by SMS",
    response=NoticeSettings,
    errors=(401,),
)
@login_required
def settings():
    """Every kind, its label in my language, on or off."""
    return _settings(current_user.account.id)


def _settings(account_id: int) -> dict:
    """The settings answer."""
    off = set(
        db.session.scalars(
            select(NotificationOptOut.kind).where(NotificationOptOut.account_id == account_id)
        )
    )
    kinds = [
        {"kind": kind.name, "label": str(kind.label), "enabled": kind.name not in off}
        for kind in KINDS.values()
    ]
    sms = db.session.scalar(select(Account.notice_sms).where(Account.id == account_id))
    return {"kinds": kinds, "sms": sms}


@bp.put("/notifications/settings")
@login_required
@operation(
    "Turn kinds of notice on or off; choose push only, push then SMS, or SMS too (`sms`)",
    request_schema=NoticeSettingsChange,
    response=NoticeSettings,
    errors=(400, 401),
    invalid=_bad_settings,
)
def change_settings(body: NoticeSettingsChange):
    """Apply the changes (kinds not named keep their setting); the settings."""
    if any(change.kind not in KINDS for change in body.kinds):
        raise _unknown_kind()
    account_id = current_user.account.id
    off = set(
        db.session.scalars(
            select(NotificationOptOut.kind).where(NotificationOptOut.account_id == account_id)
        )
    )
    for change in body.kinds:
        if change.enabled and change.kind in off:
            db.session.execute(
                delete(NotificationOptOut).where(
                    NotificationOptOut.account_id == account_id,
                    NotificationOptOut.kind == change.kind,
                )
            )
            off.discard(change.kind)
        elif not change.enabled and change.kind not in off:
            db.session.add(NotificationOptOut(account_id=account_id, kind=change.kind))
            off.add(change.kind)
    if body.sms is not None:
        db.session.execute(
            update(Account).where(Account.id == account_id).values(notice_sms=body.sms)
        )
    return _settings(account_id)
