// Citing a page: a link marked .cite copies the full URL of its table or row (it stays a plain anchor
// link without JavaScript, and still moves the page to its target); a printout carries the page's
// full URL and the date it was printed.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.cite");
    if (!link || !navigator.clipboard) return;
    var url = location.origin + location.pathname + link.getAttribute("href");
    navigator.clipboard.writeText(url).then(function () {
      var note = link.querySelector(".cite-done") || document.createElement("span");
      note.className = "cite-done";
      note.setAttribute("role", "status");
      note.textContent = "已复制链接";
      link.appendChild(note);
      setTimeout(function () { note.remove(); }, 2000);
    }, function () { /* no permission: the link still leads to its target */ });
  });

  // An opened row anchor: its table's box is brought to the top of the screen and scrolled so that
  // the row sits just below the table's sticky header row (CSS alone leaves it to scroll-margin).
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1)), row = id && document.getElementById(id);
    var box = row && row.tagName === "TR" && row.closest(".form-scroll"), head = box && row.closest("table").tHead;
    if (!head) return;
    box.scrollIntoView({ block: "start" });
    box.scrollTop += row.getBoundingClientRect().top - box.getBoundingClientRect().top - head.offsetHeight;
  }
  window.addEventListener("hashchange", reveal);
  window.addEventListener("load", reveal);

  function stamp() {
    var url = document.querySelector("[data-page-url]"), date = document.querySelector("[data-print-date]");
    if (url) url.textContent = location.href;
    if (date) date.textContent = " · 打印日期：" + new Date().toLocaleDateString("zh-CN");
  }
  window.addEventListener("beforeprint", stamp);
  if (document.readyState !== "loading") stamp(); else document.addEventListener("DOMContentLoaded", stamp);
})();
