// Import pages: while a file is read or written, show that the page is working.
for (const form of document.querySelectorAll("form[data-busy]")) {
  form.addEventListener("submit", () => {
    const busy = form.querySelector(".busy");
    if (busy) busy.hidden = false;
    for (const button of form.querySelectorAll("button")) button.setAttribute("aria-disabled", "true");
  });
}
