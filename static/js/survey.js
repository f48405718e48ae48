// One group of survey questions per screen on a phone. Without this file the form is
// one long page with the same groups, so nothing depends on it.

function stepper(form) {
  const steps = [...form.querySelectorAll("fieldset.step")];
  if (steps.length < 2) return;
  const bar = document.createElement("div");
  bar.className = "actions pager";
  const counter = document.createElement("span");
  counter.className = "muted";
  counter.setAttribute("aria-live", "polite");

  const button = (text, extra) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `button ${extra}`;
    b.textContent = text;
    return b;
  };
  const back = button(form.dataset.back, "");
  const next = button(form.dataset.next, "primary");

  // Open on the first group with an error, so a rejected form shows what to fix.
  let current = Math.max(0, steps.findIndex((s) => s.querySelector(".error")));

  function show(index, move) {
    current = index;
    steps.forEach((step, i) => { step.hidden = i !== index; });
    const parts = [index > 0 ? back : document.createElement("span"), counter];
    if (index < steps.length - 1) parts.push(next);
    bar.replaceChildren(...parts);
    counter.textContent = `${index + 1} / ${steps.length}`;
    if (move) {
      const legend = steps[index].querySelector("legend");
      legend.tabIndex = -1;
      legend.focus({ preventScroll: true });
      form.scrollIntoView({ block: "start" });
    }
  }

  back.addEventListener("click", () => show(Math.max(0, current - 1), true));
  next.addEventListener("click", () => show(Math.min(steps.length - 1, current + 1), true));
  form.append(bar);
  show(current, false);
}

document.querySelectorAll("form[data-steps]").forEach(stepper);
