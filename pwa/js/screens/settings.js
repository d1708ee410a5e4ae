// Settings: language, passkeys, signed-in devices, signing out.
import { api, ApiError } from '../api.js';
import { pending } from '../busy.js';
import { data, h, icon } from '../dom.js';
import { currentLanguage, jalaliDateTime, t } from '../i18n.js';
import { passkeysSupported } from '../passkeys.js';
import { noticeSettings } from './notices-settings.js';
import { addPasskey, failure, signInWithPasskey } from './sign-in.js';

function languageChoice(app) {
  const option = (lang, label) => h('label', { class: 'choice' },
    h('input', {
      type: 'radio', name: 'language', value: lang, checked: currentLanguage() === lang,
      onchange: () => app.changeLanguage(lang),
    }), label);
  return h('fieldset', {}, h('legend', {}, t('Language')), option('fa', h('span', { lang: 'fa', dir: 'rtl' }, 'فارسی')), option('en', h('span', { lang: 'en', dir: 'ltr' }, 'English')));
}

async function passkeyList(app) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const list = h('ul', { class: 'list' });
  const show = (failed) => {
    const reauth = failed instanceof ApiError && failed.code === 'reauthentication_required';
    error.replaceChildren(failure(failed));
    if (reauth && passkeysSupported()) {
      error.append(' ', h('button', { class: 'link', type: 'button', onclick: () => signInWithPasskey(app, error, '#/settings') }, t('Confirm with a passkey')));
    }
    error.hidden = false;
  };
  const { passkeys } = await api.get('/api/auth/passkeys');
  for (const passkey of passkeys) {
    const remove = async () => {
      try {
        await api.delete(`/api/auth/passkeys/${passkey.id}`);
        app.announce(t('The passkey was removed.'));
        app.render();
      } catch (failed) { show(failed); }
    };
    list.append(h('li', {}, h('span', {}, data(passkey.name), h('span', { class: 'detail' }, ` — ${jalaliDateTime(passkey.created_at)}`)),
      h('button', { class: 'link danger', type: 'button', onclick: (event) => pending(event.currentTarget, remove), 'aria-label': [t('Remove'), passkey.name].join(' ') }, t('Remove'))));
  }
  const add = async () => {
    try {
      await addPasskey();
      app.announce(t('Your passkey is ready.'));
      app.render();
    } catch (failed) { show(failed); }
  };
  return h('section', { class: 'group' }, h('h3', {}, t('Passkeys')),
    passkeys.length ? list : h('p', { class: 'info' }, t('You have no passkey yet.')),
    passkeysSupported() && h('button', { class: 'secondary', type: 'button', onclick: (event) => pending(event.currentTarget, add) }, t('Make a passkey')),
    error);
}

async function deviceList(app) {
  const { sessions } = await api.get('/api/me/sessions');
  const items = sessions.map((session) => {
    const end = async () => {
      await api.delete(`/api/me/sessions/${session.id}`);
      app.announce(t('That device was signed out.'));
      app.render();
    };
    const method = session.method === 'passkey' ? t('passkey') : t('SMS code');
    return h('li', {},
      h('span', {}, data(session.browser), h('span', { class: 'detail' }, ` — ${method} · ${jalaliDateTime(session.signed_in_at)}`)),
      session.current ? h('span', { class: 'badge' }, t('This device'))
        : h('button', { class: 'link danger', type: 'button', onclick: (event) => pending(event.currentTarget, end) }, t('Sign out')));
  });
  return h('section', { class: 'group' }, h('h3', {}, t('Signed-in devices')), h('ul', { class: 'list' }, items));
}

export async function settings(app) {
  const section = h('section', { class: 'screen settings' }, h('h2', {}, t('Settings')), languageChoice(app));
  if (app.state.offline) {
    section.append(h('p', { class: 'info' }, t('Passkeys and devices can be changed when you are online.')));
  } else {
    try {
      section.append(await noticeSettings(app), await passkeyList(app), await deviceList(app));
    } catch (failed) {
      section.append(h('p', { class: 'error', role: 'alert' }, failure(failed)));
    }
  }
  section.append(h('a', { class: 'button secondary wide', href: '#/help' }, icon('help'), t('Help')));
  section.append(h('button', { class: 'secondary danger', type: 'button', onclick: () => app.signOut() }, t('Sign out of this device')));
  return section;
}
