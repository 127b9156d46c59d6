// What the search page sends to Pagefind for what the reader typed. Quotes are dropped: Pagefind
// 1.5.2's exact-phrase mode misses Chinese phrases whose words it cut differently in context (see
// README, "Search"), so a quoted phrase is searched as all of its words, which finds every page.
window.nianbaoSearchTerm = function (term) {
  return term.replace(/["“”「」『』]/g, " ").replace(/\s+/g, " ").trim();
};
