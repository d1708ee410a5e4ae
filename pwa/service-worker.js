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
// plain-text fallback; a click focuses an open window at the notice's screen, or opens one.
self.addEventListener('push', (event) => {
  let notice;
  try {
    notice = event.data ? event.data.json() : {};
  } catch {
    notice = { body: event.data.text() };
  }
  const title = notice.title || 'درمان من';
  event.waitUntil(self.registration.showNotification(title, {
    body: notice.body || '',
    icon: '/icons/icon-192.png',
    badge: '/icons/icon-192.png',
    lang: 'fa',
    dir: 'rtl',
    tag: notice.id ? `darman-${notice.id}` : undefined,
    data: { url: notice.url || '/#/notices', id: notice.id },
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data.url || '/', self.location.origin).href;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const client of windows) {
      if (new URL(client.url).origin === self.location.origin) {
        await client.focus();
        return client.navigate(target);
      }
    }
    return self.clients.openWindow(target);
  })());
});

// The browser replaced the subscription (keys rotated, expired): send the new one.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil((async () => {
    const key = await (await fetch('/api/push/key', { credentials: 'same-origin' })).json();
    const subscription = event.newSubscription || await self.registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: key.public_key,
    });
    const csrf = await (await fetch('/api/auth/csrf', { credentials: 'same-origin' })).json();
    await fetch('/api/push/subscriptions', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf.csrf_token },
      body: JSON.stringify(subscription.toJSON()),
    });
  })());
});
