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
    // fast capture: each note is sent without reloading the page, the form is ready for
    // the next one at once (kind, language, group and a kept theme stay); Ctrl+Enter sends
    var capture = document.querySelector("form[data-fetch-capture]");
    if (capture && window.fetch && window.FormData) {
      var words = capture.querySelector("#f-text");
      var status = document.getElementById("capture-status");
      var recent = document.getElementById("capture-recent");
      var busy = false;
      words.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          capture.requestSubmit();
        }
      });
      capture.addEventListener("submit", function (event) {
        event.preventDefault();
        if (busy) { return; }
        busy = true;
        capture.setAttribute("aria-busy", "true");
        fetch(capture.action, {
          method: "POST",
          body: new FormData(capture),
          headers: { "X-Voisinage-Fetch": "1", "Accept": "application/json" },
          credentials: "same-origin"
        }).then(function (response) {
          if (!response.headers.get("Content-Type") ||
              response.headers.get("Content-Type").indexOf("json") < 0) {
            throw new Error("not json");
          }
          return response.json();
        }).then(function (answer) {
          // the last note's refusal (from the server or from here) is over
          capture.querySelectorAll(".field-error").forEach(function (old) { old.remove(); });
          capture.querySelectorAll(".field.invalid").forEach(function (box) {
            box.classList.remove("invalid");
          });
          capture.querySelectorAll("[aria-invalid]").forEach(function (field) {
            field.removeAttribute("aria-invalid");
            var told = (field.getAttribute("aria-describedby") || "").split(" ").filter(
              function (id) { return id && id !== "capture-status" && document.getElementById(id); });
            if (told.length) { field.setAttribute("aria-describedby", told.join(" ")); }
            else { field.removeAttribute("aria-describedby"); }
          });
          status.textContent = answer.messages.join(" ");
          status.className = "capture-status " + (answer.recorded ? "success" : "error");
          if (answer.recorded) {
            words.value = "";
            capture.querySelector("#f-resident_code").value = "";
            capture.querySelector("[name=quote_consent]").checked = false;
            var keep = capture.querySelector("[name=keep_axis]");
            if (keep && !keep.checked) { capture.querySelector("#f-axis").value = ""; }
            recent.innerHTML = answer.recent;
            words.focus();
          } else {
            var names = { text: "f-text", on_behalf_of_code: "f-resident_code",
                          on_behalf_of_group: "f-group", language: "f-language",
                          axis_id: "f-axis",
                          on_behalf_of_organisation: "f-organisation" };
            var first = null;
            answer.fields.forEach(function (name) {
              var field = document.getElementById(names[name] || "");
              if (!field) { return; }
              field.setAttribute("aria-invalid", "true");
              if (field.closest(".field")) { field.closest(".field").classList.add("invalid"); }
              var told = field.getAttribute("aria-describedby");
              var said = (answer.beside || {})[name];
              var by = "capture-status";
              if (said) {  // the message beside the field too, as without JavaScript
                var note = document.createElement("p");
                note.className = "field-error";
                note.id = field.id + "-error";
                note.textContent = said;
                field.parentNode.insertBefore(note, field);
                by = note.id;
              }
              field.setAttribute("aria-describedby", (told ? told + " " : "") + by);
              first = first || field;
            });
            (first || words).focus();
          }
        }).catch(function () {
          capture.removeAttribute("data-fetch-capture");
          HTMLFormElement.prototype.submit.call(capture);  // the plain form, as without JS
        }).finally(function () {
          busy = false;
          capture.removeAttribute("aria-busy");
        });
      });
    }
    // bring an error message into view so that it is not missed on a small screen
    var alert = document.querySelector(".message.error[role='alert']");
    if (alert && alert.scrollIntoView) {
      alert.scrollIntoView({ block: "center" });
    }
  });
})();
