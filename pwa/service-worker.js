// Darman's service worker: the shell from a versioned cache, navigations network-first with the
// cached shell as the offline fallback. API answers are never cached here (health data lives in
// IndexedDB, per person). A new version waits until the page says "reload".
const VERSION = '__VERSION__'; // replaced by the server with a hash of the shell's files
const PREFIX = 'darman-shell-';
const CACHE = `${PREFIX}${VERSION}`;
const SHELL = __SHELL__; // the list of the shell's files, written by the server

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' })));
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

async function navigation(request) {
  try {
    const response = await fetch(request);
    if (response.ok) return response;
    throw new Error(`HTTP ${response.status}`);
  } catch {
    const cache = await caches.open(CACHE);
    return (await cache.match('/')) || Response.error();
  }
}

async function shellFile(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/healthz') return; // never cached
  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
    return;
  }
  if (SHELL.includes(url.pathname)) event.respondWith(shellFile(request));
});

// Push notices: always show one (inside waitUntil), JSON {title, body, url, kind, id} with a
// plain-text fallback; one tag per notice, so a push sent again replaces the first instead of
// showing twice. A click focuses an open window at the notice's screen, or opens one.
function noticeOf(data) {
  if (!data) return {};
  try {
    const parsed = data.json();
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    // not JSON: the text is the notice
  }
  return { body: data.text() };
}

/** Our own screens only: `/#/…` (or any same-origin path); anything else opens the inbox. */
function screenUrl(url) {
  const target = new URL(typeof url === 'string' && url ? url : '/#/notices', self.location.origin);
  return target.origin === self.location.origin ? target.href : new URL('/#/notices', self.location.origin).href;
}

self.addEventListener('push', (event) => {
  const notice = noticeOf(event.data);
  const title = typeof notice.title === 'string' && notice.title ? notice.title : 'درمان من';
  const id = Number.isInteger(notice.id) ? notice.id : null;
  event.waitUntil((async () => {
    await self.registration.showNotification(title, {
      body: typeof notice.body === 'string' ? notice.body : '',
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      lang: 'fa',
      dir: 'rtl',
      tag: id === null ? undefined : `darman-notice-${id}`,
      data: { url: screenUrl(notice.url), id },
    });
    const windows = await self.clients.matchAll({ type: 'window' });
    for (const client of windows) client.postMessage({ type: 'darman:notice' }); // the badge
  })());
});

/** Bring the app to a notice's screen: an open window of ours if there is one, else a new one. */
async function openNotice(data) {
  const target = screenUrl(data && data.url);
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const client = windows.find((c) => c.focused) || windows[0];
  if (!client) return self.clients.openWindow(target);
  await client.focus().catch(() => {}); // allowed while a notificationclick is handled
  try {
    return await client.navigate(target);
  } catch {
    // a window this worker does not control: the page goes there itself
    client.postMessage({ type: 'darman:open', hash: new URL(target).hash });
    return client;
  }
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openNotice(event.notification.data));
});

// The browser replaced the subscription (keys rotated, expired): send the new one.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil((async () => {
    const key = await (await fetch('/api/push/key', { credentials: 'same-origin' })).json();
    const subscription = event.newSubscription || await self.registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: key.public_key,
    });
    const csrf = await (await fetch('/api/auth/csrf', { credentials: 'same-origin' })).json();
    if (event.oldSubscription) {
      await fetch('/api/push/subscriptions', {
        method: 'DELETE', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf.csrf_token },
        body: JSON.stringify({ endpoint: event.oldSubscription.endpoint }),
      });
    }
    await fetch('/api/push/subscriptions', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf.csrf_token },
      body: JSON.stringify(subscription.toJSON()),
    });
  })());
});
