"""The VAPID keys: made once in the instance folder (several processes at once agree), or read
from the environment, never both; and the JWT every push carries."""

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from py_vapid import Vapid02
from py_vapid.jwt import decode
from py_vapid.utils import b64urlencode

from server import create_app
from server.extensions import db
from server.notify.vapid import (
    HEADER_REUSE,
    JWT_LIFETIME,
    VapidKeyError,
    public_key_text,
    signer,
)

ROOT = Path(__file__).resolve().parents[2]
PRINT_KEY = (
    "from server import create_app\n"
    "from server.notify.vapid import signer\n"
    "app = create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://'})\n"
    "with app.app_context():\n"
    "    print(signer().public_key)\n"
)


def public_key(instance: Path, **config) -> str:
    """The public key an app on this instance folder uses."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", **config})
    app.instance_path = str(instance)
    try:
        with app.app_context():
            return signer().public_key
    finally:
        with app.app_context():
            db.engine.dispose()


def test_processes_starting_together_make_one_key(tmp_path):
    env = dict(os.environ, DARMAN_INSTANCE_PATH=str(tmp_path), DARMAN_SECRET_KEY="x")
    env.pop("DATABASE_URL", None)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", PRINT_KEY], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    keys = {process.communicate(timeout=60)[0].strip() for process in processes}
    assert len(keys) == 1 and len(next(iter(keys))) == 87
    key_file = tmp_path / "vapid_private_key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if "vapid" in p.name) == [key_file.name]
    assert public_key(tmp_path) == keys.pop()  # and later starts read the same key


def test_a_key_from_the_environment(tmp_path):
    vapid = Vapid02()
    vapid.generate_keys()
    raw = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    configured = {"DARMAN_VAPID_PRIVATE_KEY": b64urlencode(raw)}
    assert public_key(tmp_path, **configured) == public_key_text(vapid)
    assert list(tmp_path.iterdir()) == []  # nothing written
    with_public = {**configured, "DARMAN_VAPID_PUBLIC_KEY": public_key_text(vapid)}
    assert public_key(tmp_path, **with_public) == public_key_text(vapid)
    pem = {"DARMAN_VAPID_PRIVATE_KEY": vapid.private_pem().decode()}
    assert public_key(tmp_path, **pem) == public_key_text(vapid)


def test_a_public_key_that_does_not_match_is_refused(tmp_path):
    vapid, other = Vapid02(), Vapid02()
    vapid.generate_keys()
    other.generate_keys()
    config = {
        "DARMAN_VAPID_PRIVATE_KEY": vapid.private_pem().decode(),
        "DARMAN_VAPID_PUBLIC_KEY": public_key_text(other),
    }
    with pytest.raises(VapidKeyError, match="does not match"):
        public_key(tmp_path, **config)


def test_the_jwt_names_the_push_service_and_ends_within_12_hours(app):
    with app.app_context():
        keys = signer()
        header = keys.authorization("https://fcm.googleapis.com")
        assert keys.authorization("https://fcm.googleapis.com") == header  # reused
    token = header.split("t=", 1)[1].split(",k=")[0]
    claims = decode(token, keys.public_key)
    assert claims["aud"] == "https://fcm.googleapis.com"
    # an earlier test may have signed for this audience: a header is reused for up to an hour
    assert (
        time.time() + JWT_LIFETIME - HEADER_REUSE - 60 < claims["exp"] <= time.time() + JWT_LIFETIME
    )
    assert claims["sub"] == "mailto:darman@localhost"  # the origin is http: a local mailto
