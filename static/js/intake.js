// Intake form: add applicant rows without a round trip, and suggest existing employers.
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.getElementById("intake-form");
  if (!form) return;
  var workers = document.getElementById("workers");
  var addButton = document.getElementById("add-worker");
  var applicantLabel = script.getAttribute("data-applicant-label") || "{n}";

  addButton.addEventListener("click", function (event) {
    event.preventDefault();
    var rows = workers.querySelectorAll("fieldset.worker");
    var last = rows[rows.length - 1];
    var index = rows.length;
    var copy = last.cloneNode(true);
    copy.setAttribute("data-index", index);
    copy.querySelector("legend").textContent = applicantLabel.replace("{n}", index + 1);
    copy.querySelectorAll("input, select, textarea, label").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(/workers-\d+-/, "workers-" + index + "-"));
      });
      if (el.type === "checkbox") el.checked = false;
      else if (el.tagName !== "LABEL") el.value = "";
      el.removeAttribute("aria-invalid");
    });
    copy.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    copy.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    workers.appendChild(copy);
    copy.querySelector("input").focus();
  });

  var nameInput = document.getElementById("employer_name");
  var list = document.getElementById("employer-suggestions");
  var url = script.getAttribute("data-employers-url");
  var found = {};
  var timer = null;
  if (nameInput && list && url) {
    nameInput.setAttribute("list", "employer-suggestions");
    nameInput.setAttribute("autocomplete", "off");
    nameInput.addEventListener("input", function () {
      clearTimeout(timer);
      var q = nameInput.value.trim();
      if (found[q]) { fill(found[q]); return; }
      if (!q) return;
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (rows) {
            list.innerHTML = "";
            rows.forEach(function (row) {
              found[row.name] = row;
              var option = document.createElement("option");
              option.value = row.name;
              if (row.credit_code) option.label = row.credit_code;
              list.appendChild(option);
            });
          });
      }, 200);
    });
  }
  function fill(row) {
    [["employer_credit_code", "credit_code"], ["employer_address", "address"],
     ["employer_contact_name", "contact_name"], ["employer_contact_phone", "contact_phone"]].forEach(function (pair) {
      var input = document.getElementById(pair[0]);
      if (input && !input.value && row[pair[1]]) input.value = row[pair[1]];
    });
  }
})();
