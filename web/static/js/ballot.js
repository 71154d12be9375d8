// Voisinage ballot: a live count of one's choices, and sending the vote without a reload.
// Without this script the form works the same (plain POST, then the receipt page).
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return String(values[key]);
    });
  }

  function setup(form) {
    var method = form.getAttribute("data-method");
    var cap = parseInt(form.getAttribute("data-cap"), 10) || 0;
    var budget = parseInt(form.getAttribute("data-budget"), 10) || 0;
    var counter = document.getElementById("ballot-counter");
    var result = document.getElementById("ballot-result");

    function update() {
      if (!counter) { return; }
      var text = "";
      var over = false;
      if (method === "approval") {
        var chosen = form.querySelectorAll("input[name='choice']:checked").length;
        over = chosen > cap;
        text = format(counter.getAttribute(over ? "data-over-approval" : "data-approval"),
          { count: chosen, cap: cap });
      } else if (method === "dots") {
        var used = 0;
        form.querySelectorAll("input[type='number']").forEach(function (input) {
          var value = parseInt(input.value, 10);
          if (value > 0) { used += value; }
        });
        over = used > budget;
        text = format(counter.getAttribute(over ? "data-over-dots" : "data-dots"),
          { used: used, budget: budget });
      } else {
        return;
      }
      counter.hidden = false;
      counter.textContent = text;
      counter.setAttribute("data-over", over ? "true" : "false");
    }

    var spending = form.getAttribute("data-spending");
    var total = document.getElementById("ballot-total");

    function updateTotal() {
      // the running total of a participatory budget (the page shows it without the script too)
      if (!spending || !total) { return; }
      var sum = 0;
      form.querySelectorAll("input[name='choice']:checked").forEach(function (input) {
        sum += parseInt(input.getAttribute("data-cost"), 10) || 0;
      });
      var lang = document.documentElement.lang || undefined;
      var amount = new Intl.NumberFormat(lang).format(sum) + "\u00a0" + form.getAttribute("data-currency");
      total.textContent = format(total.getAttribute("data-template"),
        { total: amount, budget: total.getAttribute("data-budget-text") });
      total.setAttribute("data-over", sum > parseInt(spending, 10) ? "true" : "false");
    }

    form.addEventListener("change", update);
    form.addEventListener("input", update);
    form.addEventListener("change", updateTotal);
    update();

    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.FormData) { return; }
      event.preventDefault();
      var button = form.querySelector("button[type='submit']");
      if (button) { button.disabled = true; }
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "voisinage", "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (answer) {
        if (button) { button.disabled = false; }
        show(answer.ok && answer.data.ok, answer.data);
      }).catch(function () {
        // network or server trouble: fall back to the plain form
        form.submit();
      });
    });

    function show(ok, data) {
      result.textContent = "";
      var box = document.createElement("div");
      box.className = "message " + (ok ? "success" : "error");
      var message = document.createElement("p");
      message.textContent = data.message || "";
      box.appendChild(message);
      if (ok) {
        var code = document.createElement("p");
        code.className = "receipt-code";
        code.id = "receipt";
        code.textContent = data.receipt;
        result.appendChild(box);
        result.appendChild(code);
        var link = document.createElement("a");
        link.className = "button secondary";
        link.href = data.receipt_url;
        link.textContent = result.getAttribute("data-receipt-link");
        result.appendChild(link);
      } else {
        result.appendChild(box);
      }
      result.setAttribute("tabindex", "-1");
      result.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("ballot-form");
    if (form) { setup(form); }
  });
})();
