// Offline visit entry: pick the household from the phone's copy of the thôn's households
// (reference data) or from households still in the outbox, then save through the outbox.
// A household known to the server is named by household_id, one still queued by household_uuid.

import { allRecords, getMeta } from "./store.js";

const form = document.getElementById("visit-form");
const S = JSON.parse(document.getElementById("quick-visit").textContent);
const search = document.getElementById("household-q");
const list = document.getElementById("household-list");
const picked = document.getElementById("picked");
const finder = document.getElementById("finder");
const field = (name) => form.elements[name];
const SHOWN = 30;
let households = [];

// Diacritic-free, like the server's search: "nguyen van duc" finds "Nguyễn Văn Đức".
const fold = (s) => (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();

function row(h) {
  const li = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "row pick";
  const name = document.createElement("strong");
  name.textContent = h.name;
  const more = document.createElement("span");
  more.className = "muted";
  more.textContent = [h.address || "–", S.adults.replace("{n}", h.adults)].join(" · ");
  button.append(name, more);
  if (h.queued) {
    const tag = document.createElement("span");
    tag.className = "tag warn";
    tag.textContent = S.notSent;
    name.append(tag);
  }
  button.addEventListener("click", () => choose(h, true));
  li.append(button);
  return li;
}

function render() {
  const q = fold(search.value.trim());
  const found = households.filter((h) => h.key.includes(q)).slice(0, SHOWN);
  if (found.length) list.replaceChildren(...found.map(row));
  else {
    const li = document.createElement("li");
    li.className = "muted row";
    li.textContent = households.length ? S.noHousehold : S.noReference;
    list.replaceChildren(li);
  }
}

// fresh: a new pick, so the household's current figures become the defaults.
function choose(h, fresh) {
  field("household_id").value = h.queued ? "" : String(h.id);
  field("household_uuid").value = h.queued ? h.uuid : "";
  form.dataset.outboxSummary = h.name;
  picked.querySelector("strong").textContent = h.name;
  picked.querySelector(".muted").textContent = [h.address || "–", S.adults.replace("{n}", h.adults)].join(" · ");
  picked.hidden = false;
  finder.hidden = true;
  for (const name of ["adults_guided", "adults_dvctt_after", "adults_vneid2_after"]) field(name).max = h.adults;
  if (fresh) {
    field("adults_guided").value = Math.min(1, h.adults);
    field("adults_dvctt_after").value = h.dvctt ?? "";
    field("adults_vneid2_after").value = h.vneid2 ?? "";
  }
  form.querySelector("#household-picker .pick-error")?.remove();
}

function repick() {
  field("household_id").value = "";
  field("household_uuid").value = "";
  picked.hidden = true;
  finder.hidden = false;
  search.focus();
}

async function load() {
  const reference = await getMeta("reference");
  const known = (reference && reference.data.households) || [];
  const uuids = new Set(known.map((h) => h.uuid));
  const queued = (await allRecords())
    .filter((r) => r.type === "household" && !uuids.has(r.uuid))
    .map((r) => ({ uuid: r.uuid, queued: true, name: r.data.head_name || "", address: r.data.address || "",
      adults: Number(r.data.adults) || 0, dvctt: r.data.adults_dvctt, vneid2: r.data.adults_vneid2 }));
  households = [...queued, ...known.map((h) => ({ id: h.id, uuid: h.uuid, name: h.head_name, address: h.address,
    adults: h.adults, dvctt: h.adults_dvctt, vneid2: h.adults_vneid2 }))];
  households.forEach((h) => { h.key = fold(`${h.name} ${h.address}`); });
  render();
  if (showFilled()) return;
  // Opened as a stand-in for a household's own visit page, or with ?household=<id or uuid>.
  const wanted = new URLSearchParams(location.search).get("household")
    || (location.pathname.match(/^\/households\/(\d+)\/visits\/new$/) || [])[1];
  const h = wanted && households.find((x) => String(x.id) === wanted || x.uuid === wanted);
  if (h) choose(h, true);
}

// A record re-opened from the outbox (before or after the list loaded): show its household
// as picked and keep the figures it was saved with.
function showFilled() {
  const id = field("household_id").value;
  const uuid = field("household_uuid").value;
  const h = households.find((x) => (id && String(x.id) === id) || (uuid && x.uuid === uuid));
  if (h) choose(h, false);
  return Boolean(id || uuid);
}
form.addEventListener("outbox:filled", showFilled);

// Runs before outbox.js (which listens on the document): no household, no record.
form.addEventListener("submit", (event) => {
  if (field("household_id").value || field("household_uuid").value) return;
  event.preventDefault();
  if (!form.querySelector(".pick-error")) {
    const p = document.createElement("p");
    p.className = "error pick-error";
    p.textContent = S.pick;
    document.getElementById("household-picker").append(p);
  }
  search.focus();
});

search.addEventListener("input", render);
document.getElementById("repick").addEventListener("click", repick);
document.getElementById("standin-note").hidden = location.pathname === form.dataset.outboxUrl;
load();
