"""Configuration read from the environment (DATABASE_URL and DARMAN_* names)."""

import os
from datetime import timedelta


class Config:
    """Production-ready defaults; every value can be set from the environment."""

    SECRET_KEY = os.environ.get("DARMAN_SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
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
    DARMAN_SMS_BACKEND = os.environ.get("DARMAN_SMS_BACKEND", "console")
    DARMAN_KAVENEGAR_API_KEY = os.environ.get("DARMAN_KAVENEGAR_API_KEY")
    DARMAN_KAVENEGAR_TEMPLATE = os.environ.get("DARMAN_KAVENEGAR_TEMPLATE")
    DARMAN_SMS_CODE_SECONDS = 180
    DARMAN_SMS_MAX_WRONG_CODES = 5
    DARMAN_SMS_RESEND_SECONDS = int(os.environ.get("DARMAN_SMS_RESEND_SECONDS", "60"))
    # per national code and per mobile
    DARMAN_SMS_PER_HOUR = int(os.environ.get("DARMAN_SMS_PER_HOUR", "5"))
    # sign-in attempts (start or verify) per address; a clinic's shared address needs more
    DARMAN_SIGN_IN_PER_IP_HOUR = int(os.environ.get("DARMAN_SIGN_IN_PER_IP_HOUR", "30"))
    # Pins "today" (ISO date) for demos and browser tests; never set in production.
    DARMAN_TODAY = os.environ.get("DARMAN_TODAY")
    DARMAN_PROXY_HOPS = int(os.environ.get("DARMAN_PROXY_HOPS", "0"))
    DARMAN_ORIGIN = os.environ.get("DARMAN_ORIGIN", "http://localhost:8000")
    DARMAN_RP_ID = os.environ.get("DARMAN_RP_ID", "localhost")
    # How long a provider token stays cached in one worker before it is looked up again.
    DARMAN_PROVIDER_CACHE_SECONDS = int(os.environ.get("DARMAN_PROVIDER_CACHE_SECONDS", "60"))
