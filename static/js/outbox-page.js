// The outbox page: every record still on this phone, its status and the server's reasons;
// correct (re-open its form pre-filled) and resend, or delete after confirmation.

import { changed, config, run, unsent } from "./outbox.js";
import { deleteRecord } from "./store.js";
import { requestToken } from "./sync.js";

const { forms, strings: S } = JSON.parse(document.getElementById("outbox-page").textContent);
const list = document.getElementById("outbox-list");
const status = document.getElementById("outbox-status");
const login = document.getElementById("outbox-login");
const when = new Intl.DateTimeFormat(document.documentElement.lang || "vi", { dateStyle: "short", timeStyle: "short" });
const TAG = { pending: "", rejected: "err", conflict: "warn" };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function item(record) {
  const li = el("li", "outbox-item");
  li.dataset.uuid = record.uuid;
  li.dataset.status = record.status;
  const head = el("p", "outbox-head");
  head.append(el("strong", "", S.types[record.type] || record.type), " ",
    el("span", `tag ${TAG[record.status] || ""}`, S.status[record.status] || record.status));
  li.append(head, el("span", "muted", [record.summary, when.format(new Date(record.created))].filter(Boolean).join(" · ")));
  const reasons = Object.values(record.errors || {}).flat();
  for (const reason of reasons) li.append(el("p", "error", reason));
  if (record.user && record.user !== config.user) li.append(el("p", "hint", S.otherUser.replace("{user}", record.user)));
  const actions = el("div", "actions");
  const form = record.url || forms[record.type];
  if (form && record.user === config.user) {
    const edit = el("a", "button", S.edit);
    edit.href = `${form}?outbox=${encodeURIComponent(record.uuid)}`;
    actions.append(edit);
  }
  const remove = el("button", "button danger", S.delete);
  remove.type = "button";
  remove.addEventListener("click", async () => {
    if (!window.confirm(S.confirmDelete)) return;
    await deleteRecord(record.uuid);
    changed();
  });
  actions.append(remove);
  li.append(actions);
  return li;
}

async function render() {
  const { records, needLogin } = await unsent();
  records.sort((a, b) => a.created - b.created);
  list.replaceChildren(...(records.length ? records.map(item) : [el("li", "muted row", S.empty)]));
  login.hidden = !needLogin;
}

async function send() {
  status.textContent = S.sending;
  const outcome = await run();
  status.textContent = { sent: S.sent, offline: S.offline, failed: S.failed, login: "" }[outcome];
  await render();
}

document.getElementById("outbox-send").addEventListener("click", send);
login.addEventListener("submit", async (event) => {
  event.preventDefault();
  const password = document.getElementById("outbox-password");
  login.querySelector(".error")?.remove();
  let result;
  try {
    result = await requestToken(config.user, password.value);
  } catch {
    result = { ok: false, message: S.offline };
  }
  if (!result.ok) {
    login.querySelector(".field").append(el("p", "error", result.message || S.wrongPassword));
    return;
  }
  password.value = "";
  await send();
});
window.addEventListener("outbox:changed", render);
render();
