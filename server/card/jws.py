"""JWS compact serialisation (RFC 7515) with EdDSA over Ed25519 (RFC 8037), by hand: the
format is three base64url parts, and `cryptography` does the signing."""

import base64
import binascii
import json
import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ALGORITHM = "EdDSA"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


class MalformedToken(ValueError):
    """The text is not a compact JWS of three canonical base64url parts."""


def b64url_encode(data: bytes) -> str:
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """The bytes of unpadded, canonical base64url (so no character can change unnoticed)."""
    if not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        raise MalformedToken("not base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise MalformedToken("not base64url") from None
    if b64url_encode(data) != text:
        raise MalformedToken("not canonical base64url")
    return data


def _json_part(value: dict) -> str:
    """A header or payload: compact JSON, then base64url."""
    return b64url_encode(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def sign(payload: dict, private_key: Ed25519PrivateKey, kid: str) -> str:
    """`header.payload.signature` with header {"alg": "EdDSA", "kid": kid}."""
    signing_input = f"{_json_part({'alg': ALGORITHM, 'kid': kid})}.{_json_part(payload)}"
    signature = private_key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url_encode(signature)}"


def split(token: str) -> tuple[dict, dict, bytes, bytes]:
    """Header, payload, signature and signed bytes of a compact JWS (signature not checked)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedToken("not three parts")
    header, payload = (_json_object(b64url_decode(part)) for part in parts[:2])
    return header, payload, b64url_decode(parts[2]), f"{parts[0]}.{parts[1]}".encode("ascii")


def _json_object(data: bytes) -> dict:
    """A decoded part as a JSON object."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise MalformedToken("a part is not JSON") from None
    if not isinstance(value, dict):
        raise MalformedToken("a part is not a JSON object")
    return value
