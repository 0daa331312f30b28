// report.js — the chancheck report's only script (inlined by render.py, allowed by its hash in the
// page's Content-Security-Policy). It opens the <details> a link points into, copies replay
// commands, and filters the verification matrix. The page reads fine without it.
(function () {
  "use strict";
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id && document.getElementById(id);
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") { p.open = true; }
    }
    if (el) { el.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("DOMContentLoaded", function () {
    openTarget();
    document.querySelectorAll("button.copy").forEach(function (button) {
      button.addEventListener("click", function () {
        var code = document.getElementById(button.getAttribute("data-copy"));
        if (!code) { return; }
        var text = code.textContent;
        var done = function () { button.textContent = "copied"; };
        var select = function () { selectText(code); button.textContent = "selected: Ctrl+C"; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, select);
        } else {
          select();
        }
      });
    });
    var toggle = document.getElementById("only-failing");
    var matrix = document.getElementById("matrix-table");
    if (toggle && matrix) {
      toggle.addEventListener("change", function () {
        matrix.classList.toggle("only-failing", toggle.checked);
      });
    }
  });
  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
})();
