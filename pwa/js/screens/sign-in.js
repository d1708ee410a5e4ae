// Signing in: national code and mobile, then the SMS code; after the first time, a passkey.
import { api, ApiError, OfflineError } from '../api.js';
import { pending } from '../busy.js';
import { h } from '../dom.js';
import { latinDigits, t } from '../i18n.js';
import { isValidMobile, isValidNationalCode, normaliseDigits } from '../national-code.js';
import { createPasskey, getPasskey, passkeysSupported } from '../passkeys.js';

/** A message for an API failure, in the person's language. */
export function failure(error) {
  if (error instanceof OfflineError) return t('You are offline. Please try again when you are connected.');
  if (error instanceof ApiError) return error.message;
  return t('Something went wrong. Please try again.');
}

/** A new attempt: the last one's error goes, from the screen and from screen readers. */
export function clearError(error) {
  error.hidden = true;
  error.textContent = '';
}

function field(id, label, hint, attributes) {
  const message = h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  const input = h('input', {
    id, name: id, dir: 'ltr', inputmode: 'numeric', 'aria-describedby': `${id}-hint ${id}-error`, ...attributes,
  });
  return {
    input, message,
    element: h('div', { class: 'field' },
      h('label', { for: id }, label), input, h('p', { class: 'hint', id: `${id}-hint` }, hint), message),
  };
}

export function signIn(app) {
  const code = field('national-code', t('National code'), t('10 digits, as on your national card; foreign nationals: the 12-digit number of their card'), {
    autocomplete: 'off', maxlength: '14', required: true,
  });
  const mobile = field('mobile', t('Mobile number'), t('The number registered with the Social Security Organisation'), {
    type: 'tel', autocomplete: 'tel', maxlength: '16', required: true,
  });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const check = () => {
    const value = normaliseDigits(code.input.value);
    const bad = value.length >= 10 && !isValidNationalCode(value);
    code.message.textContent = bad ? t('The national code is not valid. Please check it.') : '';
    code.input.setAttribute('aria-invalid', String(bad));
  };
  code.input.addEventListener('input', check);
  const send = h('button', { class: 'primary', type: 'submit' }, t('Send the code'));
  const submit = (event) => {
    event.preventDefault();
    pending(send, startSms, t('Sending the code…'));
  };
  const startSms = async () => {
    clearError(error);
    if (!isValidNationalCode(code.input.value)) {
      code.message.textContent = t('The national code is not valid. Please check it.');
      code.input.focus();
      return;
    }
    if (!isValidMobile(mobile.input.value)) {
      mobile.message.textContent = t('The mobile number is not valid. Please check it (09xxxxxxxxx).');
      mobile.input.focus();
      return;
    }
    mobile.message.textContent = '';
    try {
      const nationalCode = normaliseDigits(code.input.value);
      const mobileNumber = normaliseDigits(mobile.input.value);
      const sent = await api.post('/api/auth/sms/start', { national_code: nationalCode, mobile: mobileNumber });
      app.state.pendingSms = { ...sent, nationalCode, mobile: mobileNumber, sentAt: Date.now() };
      app.go('#/code');
    } catch (failed) {
      error.textContent = failure(failed);
      error.hidden = false;
      app.announce(error.textContent);
    }
  };
  return h('section', { class: 'screen' },
    h('h2', {}, t('Sign in or register')),
    h('p', {}, t('The first time, we check your national code and mobile with the registry and send you a code by SMS.')),
    h('form', { onsubmit: submit, novalidate: true }, code.element, mobile.element, error, send),
    h('p', { class: 'small' }, h('a', { href: '#/welcome' }, t('Back'))),
  );
}

export function smsCode(app) {
  const waiting = app.state.pendingSms;
  if (!waiting) return app.redirect('#/sign-in');
  const code = field('sms-code', t('The code of the SMS'), t('6 digits'), {
    autocomplete: 'one-time-code', maxlength: '8', required: true,
  });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const resend = h('button', { class: 'link', type: 'button', disabled: true }, '');
  const tick = () => {
    const left = Math.max(0, Math.ceil(waiting.resend_in - (Date.now() - waiting.sentAt) / 1000));
    resend.disabled = left > 0;
    resend.textContent = left > 0 ? waitText(left) : t('Send the code again');
    if (left > 0 && resend.isConnected !== false) setTimeout(tick, 1000);
  };
  resend.addEventListener('click', () => pending(resend, async () => {
    clearError(error);
    try {
      const sent = await api.post('/api/auth/sms/start', { national_code: waiting.nationalCode, mobile: waiting.mobile });
      Object.assign(waiting, sent, { sentAt: Date.now() });
      app.announce(t('A new code was sent.'));
    } catch (failed) {
      error.textContent = failure(failed);
      error.hidden = false;
    }
  }, t('Sending the code…')).then(tick));
  const enter = h('button', { class: 'primary', type: 'submit' }, t('Sign in'));
  const submit = (event) => {
    event.preventDefault();
    pending(enter, verify, t('Signing in…'));
  };
  const verify = async () => {
    clearError(error);
    try {
      const me = await api.post('/api/auth/sms/verify', { request_id: waiting.request_id, code: latinDigits(code.input.value) });
      app.state.pendingSms = null;
      await app.signedIn(me);
      const passkeys = passkeysSupported() ? (await api.get('/api/auth/passkeys')).passkeys : [1];
      app.go(passkeys.length ? '#/home' : '#/passkey');
    } catch (failed) {
      if (failed instanceof ApiError && failed.code === 'code_used_up') {
        waiting.resend_in = 0; // a used-up code may be replaced at once
        tick();
      }
      error.textContent = failure(failed);
      error.hidden = false;
      app.announce(error.textContent);
    }
  };
  setTimeout(tick);
  return h('section', { class: 'screen' },
    h('h2', {}, t('Enter the code')),
    h('p', {}, t('We sent a code to %(mobile)s.', { mobile: waiting.mobile })),
    h('form', { onsubmit: submit, novalidate: true }, code.element, error, enter),
    resend,
    h('p', { class: 'small' }, h('a', { href: '#/sign-in' }, t('Change the number'))),
  );
}

/** A wait before the code can be sent again: seconds up to 90, then about so many minutes. */
function waitText(seconds) {
  if (seconds <= 90) return t('Send again in %(seconds)s seconds', { seconds });
  return t('Send again in about {n} minutes', { n: Math.ceil(seconds / 60) });
}

export function passkeyOffer(app) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const create = async () => {
    clearError(error);
    try {
      await addPasskey();
      app.announce(t('Your passkey is ready.'));
      app.go('#/home');
    } catch (failed) {
      error.textContent = failure(failed);
      error.hidden = false;
    }
  };
  return h('section', { class: 'screen' },
    h('h2', {}, t('Sign in faster next time')),
    h('p', {}, t('Make a passkey on this phone: next time you sign in with your fingerprint, face or screen lock, with no SMS.')),
    h('button', { class: 'primary', type: 'button', onclick: (event) => pending(event.currentTarget, create) }, t('Make a passkey')),
    error,
    h('a', { class: 'button secondary', href: '#/home' }, t('Not now')),
  );
}

/** The registration ceremony; throws on refusal. */
export async function addPasskey() {
  const ceremony = await api.post('/api/auth/passkeys/register/options');
  const credential = await createPasskey(ceremony.options);
  const made = await api.post('/api/auth/passkeys/register/verify', { state: ceremony.state, credential, name: deviceName() });
  rememberPasskeyHere();
  return made;
}

const PASSKEY_HERE = 'darman.passkey-here';

/** This phone has made or used a passkey: the welcome screen leads with it from now on. (Only a
 *  flag: which account it belongs to is the authenticator's secret.) */
export function rememberPasskeyHere() {
  localStorage.setItem(PASSKEY_HERE, '1');
}

/** True when a passkey was made or used on this phone. */
export function passkeyHere() {
  return localStorage.getItem(PASSKEY_HERE) === '1';
}

function deviceName() {
  const agent = navigator.userAgent;
  if (/iPhone|iPad/.test(agent)) return 'iPhone';
  if (/Android/.test(agent)) return t('Android phone');
  return t('This device');
}

/** Sign in with a passkey, no typing; shows what went wrong in `error`. */
export async function signInWithPasskey(app, error, then = '#/home') {
  clearError(error);
  try {
    const ceremony = await api.post('/api/auth/passkeys/login/options');
    const credential = await getPasskey(ceremony.options);
    const me = await api.post('/api/auth/passkeys/login/verify', { state: ceremony.state, credential });
    await app.signedIn(me);
    app.go(then);
  } catch (failed) {
    error.textContent = failed.name === 'NotAllowedError' ? t('The passkey was not used.') : failure(failed);
    error.hidden = false;
    app.announce(error.textContent);
  }
}


/** After the server ended this device's session: why (the server's words), and the way back in. */
export function sessionEnded(app) {
  const why = app.state.signedOut;
  if (!why) return app.redirect('#/welcome');
  return h('section', { class: 'screen signed-out' },
    h('h2', {}, t('You were signed out')),
    h('p', { class: 'info', role: 'alert' }, why),
    h('p', {}, t('What this phone kept of your answers has been removed from it.')),
    h('a', { class: 'button primary', href: '#/sign-in' }, t('Sign in again')),
  );
}
