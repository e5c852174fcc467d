// Accessible names the admin's own widgets leave out (WCAG 2.2 AA, checked with axe-core).
// The widgets draw themselves after the page loads and again when a row is added or a choice
// made, so each fix is applied whenever the page changes.
(function () {
  "use strict";

  function labelOf(select) {
    if (select.getAttribute("aria-label")) {
      return select.getAttribute("aria-label");
    }
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function fix(root) {
    // The filter box of a "chosen / available" list: an icon named with aria-label needs a role.
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    // The search box of a multiple autocomplete (select2) is named after its field.
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (box) {
      var container = box.closest(".select2-container");
      var select = container && container.previousElementSibling;
      if (select && select.tagName === "SELECT") {
        box.setAttribute("aria-label", "Search " + labelOf(select).toLowerCase());
      }
    });
  }

  function start() {
    fix(document);
    new MutationObserver(function () {
      fix(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
