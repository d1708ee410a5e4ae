// The eligibility card: status in words, colour and icon (never colour alone), the Jalali
// expiry, days left, reasons and notes, and the tracking code with a copy button.
import { h, icon } from '../dom.js';
import { digits, jalaliDate, t } from '../i18n.js';

function reasons(answer) {
  if (!answer.reasons.length) return null;
  return h('ul', { class: 'reasons' }, answer.reasons.map((reason) =>
    h('li', {}, reason.message, reason.note && h('span', { class: 'note' }, reason.note))));
}

function notes(answer) {
  if (!answer.notes.length) return null;
  return h('ul', { class: 'notes' }, answer.notes.map((note) => h('li', {}, note.message)));
}

function trackingCode(app, code) {
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
    h('bdi', { class: 'code', dir: 'ltr' }, digits(code)),
    h('button', { class: 'icon-button', type: 'button', onclick: copy, 'aria-label': t('Copy the tracking code') }, icon('copy')));
}

/** One person's eligibility; `heading` is the name or "you". */
export function eligibilityCard(app, answer, { heading, detail } = {}) {
  const status = answer.covered ? 'covered' : 'not-covered';
  return h('article', { class: `card ${status}`, 'aria-label': heading || answer.label },
    heading && h('h3', { class: 'who' }, h('span', {}, heading), detail && h('span', { class: 'detail' }, detail)),
    h('p', { class: 'status' }, icon(status),
      h('strong', {}, answer.covered ? t('Covered for treatment') : t('Not covered for treatment'))),
    answer.valid_until && h('p', { class: 'until' },
      answer.covered ? t('Eligibility valid until {date}', { date: '' }) : t('Cover ended on {date}', { date: '' }),
      h('strong', {}, jalaliDate(answer.valid_until))),
    answer.covered && answer.days_left !== null && h('p', { class: 'days' }, t('{n} days left', { n: answer.days_left })),
    reasons(answer),
    notes(answer),
    trackingCode(app, answer.tracking_code),
  );
}
