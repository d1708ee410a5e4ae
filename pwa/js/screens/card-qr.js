// My card for the pharmacy, on the home screen: a QR code of a signed statement of my cover
// (GET /api/card) that a pharmacy can check with no network. It is kept on this phone (IndexedDB,
// per person, wiped at sign-out) and shown offline until it expires.
import { api, OfflineError } from '../api.js';
import { readClaims } from '../card-verify.js';
import { data, h, icon } from '../dom.js';
import { digits, jalaliDateTime, t } from '../i18n.js';
import { statusChip } from './card.js';
import * as store from '../store.js';

const KIND = 'card';
const SVG = 'http://www.w3.org/2000/svg';
const QUIET_ZONE = 4; // modules of white around the code, as the QR standard asks
// Online, a kept card that still says what the eligibility answer says is shown again while it
// has this long left, rather than signing (and logging) a new one on every visit.
const REUSE_WHILE_LEFT_MS = 12 * 60 * 60 * 1000;

/** When a card stops being valid (from its signed claims), or null if it cannot be read. */
export function cardExpiry(card) {
  const claims = card && readClaims(card.token);
  return claims && Number.isInteger(claims.exp) ? new Date(claims.exp * 1000) : null;
}

function stillSays(card, answer) {
  const claims = readClaims(card.token);
  const expiry = cardExpiry(card);
  return Boolean(claims && expiry) && expiry - Date.now() > REUSE_WHILE_LEFT_MS
    && claims.covered === answer.covered && claims.valid_until === answer.valid_until;
}

/** The card to show: online a new one (or the kept one, still true and fresh), kept for offline
 *  use; offline or when the server fails, the kept one. */
async function myCard(app, eligibility) {
  const person = app.state.me.national_code;
  const kept = await store.recall(person, KIND);
  if (kept && !eligibility.offline && stillSays(kept.data, eligibility.data)) {
    return { card: kept.data, offline: false };
  }
  try {
    const card = await api.get('/api/card');
    await store.keep(person, KIND, card);
    return { card, offline: false };
  } catch (error) {
    if (!(error instanceof OfflineError)) console.warn('card', error);
    return { card: kept && kept.data, offline: error instanceof OfflineError };
  }
}

/** The token as a QR code: an SVG made with DOM calls (no markup strings, no inline styles). */
async function qrCode(token) {
  const { default: qrcode } = await import('../vendor/qrcode-generator.js');
  const code = qrcode(0, 'M');
  code.addData(token);
  code.make();
  const count = code.getModuleCount();
  let path = '';
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (!code.isDark(row, col) || (col > 0 && code.isDark(row, col - 1))) continue;
      let run = 1;
      while (col + run < count && code.isDark(row, col + run)) run += 1;
      path += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h${run}v1h-${run}z`;
    }
  }
  const size = count + 2 * QUIET_ZONE;
  const svg = document.createElementNS(SVG, 'svg');
  for (const [name, value] of Object.entries({
    viewBox: `0 0 ${size} ${size}`, class: 'qr', role: 'img', 'shape-rendering': 'crispEdges',
    'aria-label': t('QR code of my card, for the pharmacy to scan'),
  })) svg.setAttribute(name, value);
  const ground = document.createElementNS(SVG, 'rect');
  ground.setAttribute('width', size);
  ground.setAttribute('height', size);
  ground.setAttribute('fill', '#fff');
  const modules = document.createElementNS(SVG, 'path');
  modules.setAttribute('d', path);
  modules.setAttribute('fill', '#000');
  svg.append(ground, modules);
  return svg;
}

/** A national code with its middle hidden: «۰۰۱۲•••••۹۷». */
export function masked(code) {
  const text = String(code || '');
  return digits(`${text.slice(0, 4)}${'•'.repeat(Math.max(0, text.length - 6))}${text.slice(-2)}`);
}

async function fill(block, app, eligibility) {
  const { card, offline } = await myCard(app, eligibility);
  const expiry = cardExpiry(card);
  if (!card || !expiry) {
    block.replaceChildren(block.firstChild, h('p', { class: 'qr-note' }, offline
      ? t('You are offline: your card is made when you are online.')
      : t('Your card could not be made just now. Please try again later.')));
    return;
  }
  if (Date.now() >= expiry) {
    block.replaceChildren(block.firstChild, h('p', { class: 'qr-note expired', role: 'note' },
      icon('offline'), t('Your card expired on {time}. Connect to the network to get a new one.', { time: jalaliDateTime(expiry) })));
    return;
  }
  // The QR is drawn on a tap: drawing it costs the home screen's first seconds on a cheap phone.
  const frame = h('div', { class: 'qr-frame' });
  const show = h('button', {
    class: 'secondary', type: 'button',
    onclick: async () => {
      show.remove();
      frame.append(await qrCode(card.token));
    },
  }, t('Show the card'));
  const answer = eligibility.data;
  block.replaceChildren(
    block.firstChild,
    h('p', { class: 'small' }, t('A signed card of your cover: a pharmacy can check it even with no network.')),
    h('dl', { class: 'facts qr-who' },
      h('div', {}, h('dt', {}, t('Name')), h('dd', {}, data(answer.name))),
      h('div', {}, h('dt', {}, t('National code')), h('dd', {}, h('bdi', { dir: 'ltr', class: 'code' }, masked(answer.national_code)))),
      h('div', {}, h('dt', {}, t('Status')), h('dd', {}, statusChip(answer)))),
    show,
    frame,
    h('p', { class: 'qr-until' }, t('This card for the pharmacy is valid until {time}', { time: '' }), h('strong', {}, jalaliDateTime(expiry))),
  );
  if (offline) block.append(h('p', { class: 'qr-note' }, icon('offline'), t('You are offline: this is the card kept on this phone.')));
}

/** The card block; it fills itself in once the card is fetched (the home does not wait). */
export function cardBlock(app, eligibility) {
  const block = h('section', { class: 'qr-card', 'aria-labelledby': 'qr-card-title' },
    h('h3', { id: 'qr-card-title' }, t('My card for the pharmacy')),
    h('p', { class: 'small', 'aria-busy': 'true' }, t('Preparing your card…')));
  fill(block, app, eligibility).catch((error) => {
    console.warn('card', error);
    block.replaceChildren(block.firstChild, h('p', { class: 'qr-note' }, t('Your card could not be made just now. Please try again later.')));
  });
  return block;
}
