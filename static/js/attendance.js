// Attendance sheet: filter the names as you type (no diacritics needed) and count the ticks.
// The server renders data-folded on each row; without this file ?q= does the same filtering.

const fold = (text) =>
  text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
    .toLowerCase().replace(/\s+/g, " ").trim();

const box = document.getElementById("attendance-q");
const list = document.getElementById("attendance-list");
const count = document.getElementById("attendance-count");

if (box && list) {
  const rows = [...list.querySelectorAll("li[data-folded]")];

  const filter = () => {
    const words = fold(box.value).split(" ").filter(Boolean);
    for (const row of rows) {
      // Hidden rows stay in the form, so their ticks are still sent on Save.
      row.hidden = !words.every((w) => row.dataset.folded.includes(w));
    }
  };

  box.addEventListener("input", filter);
  // Typing filters at once; Enter must not reload the page and lose unsaved ticks.
  box.form.addEventListener("submit", (event) => event.preventDefault());

  list.addEventListener("change", () => {
    if (count) count.textContent = list.querySelectorAll("input[name=person]:checked").length;
  });
}
