// The search page: Pagefind's UI over every shard of the index (listed in /pagefind/shards.json and
// merged in the browser), with the query, the sort order and the filters kept in the URL
// (/search/?q=重复申请&年度=2024&sort=desc) so that a search can be shared and runs on load.
(function () {
  "use strict";
  var box = document.getElementById("search");
  var sortSelect = document.getElementById("sort");
  var filterNames = box.getAttribute("data-filters").split(",");
  var ui = null, shards = [];

  function params() { return new URLSearchParams(location.search); }

  function setParam(name, value) {
    var p = params();
    if (value) { p.set(name, value); } else { p.delete(name); }
    history.replaceState(null, "", location.pathname + (p.toString() ? "?" + p : ""));
  }

  // Pagefind's UI puts excerpts into the page as HTML: keep its <mark>s and nothing else as markup.
  // DOMParser's document is inert (no script runs, nothing loads), so reading it is safe.
  function safeExcerpt(excerpt) {
    var out = "";
    new DOMParser().parseFromString("<body>" + (excerpt || ""), "text/html").body.childNodes.forEach(function (node) {
      var text = escapeHtml(node.textContent);
      out += node.nodeName === "MARK" ? "<mark>" + text + "</mark>" : text;
    });
    return out;
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  }

  // Filter values are indexed with < > & made full-width (generator/search/records.py, filters)
  function filterValue(value) {
    return value.replace(/</g, "＜").replace(/>/g, "＞").replace(/&/g, "＆");
  }

  function safeResult(result) {
    result.excerpt = safeExcerpt(result.excerpt);
    (result.sub_results || []).forEach(function (sub) { sub.excerpt = safeExcerpt(sub.excerpt); });
    return result;
  }

  function start() {
    var p = params(), order = p.get("sort");
    sortSelect.value = order === "asc" || order === "desc" ? order : "";
    box.textContent = "";
    var weights = window.nianbao.shardWeights(shards, sortSelect.value);
    ui = new PagefindUI({
      element: box, bundlePath: shards[0].bundle, indexWeight: weights[0],
      mergeIndex: shards.slice(1).map(function (s, i) { return { bundlePath: s.bundle, indexWeight: weights[i + 1] }; }),
      showSubResults: true, showImages: false, pageSize: 10, openFilters: ["年度"],
      processTerm: window.nianbao.searchTerm, processResult: safeResult,
    });
    var filters = {};
    filterNames.forEach(function (name) { if (p.getAll(name).length) filters[name] = p.getAll(name).map(filterValue); });
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

  function load(tag, attributes, onload) {
    var element = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    element.onload = onload || null;
    document.head.appendChild(element);
  }

  fetch("/pagefind/shards.json").then(function (response) { return response.json(); }).then(function (list) {
    shards = list;
    load("link", { rel: "stylesheet", href: shards[0].bundle + "pagefind-ui.css" });
    load("script", { src: shards[0].bundle + "pagefind-ui.js" }, start);
  });
})();
