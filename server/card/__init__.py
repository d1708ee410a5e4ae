"""The offline card: a short signed statement of cover (JWS compact, EdDSA over Ed25519) that a
phone shows as a QR code and a pharmacy with no network checks against published public keys.

    jws.py     base64url and the compact serialisation, signing
    keys.py    the keyring in a folder: current, next and retired keys; rotation
    verify.py  the verifier (no Flask, no database): what a pharmacy's software runs
    views.py   GET /api/card and GET /api/card/keys
"""
