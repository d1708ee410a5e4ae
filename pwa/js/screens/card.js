// The eligibility card: status in words, colour and icon (never colour alone) — covered, ending
// soon (amber) or not covered — the Jalali expiry, days left counted on the phone (so that an
// answer kept offline stays right), what to do next, and the tracking code in groups of four.
import { h, icon, rich } from '../dom.js';
import { digits, jalaliDate, t } from '../i18n.js';
import { nextSteps } from './next-steps.js';

const ENDING_SOON_DAYS = 30;
const COUNTDOWN_BASES = ['worker', 'self_employed', 'voluntary', 'unemployment'];

/** Today in Tehran as `YYYY-MM-DD` (the day the rules count in, whatever the phone's zone). */
export function tehranToday(now = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Days of cover left, today included (0 or less: the cover has ended), or null with no date. */
export function daysLeft(validUntil, today = tehranToday()) {
  if (!validUntil) return null;
  return Math.round((Date.parse(`${validUntil}T00:00Z`) - Date.parse(`${today}T00:00Z`)) / 86400000) + 1;
}

/** covered | ending | not-covered, from the answer and today's date on the phone. */
export function statusOf(answer) {
  const left = daysLeft(answer.valid_until);
  if (!answer.covered || left === null || left < 1) return 'not-covered';
  const countdown = COUNTDOWN_BASES.includes(answer.basis) || answer.relation === 'newborn';
  return countdown && left <= ENDING_SOON_DAYS ? 'ending' : 'covered';
}

const STATUS_WORDS = {
  covered: () => t('Covered for treatment'),
  ending: () => t('Covered for treatment — ending soon'),
  'not-covered': () => t('Not covered for treatment'),
};
const STATUS_ICONS = { covered: 'covered', ending: 'ending', 'not-covered': 'not-covered' };

/** The status in the app's own words, in the person's language (the API's `label` is always
 *  the Persian of COPY.md, for centres' software). */
export function statusWords(answer) {
  return STATUS_WORDS[statusOf(answer)]();
}

/** The status as a chip: icon and words. */
export function statusChip(answer) {
  const status = statusOf(answer);
  return h('span', { class: `chip-status ${status}` }, icon(STATUS_ICONS[status]), STATUS_WORDS[status]());
}

/** A 12-digit code in groups of four, left to right: «۱۲۳۴ ۵۶۷۸ ۹۰۱۲». */
export function grouped(code) {
  return digits(String(code).replace(/(\d{4})(?=\d)/g, '$1 '));
}

/** A code as its groups of four, left to right, each kept whole: a narrow line breaks only
 *  between groups, never inside one. */
export function codeInGroups(code) {
  const groups = grouped(code).split(' ').map((group) => h('span', { class: 'code-group' }, group));
  return h('bdi', { class: 'code', dir: 'ltr' }, groups.flatMap((group, i) => (i ? [' ', group] : [group])));
}

function reasons(answer) {
  if (!answer.reasons.length) return null;
  return h('ul', { class: 'reasons' }, answer.reasons.map((reason) =>
    h('li', {}, rich(reason.message), reason.note && h('span', { class: 'note' }, reason.note))));
}

function notes(answer) {
  if (!answer.notes.length) return null;
  return h('ul', { class: 'notes' }, answer.notes.map((note) => h('li', {}, rich(note.message))));
}

function trackingCode(app, code) {
  if (!code) return null;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      app.announce(t('The tracking code was copied.'));
    } catch {
      app.announce(t('Copying is not possible here; please write the code down.'));
    }
  };
  return h('p', { class: 'tracking' },
    h('span', {}, t('Tracking code: {code}', { code: '' })),
    codeInGroups(code),
    h('button', { class: 'icon-button', type: 'button', onclick: copy, 'aria-label': t('Copy the tracking code') }, icon('copy')));
}

function remaining(answer, status) {
  if (status === 'not-covered') return null;
  if (answer.basis === 'pensioner') {
    return h('p', { class: 'days' }, t('Your cover renews each month while your pension is paid.'));
  }
  const left = daysLeft(answer.valid_until);
  return h('p', { class: 'days' }, status === 'ending' && icon('ending'), t('{n} days left', { n: left }));
}

/** One person's eligibility; `heading` is the name or "you". */
export function eligibilityCard(app, answer, { heading, detail, extra } = {}) {
  const status = statusOf(answer);
  return h('article', { class: `card ${status}`, 'aria-label': heading || statusWords(answer) },
    heading && h('h3', { class: 'who' }, h('span', {}, heading), detail && h('span', { class: 'detail' }, detail)),
    h('p', { class: 'status' }, icon(STATUS_ICONS[status]), h('strong', {}, STATUS_WORDS[status]())),
    answer.valid_until && h('p', { class: 'until' },
      status === 'not-covered' ? t('Cover ended on {date}', { date: '' }) : t('Eligibility valid until {date}', { date: '' }),
      h('strong', {}, jalaliDate(answer.valid_until))),
    remaining(answer, status),
    extra,
    reasons(answer),
    notes(answer),
    status !== 'covered' && nextSteps(answer, status),
    trackingCode(app, answer.tracking_code),
  );
}
