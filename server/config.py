"""Configuration read from the environment (DATABASE_URL and DARMAN_* names)."""

import os
from datetime import timedelta


class Config:
    """Production-ready defaults; every value can be set from the environment."""

    SECRET_KEY = os.environ.get("DARMAN_SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # Recycle pooled connections instead of pinging them: a ping is a round trip per request.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": 1800}
    # While PostgreSQL fails over, a request is tried again (its transaction rolled back) for so
    # many seconds before it answers 503 with Retry-After (server/web/unit_of_work.py): longer
    # than a planned switchover and than the failover window (13–14 s measured: docs/performance
    # .md), so that both pass as a slow answer; well under gunicorn's, nginx's and the clients'
    # 30 s, which leaves the request itself 10 s.
    DARMAN_DATABASE_FAILOVER_WAIT_SECONDS = float(
        os.environ.get("DARMAN_DATABASE_FAILOVER_WAIT_SECONDS", "20")
    )
    # How long a request waits for SQLite's write lock before it answers 503 (imports commit
    # every ~50 ms, so a healthy wait is far shorter).
    DARMAN_SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("DARMAN_SQLITE_BUSY_TIMEOUT_MS", "5000"))
    BABEL_DEFAULT_LOCALE = "fa"
    BABEL_TRANSLATION_DIRECTORIES = os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "translations"
    )
    LANGUAGES = ("fa", "en")
    DARMAN_PWA_DIR = os.environ.get(
        "DARMAN_PWA_DIR",
        os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "pwa"),
    )
    MAX_CONTENT_LENGTH = 64 * 1024
    SESSION_COOKIE_NAME = "darman"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session it is bound to
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    DARMAN_RECENT_SIGN_IN_SECONDS = 10 * 60
    # A prescription may be delivered until this many days after it was written (seed 002).
    DARMAN_PRESCRIPTION_VALID_DAYS = 60
    DARMAN_SMS_BACKEND = os.environ.get("DARMAN_SMS_BACKEND", "console")
    DARMAN_KAVENEGAR_API_KEY = os.environ.get("DARMAN_KAVENEGAR_API_KEY")
    DARMAN_KAVENEGAR_TEMPLATE = os.environ.get("DARMAN_KAVENEGAR_TEMPLATE")
    # Kavenegar's address; unset: https://api.kavenegar.com (tests point it at a local fake).
    DARMAN_KAVENEGAR_URL = os.environ.get("DARMAN_KAVENEGAR_URL")
    # The line answers to inbound SMS go out from; unset: the Kavenegar account's default line.
    DARMAN_KAVENEGAR_SENDER = os.environ.get("DARMAN_KAVENEGAR_SENDER")
    DARMAN_SMS_CODE_SECONDS = 180
    # tries of one code (each counted before it is compared); then a new code is needed
    DARMAN_SMS_MAX_WRONG_CODES = int(os.environ.get("DARMAN_SMS_MAX_WRONG_CODES", "3"))
    DARMAN_SMS_RESEND_SECONDS = int(os.environ.get("DARMAN_SMS_RESEND_SECONDS", "60"))
    # codes sent per national code and per mobile, from one address
    DARMAN_SMS_PER_HOUR = int(os.environ.get("DARMAN_SMS_PER_HOUR", "5"))
    DARMAN_SMS_PER_DAY = int(os.environ.get("DARMAN_SMS_PER_DAY", "10"))
    # failed tries (wrong codes, mismatched mobiles) per national code from one address: past
    # it, that address alone gets no code for an hour (the owner's own address still does)
    DARMAN_SMS_FAILURES_PER_HOUR = int(os.environ.get("DARMAN_SMS_FAILURES_PER_HOUR", "10"))
    # sign-in attempts (SMS start or verify, passkey verify) per IPv4 address or IPv6 /64: a
    # flood guard that a carrier's NAT address (many people behind one) must pass
    DARMAN_SIGN_IN_PER_IP_HOUR = int(os.environ.get("DARMAN_SIGN_IN_PER_IP_HOUR", "300"))
    # Pins "today" (ISO date) for demos and browser tests; never set in production.
    DARMAN_TODAY = os.environ.get("DARMAN_TODAY")
    DARMAN_PROXY_HOPS = int(os.environ.get("DARMAN_PROXY_HOPS", "0"))
    DARMAN_ORIGIN = os.environ.get("DARMAN_ORIGIN", "http://localhost:8000")
    DARMAN_RP_ID = os.environ.get("DARMAN_RP_ID", "localhost")
    # Provider tokens: looked up on every request (a revocation holds at once everywhere);
    # they expire after this many days, and each has limits counted in the database.
    DARMAN_PROVIDER_TOKEN_DAYS = int(os.environ.get("DARMAN_PROVIDER_TOKEN_DAYS", "365"))
    DARMAN_PROVIDER_INQUIRIES_PER_MINUTE = int(
        os.environ.get("DARMAN_PROVIDER_INQUIRIES_PER_MINUTE", "600")
    )
    DARMAN_PROVIDER_RECORD_READS_PER_HOUR = int(
        os.environ.get("DARMAN_PROVIDER_RECORD_READS_PER_HOUR", "120")
    )
    # Every other provider route (writing, dispensing, verifying a tracking code).
    DARMAN_PROVIDER_REQUESTS_PER_MINUTE = int(
        os.environ.get("DARMAN_PROVIDER_REQUESTS_PER_MINUTE", "600")
    )
    # The web for centres: a member's session lives 12 hours, and 30 minutes without use.
    DARMAN_CENTRE_SESSION_HOURS = int(os.environ.get("DARMAN_CENTRE_SESSION_HOURS", "12"))
    DARMAN_CENTRE_IDLE_MINUTES = int(os.environ.get("DARMAN_CENTRE_IDLE_MINUTES", "30"))
    # A registering doctor's documents: each at most this size; kept under the instance folder
    # (documents/) unless this names another folder outside the web root.
    DARMAN_CENTRE_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
    DARMAN_CENTRE_DOCUMENT_DIR = os.environ.get("DARMAN_CENTRE_DOCUMENT_DIR")
    # What a registering doctor is told to expect: medical staff review within so many working
    # days (the review's promise, shown with the tracking number).
    DARMAN_CENTRE_REVIEW_WORKING_DAYS = int(
        os.environ.get("DARMAN_CENTRE_REVIEW_WORKING_DAYS", "3")
    )
    # USSD and inbound SMS gateways sign each body with this (HMAC-SHA256); unset: both refuse.
    DARMAN_GATEWAY_SECRET = os.environ.get("DARMAN_GATEWAY_SECRET")
    # The codes people dial (seed 002) that the USSD gateway routes here.
    DARMAN_USSD_SERVICE_CODES = tuple(
        code.strip()
        for code in os.environ.get("DARMAN_USSD_SERVICE_CODES", "*1420*4#,*1666#").split(",")
    )
    # Inquiries per calling number, USSD and SMS together: enough for a family, not for a sweep.
    DARMAN_CHANNEL_INQUIRIES_PER_HOUR = int(
        os.environ.get("DARMAN_CHANNEL_INQUIRIES_PER_HOUR", "10")
    )
    DARMAN_CHANNEL_INQUIRIES_PER_DAY = int(os.environ.get("DARMAN_CHANNEL_INQUIRIES_PER_DAY", "30"))
    # Provider kinds whose FHIR answers carry the expiry (benefitPeriod.end); none by default,
    # as seed 000 item 2-a gives centres only has / has not and a tracking code.
    DARMAN_FHIR_EXPIRY_KINDS = tuple(
        filter(None, os.environ.get("DARMAN_FHIR_EXPIRY_KINDS", "").split(","))
    )
    # The offline card's signing keys; default: card-keys/ in the instance folder. Several
    # nodes must share this folder (or have it provisioned alike).
    DARMAN_CARD_KEY_DIR = os.environ.get("DARMAN_CARD_KEY_DIR")
    # `database`: the keys live in the database instead (private keys encrypted with the secret
    # key), so every node signs alike with nothing to copy; `folder` (default): the folder above.
    DARMAN_CARD_KEY_STORE = os.environ.get("DARMAN_CARD_KEY_STORE", "folder")
    # How long a retired card key stays published: a card lives 24 h, plus a margin.
    DARMAN_CARD_KEY_KEEP_HOURS = int(os.environ.get("DARMAN_CARD_KEY_KEEP_HOURS", "48"))
    # Web push (VAPID). Unset: a key pair is made on first use in the instance folder (keep it:
    # browsers' subscriptions are bound to it). The private key: base64url of the raw 32 bytes,
    # or PEM; the public key, when given, must match it.
    DARMAN_VAPID_PRIVATE_KEY = os.environ.get("DARMAN_VAPID_PRIVATE_KEY")
    DARMAN_VAPID_PUBLIC_KEY = os.environ.get("DARMAN_VAPID_PUBLIC_KEY")
    # Whom push services may contact: a mailto: or https: URL; unset: the origin when it is
    # https, else a local mailto:.
    DARMAN_VAPID_SUBJECT = os.environ.get("DARMAN_VAPID_SUBJECT")
    # Tests only: admit http://127.0.0.1 and http://localhost push endpoints.
    DARMAN_PUSH_ALLOW_LOOPBACK = os.environ.get("DARMAN_PUSH_ALLOW_LOOPBACK") == "1"
    # The push worker: rows per batch, pushes in flight at once, seconds between polls.
    DARMAN_PUSH_BATCH = int(os.environ.get("DARMAN_PUSH_BATCH", "200"))
    DARMAN_PUSH_CONCURRENCY = int(os.environ.get("DARMAN_PUSH_CONCURRENCY", "16"))
    DARMAN_PUSH_POLL_SECONDS = float(os.environ.get("DARMAN_PUSH_POLL_SECONDS", "2"))
    DARMAN_PUSH_TIMEOUT_SECONDS = float(os.environ.get("DARMAN_PUSH_TIMEOUT_SECONDS", "10"))
    # A push that still fails this long after its notice was made is given up (marked failed).
    DARMAN_PUSH_GIVE_UP_HOURS = float(os.environ.get("DARMAN_PUSH_GIVE_UP_HOURS", "24"))
    # A notice of an SMS kind that no push delivered within this many minutes goes by SMS
    # (at once for an account without a push subscription); at most this many a day a person.
    DARMAN_SMS_FALLBACK_MINUTES = float(os.environ.get("DARMAN_SMS_FALLBACK_MINUTES", "60"))
    DARMAN_SMS_FALLBACK_PER_DAY = int(os.environ.get("DARMAN_SMS_FALLBACK_PER_DAY", "3"))
    # A notice SMS claimed by a worker that then died is taken again after this many seconds
    # (longer than any one send may take).
    DARMAN_SMS_CLAIM_SECONDS = int(os.environ.get("DARMAN_SMS_CLAIM_SECONDS", "300"))
    # A doctor reads a patient's record, or writes them a prescription, only this long after an
    # eligibility inquiry about them (a visit starts with one, seed 002).
    DARMAN_RECORDS_VISIT_HOURS = int(os.environ.get("DARMAN_RECORDS_VISIT_HOURS", "24"))
    # Tracking codes, and apart prescription codes, that an API token or a centre's member may
    # look up in vain per hour before it must wait (429).
    DARMAN_INQUIRY_LOOKUP_MISSES_PER_HOUR = int(
        os.environ.get("DARMAN_INQUIRY_LOOKUP_MISSES_PER_HOUR", "30")
    )
    # The push services a subscription may point at (https only; "*.x" is any name under x).
    DARMAN_PUSH_HOSTS = tuple(
        host.strip().lower()
        for host in os.environ.get(
            "DARMAN_PUSH_HOSTS",
            "fcm.googleapis.com,updates.push.services.mozilla.com,web.push.apple.com,"
            "*.notify.windows.com",
        ).split(",")
        if host.strip()
    )
    # Objections (1420) one account may file in any 24 hours: a few, not a flood in the queue.
    DARMAN_OBJECTIONS_PER_DAY = int(os.environ.get("DARMAN_OBJECTIONS_PER_DAY", "5"))
    # Documents one account may send from the app in any 24 hours (each is a file kept).
    DARMAN_DOCUMENTS_PER_DAY = int(os.environ.get("DARMAN_DOCUMENTS_PER_DAY", "10"))
    # Gateways' signed requests: the allowed clock skew, and how long a nonce is remembered (never
    # less than twice the skew and a minute, whatever is set: `channels.nonces.keep_for`).
    DARMAN_GATEWAY_SKEW_SECONDS = int(os.environ.get("DARMAN_GATEWAY_SKEW_SECONDS", "300"))
    DARMAN_GATEWAY_NONCE_SECONDS = int(os.environ.get("DARMAN_GATEWAY_NONCE_SECONDS", "660"))
    # Retention (`darman prune`, also run by `daily`): how long each kind of row is kept.
    DARMAN_RETAIN_RATE_LIMIT_HOURS = int(os.environ.get("DARMAN_RETAIN_RATE_LIMIT_HOURS", "48"))
    DARMAN_RETAIN_USED_TOKEN_HOURS = int(os.environ.get("DARMAN_RETAIN_USED_TOKEN_HOURS", "0"))
    DARMAN_RETAIN_SMS_CHALLENGE_HOURS = int(
        os.environ.get("DARMAN_RETAIN_SMS_CHALLENGE_HOURS", "24")
    )
    DARMAN_RETAIN_ENDED_SESSION_DAYS = int(os.environ.get("DARMAN_RETAIN_ENDED_SESSION_DAYS", "90"))
    DARMAN_RETAIN_IDEMPOTENCY_HOURS = int(os.environ.get("DARMAN_RETAIN_IDEMPOTENCY_HOURS", "24"))
    # A document sent from the app: its photo or PDF is kept so long after the decision (an
    # objection to it, a second look), then deleted; the decision itself stays
    DARMAN_RETAIN_DOCUMENT_FILE_DAYS = int(os.environ.get("DARMAN_RETAIN_DOCUMENT_FILE_DAYS", "90"))
    # An account's count of notice SMS on a Tehran day matters on that day only (the daily cap)
    DARMAN_RETAIN_SMS_ALLOWANCE_DAYS = int(os.environ.get("DARMAN_RETAIN_SMS_ALLOWANCE_DAYS", "2"))
    DARMAN_RETAIN_OUTBOX_DAYS = int(os.environ.get("DARMAN_RETAIN_OUTBOX_DAYS", "30"))
    DARMAN_RETAIN_PUSH_DELIVERY_DAYS = int(os.environ.get("DARMAN_RETAIN_PUSH_DELIVERY_DAYS", "30"))
    DARMAN_RETAIN_NOTIFICATION_DAYS = int(os.environ.get("DARMAN_RETAIN_NOTIFICATION_DAYS", "365"))
    # Tracking codes stay verifiable this long.
    DARMAN_RETAIN_INQUIRY_DAYS = int(os.environ.get("DARMAN_RETAIN_INQUIRY_DAYS", "400"))
    # The person's own "who saw my record": six years.
    DARMAN_RETAIN_RECORD_ACCESS_DAYS = int(
        os.environ.get("DARMAN_RETAIN_RECORD_ACCESS_DAYS", str(6 * 366))
    )
    # Rows per delete; each batch is its own short transaction (SQLite's write lock ≲ 50 ms).
    DARMAN_PRUNE_BATCH = int(os.environ.get("DARMAN_PRUNE_BATCH", "250"))
    # The push worker's Prometheus counts on 127.0.0.1:PORT (0: none); the app's are at /metrics.
    DARMAN_WORKER_METRICS_PORT = int(os.environ.get("DARMAN_WORKER_METRICS_PORT", "0"))
    # Money (server/domain/shares.py): what the insured pays, in percent of the price — S1 at a
    # contracted centre, S3 inpatient in a public hospital — and from which age a public
    # hospital is free (S4); S5's cities (a public hospital free there) beyond those where SSO
    # has no hospital of its own, comma-separated; the nightly advance of SSO's share (seed 002).
    DARMAN_SHARE_OUTPATIENT_PERCENT = int(os.environ.get("DARMAN_SHARE_OUTPATIENT_PERCENT", "30"))
    DARMAN_SHARE_PUBLIC_INPATIENT_PERCENT = int(
        os.environ.get("DARMAN_SHARE_PUBLIC_INPATIENT_PERCENT", "10")
    )
    DARMAN_SHARE_FREE_FROM_AGE = int(os.environ.get("DARMAN_SHARE_FREE_FROM_AGE", "65"))
    DARMAN_SHARE_FREE_CITIES = os.environ.get("DARMAN_SHARE_FREE_CITIES", "")
    DARMAN_SETTLEMENT_ADVANCE_PERCENT = int(
        os.environ.get("DARMAN_SETTLEMENT_ADVANCE_PERCENT", "80")
    )
