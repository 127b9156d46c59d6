// The search page: a search box, the filters and the results, drawn from window.nianbao (search-core.js)
// with the query, the sort order and the filters kept in the URL (/search/?q=重复申请&年度=2024&sort=desc)
// so that a search can be shared and runs on load. Everything shown is set as text (textContent), never
// as HTML: names, titles and excerpts come from the archive's content.
(function () {
  "use strict";
  var box = document.getElementById("search");
  var sortSelect = document.getElementById("sort");
  var filterNames = box.getAttribute("data-filters").split(",");
  var PAGE = 10, DEBOUNCE_MS = 80;
  var collator = new Intl.Collator("zh-CN");  // one collator: localeCompare builds one per call
  var state = {query: "", filters: {}, shown: PAGE, generation: 0, answer: null};

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var form = el("form", "search-form");
  form.setAttribute("role", "search");
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  var input = el("input", "search-input");
  input.type = "search";
  input.placeholder = "输入机关名称、地区或词语";
  input.id = "search-input";  // named by the page's own <label> (search.html)
  input.autocomplete = "off";
  form.appendChild(input);
  var layout = el("div", "search-layout");
  var aside = el("div", "search-filters");
  var main = el("div", "search-results");
  var count = el("p", "search-count");
  count.setAttribute("aria-live", "polite");
  var list = el("ol", "search-list");
  var more = el("button", "search-more", "显示更多结果");
  more.type = "button";
  more.hidden = true;
  main.append(count, list, more);
  layout.append(aside, main);
  box.append(form, layout);

  function params() { return new URLSearchParams(location.search); }

  function saveUrl() {
    var p = new URLSearchParams();
    if (state.query.trim()) p.set("q", state.query.trim());
    filterNames.forEach(function (name) { (state.filters[name] || []).forEach(function (v) { p.append(name, v); }); });
    if (sortSelect.value) p.set("sort", sortSelect.value);
    history.replaceState(null, "", location.pathname + (p.toString() ? "?" + p : ""));
  }

  function run() {
    var generation = ++state.generation;
    saveUrl();
    if (!window.nianbao.terms || !state.query.trim()) {
      state.answer = null;
      draw();
      return;
    }
    window.nianbao.search(state.query, {filters: state.filters, sort: sortSelect.value}).then(function (answer) {
      if (generation !== state.generation) return;  // a newer query is under way
      state.answer = answer;
      draw();
    }).catch(function (error) {
      if (generation !== state.generation) return;
      count.textContent = "搜索出错：" + error.message;
    });
  }

  function draw() {
    var answer = state.answer;
    drawFilters(answer);
    list.textContent = "";
    if (!answer) {
      count.textContent = "";
      more.hidden = true;
      return;
    }
    count.textContent = answer.total ? "找到 " + answer.total + " 份报告" : "没有找到包含“" + state.query.trim() + "”的报告";
    answer.results.slice(0, state.shown).forEach(function (result) { list.appendChild(card(result, answer.terms)); });
    more.hidden = answer.total <= state.shown;
  }

  function card(result, terms) {
    var item = el("li", "search-result");
    var heading = el("p", "search-result-title");
    var link = el("a", "search-result-link", result.title);
    link.href = result.url;
    heading.appendChild(link);
    var excerpt = el("p", "search-result-excerpt");
    var tags = el("p", "search-result-meta", [result.body, result.region, result.year + " 年"].filter(Boolean).join(" · "));
    item.append(heading, excerpt, tags);
    window.nianbao.excerpt(result, terms).then(function (found) {
      if (found.anchor) link.href = result.url + "#" + found.anchor;
      var at = 0;
      if (found.before) excerpt.appendChild(document.createTextNode("…"));
      var chars = Array.from(found.text);
      found.marks.forEach(function (m) {
        excerpt.appendChild(document.createTextNode(chars.slice(at, m[0]).join("")));
        excerpt.appendChild(el("mark", "", chars.slice(m[0], m[1]).join("")));
        at = m[1];
      });
      excerpt.appendChild(document.createTextNode(chars.slice(at).join("") + (found.after ? "…" : "")));
    });
    return item;
  }

  function drawFilters(answer) {
    var open = {};
    aside.querySelectorAll("details").forEach(function (d) { open[d.getAttribute("data-name")] = d.open; });
    aside.textContent = "";
    if (!answer || !answer.total && !Object.keys(state.filters).length) return;
    filterNames.forEach(function (name, index) {
      var counts = answer.filters[name] || {}, chosen = state.filters[name] || [];
      var values = Object.keys(counts).concat(chosen.filter(function (v) { return !(v in counts); }));
      if (!values.length) return;
      values.sort(name === "年度" ? function (a, b) { return b < a ? -1 : 1; } : collator.compare);
      var details = el("details", "search-filter");
      details.setAttribute("data-name", name);
      details.open = name in open ? open[name] : index === 0 || chosen.length > 0;
      details.appendChild(el("summary", "", name));
      values.forEach(function (value) {
        var label = el("label", "search-filter-value");
        var box_ = el("input");
        box_.type = "checkbox";
        box_.checked = chosen.indexOf(value) >= 0;
        box_.addEventListener("change", function () {
          var now = (state.filters[name] || []).filter(function (v) { return v !== value; });
          if (box_.checked) now.push(value);
          if (now.length) state.filters[name] = now; else delete state.filters[name];
          state.shown = PAGE;
          run();
        });
        label.append(box_, document.createTextNode(" " + value + " (" + (counts[value] || 0) + ")"));
        details.appendChild(label);
      });
      aside.appendChild(details);
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    state.query = input.value;
    state.shown = PAGE;
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  sortSelect.addEventListener("change", function () { state.shown = PAGE; run(); });
  more.addEventListener("click", function () { state.shown += PAGE; draw(); });

  var p = params(), order = p.get("sort");
  sortSelect.value = order === "asc" || order === "desc" ? order : "";
  filterNames.forEach(function (name) { if (p.getAll(name).length) state.filters[name] = p.getAll(name); });
  state.query = input.value = p.get("q") || "";
  window.nianbao.ready().then(function () { if (state.query.trim()) run(); });
  if (!state.query) input.focus();
})();
