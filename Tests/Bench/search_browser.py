#!/usr/bin/env python3
"""First result of Lanmu's site search in headless Chromium over loopback, cold cache.

Usage: search_browser.py PUBLIC_DIR QUERY...

Serves PUBLIC_DIR with Python's threading HTTP server (no gzip: search_transfer.py works out the gzip sizes), opens
/search/?q=QUERY with the cache disabled, and prints the time from navigation start until the results page shows its
answer (`共 N 条` or 没有找到), the same from the moment search.js had arrived, that answer, and the files fetched under /search/<version>/ with their raw bytes.
"""
import functools
import http.server
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import websocket

root, queries = sys.argv[1], sys.argv[2:]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


port, debug = free_port(), free_port()
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=root))
threading.Thread(target=server.serve_forever, daemon=True).start()
profile = tempfile.mkdtemp()
browser = subprocess.Popen([shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu",
                            "--remote-debugging-port=%d" % debug, "--user-data-dir=" + profile, "about:blank"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            pages = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json" % debug, timeout=1))
            page = next(p for p in pages if p.get("type") == "page")
            break
        except (OSError, StopIteration):
            time.sleep(0.1)
    ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
    counter = [0]
    events = []

    def call(method, **params):
        counter[0] += 1
        ws.send(json.dumps({"id": counter[0], "method": method, "params": params}))
        while True:
            message = json.loads(ws.recv())
            if "method" in message:
                events.append(message)
            if message.get("id") == counter[0]:
                return message.get("result", {})

    call("Network.enable")
    call("Network.setCacheDisabled", cacheDisabled=True)
    call("Page.enable")
    for query in queries:
        events.clear()
        call("Page.navigate", url="http://127.0.0.1:%d/search/?q=%s" % (port, urllib.parse.quote(query)))
        answer = None
        for _ in range(3000):
            state = call("Runtime.evaluate", returnByValue=True, expression=(
                "(function(){var s=document.getElementById('search-status');var t=s?s.textContent:'';"
                "var js=performance.getEntriesByType('resource').filter(function(e){return /search\\.js/.test(e.name)})[0];"
                "return /共 \\d+ 条|没有找到/.test(t)?[t, performance.now(), js?js.responseEnd:0]:null})()")).get(
                    "result", {}).get("value")
            if state:
                answer = state
                break
            time.sleep(0.002)
        urls = {e["params"]["requestId"]: e["params"]["request"]["url"] for e in events
                if e["method"] == "Network.requestWillBeSent"}
        sizes = {e["params"]["requestId"]: e["params"]["encodedDataLength"] for e in events
                 if e["method"] == "Network.loadingFinished"}
        index = [(urls[r], sizes.get(r, 0)) for r in urls if "/search/" in urls[r] and "/search/?" not in urls[r]]
        print("%s\t%.0f ms\t(%.0f ms after search.js arrived)\t%s\t%d index files\t%.1f KB raw" % (
            query, answer[1] if answer else -1, answer[1] - answer[2] if answer else -1,
            answer[0] if answer else "no answer", len(index),
            sum(s for _, s in index) / 1024))
finally:
    browser.terminate()
    browser.wait()
    server.shutdown()
    shutil.rmtree(profile, ignore_errors=True)
