// The label sheet's "all lots listed" box. Print buttons (<button data-print>) are app.js's,
// on every page: the print.js this file replaces handled them too and opened the dialog twice.
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
