// Checking an offline card: the same checks, in the same order, as server/card/verify.py, so
// that a pharmacy's phone and a pharmacy's software trust exactly the same cards. No DOM and no
// network here: the keys are the JWK Set the page kept from GET /api/card/keys.

export const ALGORITHM = 'EdDSA';
export const LIFETIME_SECONDS = 24 * 60 * 60;
// A phone's clock may run a little fast: a card "issued" up to this far ahead is still fine.
export const ISSUED_AHEAD_SECONDS = 5 * 60;
// ASCII digits only, as verify.py's [0-9] (a code in other digits is malformed).
const NATIONAL_CODE = /^(?:[0-9]{10}|[0-9]{12})$/;
const TRACKING_CODE = /^[0-9]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const INTEGER_LITERAL = /^-?(?:0|[1-9][0-9]*)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// The moments Python's datetime can hold (years 1 to 9999): beyond them, a card is malformed.
const EARLIEST = -62135596800;
const LATEST = 253402300799;

/** Why a card must not be trusted: `reason` is one of verify.py's codes; `expiresAt` (a Date)
 *  is set when the card expired. */
export class CardRefused extends Error {
  constructor(reason, expiresAt = null) {
    super(reason);
    this.reason = reason;
    this.expiresAt = expiresAt;
  }
}

class Malformed extends Error {}

/** Bytes as base64url without padding. */
export function base64urlEncode(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes of unpadded, canonical base64url: re-encoding must give the same text, since atob
 *  ignores the unused low bits of the last character (so no character can change unnoticed). */
export function base64urlDecode(text) {
  if (typeof text !== 'string' || !BASE64URL.test(text) || text.length % 4 === 1) {
    throw new Malformed('not base64url');
  }
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  if (base64urlEncode(bytes) !== text) throw new Malformed('not canonical base64url');
  return bytes;
}

/** A decoded part as a JSON object, and the keys of its own numbers that were not written as
 *  integers (Python reads `1.0` or `1e3` as a float, which a timestamp must not be). */
function jsonObject(bytes) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Malformed('a part is not UTF-8');
  }
  const fractional = new Map();
  let value;
  try {
    value = JSON.parse(text, function remember(key, item, context) {
      const literal = context && context.source;
      if (typeof item === 'number' && literal !== undefined && !INTEGER_LITERAL.test(literal)) {
        if (!fractional.has(this)) fractional.set(this, new Set());
        fractional.get(this).add(key);
      }
      return item;
    });
  } catch {
    throw new Malformed('a part is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Malformed('a part is not a JSON object');
  }
  return { value, fractional: fractional.get(value) || new Set() };
}

/** Header, payload, signature and signed bytes of a compact JWS (signature not checked). */
export function split(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Malformed('not three parts');
  const header = jsonObject(base64urlDecode(parts[0])).value;
  const payload = jsonObject(base64urlDecode(parts[1]));
  const signature = base64urlDecode(parts[2]);
  const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  return { header, payload: payload.value, fractional: payload.fractional, signature, signed };
}

function own(object, key) {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The JWK of a JWK Set that verify.py would use for `kid`: an Ed25519 signing key (alg and use
 *  may be absent) whose x is 32 bytes of canonical base64url; the last such one, as a dict
 *  built in order keeps the last. */
export function publicJwk(jwks, kid) {
  const keys = isObject(jwks) && Array.isArray(own(jwks, 'keys')) ? jwks.keys : [];
  let found = null;
  for (const jwk of keys) {
    if (!isObject(jwk) || typeof own(jwk, 'kid') !== 'string' || jwk.kid !== kid) continue;
    const alg = Object.hasOwn(jwk, 'alg') ? jwk.alg : ALGORITHM;
    const use = Object.hasOwn(jwk, 'use') ? jwk.use : 'sig';
    if (own(jwk, 'kty') !== 'OKP' || own(jwk, 'crv') !== 'Ed25519' || alg !== ALGORITHM) continue;
    if (use !== 'sig') continue;
    try {
      if (base64urlDecode(own(jwk, 'x')).length !== 32) continue;
    } catch {
      continue;
    }
    found = jwk;
  }
  return found;
}

async function signatureHolds(jwk, signature, signed) {
  try {
    const key = await crypto.subtle.importKey(
      'jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, signed);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotSupportedError') {
      throw new CardRefused('unsupported'); // this browser has no Ed25519: nothing can be trusted
    }
    return false;
  }
}

/** The card in `token` at `now` (a Date), or a CardRefused with verify.py's reason. */
export async function verifyCard(token, jwks, now = new Date()) {
  let parts;
  try {
    parts = split(String(token).trim());
  } catch (error) {
    if (error instanceof Malformed) throw new CardRefused('malformed');
    throw error;
  }
  const { header, payload, fractional, signature, signed } = parts;
  if (own(header, 'alg') !== ALGORITHM || Object.hasOwn(header, 'crit')) {
    throw new CardRefused('wrong_alg');
  }
  const kid = own(header, 'kid');
  if (typeof kid !== 'string') throw new CardRefused('malformed'); // as verify.py: no key is named
  const jwk = publicJwk(jwks, kid);
  if (!jwk) throw new CardRefused('unknown_kid');
  if (!(await signatureHolds(jwk, signature, signed))) throw new CardRefused('bad_signature');
  const card = claims(payload, fractional, kid);
  const seconds = now.getTime() / 1000;
  if (seconds >= card.expiresAt.getTime() / 1000) throw new CardRefused('expired', card.expiresAt);
  if (seconds + ISSUED_AHEAD_SECONDS < card.issuedAt.getTime() / 1000) {
    throw new CardRefused('not_yet_valid');
  }
  return card;
}

function wholeSeconds(payload, fractional, key) {
  const value = own(payload, key);
  return Number.isInteger(value) && !fractional.has(key) && value >= EARLIEST && value <= LATEST
    ? value : null;
}

function isoDate(value) {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1
    && date.getUTCDate() === day;
}

/** The signed claims, checked for shape: a card we did not mean is refused as malformed. */
function claims(payload, fractional, kid) {
  const nc = own(payload, 'nc');
  const covered = own(payload, 'covered');
  const tc = own(payload, 'tc');
  const validUntil = own(payload, 'valid_until');
  if (!(typeof nc === 'string' && NATIONAL_CODE.test(nc))) throw new CardRefused('malformed');
  if (!(typeof tc === 'string' && TRACKING_CODE.test(tc)) || typeof covered !== 'boolean') {
    throw new CardRefused('malformed');
  }
  const iat = wholeSeconds(payload, fractional, 'iat');
  const exp = wholeSeconds(payload, fractional, 'exp');
  if (iat === null || exp === null || !(exp - iat > 0 && exp - iat <= LIFETIME_SECONDS)) {
    throw new CardRefused('malformed');
  }
  if (!(validUntil === null || (typeof validUntil === 'string' && isoDate(validUntil)))) {
    throw new CardRefused('malformed');
  }
  return {
    nationalCode: nc, covered, validUntil, trackingCode: tc, kid,
    issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000),
  };
}

/** Today in Tehran (YYYY-MM-DD): cover is decided by the date in Iran. */
export function tehranToday(now = new Date()) {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit',
  }).format(now);
}

/** «حمایت درمانی دارد» only when the card said covered and cover still runs today (Tehran). */
export function showsCovered(card, today) {
  return card.covered === true && card.validUntil !== null && today <= card.validUntil;
}

/** A national code with all but its last 4 digits hidden (by asterisks: a dot would read as a
 *  Persian zero). */
export function maskNationalCode(code) {
  return '*'.repeat(Math.max(code.length - 4, 0)) + code.slice(-4);
}

/** A card's claims, unchecked (for one's own kept card: when does it expire?), or null. */
export function readClaims(token) {
  try {
    return split(String(token).trim()).payload;
  } catch {
    return null;
  }
}
