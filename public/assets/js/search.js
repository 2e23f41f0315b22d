/* Lanmu site search: reads ?q= (and ?column=, ?page=) and shows the results in #search-results.
   Plain ES5, no modules, no third-party requests. The index is made by `lanmu build` (search/index.json names the
   build's files). Folding and units must stay exactly as Lanmu's SearchText.swift makes them. */
(function () {
  "use strict";
  var results = document.getElementById("search-results");
  if (!results) return;
  var status = document.getElementById("search-status");
  var perPage = 10;
  var maxLength = 100;

  function param(name) {
    var query = window.location.search.replace(/^\?/, "").split("&");
    for (var i = 0; i < query.length; i++) {
      var pair = query[i].split("=");
      if (decodeURIComponent(pair[0]) === name && pair.length > 1) {
        try { return decodeURIComponent(pair.slice(1).join("=").replace(/\+/g, " ")); } catch (e) { return ""; }
      }
    }
    return "";
  }

  // Folding: full-width ASCII to half-width, the ideographic space to a space, A-Z to a-z.
  function foldCode(c) {
    if (c >= 0xff21 && c <= 0xff3a) return c - 0xfee0 + 0x20;
    if (c >= 0xff01 && c <= 0xff5e) return c - 0xfee0;
    if (c === 0x3000) return 0x20;
    if (c >= 0x41 && c <= 0x5a) return c + 0x20;
    return c;
  }
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) out += String.fromCharCode(foldCode(text.charCodeAt(i)));
    return out;
  }
  function isSpace(c) {
    return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
      c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
  }
  // Punctuation and symbols of the kinds a query may be made of by mistake; anything else is text to search for
  // (〇, ①, Tibetan or Uyghur letters as much as 汉字), since every character is indexed.
  function isPunctuation(c) {
    return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) ||
      (c >= 0x7b && c <= 0x7e) || (c >= 0xa1 && c <= 0xbf) || (c >= 0x2010 && c <= 0x2027) ||
      (c >= 0x2030 && c <= 0x205e) || (c >= 0x3001 && c <= 0x3004) || (c >= 0x3008 && c <= 0x3020) ||
      c === 0x3030 || c === 0x303d || c === 0x30fb || (c >= 0xfe10 && c <= 0xfe1f) || (c >= 0xfe30 && c <= 0xfe6f) ||
      (c >= 0xff5f && c <= 0xff65);
  }
  function hasText(text) {
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (!isSpace(c) && !isPunctuation(c)) return true;
    }
    return false;
  }
  function isWord(c) { return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a); }

  // The terms of a query (folded, split at white space) and the units of a term.
  function terms(query) {
    var found = [], current = "";
    var folded = fold(query);
    for (var i = 0; i < folded.length; i++) {
      if (isSpace(folded.charCodeAt(i))) { if (current) found.push(current); current = ""; }
      else current += folded.charAt(i);
    }
    if (current) found.push(current);
    return found;
  }
  function units(term) {
    var found = [], word = "";
    for (var i = 0; i < term.length; i++) {
      var c = term.charCodeAt(i);
      if (isWord(c)) { word += term.charAt(i); continue; }
      if (word) { found.push(word); word = ""; }
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < term.length) { found.push(term.substr(i, 2)); i++; }
      else found.push(term.charAt(i));
    }
    if (word) found.push(word);
    return found;
  }

  // FNV-1a over UTF-16 code units (no Math.imul: ES5).
  function hash(key) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i);
      h = (h + (h << 1) + (h << 4) + (h << 7) + (h << 8) + (h << 24)) >>> 0;
    }
    return h >>> 0;
  }

  // Numbers in the index: base 32, digits "0"-"O" then a last digit "P"-"o".
  function Reader(text, start, end) { this.text = text; this.index = start; this.end = end; }
  Reader.prototype.more = function () { return this.index < this.end; };
  Reader.prototype.next = function () {
    var value = 0;
    for (;;) {
      var c = this.text.charCodeAt(this.index++);
      if (c >= 0x50) return value * 32 + (c - 0x50);
      value = value * 32 + (c - 0x30);
    }
  };

  function get(url, done) {
    var request = new XMLHttpRequest();
    request.open("GET", url, true);
    request.onreadystatechange = function () {
      if (request.readyState !== 4) return;
      if (request.status >= 200 && request.status < 300) done(null, request.responseText);
      else done(new Error(url + ": " + request.status));
    };
    request.send();
  }
  // Fetches every url; done(error, texts) once all came back.
  function getAll(urls, done) {
    var texts = [], left = urls.length, failed = false;
    if (!left) { done(null, texts); return; }
    for (var i = 0; i < urls.length; i++) {
      (function (i) {
        get(urls[i], function (error, text) {
          if (failed) return;
          if (error) { failed = true; done(error); return; }
          texts[i] = text;
          if (--left === 0) done(null, texts);
        });
      })(i);
    }
  }

  function say(text) { status.textContent = text; }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.appendChild(document.createTextNode(text));
    return node;
  }

  var query = param("q");
  var column = param("column");
  var page = parseInt(param("page"), 10) || 1;
  var input = document.getElementById("search-q");
  if (input) input.value = query;
  var header = document.getElementById("site-search-q");
  if (header) header.value = query;

  var queryTerms = terms(query);
  if (!queryTerms.length) { say("请输入要搜索的词，多个词用空格分开。"); return; }
  if (query.length > maxLength) { say("搜索词太长了，请不要超过 " + maxLength + " 个字。"); return; }
  if (!hasText(fold(query))) {
    say("搜索词里没有文字或数字，请换一个词。");
    return;
  }
  say("正在搜索……");

  get(results.getAttribute("data-index") + "?t=" + new Date().getTime(), function (error, text) {
    if (error) { say("搜索索引读取失败，请稍后再试。"); return; }
    var manifest = parse(text);
    if (!manifest) { say("搜索索引读取失败，请稍后再试。"); return; }
    // An index of another form than this script reads (a cached old script): ask for a reload.
    if (manifest.format !== 3) { say("搜索页面已更新，请刷新页面后再试。"); return; }
    search(manifest);
  });

  // JSON the server sent, or null when it is not JSON (a proxy's error page answered with 200, a cut-off file).
  function parse(text) {
    try {
      var value = JSON.parse(text);
      return value && typeof value === "object" ? value : null;
    } catch (error) {
      return null;
    }
  }

  // Fetches each URL once; later callers wait for the same answer.
  var files = {};
  function file(url, done) {
    var entry = files[url];
    if (entry && entry.text !== undefined) { done(null, entry.text); return; }
    if (entry) { entry.waiting.push(done); return; }
    entry = files[url] = { waiting: [done] };
    get(url, function (error, text) {
      if (!error) entry.text = text; else delete files[url];
      var waiting = entry.waiting;
      entry.waiting = [];
      for (var i = 0; i < waiting.length; i++) waiting[i](error, text);
    });
  }

  function search(manifest) {
    var columnIndex = -1;
    if (column) {
      var wanted = "/" + column.replace(/^\/+|\/+$/g, "") + "/";
      for (var c = 0; c < manifest.columns.length; c++) {
        if (manifest.columns[c][0] === wanted || manifest.columns[c][1] === column) columnIndex = c;
      }
      if (columnIndex < 0) { say("没有找到栏目“" + column + "”。"); return; }
      file(manifest.base + "c/" + columnIndex + ".txt", function () {});
    }
    var found = [], left = queryTerms.length, failed = false;
    for (var t = 0; t < queryTerms.length; t++) {
      (function (t) {
        resolve(manifest, queryTerms[t], function (error, matches) {
          if (failed) return;
          if (error) { failed = true; say("搜索索引读取失败，请稍后再试。"); return; }
          found[t] = matches;
          if (--left > 0) return;
          var all = found[0];
          for (var i = 1; i < found.length; i++) all = intersect(all, found[i]);
          if (columnIndex < 0) { show(manifest, all, columnIndex); return; }
          file(manifest.base + "c/" + columnIndex + ".txt", function (error, text) {
            if (error) { say("搜索索引读取失败，请稍后再试。"); return; }
            show(manifest, inColumn(all, text), columnIndex);
          });
        });
      })(t);
    }
  }

  // A key's line in its shard: null when no article has the key, else where its postings are. A line that reads
  // ">" is a common key's: its files are p/ and a/ <shard>-<k>, k counting such lines before it.
  function line(manifest, key, done) {
    var shard = hash(key) >>> (32 - manifest.bits);
    file(manifest.base + "s/" + shard + ".txt", function (error, text) {
      if (error) { done(error); return; }
      var found = lookup(text, key);
      if (!found) { done(null, null); return; }
      var own = -1;
      if (found.end - found.start === 1 && text.charAt(found.start) === ">") {
        own = text.substring(0, found.start).split("\t>\n").length - 1;
      }
      done(null, { text: text, start: found.start, end: found.end, own: own, shard: shard });
    });
  }
  // A line's postings: the line's own text, or a common key's file of the given kind ("p" positions, "a" articles).
  function postings(manifest, entry, kind, done) {
    if (entry.own < 0) { done(null, entry); return; }
    file(manifest.base + kind + "/" + entry.shard + "-" + entry.own + ".txt", function (error, text) {
      if (error) done(error); else done(null, { text: text, start: 0, end: text.length });
    });
  }

  // doc -> in title for one term. One unit: its list. Longer: its prefixes from the first pair on while they are
  // common (each common key's longer grams are all indexed, up to manifest.grams units); the whole term as a key
  // gives its articles, a rare prefix gives positions that the pairs after it must continue.
  function resolve(manifest, term, done) {
    var list = units(term), m = list.length;
    if (m === 1) {
      line(manifest, list[0], function (error, entry) {
        if (error || !entry) { done(error, {}); return; }
        postings(manifest, entry, "p", function (error, source) {
          if (error) done(error); else done(null, decode(source.text, source, true));
        });
      });
      return;
    }
    function step(k) {
      var key = list.slice(0, k).join("");
      line(manifest, key, function (error, entry) {
        if (error || !entry) { done(error, {}); return; }
        if (entry.own >= 0 && k === m) {
          postings(manifest, entry, "a", function (error, source) {
            if (error) done(error); else done(null, decode(source.text, source, true));
          });
        } else if (entry.own >= 0 && k < manifest.grams) {
          step(k + 1);
        } else if (entry.own >= 0) {
          aligned(manifest, pieces(list, 0, []), done);
        } else {
          aligned(manifest, pieces(list, k, [{ key: key, offset: 0, entry: entry }]), done);
        }
      });
    }
    step(2);
  }
  // After the first pieces (a prefix of `from` units), pairs at every other offset; the last pair ends at the end.
  function pieces(list, from, first) {
    var out = first.slice(), j;
    for (j = from; j + 1 < list.length; j += 2) out.push({ key: list[j] + list[j + 1], offset: j });
    if ((list.length - from) % 2 === 1) {
      out.push({ key: list[list.length - 2] + list[list.length - 1], offset: list.length - 2 });
    }
    return out;
  }

  // doc -> in title: the articles where every piece's positions sit at its offset from the first piece's.
  function aligned(manifest, parts, done) {
    var lists = [], left = parts.length, failed = false;
    for (var i = 0; i < parts.length; i++) {
      (function (i) {
        function read(entry) {
          if (!entry) { finish(null, null); return; }
          postings(manifest, entry, "p", function (error, source) {
            if (error) finish(error); else finish(null, decode(source.text, source, false));
          });
        }
        function finish(error, list) {
          if (failed) return;
          if (error) { failed = true; done(error); return; }
          lists[i] = list;
          if (--left === 0) done(null, match(parts, lists));
        }
        if (parts[i].entry) read(parts[i].entry);
        else line(manifest, parts[i].key, function (error, entry) { if (error) finish(error); else read(entry); });
      })(i);
    }
  }

  // The line of a key in a shard's text: its postings' start and end.
  function lookup(text, key) {
    var needle = key + "\t";
    var at = text.indexOf(needle);
    while (at > 0 && text.charAt(at - 1) !== "\n") at = text.indexOf(needle, at + 1);
    if (at < 0) return null;
    var start = at + needle.length;
    var end = text.indexOf("\n", start);
    return { start: start, end: end < 0 ? text.length : end };
  }

  function match(parts, lists) {
    var result = {};
    for (var l = 0; l < lists.length; l++) if (!lists[l]) return result;
    var first = lists[0];
    for (var doc in first) {
      if (!first.hasOwnProperty(doc)) continue;
      var ok = true;
      for (l = 1; l < lists.length; l++) if (!lists[l].hasOwnProperty(doc)) { ok = false; break; }
      if (!ok) continue;
      var starts = first[doc].positions, inTitle = null;
      for (var s = 0; s < starts.length; s++) {
        var start = starts[s] - parts[0].offset, all = true;
        for (var m = 1; m < lists.length && all; m++) all = has(lists[m][doc].positions, start + parts[m].offset);
        if (all) {
          // The title's occurrences come first; a match is all in the title or all outside it.
          var title = s < first[doc].inTitle;
          inTitle = inTitle || title;
          if (title) break;
        }
      }
      if (inTitle !== null) result[doc] = inTitle;
    }
    return result;
  }
  function has(sorted, value) {
    var low = 0, high = sorted.length - 1;
    while (low <= high) {
      var mid = (low + high) >> 1;
      if (sorted[mid] === value) return true;
      if (sorted[mid] < value) low = mid + 1; else high = mid - 1;
    }
    return false;
  }
  // Postings: doc -> in title (a unit's or an article list: twice the gap, plus 1 in the title) or doc -> positions
  // and how many of them are in the title (a pair or gram: the gap, twice the count plus 1 when some are in the
  // title, then how many).
  function decode(text, line, single) {
    var reader = new Reader(text, line.start, line.end), out = {}, doc = -1;
    while (reader.more()) {
      if (single) {
        var value = reader.next();
        doc += Math.floor(value / 2) + 1;
        out[doc] = value % 2 === 1;
        continue;
      }
      doc += reader.next() + 1;
      var counted = reader.next(), count = Math.floor(counted / 2), inTitle = counted % 2 === 1 ? reader.next() : 0;
      var positions = [], position = -1;
      for (var i = 0; i < count; i++) { position += reader.next() + 1; positions.push(position); }
      out[doc] = { positions: positions, inTitle: inTitle };
    }
    return out;
  }
  function intersect(a, b) {
    var out = {};
    for (var doc in a) if (a.hasOwnProperty(doc) && b.hasOwnProperty(doc)) out[doc] = a[doc] && b[doc];
    return out;
  }
  function inColumn(found, text) {
    var reader = new Reader(text, 0, text.length), out = {}, doc = -1;
    while (reader.more()) {
      doc += reader.next() + 1;
      if (found.hasOwnProperty(doc)) out[doc] = found[doc];
    }
    return out;
  }

  function show(manifest, found, columnIndex) {
    var docs = [];
    for (var doc in found) if (found.hasOwnProperty(doc)) docs.push({ doc: +doc, title: found[doc] });
    // Title matches first, then newest first (lower numbers are newer).
    docs.sort(function (a, b) { return a.title !== b.title ? (a.title ? -1 : 1) : a.doc - b.doc; });
    var total = docs.length;
    var where = columnIndex >= 0 ? "在“" + manifest.columns[columnIndex][1] + "”中" : "";
    if (!total) { say(where + "没有找到包含“" + query + "”的文章。"); return; }
    var pages = Math.ceil(total / perPage);
    if (page > pages) page = pages;
    if (page < 1) page = 1;
    var shown = docs.slice((page - 1) * perPage, page * perPage);
    var urls = [];
    for (var i = 0; i < shown.length; i++) urls.push(manifest.base + "d/" + shown[i].doc + ".json");
    getAll(urls, function (error, texts) {
      if (error) { say("搜索结果读取失败，请稍后再试。"); return; }
      var articles = [];
      for (var i = 0; i < texts.length; i++) {
        articles.push(parse(texts[i]));
        if (!articles[i]) { say("搜索结果读取失败，请稍后再试。"); return; }
      }
      say(where + "找到包含“" + query + "”的文章 共 " + total + " 条");
      var list = element("ul", "search-results");
      for (i = 0; i < articles.length; i++) list.appendChild(item(articles[i]));
      results.innerHTML = "";
      results.appendChild(list);
      results.appendChild(pager(total, pages));
    });
  }

  // Text with every occurrence of the query's terms marked.
  function marked(parent, text) {
    var folded = fold(text), at = 0;
    for (;;) {
      var best = -1, length = 0;
      for (var t = 0; t < queryTerms.length; t++) {
        var found = folded.indexOf(queryTerms[t], at);
        if (found >= 0 && (best < 0 || found < best)) { best = found; length = queryTerms[t].length; }
      }
      if (best < 0) break;
      if (best > at) parent.appendChild(document.createTextNode(text.substring(at, best)));
      parent.appendChild(element("mark", "", text.substr(best, length)));
      at = best + length;
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.substring(at)));
    return parent;
  }
  function excerpt(text) {
    var folded = fold(text), first = -1;
    for (var t = 0; t < queryTerms.length; t++) {
      var found = folded.indexOf(queryTerms[t]);
      if (found >= 0 && (first < 0 || found < first)) first = found;
    }
    var start = Math.max(0, first - 40), end = Math.min(text.length, Math.max(first, 0) + 100);
    return (start > 0 ? "…" : "") + text.substring(start, end).replace(/\s+/g, " ") + (end < text.length ? "…" : "");
  }
  function item(entry) {
    // [url, title, date, column, text]
    var li = element("li");
    var link = element("a", "result-title");
    link.href = entry[0];
    marked(link, entry[1]);
    li.appendChild(link);
    li.appendChild(element("p", "result-meta", entry[3] + "　" + entry[2]));
    li.appendChild(marked(element("p", "result-excerpt"), excerpt(entry[4])));
    return li;
  }

  function pageURL(number) {
    var url = "?q=" + encodeURIComponent(query);
    if (column) url += "&column=" + encodeURIComponent(column);
    return url + (number > 1 ? "&page=" + number : "");
  }
  function pager(total, pages) {
    var nav = element("nav", "pager");
    nav.setAttribute("aria-label", "分页");
    function link(text, number, rel) {
      var a = element("a", "", text);
      a.href = pageURL(number);
      if (rel) a.rel = rel;
      nav.appendChild(a);
      nav.appendChild(document.createTextNode(" "));
    }
    function off(text) {
      nav.appendChild(element("span", "disabled", text));
      nav.appendChild(document.createTextNode(" "));
    }
    if (page > 1) { link("首页", 1); link("上一页", page - 1, "prev"); } else { off("首页"); off("上一页"); }
    var low = Math.max(1, page - 3), high = Math.min(pages, low + 6);
    low = Math.max(1, high - 6);
    for (var n = low; n <= high; n++) {
      if (n === page) {
        var current = element("span", "current", String(n));
        current.setAttribute("aria-current", "page");
        nav.appendChild(current);
        nav.appendChild(document.createTextNode(" "));
      } else link(String(n), n);
    }
    if (page < pages) { link("下一页", page + 1, "next"); link("尾页", pages); } else { off("下一页"); off("尾页"); }
    nav.appendChild(element("span", "total", "共 " + total + " 条　第 " + page + "/" + pages + " 页"));
    return nav;
  }
})();
