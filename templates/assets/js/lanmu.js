/* Lanmu default theme: view counter hook, 字号 大/中/小 and 高对比度 (both kept across pages), 打印本页, 关闭窗口.
   The page works without it. */
(function () {
  "use strict";

  // 浏览次数: every <span class="hits" data-id="…"> is filled by a counter; one marked data-read only shows the count.
  // A site's own script may define window.lanmuCounter(id, element) before this file; otherwise, when the
  // site sets counter_url (the `lanmu counter` service, e.g. /api/hits), POST <counter_url>/<id> counts the view
  // and answers {"id": …, "hits": n}. Under `lanmu serve` a site without counter_url uses the preview's own
  // counter (window.lanmuPreviewCounter: GET <url>?id=<id> answers {"count": n}).
  function show(target) {
    return function (text) {
      var count = text;
      try {
        var parsed = JSON.parse(text);
        count = parsed && parsed.hits !== undefined ? parsed.hits : parsed && parsed.count !== undefined ? parsed.count : parsed;
      } catch (e) {}
      if (/^\d+$/.test(String(count))) target.textContent = String(count);
    };
  }

  // An id as a URL path: each part percent-encoded, the slashes kept.
  function encodeID(id) {
    return id.split("/").map(encodeURIComponent).join("/");
  }

  // Counts read without counting a view, for elements marked data-read (a list page, a 热点 box): one
  // GET <counter>?ids=a,b,… per batch of at most 100 ids, and short enough for any server's request line.
  function readCounts(counter, elements) {
    var byID = {};
    var ids = [];
    for (var i = 0; i < elements.length; i++) {
      var id = elements[i].getAttribute("data-id");
      if (!byID[id]) { byID[id] = []; ids.push(id); }
      byID[id].push(elements[i]);
    }
    function fill(text) {
      var counts;
      try { counts = JSON.parse(text); } catch (e) { return; }
      for (var id in counts) {
        if (!Object.prototype.hasOwnProperty.call(counts, id) || !byID[id]) continue;
        if (!/^\d+$/.test(String(counts[id]))) continue;
        for (var j = 0; j < byID[id].length; j++) byID[id][j].textContent = String(counts[id]);
      }
    }
    var base = counter + (counter.indexOf("?") < 0 ? "?" : "&") + "ids=";
    var batch = [];
    var length = 0;
    function send() {
      if (!batch.length) return;
      fetch(base + batch.join(","), { credentials: "omit" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(fill)
        .catch(function () {});
      batch = [];
      length = 0;
    }
    for (var k = 0; k < ids.length; k++) {
      var encoded = encodeID(ids[k]);
      if (batch.length === 100 || (batch.length && length + encoded.length > 1800)) send();
      batch.push(encoded);
      length += encoded.length + 1;
    }
    send();
  }

  function fillCounts() {
    var elements = document.querySelectorAll(".hits[data-id]");
    var reads = {};
    var counters = [];
    for (var i = 0; i < elements.length; i++) {
      var element = elements[i];
      var id = element.getAttribute("data-id");
      if (typeof window.lanmuCounter === "function") {
        window.lanmuCounter(id, element);
        continue;
      }
      if (!window.fetch) continue;
      var counter = element.getAttribute("data-counter");
      if (element.hasAttribute("data-read")) {
        var source = counter ? counter.replace(/\/+$/, "") : window.lanmuPreviewCounter;
        if (!source) continue;
        if (!reads[source]) { reads[source] = []; counters.push(source); }
        reads[source].push(element);
        continue;
      }
      var request;
      if (counter) {
        request = fetch(counter.replace(/\/+$/, "") + "/" + encodeID(id), { method: "POST", credentials: "omit" });
      } else if (window.lanmuPreviewCounter) {
        var url = window.lanmuPreviewCounter;
        request = fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "id=" + encodeURIComponent(id), { credentials: "omit" });
      } else {
        continue;
      }
      request
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(show(element))
        .catch(function () {});
    }
    for (var c = 0; c < counters.length; c++) readCounts(counters[c], reads[counters[c]]);
  }

  // 字号: 中 is the page's own size and pressed until another is chosen.
  function setFontSize(size) {
    var body = document.getElementById("article-body");
    if (!body || ["large", "medium", "small"].indexOf(size) < 0) return;
    body.classList.remove("font-large", "font-medium", "font-small");
    body.classList.add("font-" + size);
    var buttons = document.querySelectorAll("[data-font-size]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", buttons[i].getAttribute("data-font-size") === size ? "true" : "false");
    }
    try { localStorage.setItem("lanmu-font-size", size); } catch (e) {}
  }

  function setContrast(on) {
    document.documentElement.classList.toggle("contrast", on);
    var buttons = document.querySelectorAll("[data-action='contrast']");
    for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    try { localStorage.setItem("lanmu-contrast", on ? "on" : "off"); } catch (e) {}
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-font-size], [data-action]") : null;
    if (!target) return;
    var size = target.getAttribute("data-font-size");
    if (size) setFontSize(size);
    var action = target.getAttribute("data-action");
    if (action === "print") window.print();
    if (action === "contrast") setContrast(!document.documentElement.classList.contains("contrast"));
    if (action === "close") {
      window.close();
      if (!window.closed && history.length > 1) history.back();
    }
  });

  try {
    var saved = localStorage.getItem("lanmu-font-size");
    if (saved) setFontSize(saved);
    if (localStorage.getItem("lanmu-contrast") === "on") setContrast(true);
  } catch (e) {}
  fillCounts();
})();
