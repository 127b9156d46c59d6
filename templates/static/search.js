// The search page: Pagefind's UI, with the query, the sort order and the filters kept in the URL
// (/search/?q=重复申请&年度=2024&sort=desc) so that a search can be shared and runs on load.
(function () {
  "use strict";
  var box = document.getElementById("search");
  var sortSelect = document.getElementById("sort");
  var filterNames = box.getAttribute("data-filters").split(",");
  var ui = null;

  function params() { return new URLSearchParams(location.search); }

  function setParam(name, value) {
    var p = params();
    if (value) { p.set(name, value); } else { p.delete(name); }
    history.replaceState(null, "", location.pathname + (p.toString() ? "?" + p : ""));
  }

  function start() {
    var p = params(), order = p.get("sort");
    sortSelect.value = order === "asc" || order === "desc" ? order : "";
    box.textContent = "";
    ui = new PagefindUI({
      element: box, showSubResults: true, showImages: false, pageSize: 10,
      processTerm: window.nianbaoSearchTerm,
      openFilters: ["年度"], sort: sortSelect.value ? { year: sortSelect.value } : null,
    });
    var filters = {};
    filterNames.forEach(function (name) { if (p.getAll(name).length) filters[name] = p.getAll(name); });
    if (Object.keys(filters).length) ui.triggerFilters(filters);
    if (p.get("q")) ui.triggerSearch(p.get("q"));
  }

  box.addEventListener("input", function (event) {
    if (event.target.classList.contains("pagefind-ui__search-input")) setParam("q", event.target.value.trim());
  });
  sortSelect.addEventListener("change", function () {
    setParam("sort", sortSelect.value);
    ui.destroy();
    start();
  });
  start();
})();
