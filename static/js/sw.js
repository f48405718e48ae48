// Service worker, served as /sw.js by fieldapp/pwa/routes.py, which prepends:
//   BUILD     content hash of the shell files: a new value makes a new worker and new caches
//   SHELL     static files (content-hashed names) and the offline page, precached
//   PAGES     form screens that hold no personal data: network-first, cached for offline use
//   STANDINS  [path regex, page]: a personal-data screen (never cached) opens this offline
//   OFFLINE   the page for everything else
// It never opens IndexedDB: the outbox lives there, so no version change can lose it.
/* global BUILD, SHELL, PAGES, STANDINS, OFFLINE */

const SHELL_CACHE = `shell-${BUILD}`;
const PAGE_CACHE = `pages-${BUILD}`;
const SHELL_SET = new Set(SHELL);
// A static file's name without its content hash: /static/css/app.3f2a9c1b7d0e.css -> /static/css/app.css.
const unhashed = (path) => path.replace(/\.[0-9a-f]{12}(\.[\w]+)$/, "$1");
// Each file's current hashed name, by its plain name. A screen kept before an update names the
// files it was served with; offline they are answered with the current ones (old ones are gone).
const CURRENT = new Map(SHELL.map((url) => [unhashed(url), url]));
const PAGE_SET = new Set(PAGES);
const STANDIN_RULES = STANDINS.map(([pattern, page]) => [new RegExp(pattern), page]);
// On a crawling connection a cached form opens after this long rather than never.
const NETWORK_WAIT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const pages = await caches.open(PAGE_CACHE);
    for (const key of await caches.keys()) {
      if (key === SHELL_CACHE || key === PAGE_CACHE) continue;
      if (key.startsWith("pages-")) {
        // Carry the cached screens over, so an update just before going offline costs nothing;
        // the network replaces them on the next visit.
        const old = await caches.open(key);
        for (const req of await old.keys()) {
          const path = new URL(req.url).pathname;
          if (PAGE_SET.has(path) && !(await pages.match(path))) await pages.put(path, await old.match(req));
        }
      }
      await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

const page = async (path) => (await caches.open(PAGE_CACHE)).match(path);

// Keep a fresh copy of a form screen: only a real 200 HTML page, never a redirect (to the
// login page) or an error, and without the one-time flash messages it happened to carry.
async function keep(path, resp) {
  const type = resp.headers.get("Content-Type") || "";
  if (resp.status !== 200 || resp.redirected || resp.type !== "basic" || !type.startsWith("text/html")) return;
  // base.html's flashed messages are exactly <p class="flash flash-x" role="status|alert">.
  const html = (await resp.text()).replace(/<p class="flash flash-\w+" role="(?:status|alert)">[\s\S]*?<\/p>/g, "");
  const headers = new Headers(resp.headers); // the CSP and the other security headers stay
  headers.delete("Content-Length");
  headers.delete("Content-Encoding");
  await (await caches.open(PAGE_CACHE)).put(path, new Response(html, { status: 200, headers }));
}

async function fallback(path) {
  for (const [pattern, standin] of STANDIN_RULES) {
    if (pattern.test(path)) {
      const hit = await page(standin);
      if (hit) return hit;
    }
  }
  return (await page(OFFLINE)) || (await caches.match(OFFLINE, { cacheName: SHELL_CACHE })) || Response.error();
}

async function navigate(path, network) {
  if (!PAGE_SET.has(path)) return network.catch(() => fallback(path));
  const cached = await page(path);
  if (!cached) return network.catch(() => fallback(path));
  const slow = new Promise((resolve) => { setTimeout(() => resolve(cached), NETWORK_WAIT_MS); });
  return Promise.race([network, slow]).catch(() => cached);
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== location.origin) return;
  const shell = SHELL_SET.has(url.pathname) ? url.pathname : CURRENT.get(unhashed(url.pathname));
  if (shell && shell !== OFFLINE) {
    event.respondWith(caches.match(shell, { cacheName: SHELL_CACHE }).then((hit) => hit || fetch(req)));
    return;
  }
  if (req.mode !== "navigate") return; // the API and everything else: straight to the network
  const path = url.pathname;
  const network = fetch(req).then((resp) => {
    // Clone before the page reads the body; store it while the page is already showing.
    if (PAGE_SET.has(path)) event.waitUntil(keep(path, resp.clone()).catch(() => {}));
    return resp;
  });
  event.waitUntil(network.catch(() => {})); // keeps the worker alive until the copy is stored
  event.respondWith(navigate(path, network));
});

// Pages ask for their user's field screens to be kept (after sign-in, after an update).
// Requests run one after another: a page asks twice when this worker takes control of it, and
// the second run must find the screens the first one stored rather than download them again.
let warming = Promise.resolve();
self.addEventListener("message", (event) => {
  const msg = event.data || {};
  if (msg.type !== "warm" || !Array.isArray(msg.urls)) return;
  warming = warming.then(async () => {
    for (const url of msg.urls) {
      const path = new URL(url, location.origin).pathname;
      if (!PAGE_SET.has(path) || await page(path)) continue;
      try {
        await keep(path, await fetch(path, { credentials: "same-origin" }));
      } catch { /* offline: the next page load asks again */ }
    }
  });
  event.waitUntil(warming);
});
