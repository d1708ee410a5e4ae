// Darman's PWA: the router, who is signed in, offline state, and the service worker.
import { api, ApiError, forgetToken, OfflineError, whenSignedOut } from './js/api.js';
import { h, icon } from './js/dom.js';
import { preferredLanguage, setLanguage, t } from './js/i18n.js';
import * as store from './js/store.js';
import { home } from './js/screens/home.js';
import { refreshUnread, unreadBadge } from './js/screens/notices.js';
import { forgetSubscriptionHere, resendSubscription } from './js/push.js';

/** A screen whose module loads when it is first opened: home, the usual start, never waits. */
const later = (path, name) => (app) => import(path).then((module) => module[name](app));
const family = later('./js/screens/family.js', 'family');
const familyMember = later('./js/screens/family.js', 'familyMember');
const help = later('./js/screens/help.js', 'help');
const records = later('./js/screens/records.js', 'records');
const accessLog = later('./js/screens/records-access-log.js', 'accessLog');
const recordDetail = later('./js/screens/records-detail.js', 'recordDetail');
const medicines = later('./js/screens/records-medicines.js', 'medicines');
const notices = later('./js/screens/notices.js', 'notices');
const settings = later('./js/screens/settings.js', 'settings');
const passkeyOffer = later('./js/screens/sign-in.js', 'passkeyOffer');
const signIn = later('./js/screens/sign-in.js', 'signIn');
const smsCode = later('./js/screens/sign-in.js', 'smsCode');
const welcome = later('./js/screens/welcome.js', 'welcome');
const objection = later('./js/screens/objection.js', 'objection');
const objections = later('./js/screens/objection.js', 'objections');
const sendDocument = later('./js/screens/documents.js', 'sendDocument');
const documents = later('./js/screens/documents.js', 'documents');
const sessionEnded = later('./js/screens/sign-in.js', 'sessionEnded');

const SCREENS = {
  '#/welcome': { render: welcome, title: () => t('Welcome') },
  '#/sign-in': { render: signIn, title: () => t('Sign in') },
  '#/code': { render: smsCode, title: () => t('Enter the code') },
  '#/signed-out': { render: sessionEnded, title: () => t('You were signed out') },
  '#/passkey': { render: passkeyOffer, title: () => t('Passkey'), signedIn: true },
  '#/home': { render: home, title: () => t('My eligibility'), signedIn: true, tab: 'home' },
  '#/family': { render: family, title: () => t('My family'), signedIn: true, tab: 'family' },
  '#/family/:member': { render: familyMember, title: () => t('My family'), signedIn: true, tab: 'family' },
  '#/document': { render: sendDocument, title: () => t('Send a document'), signedIn: true, tab: 'family', form: true },
  '#/documents': { render: documents, title: () => t('Documents sent'), signedIn: true, tab: 'family' },
  '#/records': { render: records, title: () => t('My health record'), signedIn: true, tab: 'records' },
  '#/records/:id': { render: recordDetail, title: () => t('Prescription'), signedIn: true, tab: 'records' },
  '#/medicines': { render: medicines, title: () => t('My current medicines'), signedIn: true, tab: 'records' },
  '#/access-log': { render: accessLog, title: () => t('Who saw my record'), signedIn: true, tab: 'records' },
  '#/records/access-log': { render: accessLog, title: () => t('Who saw my record'), signedIn: true, tab: 'records' }, // notices link here
  '#/notices': { render: notices, title: () => t('Notices'), signedIn: true, tab: 'notices' },
  '#/settings': { render: settings, title: () => t('Settings'), signedIn: true, tab: 'settings' },
  '#/objection': { render: objection, title: () => t('Objection'), signedIn: true, tab: 'settings' },
  '#/objections': { render: objections, title: () => t('My objections'), signedIn: true, tab: 'settings' },
  '#/help': { render: help, title: () => t('Help'), tab: 'settings' }, // linked from settings
  // for pharmacies, signed in or not; loaded when opened (the app's start does not wait for it)
  '#/verify': { render: later('./js/screens/card-check.js', 'cardCheck'), title: () => t('Check a card') },
};
const TABS = [
  ['home', '#/home', () => t('Home')],
  ['family', '#/family', () => t('Family')],
  ['records', '#/records', () => t('Record')],
  ['notices', '#/notices', () => t('Notices')],
  ['settings', '#/settings', () => t('Settings')],
];

const main = document.getElementById('main');
const PROGRESS_AFTER_MS = 300; // a screen slower than this says it is loading
let rendering = 0; // the latest render: an older one that ends later is dropped
let shownHash = null; // the screen on show: a new one opens at its top
const app = {
  // signedOut: why the server ended this device's session, shown on #/signed-out
  state: { me: null, offline: false, pendingSms: null, unread: 0, signedOut: null },

  go(hash) {
    if (location.hash === hash) this.render();
    else location.hash = hash;
  },

  redirect(hash) {
    setTimeout(() => this.go(hash));
    return h('p', {}, '');
  },

  announce(text) {
    const region = document.getElementById('announce');
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 50);
  },

  setOffline(offline) {
    this.state.offline = offline;
    const badge = document.getElementById('network');
    badge.hidden = !offline;
    badge.replaceChildren(icon('offline'), t('Offline'));
  },

  async signedIn(me) {
    this.state.me = me;
    this.state.signedOut = null;
    await store.keepSignedIn(me);
    resendSubscription().catch((error) => console.warn('push subscription', error)); // now theirs
  },

  async signOut() {
    try {
      await forgetSubscriptionHere(); // no more of this person's notices on this device
    } catch (error) {
      console.warn('push subscription', error);
    }
    try {
      await api.post('/api/auth/logout');
    } catch (error) {
      if (!(error instanceof ApiError)) console.warn('signed out offline', error);
    }
    forgetToken();
    await store.wipe();
    this.state.me = null;
    this.state.unread = 0;
    this.announce(t('You have signed out.'));
    this.go('#/welcome');
  },

  async changeLanguage(lang) {
    await setLanguage(lang);
    if (this.state.me) api.put('/api/me/locale', { locale: lang }).catch(() => {}); // notices' language
    this.render();
  },

  refresh() {
    return this.render();
  },

  /** The server ended this device's session (signed out elsewhere, the mobile changed at a
   *  branch…): nothing of it stays here, and the person is told why, with the way back in. */
  async sessionEnded(refusal) {
    if (!this.state.me) return; // nobody was signed in here: the screen shows its own answer
    this.state.me = null;
    this.state.unread = 0;
    this.state.signedOut = refusal.message;
    forgetToken();
    await store.wipe();
    this.go('#/signed-out');
  },

  async render() {
    // A screen this version does not have yet (a link from a newer one, `#/objection?…`): help,
    // where 1420 is, rather than nothing.
    const unknown = location.hash.length > 2 && !screenOf(location.hash);
    const hash = unknown ? '#/help' : screenOf(location.hash) || (this.state.me ? '#/home' : '#/welcome');
    const screen = SCREENS[hash];
    if (screen.signedIn && !this.state.me) return this.go(this.state.signedOut ? '#/signed-out' : '#/welcome');
    if ((hash === '#/welcome' || hash === '#/sign-in') && this.state.me) return this.go('#/home');
    const mine = ++rendering;
    const entering = location.hash !== shownHash; // navigation, not a refresh of this screen
    document.title = [screen.title(), t('Darman')].join(' — ');
    document.getElementById('brand').textContent = t('Darman');
    document.querySelector('.skip').textContent = t('Skip to content');
    renderTabs(screen.tab);
    if (entering) this.announce(''); // what the last screen said is not this one's
    refreshUnread(this);
    main.setAttribute('aria-busy', 'true');
    const slow = setTimeout(() => { // the tab is lit: the old screen must not stay as if it were the new one
      if (mine === rendering && entering) main.replaceChildren(loading());
    }, PROGRESS_AFTER_MS);
    const content = await screen.render(this);
    clearTimeout(slow);
    if (mine !== rendering) return; // a newer screen was asked for meanwhile
    if (screen.signedIn && !this.state.me) return; // signed out meanwhile: #/signed-out follows
    main.removeAttribute('aria-busy');
    main.replaceChildren(content);
    shownHash = location.hash;
    if (entering) window.scrollTo(0, 0);
    main.focus({ preventScroll: true });
    performance.mark(`darman:${hash.slice(2)}`);
  },
};

/** What a screen shows while it loads. */
function loading() {
  return h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('Loading…'));
}

whenSignedOut((refusal) => app.sessionEnded(refusal));

/** The screen of a hash: an exact one, or one with an id (`#/records/12` → `#/records/:id`). */
function screenOf(full) {
  const hash = full.split('?')[0]; // `#/objection?subject=…` is the `#/objection` screen
  if (SCREENS[hash]) return hash;
  if (/^#\/family\/[pb]\d+$/.test(hash)) return '#/family/:member';
  const withId = hash.replace(/\/\d+$/, '/:id');
  return SCREENS[withId] ? withId : null;
}

const LARGE_TEXT_PX = 24; // from about 150 % text the tab bar keeps one row of icons and short labels

/** One row of tabs at any text size, and the page padded by the bar's real height. */
function fitTabs(nav) {
  const rootSize = parseFloat(getComputedStyle(document.documentElement).fontSize);
  nav.classList.toggle('compact', rootSize >= LARGE_TEXT_PX);
  const height = nav.hidden ? 0 : nav.getBoundingClientRect().height;
  document.body.style.setProperty('--tabs-height', `${Math.ceil(height)}px`);
}

function renderTabs(current) {
  const nav = document.getElementById('tabs');
  nav.hidden = !app.state.me;
  nav.setAttribute('aria-label', t('Sections'));
  nav.replaceChildren(...TABS.map(([name, href, label]) => h('a', {
    href, class: `tab tab-${name}${name === current ? ' current' : ''}`, 'aria-current': name === current ? 'page' : false,
  }, icon(name), h('span', {}, label()), name === 'notices' && unreadBadge(app.state.unread))));
  fitTabs(nav);
}

if ('ResizeObserver' in window) {
  const nav = document.getElementById('tabs');
  new ResizeObserver(() => fitTabs(nav)).observe(nav);
  new ResizeObserver(() => fitTabs(nav)).observe(document.documentElement);
}

/** Who is signed in: the server says; offline, the device remembers. */
async function whoIsSignedIn() {
  try {
    app.state.me = await api.get('/api/me');
    await store.keepSignedIn(app.state.me);
  } catch (error) {
    if (error instanceof OfflineError) {
      app.state.me = (await store.signedIn()) || null;
      app.setOffline(true);
    } else if (error instanceof ApiError && error.status === 401) {
      app.state.me = null;
      // the session ended elsewhere: nothing of it stays on this device, and if someone was
      // signed in here, they are told why
      if (error.code === 'session_ended' && (await store.signedIn())) app.state.signedOut = error.message;
      await store.wipe();
    } else {
      throw error;
    }
  }
}

function offerUpdate(worker) {
  const bar = document.getElementById('update');
  bar.replaceChildren(h('span', {}, t('A new version is ready.')), h('button', {
    class: 'primary', type: 'button', onclick: () => worker.postMessage({ type: 'SKIP_WAITING' }),
  }, t('Reload')));
  bar.hidden = false;
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.register('/service-worker.js', { scope: '/' });
  const hadController = Boolean(navigator.serviceWorker.controller);
  if (registration.waiting && hadController) offerUpdate(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) offerUpdate(worker);
    });
  });
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (hadController && !reloading) {
      reloading = true;
      location.reload();
    }
  });
}

// Back online, the screen is drawn again with fresh data — but not a form being filled (its
// chosen file would be lost): it says by itself that it can send again.
window.addEventListener('online', () => {
  const screen = SCREENS[screenOf(location.hash)];
  if (app.state.me && !(screen && screen.form)) app.render();
});
// The service worker: a notice arrived (the badge), or a tapped notice opens its screen here.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('message', (event) => {
    const message = event.data || {};
    if (message.type === 'darman:notice') refreshUnread(app);
    if (message.type === 'darman:open' && typeof message.hash === 'string' && message.hash.startsWith('#/')) app.go(message.hash);
  });
}
window.addEventListener('hashchange', () => app.render());

async function start() {
  await setLanguage(preferredLanguage());
  await whoIsSignedIn();
  await app.render();
  registerServiceWorker().catch((error) => console.warn('service worker', error));
}

start();
window.darman = app; // for the browser tests and the curious
