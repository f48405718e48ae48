// The outbox on every page: any <form data-outbox="TYPE"> is saved to IndexedDB with a
// client UUID and then synced, online or offline alike; the top-bar badge counts what is
// not sent yet. Sync runs on page load, on the `online` event, from the outbox page, and
// with backoff (30 s doubling to 15 min) while records wait. Texts come from the page.

import { allRecords, getRecord, localIso, newUuid, putRecord } from "./store.js";
import { currentAuth, forgetDevice, NeedLogin, refreshReference, syncNow } from "./sync.js";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => { /* the app works without it */ });
}

const configNode = document.getElementById("pwa-config");
export const config = configNode ? JSON.parse(configNode.textContent) : null;
const S = config ? config.strings : {};
const SKIP = /^(csrf_token|back|confirm_duplicate)$/;
const FIRST_TRY_MS = 30000;
const LONGEST_WAIT_MS = 15 * 60 * 1000;
const channel = "BroadcastChannel" in window ? new BroadcastChannel("fieldapp-outbox") : null;

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

// Tell this tab and the others that the outbox changed.
export function changed() {
  window.dispatchEvent(new Event("outbox:changed"));
  if (channel) channel.postMessage("changed");
}

export async function unsent() {
  const records = await allRecords();
  const auth = await currentAuth();
  const needLogin = records.some((r) => r.status === "pending" && (!auth || (r.user || auth.username) !== auth.username));
  return { records, needLogin };
}

async function updateBadge() {
  const badge = document.getElementById("outbox-badge");
  if (!badge) return;
  const { records, needLogin } = await unsent();
  const n = records.length;
  badge.querySelector(".count").textContent = String(n);
  badge.dataset.count = String(n);
  const relogin = badge.querySelector(".relogin");
  relogin.textContent = S.needLogin;
  relogin.hidden = !needLogin;
  badge.classList.toggle("has-unsent", n > 0);
  badge.setAttribute("aria-label", S.unsent.replace("{n}", n) + (needLogin ? `. ${S.needLogin}` : ""));
  badge.hidden = false;
}

let failures = 0;
let timer = 0;

// One sync attempt, then the next one scheduled while anything waits.
// Returns "sent", "offline", "login" or "failed" for the outbox page.
export async function run() {
  clearTimeout(timer);
  let outcome = "offline";
  if (navigator.onLine) {
    try {
      const { created } = await syncNow(config.order);
      failures = 0;
      // New households get their server ids: the offline visit picker needs them.
      if (created) refreshReference(true).catch(() => {});
      outcome = "sent";
    } catch (err) {
      outcome = err instanceof NeedLogin ? "login" : "failed";
      if (outcome === "failed") failures += 1;
    }
    changed();
  }
  await updateBadge();
  if ((await allRecords()).some((r) => r.status === "pending")) {
    timer = setTimeout(run, Math.min(FIRST_TRY_MS * 2 ** failures, LONGEST_WAIT_MS));
  }
  return outcome;
}

// The form's fields as the record's JSON data: names as on the server form, numbers as
// numbers, a lone checkbox as true/false, a checkbox group or multi-select as a list.
// Blank fields are left out, so the server's defaults apply exactly as for a form post.
function serialize(form) {
  const data = {};
  const seen = new Set();
  const values = new FormData(form);
  for (const el of form.elements) {
    const name = el.name;
    if (!name || el.disabled || seen.has(name) || SKIP.test(name) || /submit|button|file|reset/.test(el.type)) continue;
    seen.add(name);
    const group = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
    if (el.type === "checkbox" && group.length === 1) data[name] = el.checked;
    else if (el.type === "checkbox" || el.multiple) data[name] = values.getAll(name);
    else {
      const value = values.get(name);
      if (value === null || value === "") continue;
      data[name] = el.type === "number" && Number.isFinite(Number(value)) ? Number(value) : value;
    }
  }
  return data;
}

// Put a record's data back into its form (correcting a rejected record).
function fill(form, data) {
  for (const el of form.elements) {
    const name = el.name;
    if (!name || SKIP.test(name) || /submit|button|file|reset/.test(el.type)) continue;
    if (!(name in data) && el.type === "hidden") continue; // keep what the server put there
    const value = data[name];
    if (el.type === "checkbox") el.checked = Array.isArray(value) ? value.includes(el.value) : value === true;
    else if (el.type === "radio") el.checked = String(value ?? "") === el.value;
    else if (el.multiple) for (const o of el.options) o.selected = (value || []).includes(o.value);
    else el.value = value ?? "";
  }
  // Let page scripts react (the visit form shows the parts its result needs).
  for (const el of form.elements) if (el.name) el.dispatchEvent(new Event("change", { bubbles: true }));
}

function notice(form, text, errors = []) {
  form.querySelector(".outbox-notice")?.remove();
  const box = document.createElement("div");
  box.className = "flash flash-warning outbox-notice";
  box.setAttribute("role", "alert");
  for (const line of [text, ...errors]) {
    const p = document.createElement("p");
    p.textContent = line;
    box.append(p);
  }
  form.prepend(box);
}

// The server's reasons next to their fields; reasons without a field go in the notice.
function showErrors(form, errors) {
  form.querySelectorAll(".outbox-error").forEach((el) => el.remove());
  const loose = [];
  for (const [name, messages] of Object.entries(errors || {})) {
    const el = form.elements[name];
    const node = el && (el instanceof RadioNodeList ? el[0] : el);
    const box = node && node.closest(".field, fieldset");
    if (!box) { loose.push(...messages); continue; }
    box.classList.add("has-error");
    for (const message of messages) {
      const p = document.createElement("p");
      p.className = "error outbox-error";
      p.textContent = message;
      box.append(p);
    }
  }
  return loose;
}

function openForCorrection(form, record) {
  form.dataset.outboxUuid = record.uuid;
  notice(form, S.editing, showErrors(form, record.errors));
  form.dispatchEvent(new CustomEvent("outbox:filled", { detail: record }));
}

function summarize(form) {
  if (form.dataset.outboxSummary) return form.dataset.outboxSummary;
  const text = [...form.querySelectorAll("input[type=text], textarea")].find((el) => el.value.trim());
  return text ? text.value.trim().slice(0, 80) : "";
}

function nextUrl(form, editing) {
  if (editing) return config.outbox;
  if (form.dataset.outboxNext) return form.dataset.outboxNext;
  try {
    const back = new URL(document.referrer);
    if (back.origin === location.origin && back.pathname !== location.pathname) return back.pathname + back.search;
  } catch { /* no referrer */ }
  return "/";
}

async function save(form) {
  const editing = form.dataset.outboxUuid ? await getRecord(form.dataset.outboxUuid) : null;
  const data = serialize(form);
  const record = editing
    ? { ...editing, data, status: "pending", errors: {}, rev: (editing.rev || 0) + 1,
      // Correcting a conflict means "my version wins": send it as an edit of the stored one.
      base_version: editing.status === "conflict" ? editing.server_version : editing.base_version }
    : { uuid: newUuid(), type: form.dataset.outbox, data, client_time: localIso(), created: Date.now(),
      status: "pending", errors: {}, user: config.user, rev: 1,
      url: form.dataset.outboxUrl || location.pathname };
  record.summary = summarize(form);
  await putRecord(record);
  changed();
  return { record, editing: Boolean(editing) };
}

async function onOutboxSubmit(form) {
  if (form.dataset.busy) return; // a double tap must not queue the record twice
  form.dataset.busy = "1";
  let saved;
  try {
    saved = await save(form);
  } catch {
    delete form.dataset.busy;
    // No usable IndexedDB (private mode, full disk): online, the server takes the form as before.
    if (navigator.onLine && !form.hasAttribute("data-outbox-only")) form.submit();
    else window.alert(S.storeFailed);
    return;
  }
  let message = S.saved;
  if (navigator.onLine) {
    await Promise.race([run(), sleep(8000)]);
    const now = await getRecord(saved.record.uuid);
    if (!now) message = S.sent;
    else if (now.status !== "pending") {
      // Refused at once: show the reasons on the form, as a server form post would.
      delete form.dataset.busy;
      openForCorrection(form, now);
      form.scrollIntoView({ block: "start" });
      return;
    }
  }
  sessionStorage.setItem("outbox-flash", message);
  location.assign(nextUrl(form, saved.editing));
}

async function onLogoutSubmit(form) {
  let n = 0;
  try { n = (await allRecords()).length; } catch { /* no IndexedDB: nothing queued */ }
  if (n && !window.confirm(S.logoutWarn.replace("{n}", n))) return;
  form.dataset.leaving = "1";
  await Promise.race([forgetDevice().catch(() => {}), sleep(3000)]);
  form.submit();
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!config || event.defaultPrevented) return; // app.js's confirm or a page script said no
  if (form.dataset.outbox) {
    event.preventDefault();
    onOutboxSubmit(form);
  } else if (form.hasAttribute("data-logout") && !form.dataset.leaving) {
    event.preventDefault();
    onLogoutSubmit(form);
  }
});

// A page cached yesterday still says yesterday in its date fields: move them to today.
function refreshDates(form) {
  const today = localIso().slice(0, 10);
  if (!config.today || config.today === today) return;
  for (const el of form.querySelectorAll("input[type=date]")) {
    if (el.value === config.today) el.value = today;
    for (const attr of ["min", "max"]) if (el.getAttribute(attr) === config.today) el.setAttribute(attr, today);
  }
}

async function start() {
  document.querySelectorAll("form[data-outbox]").forEach(refreshDates);
  const flash = sessionStorage.getItem("outbox-flash");
  if (flash) {
    sessionStorage.removeItem("outbox-flash");
    const p = document.createElement("p");
    p.className = "flash flash-info";
    p.setAttribute("role", "status");
    p.textContent = flash;
    document.getElementById("main").prepend(p);
  }
  const editUuid = new URLSearchParams(location.search).get("outbox");
  const record = editUuid && await getRecord(editUuid);
  const form = record && document.querySelector(`form[data-outbox="${CSS.escape(record.type)}"]`);
  if (form) {
    fill(form, record.data);
    openForCorrection(form, record);
  }
  // Ask the browser not to evict the outbox when storage runs low or the app sits idle.
  if (navigator.storage && navigator.storage.persist) navigator.storage.persisted().then((yes) => yes || navigator.storage.persist());
  window.addEventListener("outbox:changed", updateBadge);
  if (channel) channel.onmessage = () => window.dispatchEvent(new Event("outbox:changed"));
  window.addEventListener("online", () => { failures = 0; run().then(() => refreshReference().catch(() => {})); });
  await run();
  if (navigator.onLine) refreshReference().catch(() => {});
  if ("serviceWorker" in navigator) {
    // Keep this user's field screens in the service worker's cache for offline use.
    const warm = () => navigator.serviceWorker.ready.then((reg) => reg.active && reg.active.postMessage({ type: "warm", urls: config.warm }));
    warm();
    navigator.serviceWorker.addEventListener("controllerchange", warm);
  }
}

if (config) start();
