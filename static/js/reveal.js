// GOV.UK's conditional reveal for the manager's decision: the reason box under "Return to the
// officer" shows only while that radio is chosen. GOV.UK Frontend's own reveal marks each radio
// aria-expanded, which ARIA does not allow on a radio (axe-core's aria-allowed-attr, critical;
// govuk-frontend issue #979), so this does the same without it. Without JavaScript, or before
// it runs, the box shows. A file, not an inline script: the Content-Security-Policy allows none.
for (const panel of document.querySelectorAll("[data-revealed-by]")) {
  const radio = document.getElementById(panel.dataset.revealedBy);
  if (!radio) {
    continue;
  }
  const sync = () => panel.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
  for (const choice of document.getElementsByName(radio.name)) {
    choice.addEventListener("change", sync);
  }
  // A page restored from the back-forward cache keeps the choice made before leaving it.
  window.addEventListener("pageshow", sync);
  sync();
}
