// Welcome: what the app is, and the ways in.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { passkeysSupported } from '../passkeys.js';
import { installArea } from '../install.js';
import { signInWithPasskey } from './sign-in.js';

export function welcome(app) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  return h('section', { class: 'screen welcome' },
    h('h2', {}, t('Welcome to Darman')),
    h('p', {}, t('See whether you are covered for treatment, your family too, wherever you are — even offline.')),
    passkeysSupported() && h('button', {
      class: 'primary', type: 'button',
      onclick: () => signInWithPasskey(app, error),
    }, t('Sign in with a passkey')),
    h('a', { class: 'button secondary', href: '#/sign-in' }, t('Sign in or register with your national code')),
    error,
    installArea(),
    h('p', { class: 'small' }, h('a', { href: '#/help' }, t('Help and objections'))),
    h('p', { class: 'small' }, h('a', { href: '#/verify' }, t('For pharmacies: check a card'))),
  );
}
