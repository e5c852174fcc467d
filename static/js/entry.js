// The officer's entry page keeps the officer where they were. When the form is sent, it notes
// which box (or button) had focus; the page comes back from a save as ?focus=<that id>#<its
// item>, and focus goes back there once GOV.UK Frontend has started (its success banner would
// otherwise take focus). A file, not an inline script: the Content-Security-Policy allows none.
const form = document.getElementById("entry-form");

if (form) {
  const focusBox = form.querySelector("input[name='focus']");
  let lastBox = "";
  form.addEventListener("focusin", (event) => {
    if (event.target.id && event.target.matches("input, select, textarea")) {
      lastBox = event.target.id;
    }
  });
  form.addEventListener("submit", () => {
    // Enter in a box leaves focus on the box; a clicked button has it in most browsers, and
    // where it does not (Safari), the last box used stands in.
    const active = document.activeElement;
    focusBox.value = active && active.id && form.contains(active) ? active.id : lastBox;
  });
}

// On "load": after GOV.UK Frontend's start and after the browser has gone to the fragment,
// which moves focus to the page when the fragment is not itself a box.
window.addEventListener("load", () => {
  const address = new URL(window.location.href);
  const wanted = address.searchParams.get("focus");
  if (!wanted) {
    return;
  }
  const target = document.getElementById(wanted);
  if (target) {
    target.focus();
  }
  // Reloading the page later should not move focus again.
  address.searchParams.delete("focus");
  window.history.replaceState(null, "", address.pathname + address.search + address.hash);
});
