"""A real browser against `lanmu serve`: headless Chromium over the DevTools protocol.

Loads an article page and a list page, asserts their visible text (breadcrumb, 发布日期, 信息来源, 浏览次数 filled
by the preview counter), saves a screenshot of each, then changes a content file and waits for the open page to
reload by itself. Usage: browser_check.py LANMU SITE_DIR SCREENSHOT_DIR
"""
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

lanmu, site, shots = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(shots, exist_ok=True)
failures = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    failures.append("timed out waiting for " + what)
    return None


serve_port, debug_port = free_port(), free_port()
serve = subprocess.Popen([lanmu, "serve", "--site", site, "--port", str(serve_port)], stderr=subprocess.DEVNULL)
profile = tempfile.mkdtemp()
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
browser = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            # Pages kept for back/forward would keep their live-reload streams open, and six
                            # of them use up the connections Chromium allows to one host.
                            "--disable-features=BackForwardCache",
                            "--window-size=1200,1000", "--remote-debugging-port=%d" % debug_port,
                            "--user-data-dir=" + profile, "about:blank"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    base = "http://127.0.0.1:%d" % serve_port

    def answering():
        try:
            return urllib.request.urlopen(base + "/", timeout=1).status == 200
        except OSError:
            return False

    wait_for(answering, 60, "lanmu serve")

    def target():
        try:
            pages = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json" % debug_port, timeout=1))
            return next((p for p in pages if p.get("type") == "page"), None)
        except OSError:
            return None

    page = wait_for(target, 60, "Chromium")
    ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
    counter = [0]

    def call(method, **params):
        counter[0] += 1
        ws.send(json.dumps({"id": counter[0], "method": method, "params": params}))
        while True:
            message = json.loads(ws.recv())
            if message.get("id") == counter[0]:
                return message.get("result", {})

    def evaluate(expression):
        return call("Runtime.evaluate", expression=expression, returnByValue=True).get("result", {}).get("value")

    def visit(path, name, expected, pattern=None):
        """Opens path and waits until its text holds every expected string (and matches pattern, if given: text
        filled in by scripts after the load, such as the counter), then saves a screenshot."""
        call("Page.navigate", url=base + path)
        wait_for(lambda: evaluate("document.readyState") == "complete", 30, name + " to load")

        def ready(t):
            return t and all(e in t for e in expected) and (pattern is None or re.search(pattern, t))

        text = wait_for(lambda: (lambda t: t if ready(t) else None)(
            evaluate("document.body.innerText")), 10, name + " text " + repr(expected) + " " + repr(pattern))
        shot = call("Page.captureScreenshot", format="png")
        with open(os.path.join(shots, name + ".png"), "wb") as handle:
            handle.write(base64.b64decode(shot["data"]))
        return text

    call("Page.enable")
    call("Runtime.enable")
    article = visit("/sanfuwu/shixian/2025-04-28-baishi/", "article",
                    ["当前位置 : 首页 > 三服务专题 > 市县动态", "发布日期:2025-04-28 16:40", "信息来源:白石县退役军人事务局"],
                    # The preview counter fills 浏览次数 by a fetch after the load.
                    pattern=r"浏览次数:\d+")
    if not article:
        failures.append("the article page lacks its breadcrumb, date, source or a filled 浏览次数: " +
                        (evaluate("document.body.innerText") or "")[:300])
    visit("/sanfuwu/shixian/", "list", ["当前位置 : 首页 > 三服务专题 > 市县动态", "共 7 条", "下一页"])

    # Site search: a query typed into the header's box on the home page; the results page lists exactly the
    # articles holding it (brute-force counts over the sample site: 老兵 4, 退役军人 12, 42家 1 in full width).
    def search_from_header(query, name, expected_total, expected_links, pages):
        visit("/", name + "-home", ["首页"])
        evaluate("document.getElementById('site-search-q').value = %s;"
                 "document.querySelector('form.site-search').submit()" % json.dumps(query))
        wait_for(lambda: evaluate("location.pathname") == "/search/", 20, name + " results page")
        text = wait_for(lambda: (lambda t: t if t and ("共 %d 条" % expected_total) in t and "第 1/%d 页" % pages in t
                                 else None)(evaluate("document.body.innerText")), 20,
                        name + ": 共 %d 条 and its pager" % expected_total)
        links = evaluate("Array.prototype.map.call(document.querySelectorAll('#search-results a.result-title'),"
                         " function (a) { return a.getAttribute('href'); })") or []
        if len(links) != expected_links or not all(link.startswith("/") for link in links):
            failures.append("%s: %d result links %r" % (name, len(links), links))
        if not evaluate("document.querySelectorAll('#search-results mark').length > 0"):
            failures.append(name + ": no <mark> in the results")
        shot = call("Page.captureScreenshot", format="png")
        with open(os.path.join(shots, name + ".png"), "wb") as handle:
            handle.write(base64.b64decode(shot["data"]))
        return text

    search_from_header("老兵", "search", 4, 4, 1)
    search_from_header("退役军人", "search-pager", 12, 10, 2)
    if not evaluate("!!document.querySelector('#search-results .pager a[rel=next]')"):
        failures.append("search results of 12: no 下一页 link in the pager")
    search_from_header("４２家", "search-fullwidth", 1, 1, 1)
    visit("/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "search-escaped", ["<script>alert(1)</script>"])

    # Accessibility (axe-core, WCAG 2.x A and AA rules) on every kind of page: no serious or critical violation.
    axe_path = os.environ.get("LANMU_AXE")
    if axe_path:
        with open(axe_path, encoding="utf-8") as handle:
            axe_source = handle.read()
        ws.settimeout(180)  # injecting and running axe takes seconds on a busy machine
        pages = [("/", "home"), ("/sanfuwu/", "topic"), ("/sanfuwu/shixian/", "list"),
                 ("/sanfuwu/shixian/page/2/", "list-2"), ("/sanfuwu/shixian/2025-04-28-baishi/", "article"),
                 ("/search/?q=%E8%80%81%E5%85%B5", "search")]
        for path, name in pages:
            call("Page.navigate", url=base + path)
            wait_for(lambda: evaluate("document.readyState") == "complete", 30, name + " to load")
            evaluate(axe_source)
            found = call("Runtime.evaluate", awaitPromise=True, returnByValue=True, expression=(
                "axe.run(document, {runOnly: {type: 'tag', values: "
                "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
                ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length, "
                "first: v.nodes[0] && v.nodes[0].target.join(' ')})))"))
            violations = found.get("result", {}).get("value") or []
            for violation in violations:
                print("axe %s: %s" % (name, violation))
                if violation.get("impact") in ("serious", "critical"):
                    failures.append("axe on the %s page: %s" % (name, violation))
    else:
        failures.append("LANMU_AXE does not name axe.min.js; the accessibility rules were not run")

    # Printing an article prints the article, not the page's controls (字号, 打印本页) or the navigation.
    visit("/sanfuwu/shixian/2025-04-28-baishi/", "article-print", ["打印本页"])
    pdf = base64.b64decode(call("Page.printToPDF", printBackground=False)["data"])
    pdf_path = os.path.join(shots, "article-print.pdf")
    with open(pdf_path, "wb") as handle:
        handle.write(pdf)
    printed = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf_path, "-"], capture_output=True, text=True,
                             check=True).stdout
    if "白石县" not in printed or "发布日期" not in printed:
        failures.append("the printed article lacks its title or date: " + printed[:300])
    for control in ["打印本页", "字号", "关闭窗口", "上一篇"]:
        if control in printed:
            failures.append("the printed article shows " + control + ": " + printed[:300])

    # The open page reloads by itself after its Markdown file changes.
    visit("/sanfuwu/shixian/2025-04-28-baishi/", "article-before", ["白石县"])
    evaluate("window.__lanmuMarker = 1")
    path = os.path.join(site, "content", "sanfuwu", "shixian", "2025-04-28-baishi.md")
    with open(path, encoding="utf-8") as handle:
        original = handle.read()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(original.replace("title: 白石县：走站点、走家庭、走企业", "title: 白石县：浏览器自动刷新"))
    try:
        wait_for(lambda: evaluate("window.__lanmuMarker === undefined && document.body.innerText.includes('浏览器自动刷新')"),
                 20, "the page to reload by itself")
    finally:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(original)
    ws.close()
finally:
    browser.terminate()
    serve.terminate()
    browser.wait()
    serve.wait()
    shutil.rmtree(profile, ignore_errors=True)

if failures:
    for failure in failures:
        print("FAIL:", failure)
    sys.exit(1)
print("browser check passed; screenshots in " + shots)
