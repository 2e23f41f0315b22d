/* Lanmu default theme: view counter hook, 字号 大/中/小 and 高对比度 (both kept across pages), 打印本页, 关闭窗口.
   The page works without it. */
(function () {
  "use strict";

  // 浏览次数: every <span class="hits" data-id="…"> is filled by a counter.
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

  function fillCounts() {
    var elements = document.querySelectorAll(".hits[data-id]");
    for (var i = 0; i < elements.length; i++) {
      var element = elements[i];
      var id = element.getAttribute("data-id");
      if (typeof window.lanmuCounter === "function") {
        window.lanmuCounter(id, element);
        continue;
      }
      if (!window.fetch) continue;
      var counter = element.getAttribute("data-counter");
      var request;
      if (counter) {
        var path = id.split("/").map(encodeURIComponent).join("/");
        request = fetch(counter.replace(/\/+$/, "") + "/" + path, { method: "POST", credentials: "omit" });
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
