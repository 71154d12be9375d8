// Voisinage: small improvements on top of pages that work without JavaScript.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) ||
      event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    // a print button where printing is possible (the receipt page)
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    // bring an error message into view so that it is not missed on a small screen
    var alert = document.querySelector(".message.error[role='alert']");
    if (alert && alert.scrollIntoView) {
      alert.scrollIntoView({ block: "center" });
    }
  });
})();
