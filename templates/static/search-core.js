// What the search page asks of Pagefind; shared with the search tests, which drive Pagefind directly.
window.nianbao = {
  // Quotes are dropped: Pagefind 1.5.2's exact-phrase mode misses Chinese phrases whose words it cut
  // differently in context (see README, "Search"), so a quoted phrase is searched as all of its words,
  // which finds every page containing it.
  searchTerm: function (term) {
    return term.replace(/["“”「」『』]/g, " ").replace(/\s+/g, " ").trim();
  },

  // Pagefind orders results merged from several shards by score alone, so results are sorted by year
  // by weighting each year's shards: one year's weight exceeds the next by far more than relevance
  // scores differ within a year. Within a year, the most relevant come first. order: "desc", "asc" or "".
  shardWeights: function (shards, order) {
    var years = shards.map(function (s) { return s.year; }).filter(function (y, i, all) { return all.indexOf(y) === i; });
    years.sort(function (a, b) { return order === "asc" ? b - a : a - b; });
    return shards.map(function (s) { return order ? Math.pow(1e6, years.indexOf(s.year)) : 1; });
  },
};
