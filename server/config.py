"""Configuration read from the environment (DATABASE_URL and DARMAN_* names)."""

import os


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
    MAX_CONTENT_LENGTH = 64 * 1024
    DARMAN_ORIGIN = os.environ.get("DARMAN_ORIGIN", "http://localhost:8000")
    DARMAN_RP_ID = os.environ.get("DARMAN_RP_ID", "localhost")
    # How long a provider token stays cached in one worker before it is looked up again.
    DARMAN_PROVIDER_CACHE_SECONDS = int(os.environ.get("DARMAN_PROVIDER_CACHE_SECONDS", "60"))
