// Sends the outbox to POST /api/v1/sync with the device token (never cookies, never CSRF).
// A record leaves the outbox only when the server's JSON answer names its uuid as created,
// duplicate or updated. No network, a timeout, 401, 5xx or a captive portal's 200 HTML page
// acknowledge nothing, so they remove nothing.

import { allRecords, deleteMeta, deleteRecord, getMeta, getRecord, putRecord, setMeta } from "./store.js";

const BATCH = 100;
const TIMEOUT_MS = 30000;
const REFERENCE_MAX_AGE_MS = 10 * 60 * 1000;
const ACKNOWLEDGED = new Set(["created", "duplicate", "updated"]);

export class NeedLogin extends Error {}

function request(url, options = {}) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  return fetch(url, { ...options, signal: abort.signal }).finally(() => clearTimeout(timer));
}

const bearer = (auth) => ({ Authorization: `Bearer ${auth.token}` });

// The parsed JSON body of an API answer, or an error: anything but a JSON object is not an answer.
async function json(resp) {
  if (resp.status === 401) throw new NeedLogin();
  if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
  if (!(resp.headers.get("Content-Type") || "").includes("application/json")) throw new Error("not JSON");
  const body = await resp.json();
  if (!body || typeof body !== "object") throw new Error("not an object");
  return body;
}

// The device token, when it is usable for this user's records.
export async function currentAuth() {
  const auth = await getMeta("auth");
  return auth && auth.token && !auth.invalid ? auth : null;
}

async function markInvalid() {
  const auth = await getMeta("auth");
  if (auth) await setMeta("auth", { ...auth, invalid: true });
}

function deviceLabel() {
  const ua = navigator.userAgent;
  const os = (ua.match(/Android|iPhone|iPad|Windows|Macintosh|Linux/) || ["?"])[0];
  const browser = (ua.match(/SamsungBrowser|Edg|Firefox|Chrome|Safari/) || ["?"])[0];
  return `${browser} · ${os}`;
}

// Exchange the user's credentials for a device token and keep it in IndexedDB.
// Returns {ok} or {ok: false, status, message} with the server's (translated) message.
export async function requestToken(username, password) {
  const resp = await request("/api/v1/auth/token", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password, label: deviceLabel() }),
  });
  let body = null;
  try { body = await resp.json(); } catch { /* not JSON: reported as a failure below */ }
  if (!resp.ok || !body || !body.token) {
    return { ok: false, status: resp.status, message: body && body.error ? body.error.message : "" };
  }
  await setMeta("auth", { token: body.token, username: body.user.username, expires_at: body.expires_at });
  return { ok: true };
}

// Sign-out: revoke the token on the server (best effort) and forget it and the copies of
// households; queued records stay for the next sign-in.
export async function forgetDevice() {
  const auth = await getMeta("auth");
  if (auth && auth.token) {
    try { await request("/api/v1/auth/token", { method: "DELETE", credentials: "omit", headers: bearer(auth) }); } catch { /* offline */ }
  }
  await deleteMeta("auth");
  await deleteMeta("reference");
  if (window.caches) {
    for (const key of await caches.keys()) if (key.startsWith("pages-")) await caches.delete(key);
  }
}

// Offline copies for the forms: the user's thôn, catalogues and the thôn's households.
export async function refreshReference(force = false) {
  const auth = await currentAuth();
  if (!auth) return;
  const current = await getMeta("reference");
  if (!force && current && current.user === auth.username && Date.now() - current.at < REFERENCE_MAX_AGE_MS) return;
  try {
    const data = await json(await request("/api/v1/reference", { credentials: "omit", headers: bearer(auth) }));
    await setMeta("reference", { at: Date.now(), user: auth.username, data });
  } catch (err) {
    if (err instanceof NeedLogin) await markInvalid();
    else throw err;
  }
}

// A record naming another queued record (a visit's household_uuid) waits while that one
// cannot be sent: sending it first would only get it rejected.
function heldBack(record, queued) {
  return Object.entries(record.data || {}).some(([key, value]) => {
    const other = key.endsWith("_uuid") && queued.get(String(value).toLowerCase());
    return other && other.status !== "pending";
  });
}

// One sync run. Returns {sent, created}; throws NeedLogin, or an Error when the server
// acknowledged nothing. `order` maps record types to the server's dependency order.
async function syncLocked(order) {
  const auth = await currentAuth();
  if (!auth) throw new NeedLogin();
  const tried = new Set();
  let sent = 0;
  let created = 0;
  for (;;) {
    const all = await allRecords();
    const queued = new Map(all.map((r) => [r.uuid.toLowerCase(), r]));
    const ready = all.filter((r) => r.status === "pending" && !tried.has(r.uuid) && (r.user || auth.username) === auth.username
      && !heldBack(r, queued));
    if (!ready.length) break;
    // Households before the visits that name them, oldest first: also across batches.
    ready.sort((a, b) => (order[a.type] ?? 50) - (order[b.type] ?? 50) || a.created - b.created);
    const batch = ready.slice(0, BATCH);
    batch.forEach((r) => tried.add(r.uuid));
    const records = batch.map((r) => ({
      type: r.type, uuid: r.uuid, client_time: r.client_time, data: r.data,
      ...(r.base_version ? { base_version: r.base_version } : {}),
    }));
    let body;
    try {
      body = await json(await request("/api/v1/sync", {
        method: "POST", credentials: "omit",
        headers: { ...bearer(auth), "Content-Type": "application/json" },
        body: JSON.stringify({ records }),
      }));
    } catch (err) {
      if (err instanceof NeedLogin) await markInvalid();
      throw err;
    }
    if (!Array.isArray(body.results)) throw new Error("no results");
    const results = new Map(body.results.filter((r) => r && r.uuid).map((r) => [String(r.uuid).toLowerCase(), r]));
    for (const sentRecord of batch) {
      const result = results.get(sentRecord.uuid.toLowerCase());
      if (!result) continue; // not mentioned: not acknowledged
      const now = await getRecord(sentRecord.uuid);
      // Edited on this phone while in flight: the server has the old content; keep the new.
      if (!now || now.rev !== sentRecord.rev) continue;
      if (ACKNOWLEDGED.has(result.status)) {
        await deleteRecord(sentRecord.uuid);
        sent += 1;
        if (result.status === "created") created += 1;
      } else if (result.status === "rejected" || result.status === "conflict") {
        await putRecord({ ...now, status: result.status, errors: result.errors || {},
          server_version: result.version ?? now.server_version });
      }
    }
  }
  return { sent, created };
}

let running = null;

// Sync now. One run per tab at a time, and a Web Lock queues runs of other tabs, so a tab
// reads the outbox only after another tab's run has removed what the server acknowledged.
// (Without Web Locks two tabs may both send a record: the server stores it once, by uuid.)
export function syncNow(order = {}) {
  if (!running) {
    const work = () => syncLocked(order);
    running = (navigator.locks ? navigator.locks.request("fieldapp-sync", work) : work())
      .finally(() => { running = null; });
  }
  return running;
}
