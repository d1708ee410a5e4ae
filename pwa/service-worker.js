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
