"""Print new secrets for /etc/darman/darman.env: the session key, the VAPID key pair, the
gateways' HMAC secret. Run once per installation; every node gets the same lines."""

import base64
import secrets

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(raw: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def vapid_pair() -> tuple[str, str]:
    """A P-256 key: the raw 32-byte private value and the 65-byte public point, base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(private), b64url(public)


def main() -> None:
    """Write the lines."""
    private, public = vapid_pair()
    print(f"DARMAN_SECRET_KEY={secrets.token_hex(32)}")
    print(f"DARMAN_VAPID_PRIVATE_KEY={private}")
    print(f"DARMAN_VAPID_PUBLIC_KEY={public}")
    print(f"DARMAN_GATEWAY_SECRET={secrets.token_hex(32)}")


if __name__ == "__main__":
    main()
