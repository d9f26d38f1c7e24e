// Fact-check ledger filter: hides the rows whose verdict or topic does not match the selects.
// Runs only where the ledger is; without JavaScript the stylesheet hides the filter and every row shows.
(function () {
  "use strict";
  function setUp(ledger) {
    var form = ledger.querySelector(".atlas-factcheck-filter");
    var rows = ledger.querySelectorAll("tbody tr");
    var selects = form.querySelectorAll("select[data-filter]");
    var output = form.querySelector("output");
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var match = Array.prototype.every.call(selects, function (select) {
          return !select.value || row.getAttribute("data-" + select.dataset.filter) === select.value;
        });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      output.textContent = output.dataset.template.replace("{shown}", shown).replace("{total}", rows.length);
    }
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }
  document.querySelectorAll(".atlas-factcheck").forEach(setUp);
})();
