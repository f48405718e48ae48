// Sign-in also gets this phone a device token (kept in IndexedDB) with the same credentials,
// so records queued for days still sync after the web session has expired. Offline, or if
// the API is unreachable, the form is simply sent; the outbox page can get a token later.

import { requestToken } from "./sync.js";

const form = document.querySelector("form[data-device-token]");

// Shown where the server shows its sign-in errors.
function showError(message) {
  document.querySelector(".token-error")?.remove();
  const p = document.createElement("p");
  p.className = "flash flash-error token-error";
  p.setAttribute("role", "alert");
  p.textContent = message;
  document.getElementById("main").prepend(p);
}

form?.addEventListener("submit", async (event) => {
  const username = form.elements.username.value.trim();
  const password = form.elements.password.value;
  if (form.dataset.sent || !navigator.onLine || !username || !password) return;
  event.preventDefault();
  let result = null;
  try {
    result = await requestToken(username, password);
  } catch { /* network trouble: sign in without a token */ }
  if (result && !result.ok && (result.status === 401 || result.status === 429)) {
    // Same answer the form would give; not sending it keeps one failed attempt counted once.
    showError(result.message);
    return;
  }
  form.dataset.sent = "1";
  form.submit();
});
