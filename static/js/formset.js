// "Add a household member": clone the empty form of a Django formset.
// Progressive enhancement: without JavaScript the button stays hidden and
// members are added from the household's page after saving.
document.querySelectorAll("[data-formset-add]").forEach(function (button) {
  var prefix = button.getAttribute("data-formset-add");
  var fieldset = button.closest("fieldset");
  var total = fieldset.querySelector("#id_" + prefix + "-TOTAL_FORMS");
  var list = fieldset.querySelector("[data-formset-list]");
  var template = fieldset.querySelector("template[data-formset-template]");
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    list.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = list.lastElementChild;
    var first = added.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
  });
});
