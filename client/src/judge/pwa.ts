// The judge's tablet as an installable app that opens without network: a small hand-written service worker
// (client/public/sw.js) keeps the app shell. Production builds only: in development Vite serves modules
// that must never be cached.

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker
    .register('/sw.js')
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      // The worker starts after this page loaded its scripts (the judge's chunk among them): hand it their
      // addresses so the offline copy holds exactly what this build needs.
      const urls = performance
        .getEntriesByType('resource')
        .map((e) => new URL(e.name))
        .filter((u) => u.origin === location.origin && u.pathname.startsWith('/assets/'))
        .map((u) => u.pathname);
      registration.active?.postMessage({ type: 'cache-shell', urls });
    })
    .catch(() => undefined); // no service worker (plain HTTP on a LAN): everything else still works
}
