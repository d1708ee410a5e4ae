// The health record's shared parts: whose record is shown (mine or a minor child's), its answers
// fetched and kept per person for offline use, the "confirm it is you" choice the 10-minute rule
// asks for, the words and icons of each type, and sentences with amounts of money in them.
import { ApiError, OfflineError } from '../api.js';
import { pending } from '../busy.js';
import { h, icon } from '../dom.js';
import { currentLanguage, rials, t } from '../i18n.js';
import { passkeysSupported } from '../passkeys.js';
import * as store from '../store.js';
import { failure, signInWithPasskey } from './sign-in.js';

export const TYPES = {
  drug: () => t('Medicine'),
  lab: () => t('Laboratory test'),
  imaging: () => t('Imaging'),
  physio: () => t('Physiotherapy'),
  visit: () => t('Visit'),
};

/** The record's type as an icon and a word, so that it is never told by the icon alone. */
export function typeTag(type) {
  return h('span', { class: `record-type record-type-${type}` }, icon(type), h('span', {}, (TYPES[type] || (() => type))()));
}

/** Whose record is shown: null for mine, else `{national_code, name}` of a minor on my family. */
export function whose(app) {
  return app.state.recordsOf || null;
}

/** `?national_code=` for a minor's record, to add to an API address. */
export function whoseQuery(app, separator = '?') {
  const child = whose(app);
  return child ? `${separator}national_code=${encodeURIComponent(child.national_code)}` : '';
}

/** Run `load` (API calls) and keep its answer for this person; offline, the kept one. The key
 *  names the signed-in person and whose record it is, so one person never sees another's. */
export async function fetchKeptRecord(app, kind, load) {
  const person = app.state.me.national_code;
  const key = `records:${(whose(app) || { national_code: 'me' }).national_code}:${kind}`;
  try {
    const data = await load();
    await store.keep(person, key, data);
    app.setOffline(false);
    return { data, at: new Date().toISOString(), offline: false };
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
    app.setOffline(true);
    const kept = await store.recall(person, key);
    return kept ? { ...kept, offline: true } : { offline: true };
  }
}

/** True for the API's answer that the sign-in is more than 10 minutes old. */
export function needsConfirmation(error) {
  return error instanceof ApiError && error.status === 401 && error.code === 'reauthentication_required';
}

/** What a screen shows when its answer failed: the confirmation, or what went wrong. */
export function failed(app, error) {
  if (needsConfirmation(error)) return confirmItIsYou(app, error);
  return h('p', { class: 'error', role: 'alert' }, failure(error));
}

/** The 10-minute rule: confirm with a passkey (and come back here), or sign in again by SMS. */
export function confirmItIsYou(app, error) {
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const back = location.hash;
  const bySms = async () => {
    await app.signOut();
    app.go('#/sign-in');
  };
  app.announce(error.message);
  return h('article', { class: 'card warning confirm', 'aria-labelledby': 'confirm-heading' },
    h('h3', { id: 'confirm-heading' }, t('Confirm it is you')),
    h('p', {}, error.message),
    h('p', { class: 'small' }, t('Health records are shown only within 10 minutes of signing in.')),
    passkeysSupported() && h('button', {
      class: 'primary', type: 'button', onclick: (event) => pending(event.currentTarget, () => signInWithPasskey(app, problem, back)),
    }, t('Confirm with a passkey')),
    h('button', { class: 'secondary wide', type: 'button', onclick: bySms }, t('Sign in again with an SMS code')),
    problem,
  );
}

/** What to show when offline with nothing kept. */
export function nothingKept() {
  return h('p', { class: 'error', role: 'alert' }, t('You are offline and this has not been opened on this phone yet.'));
}

/** A Jalali month and year, «آذر ۱۴۰۵», of an ISO date. */
export function jalaliMonth(value) {
  const locale = currentLanguage() === 'fa' ? 'fa-IR-u-ca-persian-nu-arabext' : 'en-u-ca-persian';
  const parts = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric' })
    .formatToParts(new Date(`${value}T12:00:00`));
  const part = (type) => (parts.find((p) => p.type === type) || { value: '' }).value;
  return `${part('month')} ${part('year')}`; // month first in both languages: «آذر ۱۴۰۵»
}

/** The screen's heading: `mine`, or `theirs(name)` for the child whose record is shown. */
export function recordHeading(app, mine, theirs) {
  const child = whose(app);
  return h('h2', {}, child ? theirs(child.name) : mine);
}

/** An amount of rials that never breaks across lines. */
export function amount(value) {
  return h('span', { class: 'amount' }, rials(value));
}

/** A translated sentence as nodes, each `{name}` replaced by `values[name]` (a node, such as
 *  an amount, or a text): t() would make the amounts plain text that may break. */
export function sentence(translated, values) {
  return translated.split(/\{(\w+)\}/).map((part, i) => (i % 2 ? values[part] : part));
}
