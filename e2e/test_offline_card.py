"""The offline card in a real Chromium: my QR code on the home screen (kept offline until it
expires) and the verify page a pharmacy uses with no network, with the live server's keys."""

import json
import re
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    sign_in_by_sms,
    wait_for_service_worker,
    wait_until,
)
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from families import INSURED, INSURED_MOBILE, SON

from server.card.jws import b64url_decode, b64url_encode, sign
from server.card.keys import Keyring
from server.card.verify import CardRefused, verify
from server.domain.jalali import jalali_text

COVERED = "حمایت درمانی دارد"
NOT_COVERED = "حمایت درمانی ندارد"
REFUSED = "کارت پذیرفته نشد"
QR = ".qr-card svg.qr"


def show_card(page, block: str = ".qr-card") -> None:
    """Tap "show the card" and wait for the QR."""
    page.locator(block).get_by_role("button", name="نمایش کارت").click()
    page.locator(f"{block} svg.qr").wait_for()


DAY = 24 * 60 * 60
TEHRAN = ZoneInfo("Asia/Tehran")

# The QR code on the page, drawn into a canvas and read back with the app's own jsQR.
DECODE_QR = """async () => {
  const { default: jsQR } = await import('/js/vendor/jsqr.js');
  const svg = document.querySelector('.qr-card svg.qr');
  const image = new Image();
  image.src = 'data:image/svg+xml;charset=utf-8,'
    + encodeURIComponent(new XMLSerializer().serializeToString(svg));
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = svg.viewBox.baseVal.width * 6;
  const context = canvas.getContext('2d');
  context.imageSmoothingEnabled = false;
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const frame = context.getImageData(0, 0, canvas.width, canvas.height);
  const found = jsQR(frame.data, frame.width, frame.height);
  return found && found.data;
}"""

KEEP = """([key, value]) => new Promise((resolve, reject) => {
  const opening = indexedDB.open('darman');
  opening.onsuccess = () => {
    const request = opening.result.transaction('answers', 'readwrite').objectStore('answers')
      .put(value, key);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  };
})"""


def persian(text: object) -> str:
    """ASCII digits as Persian ones, as the app shows them."""
    return str(text).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def claims(token: str) -> dict:
    """A token's payload (unchecked)."""
    return json.loads(b64url_decode(token.split(".")[1]))


def tehran_date_text(timestamp: int) -> str:
    """The Jalali date of a moment in Tehran, as the app writes it: «۲ آذر ۱۴۰۵»."""
    return jalali_text(datetime.fromtimestamp(timestamp, TEHRAN).date())


@pytest.fixture(scope="module")
def keyring(server) -> Keyring:
    """The live server's card keys (published first, as any pharmacy's fetch would)."""
    urllib.request.urlopen(f"{server.url}/api/card/keys", timeout=5).close()
    return Keyring(server.folder / "instance" / "card-keys")


def make_card(keyring: Keyring, *, issued_at: int | None = None, key=None, kid=None, **claimed):
    """A card signed as the server signs one (by default now, for the insured, covered)."""
    current_kid, current_key = keyring.signing_key(datetime.now(UTC))
    issued_at = int(datetime.now(UTC).timestamp()) if issued_at is None else issued_at
    payload = {"nc": INSURED, "covered": True, "valid_until": "2026-12-21", "iat": issued_at,
               "exp": issued_at + DAY, "tc": "140509010001", **claimed}  # fmt: skip
    return sign(payload, key or current_key, kid or current_kid)


def tampered(token: str) -> str:
    """The token with one byte of its signature changed."""
    head, body, signature = token.split(".")
    raw = bytearray(b64url_decode(signature))
    raw[10] ^= 0x01
    return f"{head}.{body}.{b64url_encode(bytes(raw))}"


def sign_in_and_get_card(page, server) -> str:
    """Sign the insured in; the token the home fetched from /api/card."""
    with page.expect_response(lambda answer: answer.url.endswith("/api/card")) as answer:
        sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
    show_card(page)
    return answer.value.json()["token"]


def open_verify_page_offline(page, context) -> None:
    """The verify page once online (the keys are kept), then offline from the service worker."""
    page.goto("/#/verify")
    wait_for_service_worker(page)
    assert "به‌روز شد" in page.locator(".keys-status").inner_text()
    context.set_offline(True)
    page.reload()
    page.get_by_role("heading", name="بررسی کارت درمان").wait_for()
    assert "آفلاین" in page.locator(".keys-status").inner_text()


def check(page, token: str, *, enter: bool = False):
    """Paste a card's text and check it (with the button, or Enter as a barcode scanner ends
    what it types): the verdict."""
    field = page.get_by_label("متن کارت")
    field.fill(token)
    if enter:
        field.press("Enter")
    else:
        page.get_by_role("button", name="بررسی کارت", exact=True).click()
    verdict = page.locator(".verdict")
    verdict.wait_for()
    return verdict


def test_home_shows_my_card_as_a_qr_code_of_the_signed_token(page, server, shoot):
    token = sign_in_and_get_card(page, server)
    assert page.evaluate(DECODE_QR) == token
    until = page.locator(".qr-card .qr-until").inner_text()
    assert until.startswith("اعتبار این کارت برای داروخانه تا")  # not the cover's date
    assert tehran_date_text(claims(token)["exp"]) in until
    shoot(page, "home-card")


def test_checking_again_online_shows_the_same_card_while_it_is_fresh(page, server):
    token = sign_in_and_get_card(page, server)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.evaluate("document.querySelector('.qr-card').classList.add('before')")
    page.get_by_role("button", name="استعلام دوباره").click()
    show_card(page, ".qr-card:not(.before)")  # the home drawn again
    assert any(url.endswith("/api/eligibility") for url in asked)  # the status is asked again
    assert not any(url.endswith("/api/card") for url in asked)  # the card still says the same
    assert page.evaluate(DECODE_QR) == token


def test_offline_the_kept_card_still_shows(page, context, server, shoot):
    token = sign_in_and_get_card(page, server)
    wait_for_service_worker(page)
    context.set_offline(True)
    page.reload()
    show_card(page)
    assert page.evaluate(DECODE_QR) == token
    assert "روی این گوشی نگه داشته شده" in page.locator(".qr-card .qr-note").inner_text()
    shoot(page, "home-card-offline")


def test_offline_an_expired_card_is_not_shown(page, context, server, keyring, shoot):
    sign_in_and_get_card(page, server)
    wait_for_service_worker(page)
    issued_at = int((datetime.now(UTC) - timedelta(days=2)).timestamp())
    old = {"token": make_card(keyring, issued_at=issued_at), "expires_at": "(not read)"}
    page.evaluate(KEEP, [f"{INSURED}:card", {"data": old, "at": "2026-11-20T00:00:00Z"}])
    context.set_offline(True)
    page.reload()
    note = page.locator(".qr-card .qr-note.expired")
    note.wait_for()
    assert tehran_date_text(issued_at + DAY) in note.inner_text()
    assert "به اینترنت وصل شوید" in note.inner_text()
    assert page.locator(QR).count() == 0
    shoot(page, "home-card-expired")


def test_the_verify_page_offline_accepts_my_card(page, context, server, shoot):
    token = sign_in_and_get_card(page, server)
    open_verify_page_offline(page, context)
    verdict = check(page, token)
    assert verdict.locator(".verdict-status").inner_text().strip() == COVERED
    text = verdict.inner_text()
    assert persian("******" + INSURED[-4:]) in text and INSURED[:6] not in persian(text)
    assert persian(" ".join(re.findall(r"\d{4}", claims(token)["tc"]))) in text  # in groups
    assert tehran_date_text(claims(token)["exp"]) in text
    wait_until(page, f"document.getElementById('announce').textContent.startsWith('{COVERED}')")
    shoot(page, "covered")


def expired_card(ring: Keyring) -> str:
    """A card of two days ago, signed with the live key."""
    return make_card(ring, issued_at=int(datetime.now(UTC).timestamp()) - 2 * DAY)


def card_of_an_unknown_key(ring: Keyring) -> str:
    """A card signed with a key the server never published."""
    return make_card(ring, key=Ed25519PrivateKey.generate(), kid="AAAAAAAAAAAAAAAA")


REFUSALS = {
    "tampered": ("دست‌کاری شده", lambda ring: tampered(make_card(ring))),
    "expired": ("تمام شده است", expired_card),
    "unknown-key": ("یک بار به اینترنت وصل شوید", card_of_an_unknown_key),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_the_verify_page_offline_refuses(page, context, server, keyring, shoot, case):
    words, make = REFUSALS[case]
    token = make(keyring)
    with pytest.raises(CardRefused):  # the server's verifier refuses it too
        verify(token, keyring.jwks(), datetime.now(UTC))
    open_verify_page_offline(page, context)
    verdict = check(page, token)
    assert verdict.locator(".verdict-status").inner_text().strip() == REFUSED
    assert words in verdict.inner_text()
    assert COVERED not in verdict.inner_text()
    wait_until(page, f"document.getElementById('announce').textContent.startsWith('{REFUSED}')")
    shoot(page, case)


def test_the_verify_page_offline_shows_a_genuine_card_without_cover(
    page, context, server, keyring, shoot
):
    token = make_card(keyring, nc=SON, covered=False, valid_until=None)
    open_verify_page_offline(page, context)
    verdict = check(page, token, enter=True)
    assert verdict.locator(".verdict-status").inner_text().strip() == NOT_COVERED
    assert persian(SON[-4:]) in verdict.inner_text()
    shoot(page, "not-covered")


# The camera: Chromium's fake camera films a QR code (made by the app's own generator).
QR_MODULES = """async (token) => {
  const { default: qrcode } = await import('/js/vendor/qrcode-generator.js');
  const code = qrcode(0, 'M');
  code.addData(token);
  code.make();
  const count = code.getModuleCount();
  return Array.from({ length: count }, (_, row) =>
    Array.from({ length: count }, (_, col) => code.isDark(row, col)));
}"""
SCAN = "خواندن کد QR با دوربین"
JSQR_LOADED = (
    "performance.getEntriesByType('resource').some(e => e.name.endsWith('/js/vendor/jsqr.js'))"
)


def film(modules: list[list[bool]], path, scale: int = 5, size: int = 480) -> None:
    """A one-frame Y4M video (grey levels only) of the QR code, centred, with a white border."""
    width = size * 4 // 3
    luma = bytearray([235]) * (width * size)
    offset_y = (size - len(modules) * scale) // 2
    offset_x = (width - len(modules) * scale) // 2
    for row, line in enumerate(modules):
        for col, dark in enumerate(line):
            if dark:
                for dy in range(scale):
                    start = (offset_y + row * scale + dy) * width + offset_x + col * scale
                    luma[start : start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (width // 2 * size // 2 * 2)
    header = f"YUV4MPEG2 W{width} H{size} F10:1 Ip A1:1 C420jpeg\nFRAME\n".encode()
    path.write_bytes(header + bytes(luma) + chroma)


def test_the_card_code_and_its_readers_are_precached(page, server):
    page.goto("/")
    wait_for_service_worker(page)
    cached = page.evaluate(
        "caches.keys()"
        ".then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))"
        ".then(lists => lists.flat().map(r => new URL(r.url).pathname))"
    )
    for path in ("card-verify.js", "card-keys.js", "card-camera.js", "screens/card-check.js",
                 "screens/card-qr.js", "vendor/qrcode-generator.js", "vendor/jsqr.js"):  # fmt: skip
        assert f"/js/{path}" in cached
    assert not any(path.endswith(".txt") for path in cached)  # licences are served, not cached


def test_with_no_kept_keys_no_card_is_trusted(page, context, server, keyring, shoot):
    page.goto("/")
    wait_for_service_worker(page)  # the app is on this phone, but the verify page never opened
    context.set_offline(True)
    page.goto("/#/verify")
    assert "هنوز کلیدهای بررسی کارت را ندارد" in page.locator(".keys-status").inner_text()
    verdict = check(page, make_card(keyring))
    assert verdict.locator(".verdict-status").inner_text().strip() == REFUSED
    assert "یک بار به اینترنت وصل شوید" in verdict.inner_text()
    shoot(page, "no-keys")


def test_the_verify_page_and_its_answer_fit_320px_at_double_text_size(
    browser, server, keyring, shoot
):
    context = browser.new_context(viewport={"width": 320, "height": 640}, base_url=server.url)
    try:
        page = context.new_page()
        page.goto("/#/verify")
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        check(page, make_card(keyring))
        page.wait_for_load_state("networkidle")
        overflow = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
        assert page.evaluate(overflow) <= 0, "the page scrolls sideways"
        shoot(page, "320px-200pct")
    finally:
        context.close()


@contextmanager
def pharmacy_with_a_camera(playwright_instance, server, video=None):
    """A page in a Chromium whose (fake) camera films `video`, or a test pattern."""
    args = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
    if video:
        args.append(f"--use-file-for-fake-video-capture={video}")
    camera = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *args]
    )
    try:
        context = camera.new_context(
            viewport={"width": 360, "height": 740}, locale="fa-IR", base_url=server.url,
            permissions=["camera"],
        )  # fmt: skip
        pharmacy = context.new_page()
        pharmacy.goto("/#/verify")
        yield pharmacy
    finally:
        camera.close()


def test_the_verify_page_reads_a_card_with_the_camera(
    page, playwright_instance, server, keyring, tmp_path, shoot
):
    token = make_card(keyring)
    page.goto("/#/welcome")
    video = tmp_path / "card.y4m"
    film(page.evaluate(QR_MODULES, token), video)
    with pharmacy_with_a_camera(playwright_instance, server, video) as pharmacy:
        scan = pharmacy.get_by_role("button", name=SCAN)
        scan.wait_for()
        assert not pharmacy.evaluate(JSQR_LOADED)  # not before the camera needs it
        scan.click()
        verdict = pharmacy.locator(".verdict")
        verdict.wait_for()
        assert verdict.locator(".verdict-status").inner_text().strip() == COVERED
        assert pharmacy.evaluate("document.querySelector('video.camera').srcObject") is None
        assert pharmacy.locator("video.camera").is_hidden()  # the camera is off again
        if not pharmacy.evaluate("'BarcodeDetector' in window"):  # as in Chromium on Linux
            assert pharmacy.evaluate(JSQR_LOADED)  # the fallback, loaded when needed
        shoot(pharmacy, "camera")


def test_leaving_the_verify_page_stops_the_camera(playwright_instance, server):
    with pharmacy_with_a_camera(playwright_instance, server) as pharmacy:
        pharmacy.get_by_role("button", name=SCAN).click()
        pharmacy.get_by_role("button", name="خاموش کردن دوربین").wait_for()
        pharmacy.evaluate("window.filming = document.querySelector('video.camera').srcObject")
        assert pharmacy.evaluate("window.filming.getVideoTracks()[0].readyState") == "live"
        pharmacy.get_by_role("link", name="بازگشت").click()
        pharmacy.get_by_role("heading", name="به «درمان من» خوش آمدید").wait_for()
        wait_until(pharmacy, "window.filming.getVideoTracks()[0].readyState === 'ended'")


# The browser's verifier against the server's (server/card/verify.py), on the same odd cards.
TEST_KEY = Ed25519PrivateKey.generate()
OTHER_KEY = Ed25519PrivateKey.generate()
TEST_KID = "test-key-0000001"
NOW = int(datetime(2026, 11, 22, 8, 0, tzinfo=UTC).timestamp())
TODAY = "2026-11-22"  # in Tehran at NOW
HEADER = {"alg": "EdDSA", "kid": TEST_KID}


def public_jwk(key: Ed25519PrivateKey, **fields) -> dict:
    """A key as a JWK, with fields changed or (as None) left out."""
    raw = key.public_key().public_bytes_raw()
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw), "kid": TEST_KID,
           "use": "sig", "alg": "EdDSA", **fields}  # fmt: skip
    return {name: value for name, value in jwk.items() if value is not None}


KEY_SETS = [
    {"keys": [public_jwk(TEST_KEY)]},
    {"keys": [public_jwk(TEST_KEY, use="enc")]},
    {"keys": [public_jwk(TEST_KEY, use=None, alg=None)]},
    {"keys": [public_jwk(TEST_KEY, x=b64url_encode(bytes(31)))]},
    {"keys": "not a list"},
    {"keys": [public_jwk(TEST_KEY), public_jwk(OTHER_KEY)]},  # the last of a kid counts
    {"keys": [public_jwk(TEST_KEY), public_jwk(OTHER_KEY, x="bad!")]},  # an unusable one is skipped
]


def part(value) -> str:
    """A header or payload (bytes as they are), base64url."""
    if not isinstance(value, bytes):
        value = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    return b64url_encode(value)


def forge(payload=None, header=None, key=TEST_KEY, **claimed) -> str:
    """A card signed with the test key: by default valid at NOW; `claimed` changes claims."""
    if payload is None:
        payload = {"nc": INSURED, "covered": True, "valid_until": "2026-12-21", "iat": NOW - 60,
                   "exp": NOW - 60 + DAY, "tc": "140509010001", **claimed}  # fmt: skip
    signing_input = f"{part(HEADER if header is None else header)}.{part(payload)}"
    return f"{signing_input}.{b64url_encode(key.sign(signing_input.encode()))}"


def written(iat_ending: str = "", exp_ending: str = "") -> str:
    """A card issued a minute ago whose times are written by hand: an ending such as ".0" makes
    the number a float to Python, though still a whole number to JavaScript."""
    iat, exp = f"{NOW - 60}{iat_ending}", f"{NOW - 60 + DAY}{exp_ending}"
    payload = (f'{{"nc":"{INSURED}","covered":true,"valid_until":null,"iat":{iat},"exp":{exp},'
               '"tc":"140509010001"}')  # fmt: skip
    return forge(payload=payload.encode())


def swapped_last_character(token: str) -> str:
    """The same signature bytes, written non-canonically (the unused low bits set)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return token[:-1] + alphabet[alphabet.index(token[-1]) ^ 1]


def swapped_payload(token: str, other: str) -> str:
    """The token with another card's payload, and its own signature."""
    head, _, signature = token.split(".")
    return f"{head}.{other.split('.')[1]}.{signature}"


VALID = forge()
ODD_CARDS = {
    "valid": (VALID, 0),
    "not covered, no date": (forge(covered=False, valid_until=None), 0),
    "cover ended yesterday": (forge(valid_until="2026-11-21"), 0),
    "cover ends today": (forge(valid_until=TODAY), 0),
    "persian digits": (forge(nc=persian(INSURED)), 0),
    "signature byte": (tampered(VALID), 0),
    "other payload": (swapped_payload(VALID, forge(nc=SON)), 0),
    "non-canonical": (swapped_last_character(VALID), 0),
    "padded": (VALID + "==", 0),
    "two parts": (VALID.rsplit(".", 1)[0], 0),
    "four parts": (VALID + ".AAAA", 0),
    "header not json": (forge(header=b"not json"), 0),
    "header with bom": (forge(header=b"\xef\xbb\xbf" + json.dumps(HEADER).encode()), 0),
    "payload an array": (forge(payload=[1, 2]), 0),
    "payload not utf-8": (forge(payload=b'{"nc":"\xff"}'), 0),
    "alg none": (forge(header={"alg": "none", "kid": TEST_KID}), 0),
    "alg ES256": (forge(header={"alg": "ES256", "kid": TEST_KID}), 0),
    "crit": (forge(header={**HEADER, "crit": ["exp"]}), 0),
    "no kid": (forge(header={"alg": "EdDSA"}), 0),
    "kid a number": (forge(header={"alg": "EdDSA", "kid": 5}), 0),
    "unknown kid": (forge(header={"alg": "EdDSA", "kid": "someone-else"}), 0),
    "other key": (forge(key=OTHER_KEY), 0),
    "nc short": (forge(nc="001234567"), 0),
    "nc a number": (forge(nc=12345679), 0),
    "tc short": (forge(tc="14050901000"), 0),
    "covered a string": (forge(covered="true"), 0),
    "covered a number": (forge(covered=1), 0),
    "iat a float": (written(iat_ending=".0"), 0),
    "exp in e-notation": (written(exp_ending="e0"), 0),
    "integers as written": (written(), 0),
    "lives too long": (forge(iat=NOW - 60, exp=NOW - 60 + DAY + 1), 0),
    "lives no time": (forge(iat=NOW, exp=NOW), 0),
    "bad month": (forge(valid_until="2026-13-01"), 0),
    "bad day": (forge(valid_until="2026-02-30"), 0),
    "date a number": (forge(valid_until=20261221), 0),
    "expired this second": (forge(iat=NOW - DAY, exp=NOW), 0),
    "one second left": (forge(iat=NOW - DAY + 1, exp=NOW + 1), 0),
    "issued 300 s ahead": (forge(iat=NOW + 300, exp=NOW + 300 + DAY), 0),
    "issued 301 s ahead": (forge(iat=NOW + 301, exp=NOW + 301 + DAY), 0),
    "beyond year 9999": (forge(iat=10**12, exp=10**12 + 1), 0),
    "before 1970": (forge(iat=-100, exp=-50), 0),
    "key for encryption": (VALID, 1),
    "key without alg and use": (VALID, 2),
    "key 31 bytes": (VALID, 3),
    "keys not a list": (VALID, 4),
    "kid twice, last another key": (VALID, 5),
    "kid twice, last unusable": (VALID, 6),
}

BROWSER_VERDICTS = """async ([cards, keySets, now, today]) => {
  const verifier = await import('/js/card-verify.js');
  const verdicts = [];
  for (const [token, keys] of cards) {
    try {
      const card = await verifier.verifyCard(token, keySets[keys], new Date(now * 1000));
      verdicts.push([card.nationalCode, card.covered, card.validUntil, card.trackingCode, card.kid,
        card.issuedAt.getTime() / 1000, card.expiresAt.getTime() / 1000,
        verifier.showsCovered(card, today)]);
    } catch (refusal) {
      verdicts.push(refusal.reason || String(refusal));
    }
  }
  return verdicts;
}"""


def python_verdict(token: str, jwks: dict):
    """What server/card/verify.py says: the card's claims, or the reason it refuses."""
    try:
        card = verify(token, jwks, datetime.fromtimestamp(NOW, UTC))
    except CardRefused as refusal:
        return refusal.reason
    until = card.valid_until.isoformat() if card.valid_until else None
    return [card.national_code, card.covered, until, card.tracking_code, card.kid,
            int(card.issued_at.timestamp()), int(card.expires_at.timestamp()),
            card.shows_covered(datetime.fromisoformat(TODAY).date())]  # fmt: skip


def test_the_browser_verifier_agrees_with_the_server_one(page, server):
    page.goto("/#/verify")
    page.get_by_role("heading", name="بررسی کارت درمان").wait_for()
    cards = list(ODD_CARDS.values())
    in_browser = page.evaluate(BROWSER_VERDICTS, [cards, KEY_SETS, NOW, TODAY])
    in_python = [python_verdict(token, KEY_SETS[keys]) for token, keys in cards]
    assert dict(zip(ODD_CARDS, in_browser, strict=True)) == dict(
        zip(ODD_CARDS, in_python, strict=True)
    )
    assert {verdict if isinstance(verdict, str) else "ok" for verdict in in_python} == {
        "ok", "malformed", "wrong_alg", "unknown_kid", "bad_signature", "expired", "not_yet_valid",
    }  # fmt: skip
