// Small progressive enhancements; every page works without this file.

// Ask before destructive actions: <form data-confirm="...">.
document.addEventListener("submit", (event) => {
  const msg = event.target.dataset && event.target.dataset.confirm;
  if (msg && !window.confirm(msg)) event.preventDefault();
});
