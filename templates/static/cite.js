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

  function stamp() {
    var url = document.querySelector("[data-page-url]"), date = document.querySelector("[data-print-date]");
    if (url) url.textContent = location.href;
    if (date) date.textContent = " · 打印日期：" + new Date().toLocaleDateString("zh-CN");
  }
  window.addEventListener("beforeprint", stamp);
  if (document.readyState !== "loading") stamp(); else document.addEventListener("DOMContentLoaded", stamp);
})();
