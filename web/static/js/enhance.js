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
    // a copy button where the clipboard can be written (the receipt page)
    if (navigator.clipboard && window.isSecureContext !== false) {
      document.querySelectorAll("[data-copy]").forEach(function (button) {
        var source = document.getElementById(button.getAttribute("data-copy"));
        var status = document.getElementById("copy-status");
        if (!source) { return; }
        button.hidden = false;
        button.addEventListener("click", function () {
          navigator.clipboard.writeText(source.textContent.trim()).then(function () {
            if (status) { status.textContent = button.getAttribute("data-copied"); }
          });
        });
      });
    }
    // the new process form: only the chosen method's rules, as soon as it is chosen
    var method = document.querySelector("#new-process #f-method");
    if (method) {
      var refresh = document.querySelector("[data-method-refresh]");
      if (refresh) { refresh.parentNode.hidden = true; }
      var showRules = function () {
        document.querySelectorAll("#new-process [data-methods]").forEach(function (group) {
          var applies = group.getAttribute("data-methods").split(" ").indexOf(method.value) >= 0;
          group.hidden = !applies;
          group.disabled = !applies;
        });
      };
      method.addEventListener("change", showRules);
      showRules();
    }
    // bring an error message into view so that it is not missed on a small screen
    var alert = document.querySelector(".message.error[role='alert']");
    if (alert && alert.scrollIntoView) {
      alert.scrollIntoView({ block: "center" });
    }
  });
})();
