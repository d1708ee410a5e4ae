"""A software WebAuthn authenticator: real P-256 keys, real CBOR, real signatures.

It answers the server's options the way a platform authenticator does, so py_webauthn verifies
real payloads; knobs let a test make it misbehave (another origin, no user verification, a
cloned key whose sign count does not grow).
"""

import hashlib
import json
import os
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

UP, UV, BE, BS, AT = 0x01, 0x04, 0x08, 0x10, 0x40


class SoftAuthenticator:
    """One passkey on one device."""

    def __init__(self, origin: str = "http://localhost:8000", rp_id: str = "localhost") -> None:
        self.origin = origin
        self.rp_id = rp_id
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.user_handle: bytes | None = None
        self.sign_count = 0
        self.user_verified = True
        self.backed_up = True

    def _flags(self, extra: int = 0) -> bytes:
        """The flags byte: user present, verified if so set, backup eligible and backed up."""
        flags = UP | extra | BE | (BS if self.backed_up else 0)
        return bytes([flags | (UV if self.user_verified else 0)])

    def _client_data(self, kind: str, challenge: str) -> bytes:
        """clientDataJSON as a browser writes it."""
        data = {"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        return json.dumps(data).encode()

    def _cose_key(self) -> bytes:
        """The public key in COSE (EC2, P-256, ES256)."""
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def create(self, options: dict) -> dict:
        """navigator.credentials.create(): a "none" attestation of a new credential."""
        self.rp_id = options["rp"]["id"] if self.rp_id is None else self.rp_id
        self.user_handle = base64url_to_bytes(options["user"]["id"])
        client_data = self._client_data("webauthn.create", options["challenge"])
        attested = (
            bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id
            + self._cose_key()
        )  # fmt: skip
        auth_data = (
            hashlib.sha256(self.rp_id.encode()).digest() + self._flags(AT)
            + struct.pack(">I", self.sign_count) + attested
        )  # fmt: skip
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return self._credential(
            {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal", "hybrid"],
            }
        )

    def get(self, options: dict, *, count_up: bool = True) -> dict:
        """navigator.credentials.get(): an assertion signed with the credential's key."""
        if count_up:
            self.sign_count += 1
        client_data = self._client_data("webauthn.get", options["challenge"])
        auth_data = (
            hashlib.sha256(self.rp_id.encode()).digest() + self._flags()
            + struct.pack(">I", self.sign_count)
        )  # fmt: skip
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return self._credential(
            {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
                "userHandle": bytes_to_base64url(self.user_handle or b""),
            }
        )

    def _credential(self, response: dict) -> dict:
        """PublicKeyCredential.toJSON()."""
        credential_id = bytes_to_base64url(self.credential_id)
        return {
            "id": credential_id,
            "rawId": credential_id,
            "type": "public-key",
            "response": response,
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }
