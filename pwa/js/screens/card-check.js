// The verify page, for a pharmacy with no network: a patient's card read by the camera or pasted,
// checked on this device against the keys it kept, and the answer big and clear: status in words,
// colour and icon, announced to screen readers.
import { cameraAvailable, startScanning } from '../card-camera.js';
import { cardKeys } from '../card-keys.js';
import {
  CardRefused, maskNationalCode, showsCovered, tehranToday, verifyCard,
} from '../card-verify.js';
import { h, icon } from '../dom.js';
import { digits, jalaliDate, jalaliDateTime, t } from '../i18n.js';
import { codeInGroups } from './card.js';

const SVG = 'http://www.w3.org/2000/svg';
const WARNING = 'M1 21h22L12 2zm12-3h-2v-2h2zm0-4h-2v-4h2z';

const REFUSALS = {
  malformed: () => t('This is not a Darman card, or part of it is missing.'),
  wrong_alg: () => t('This card is not signed the way Darman signs cards.'),
  unknown_kid: () => t('This card was signed with a key this device does not know yet. Go online once to update the keys, then check again.'),
  bad_signature: () => t('The signature does not match: the card has been changed or is not genuine.'),
  expired: (refusal) => t('This card expired on {time}. The patient gets a new one by opening the app online.', { time: jalaliDateTime(refusal.expiresAt) }),
  not_yet_valid: () => t("This card is dated ahead of this device's clock. Check this device's date and time."),
  unsupported: () => t('This browser cannot check signatures. Please use an up-to-date browser.'),
};

function warningIcon() {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon icon-refused');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', WARNING);
  svg.append(path);
  return svg;
}

function fact(term, value) {
  return h('div', {}, h('dt', {}, term), h('dd', {}, value));
}

/** A correctly signed, unexpired card: covered or not, and what it says. */
function accepted(card) {
  const covered = showsCovered(card, tehranToday());
  const status = covered ? 'covered' : 'not-covered';
  const words = covered ? t('Covered for treatment') : t('Not covered for treatment');
  const view = h('article', { class: `verdict ${status}`, 'aria-labelledby': 'verdict-status' },
    h('p', { class: 'verdict-status', id: 'verdict-status' }, icon(status), h('strong', {}, words)),
    h('p', { class: 'verdict-why' }, t('A genuine card, signed by Darman.')),
    h('dl', { class: 'facts' },
      fact(t('National code'), h('bdi', { dir: 'ltr' }, digits(maskNationalCode(card.nationalCode)))),
      card.validUntil && fact(t('Cover valid until'), jalaliDate(card.validUntil)),
      fact(t('Card valid until'), jalaliDateTime(card.expiresAt)),
      fact(t('Tracking code'), codeInGroups(card.trackingCode))));
  return { view, words };
}

/** A card that must not be trusted, and why in plain words. */
function refused(refusal) {
  const words = t('Card not accepted');
  const why = REFUSALS[refusal.reason](refusal);
  const view = h('article', { class: 'verdict refused', 'aria-labelledby': 'verdict-status' },
    h('p', { class: 'verdict-status', id: 'verdict-status' }, warningIcon(), h('strong', {}, words)),
    h('p', { class: 'verdict-why' }, why));
  return { view, words: `${words}. ${why}` };
}

function keysLine(keys) {
  if (!keys.jwks) {
    return h('p', { class: 'error keys-status' }, t('This device has no keys for checking cards yet. Go online once to fetch them.'));
  }
  const when = jalaliDateTime(keys.at);
  if (keys.fresh) return h('p', { class: 'small keys-status' }, t('Keys for checking cards updated {time}.', { time: when }));
  return h('p', { class: 'keys-status offline' }, icon('offline'), t('Offline: checking with the keys kept on {time}.', { time: when }));
}

function cameraArea(onCode) {
  const video = h('video', { class: 'camera', muted: true, playsinline: true, 'aria-label': t('Camera view'), hidden: true });
  const problem = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { class: 'secondary scan', type: 'button' });
  let stop = null;
  const idle = () => {
    stop = null;
    video.hidden = true;
    button.disabled = false;
    button.replaceChildren(t('Scan the QR code with the camera'));
  };
  const leave = () => stop && stop();
  button.addEventListener('click', async () => {
    if (stop) {
      stop();
      idle();
      return;
    }
    problem.textContent = '';
    video.hidden = false;
    button.disabled = true; // while the camera opens
    try {
      stop = await startScanning(video, (text) => {
        idle();
        onCode(text);
      });
      button.disabled = false;
      button.replaceChildren(t('Stop the camera'));
      window.addEventListener('hashchange', leave, { once: true });
      window.addEventListener('pagehide', leave, { once: true });
    } catch (error) {
      idle();
      problem.textContent = error && error.name === 'NotAllowedError'
        ? t("The camera was not allowed. You can paste the card's text below instead.")
        : t("The camera could not be opened. You can paste the card's text below instead.");
    }
  });
  idle();
  return h('div', { class: 'scanner' }, button, video, problem);
}

function pasteForm(onText) {
  const field = h('textarea', {
    id: 'card-text', rows: 4, dir: 'ltr', autocomplete: 'off', autocapitalize: 'off',
    spellcheck: 'false', 'aria-describedby': 'card-text-hint',
    // a barcode scanner types the code and then Enter: that checks it (a card has no new lines)
    onkeydown: (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        field.form.requestSubmit();
      }
    },
  });
  return h('form', {
    class: 'card-paste',
    onsubmit: (event) => {
      event.preventDefault();
      if (field.value.trim()) onText(field.value);
      else field.focus();
    },
  },
  h('label', { for: 'card-text' }, t("The card's text")),
  h('p', { class: 'hint', id: 'card-text-hint' }, t('Paste it here, or scan the code into this box with a barcode scanner.')),
  field,
  h('button', { class: 'primary', type: 'submit' }, t('Check the card')));
}

export async function cardCheck(app) {
  const keys = await cardKeys();
  app.setOffline(Boolean(keys.offline));
  const result = h('div', { class: 'verdict-area' });
  const check = async (token) => {
    let shown;
    try {
      shown = accepted(await verifyCard(token, keys.jwks));
    } catch (error) {
      if (!(error instanceof CardRefused)) throw error;
      shown = refused(error);
    }
    result.replaceChildren(shown.view);
    result.scrollIntoView({ block: 'start' });
    app.announce(shown.words);
  };
  return h('section', { class: 'screen card-check' },
    h('h2', {}, t('Check a card')),
    h('p', {}, t("For pharmacies and clinics: check the QR code on a patient's phone, even with no network.")),
    keysLine(keys),
    result,
    cameraAvailable() && cameraArea(check),
    pasteForm(check),
    h('p', { class: 'small' }, h('a', { href: app.state.me ? '#/home' : '#/welcome' }, t('Back'))));
}
