// IndexedDB: the outbox ("outbox" store, one row per record, keyed by its client UUID) and
// small state ("meta": device token, reference data). Only pages open this database; the
// service worker never does, so installing a new app version cannot touch queued records.

const NAME = "fieldapp";
const VERSION = 1;
let opening = null;

export function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(NAME, VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "uuid" });
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "key" });
      };
      req.onsuccess = () => {
        const db = req.result;
        // A newer version of the app in another tab needs to upgrade: step aside, reopen later.
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      req.onerror = () => { opening = null; reject(req.error); };
    });
  }
  return opening;
}

// Resolves after the transaction commits, so "saved" really means on disk. Writes ask for
// strict durability: a phone that dies right after "saved" must still have the record.
async function run(storeName, mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode, mode === "readwrite" ? { durability: "strict" } : undefined);
    let result;
    const req = work(tx.objectStore(storeName));
    if (req) req.onsuccess = () => { result = req.result; };
    tx.oncomplete = () => resolve(result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

export const getRecord = (uuid) => run("outbox", "readonly", (s) => s.get(uuid));
export const putRecord = (record) => run("outbox", "readwrite", (s) => s.put(record));
export const deleteRecord = (uuid) => run("outbox", "readwrite", (s) => s.delete(uuid));
export const allRecords = () => run("outbox", "readonly", (s) => s.getAll());
export const getMeta = (key) => run("meta", "readonly", (s) => s.get(key)).then((row) => row && row.value);
export const setMeta = (key, value) => run("meta", "readwrite", (s) => s.put({ key, value }));
export const deleteMeta = (key) => run("meta", "readwrite", (s) => s.delete(key));

export function newUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Older browsers: a version-4 UUID from the same secure random source.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Device time with its UTC offset ("2025-05-10T09:30:00+07:00"): the server keeps both it
// and its own received time, and reads the date the user meant from it.
export function localIso(d = new Date()) {
  const p = (n) => String(n).padStart(2, "0");
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:`
    + `${p(d.getMinutes())}:${p(d.getSeconds())}${sign}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
}
