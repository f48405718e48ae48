// Visit form: show only the parts that apply to the chosen result (the server clears the rest).

const form = document.getElementById("visit-form");

function sync() {
  const chosen = form.querySelector("input[name=result]:checked");
  const result = chosen ? chosen.value : "helped";
  for (const part of form.querySelectorAll("[data-results]")) {
    part.hidden = !part.dataset.results.split(" ").includes(result);
  }
}

if (form) {
  form.addEventListener("change", (event) => {
    if (event.target.name === "result") sync();
  });
  sync();
}
