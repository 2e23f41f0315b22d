/// The script the preview injects into every HTML page: it reloads the page after each successful rebuild,
/// shows the diagnostics over the page after a failed one, and points the theme's view counter at the
/// preview's own counter when the site sets none.
enum LiveReloadScript {
    static let source = """
        (function () {
          "use strict";
          window.lanmuPreviewCounter = "/__lanmu/counter";
          if (!window.EventSource) return;
          var overlay = null;
          function hide() {
            if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
            overlay = null;
          }
          function show(lines) {
            hide();
            overlay = document.createElement("div");
            overlay.id = "lanmu-overlay";
            overlay.setAttribute("role", "alert");
            overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.92);" +
              "color:#fff;font:15px/1.7 monospace;padding:2em;white-space:pre-wrap";
            var title = document.createElement("h2");
            title.style.cssText = "margin:0 0 1em;font:bold 20px sans-serif;color:#ff8a80";
            title.textContent = "生成失败，预览仍显示上一次成功的结果。修正后页面会自动刷新：";
            overlay.appendChild(title);
            var text = document.createElement("div");
            text.textContent = lines.join("\\n\\n");
            overlay.appendChild(text);
            (document.body || document.documentElement).appendChild(overlay);
          }
          var source = new EventSource("/__lanmu/events");
          source.addEventListener("reload", function () { location.reload(); });
          source.addEventListener("failed", function (event) {
            var data = JSON.parse(event.data);
            if (document.body) show(data.diagnostics);
            else document.addEventListener("DOMContentLoaded", function () { show(data.diagnostics); });
          });
        })();

        """
}
