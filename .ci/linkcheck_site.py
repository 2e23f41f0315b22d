#!/usr/bin/env python3
"""Every internal link and image of a built site resolves: each site directory is served over HTTP on loopback and
crawled by LinkChecker from its home page (internal URLs only, no external checks).

usage: linkcheck_site.py SITE_DIR [--ignore REGEX] ...

The server answers with a `LinkChecker` header, which is LinkChecker's documented way of letting a host be crawled
at full speed instead of its polite 10 requests per second.
"""
import functools
import http.server
import subprocess
import sys
import tempfile
import threading


class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("LinkChecker", "full-speed")
        super().end_headers()

    def log_message(self, *args):
        pass


def check(site, ignores):
    handler = functools.partial(Handler, directory=site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with tempfile.NamedTemporaryFile("w", suffix=".ini") as config:
        config.write("[checking]\nthreads=4\nmaxrequestspersecond=1000\n[filtering]\ncheckextern=0\n")
        config.flush()
        command = ["linkchecker", "-f", config.name, "--no-status", "--no-warnings", url]
        for pattern in ignores:
            command += ["--ignore-url", pattern]
        result = subprocess.run(command, capture_output=True, text=True)
    server.shutdown()
    summary = [line for line in result.stdout.splitlines() if "links in" in line]
    print(f"linkchecker {site}: {summary[-1] if summary else result.stdout[-400:]}")
    if result.returncode != 0:
        print(result.stdout[-6000:], result.stderr[-2000:])
        return False
    return True


def main():
    args = sys.argv[1:]
    ignores = [args[i + 1] for i, a in enumerate(args) if a == "--ignore"]
    sites = [a for i, a in enumerate(args) if a != "--ignore" and (i == 0 or args[i - 1] != "--ignore")]
    ok = all([check(site, ignores) for site in sites])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
