// The national code's check digit, as the server checks it (server/domain/national_code.py),
// so that a typing mistake is caught before anything is sent.
import { latinDigits } from './i18n.js';

/** Persian/Arabic digits made ASCII, spaces and dashes dropped. */
export function normaliseDigits(text) {
  return latinDigits(text).replace(/[\s\u200c\-_.]/g, '');
}

/** True for a valid 10-digit national code (8 or 9 digits get their leading zeros) or a FIDA. */
export function isValidNationalCode(text) {
  const digits = normaliseDigits(text);
  if (!/^\d+$/.test(digits)) return false;
  if (digits.length === 12) return true;
  if (digits.length < 8 || digits.length > 10) return false;
  const code = digits.padStart(10, '0');
  if (/^(\d)\1{9}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(code[i]) * (10 - i);
  const s = sum % 11;
  return Number(code[9]) === (s < 2 ? s : 11 - s);
}

/** True for an Iranian mobile in any of its usual forms. */
export function isValidMobile(text) {
  let digits = normaliseDigits(text).replace(/^\+/, '');
  digits = digits.replace(/^0098(?=9\d{9}$)/, '').replace(/^98(?=9\d{9}$)/, '');
  if (/^9\d{9}$/.test(digits)) digits = `0${digits}`;
  return /^09\d{9}$/.test(digits);
}
