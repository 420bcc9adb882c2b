// Service worker of the judge's tablet (registered by client/src/judge/pwa.ts in production builds).
// It keeps the app shell so that a reload without network still opens the judging screens; the scores
// themselves live in IndexedDB. API answers are never kept, except who is signed in (the app needs it to
// start), which is dropped on every sign-in, sign-out or 401.
const SHELL = 'pingxuan-shell-v1';
const ME = 'pingxuan-me-v1';
const ME_URL = '/api/auth/me';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(['/', '/manifest.webmanifest', '/icon.svg']))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== ME).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function keepMe(response) {
  if (response.ok) {
    const copy = response.clone();
    return caches.open(ME).then((cache) => cache.put(ME_URL, copy));
  }
  if (response.status === 401) return caches.delete(ME);
  return Promise.resolve();
}

// The page lists the scripts and styles it loaded before this worker took over; who is signed in was asked
// before too, so it is asked again here to have it for a start without network.
self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'cache-shell' || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((u) => typeof u === 'string' && u.startsWith('/assets/'));
  event.waitUntil(
    Promise.all([
      caches.open(SHELL).then((cache) => cache.addAll(urls)),
      fetch(ME_URL, { credentials: 'same-origin', cache: 'no-store' }).then(keepMe),
    ]).catch(() => undefined),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.method !== 'GET') {
    if (url.pathname.startsWith('/api/auth/')) event.waitUntil(caches.delete(ME));
    return;
  }

  // Pages: the network when there is one (so a new version shows at once), else the kept shell.
  if (request.mode === 'navigate' && !url.pathname.startsWith('/api/')) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            event.waitUntil(caches.open(SHELL).then((cache) => cache.put('/', copy)));
          }
          return response;
        })
        .catch(() => caches.match('/', { cacheName: SHELL }).then((hit) => hit || Response.error())),
    );
    return;
  }

  // Built files have content hashes in their names: a kept copy is always right.
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(request, { cacheName: SHELL }).then(
        (hit) =>
          hit ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              event.waitUntil(caches.open(SHELL).then((cache) => cache.put(request, copy)));
            }
            return response;
          }),
      ),
    );
    return;
  }

  if (url.pathname === ME_URL) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          event.waitUntil(keepMe(response));
          return response;
        })
        .catch(() => caches.match(ME_URL, { cacheName: ME }).then((hit) => hit || Response.error())),
    );
  }
});
