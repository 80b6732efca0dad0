// The label sheet's "all lots listed" box. Print buttons (<button data-print>) are handled
// by app.js on every page: handling them here as well opened the print dialog twice (again
// once the first was closed) on the pages that load this file.
document.querySelectorAll("[data-check-all]").forEach(function (all) {
  var boxes = all.form.querySelectorAll('input[type="checkbox"][name="lot"]');
  function sync() {
    all.checked = boxes.length > 0 && Array.prototype.every.call(boxes, function (b) { return b.checked; });
  }
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  boxes.forEach(function (box) { box.addEventListener("change", sync); });
  sync();
});
