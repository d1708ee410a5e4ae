// Welcome: what the app is, and the ways in — the national code first; a passkey first only on a
// phone that already has one; and the ways with no internet (USSD), as the seeds give them.
import { pending } from '../busy.js';
import { h } from '../dom.js';
import { digits, t } from '../i18n.js';
import { passkeysSupported } from '../passkeys.js';
import { installArea } from '../install.js';
import { passkeyHere, signInWithPasskey } from './sign-in.js';

const USSD = ['*1420*4#', '*1666#'];

/** A USSD code as dialled, left to right: Persian digits are weak in the bidi algorithm, so a
 *  left-to-right mark after each piece keeps «*۱۴۲۰*۴#» from being reordered. */
function ussd(code) {
  const shown = digits(code).replace(/([*#]|[۰-۹]+)/g, '$1\u200e');
  return h('a', { href: `tel:${encodeURIComponent(code)}`, dir: 'ltr', class: 'tel' }, shown);
}

export function welcome(app) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const withPasskey = passkeysSupported() && passkeyHere();
  const passkey = passkeysSupported() && h('button', {
    class: withPasskey ? 'primary' : 'secondary', type: 'button',
    onclick: (event) => pending(event.currentTarget, () => signInWithPasskey(app, error)),
  }, t('Sign in with a passkey'));
  const nationalCode = h('a', { class: `button ${withPasskey ? 'secondary' : 'primary'}`, href: '#/sign-in' }, t('Sign in or register with your national code'));
  return h('section', { class: 'screen welcome' },
    h('h2', {}, t('Welcome to Darman')),
    h('p', {}, t('See whether you are covered for treatment, your family too, wherever you are — even offline.')),
    withPasskey ? [passkey, nationalCode] : [nationalCode, passkey],
    error,
    h('h3', {}, t('With no internet')),
    h('p', {}, t('Before going to a centre you can check your eligibility with these codes, with no internet:')),
    h('ul', { class: 'ways' }, USSD.map((code) => h('li', {}, ussd(code)))),
    installArea(),
    h('p', { class: 'small' }, h('a', { href: '#/help' }, t('Help and objections'))),
    h('p', { class: 'small' }, h('a', { href: '#/verify' }, t('For pharmacies: check a card'))),
  );
}
