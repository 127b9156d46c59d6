// The search engine of the search page: reads the static index in /search-index/ (generator/search/
// index.py describes its files) and lists exactly the reports whose text holds every term of a query.
// Shared with the search tests, which call window.nianbao.search directly.
(function () {
  "use strict";
  var ROOT = "/search-index/";
  var cache = {};  // url -> promise of its parsed content: each file is fetched once per page

  // kind: "json"; "gz": gzip-compressed bytes (an ArrayBuffer once inflated); "gzjson": JSON in them
  function load(url, kind) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        if (kind === "json") return response.json();
        return response.arrayBuffer().then(inflate).then(function (buffer) {
          return kind === "gzjson" ? JSON.parse(new TextDecoder().decode(buffer)) : buffer;
        });
      });
    }
    return cache[url];
  }

  // gzip's magic number first: inflate; else the host has already (Content-Encoding), take it as it is
  function inflate(buffer) {
    var head = new Uint8Array(buffer, 0, Math.min(2, buffer.byteLength));
    if (head[0] !== 0x1f || head[1] !== 0x8b) return Promise.resolve(buffer);
    var stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer();
  }

  // character -> the character it is searched as, and characters kept as written -> what else they may
  // mean in a query (乾 -> 干): generator/search/normalize.py
  var table = null, changing = null, alternatives = {};
  function ready() {
    return Promise.all([load(ROOT + "shards.json", "json"), load(ROOT + "normalize.gz", "gzjson")]).then(function (both) {
      both[0].forEach(docsOf);  // what results show: fetched while the query is read
      if (!table) {
        table = both[1].table;
        alternatives = both[1].alternatives;
        var keys = Object.keys(table).map(function (k) { return k.replace(/[\\\]\[^-]/g, "\\$&"); });
        changing = new RegExp("[" + keys.join("") + "]", "gu");  // one pass in the regex engine, not per character
      }
      return both[0];
    });
  }

  function normalize(text) {
    return text.replace(changing, function (ch) { return table[ch]; });
  }

  // Every reading of a normalised term (itself first): 关於 -> 关於, 关于
  var readings = {};
  function variants(term) {
    if (!readings[term]) readings[term] = readingsOf(term);
    return readings[term];
  }

  function readingsOf(term) {
    var out = [""];
    Array.from(term).forEach(function (ch) {
      var choices = [ch].concat(alternatives[ch] || []), next = [];
      out.forEach(function (head) { choices.forEach(function (c) { next.push(head + c); }); });
      out = next;
    });
    return out;
  }

  // A query's terms: quotes are only grouping marks (a run of characters is matched as written anyway);
  // whitespace separates terms, every one of which a report must hold.
  function terms(query) {
    var seen = {};
    return normalize(query.replace(/["“”「」『』]/g, " ")).split(/\s+/).filter(function (t) {
      if (!t || seen[t]) return false;
      seen[t] = true;
      return true;
    });
  }

  function gramHash(gram) {  // FNV-1a over code points, as generator/search/index.py
    var h = 0x811c9dc5;
    for (var ch of gram) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return h;
  }

  // One bucket file: gram -> [bytes, start, end) of its block. Every number is an unsigned LEB128
  // varint (seven bits a byte, low first; a set high bit says another byte follows).
  function parseBucket(buffer) {
    var r = reader([new Uint8Array(buffer), 0, buffer.byteLength]), out = new Map(), grams = r.next();
    for (var g = 0; g < grams; g++) {
      var length = r.next(), codes = new Array(length);
      for (var c = 0; c < length; c++) codes[c] = r.next();
      var size = r.next(), start = r.at();
      out.set(String.fromCodePoint.apply(null, codes), [r.data, start, start + size]);
      r.skip(size);
    }
    return out;
  }

  function bucketOf(shard, gram) {
    var url = shard.dir + "g/" + (gramHash(gram) % shard.buckets) + ".gz";
    if (!cache[url + "#parsed"]) cache[url + "#parsed"] = load(url, "gz").then(parseBucket);
    return cache[url + "#parsed"];
  }

  function reader(entry) {  // the varints of a block
    var data = entry[0], i = entry[1];
    return {
      data: data,
      at: function () { return i; },
      skip: function (n) { i += n; },
      next: function () {
        var v = 0, scale = 1, b;
        do { b = data[i++]; v += (b & 0x7f) * scale; scale *= 128; } while (b & 0x80);
        return v;
      },
    };
  }

  // The hot loops below read varints inline through `at` (most numbers are one byte)
  var at = 0;
  function varint(data) {
    var b = data[at++];
    if (b < 0x80) return b;
    var v = b & 0x7f, scale = 128;
    do { b = data[at++]; v += (b & 0x7f) * scale; scale *= 128; } while (b & 0x80);
    return v;
  }

  function docList(entry) {  // a one- or two-character gram: report -> 1 (reports as gaps)
    var out = new Map();
    if (!entry) return out;
    var data = entry[0], doc = 0;
    at = entry[1];
    for (var k = 0, n = varint(data); k < n; k++) { doc += varint(data); out.set(doc, 1); }
    return out;
  }

  function positions(entry) {  // a three-character gram: report -> positions (both as gaps)
    var out = new Map();
    if (!entry) return out;
    var data = entry[0], doc = 0;
    at = entry[1];
    for (var k = 0, n = varint(data); k < n; k++) {
      doc += varint(data);
      var count = varint(data), p = 0, list = new Array(count);
      for (var j = 0; j < count; j++) { p += varint(data); list[j] = p; }
      out.set(doc, list);
    }
    return out;
  }

  // The grams a term is looked up by: itself if short, else three-character runs covering it.
  function cover(term) {
    var chars = Array.from(term);
    if (chars.length <= 3) return [[term, 0]];
    var offsets = [];
    for (var o = 0; o + 3 <= chars.length; o += 3) offsets.push(o);
    if (offsets[offsets.length - 1] !== chars.length - 3) offsets.push(chars.length - 3);
    return offsets.map(function (o) { return [chars.slice(o, o + 3).join(""), o]; });
  }

  // report -> how many times it holds the term (1 for terms of one or two characters); kept per page,
  // so a term searched again costs nothing but the drawing
  function matchTerm(shard, term) {
    var key = shard.dir + "\u0000" + term;
    if (!cache[key]) {
      cache[key] = Promise.all(variants(term).map(function (v) { return findTerm(shard, v); })).then(function (maps) {
        if (maps.length === 1) return maps[0];
        var out = new Map();  // a report holding any reading, with all its occurrences
        maps.forEach(function (m) { m.forEach(function (n, doc) { out.set(doc, (out.get(doc) || 0) + n); }); });
        return out;
      });
    }
    return cache[key];
  }

  function findTerm(shard, term) {
    var parts = cover(term);
    return Promise.all(parts.map(function (p) { return bucketOf(shard, p[0]); })).then(function (buckets) {
      var entries = parts.map(function (p, k) { return buckets[k].get(p[0]); });
      if (Array.from(term).length <= 2) return docList(entries[0]);
      if (entries.some(function (e) { return !e; })) return new Map();
      var lists = entries.map(positions), out = new Map();
      lists[0].forEach(function (starts, doc) {
        var others = [];
        for (var k = 1; k < lists.length; k++) {
          var at = lists[k].get(doc);
          if (!at) return;
          others.push(at);
        }
        // positions ascend in every list: one walk through each finds the starts where every run lines up
        var next = others.map(function () { return 0; }), found = 0;
        for (var s = 0; s < starts.length; s++) {
          var k = 0;
          for (; k < others.length; k++) {
            var at = others[k], want = starts[s] + parts[k + 1][1], j = next[k];
            while (j < at.length && at[j] < want) j++;
            next[k] = j;
            if (at[j] !== want) break;
          }
          if (k === others.length) found += 1;
        }
        if (found) out.set(doc, found);
      });
      return out;
    });
  }

  var folderNames = {};  // URL prefix -> its body's and regions' names, normalised (a body reports in many shards)

  function docsOf(shard) {
    var url = shard.dir + "docs.gz";
    if (!cache[url + "#parsed"]) {
      cache[url + "#parsed"] = Promise.all([load(url, "gzjson"), load(ROOT + "folders.gz", "gzjson")]).then(function (both) {
        var raw = both[0], all = both[1], titles = raw.titles.map(normalize);
        return raw.docs.map(function (d, i) {
          var folder = all.folders[d[0]], year = String(d[1]);
          var title = raw.titles[d[2]].split("\u0001").join(folder[0]).split("\u0002").join(year);
          var filters = all.filters[folder[2]].concat(raw.filters[d[3]], [["年度", year]]);
          var names = folderNames[d[0]] || (folderNames[d[0]] = {
            body: normalize(folder[0]), region: normalize(all.regions[folder[1]])});
          names.regions = names.regions || names.region.split(" › ");
          return {shard: shard, doc: i, url: d[0] + year + "/", body: folder[0], region: all.regions[folder[1]],
                  title: title, year: d[1], filters: filters, names: names, titlePattern: titles[d[2]]};
        });
      });
    }
    return cache[url + "#parsed"];
  }

  // A body's own name weighs most, then the names of the regions it sits in, then the title; a name
  // that is the term weighs more than one that holds it (光华县's own reports before 安光华县's);
  // then how often the text holds the term.
  function score(doc, term, count) {
    if (doc.normTitle === undefined) {
      doc.normTitle = doc.titlePattern.split("\u0001").join(doc.names.body).split("\u0002").join(String(doc.year));
    }
    var all = variants(term);
    function holds(text) {
      if (all.length === 1) return text.indexOf(term) >= 0;
      return all.some(function (v) { return text.indexOf(v) >= 0; });
    }
    function is(name) { return all.indexOf(name) >= 0; }
    return (is(doc.names.body) ? 4000 : 0) + (doc.names.regions.some(is) ? 2000 : 0) +
           (holds(doc.names.body) ? 1000 : 0) + (holds(doc.names.region) ? 500 : 0) +
           (holds(doc.normTitle) ? 200 : 0) + Math.min(count, 100);
  }

  function searchShard(shard, list) {
    return Promise.all([docsOf(shard)].concat(list.map(function (t) { return matchTerm(shard, t); })))
      .then(function (found) {
        var docs = found[0], maps = found.slice(1), out = [];
        maps.sort(function (a, b) { return a.size - b.size; });
        maps[0].forEach(function (_, doc) {
          for (var m = 1; m < maps.length; m++) if (!maps[m].has(doc)) return;
          var entry = docs[doc], total = 0;
          for (var k = 0; k < list.length; k++) total += score(entry, list[k], found[k + 1].get(doc));
          out.push({doc: entry, score: total});
        });
        return out;
      });
  }

  function passes(doc, filters) {
    return Object.keys(filters).every(function (name) {
      var wanted = filters[name];
      return !wanted.length || doc.filters.some(function (f) { return f[0] === name && wanted.indexOf(f[1]) >= 0; });
    });
  }

  // {terms, total, results: [{url, title, body, region, year, score, …}], filters: {name: {value: count}}}
  // options.filters: {name: [values]} (any value of a filter, every filter); options.sort: "", "desc", "asc".
  function search(query, options) {
    options = options || {};
    return ready().then(function (shards) {
      var list = terms(query);
      if (!list.length) return {terms: list, total: 0, results: [], filters: {}};
      return Promise.all(shards.map(function (s) { return searchShard(s, list); })).then(function (perShard) {
        var all = [].concat.apply([], perShard), wanted = options.filters || {}, counts = {};
        var results = all.filter(function (r) { return passes(r.doc, wanted); });
        results.forEach(function (r) {
          r.doc.filters.forEach(function (f) {
            counts[f[0]] = counts[f[0]] || {};
            counts[f[0]][f[1]] = (counts[f[0]][f[1]] || 0) + 1;
          });
        });
        var order = options.sort;
        results.sort(function (a, b) {
          var byYear = order === "asc" ? a.doc.year - b.doc.year : b.doc.year - a.doc.year;
          if (order && byYear) return byYear;
          return b.score - a.score || byYear || (a.doc.url < b.doc.url ? -1 : 1);
        });
        return {terms: list, total: results.length, filters: counts, results: results.map(function (r) {
          return {url: r.doc.url, title: r.doc.title, body: r.doc.body, region: r.doc.region, year: r.doc.year,
                  score: r.score, doc: r.doc};
        })};
      });
    });
  }

  // Where a result first holds one of the terms: {anchor, text (about `width` characters around it),
  // marks: [[start, end], …] of every term within text} (offsets in characters of text).
  function excerpt(result, list, width) {
    width = width || 90;
    list = [].concat.apply([], list.map(variants));
    return load(result.doc.shard.dir + "text/" + result.doc.doc + ".gz", "gzjson").then(function (parts) {
      var best = null;
      for (var index = 0; index < parts.length; index++) {
        var norm = normalize(parts[index][1]), at = -1;
        list.some(function (t) { at = norm.indexOf(t); return at >= 0; });
        if (at < 0 || (best && index < 3)) continue;
        best = {part: parts[index], chars: Array.from(parts[index][1]), at: at};
        if (index >= 3) break;  // the narrative or a table rather than the title and names
      }
      if (!best) return {anchor: "", text: parts.length ? parts[0][1] : "", marks: []};
      var normChars = Array.from(normalize(best.part[1]));
      var at = Array.from(normChars.join("").slice(0, best.at)).length;  // UTF-16 offset -> characters
      var start = Math.max(0, at - Math.floor(width / 3)), end = Math.min(best.chars.length, start + width);
      var window_ = normChars.slice(start, end).join(""), marks = [];
      list.forEach(function (t) {
        for (var i = window_.indexOf(t); i >= 0; i = window_.indexOf(t, i + t.length)) {
          var s = Array.from(window_.slice(0, i)).length;
          marks.push([s, s + Array.from(t).length]);
        }
      });
      marks.sort(function (a, b) { return a[0] - b[0]; });
      var merged = [];
      marks.forEach(function (m) {
        var last = merged[merged.length - 1];
        if (last && m[0] <= last[1]) last[1] = Math.max(last[1], m[1]); else merged.push(m.slice());
      });
      return {anchor: best.part[0], text: best.chars.slice(start, end).join(""), marks: merged,
              before: start > 0, after: end < best.chars.length};
    });
  }

  window.nianbao = {search: search, excerpt: excerpt, terms: terms, normalize: normalize, variants: variants,
                    ready: ready};
})();
