#!/usr/bin/env python3
"""The search page in a real browser: Debian's chromium, headless, driven
by playwright-core (tests/browser/search_page.mjs) against a real
gongkai-searchd on 127.0.0.1: type a query, see suggestions and results,
narrow by a facet, open page 2, fit a phone's width, work without
JavaScript. Skips when node, chromium or tests/browser/node_modules are
missing (scripts/test.sh installs them)."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from gktest import Checker, Gongkai, TempDir, main, skip, source_dir


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test(binary):
    searchd = os.path.abspath(sys.argv[2])
    browser_dir = os.path.join(source_dir(), "tests", "browser")
    node = shutil.which("node")
    if not node or not os.path.exists("/usr/bin/chromium"):
        skip("node or /usr/bin/chromium is missing")
    if not os.path.isdir(os.path.join(browser_dir, "node_modules", "playwright-core")):
        skip("playwright-core is not installed (npm ci in tests/browser)")
    c = Checker("browser")
    with TempDir() as tmp:
        gk = Gongkai(binary, os.path.join(tmp, "data"))
        corpus = os.path.join(source_dir(), "corpus")
        # Facets need values: each year's documents under a category and year.
        for year, cat in (("2022", "政策文件"), ("2023", "工作动态"), ("2024", "财政信息")):
            gk.archive(os.path.join(corpus, year), "--year", year, "--category", cat)
        port = free_port()
        log = open(os.path.join(tmp, "searchd.log"), "w+")
        proc = subprocess.Popen([searchd, "--data", gk.data, "--listen", f"127.0.0.1:{port}", "--quiet"],
                                stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.1)
            r = subprocess.run([node, os.path.join(browser_dir, "search_page.mjs"), base, "低保"],
                               capture_output=True, text=True, timeout=180, cwd=browser_dir)
            print(r.stdout, end="")
            print(r.stderr, end="", file=sys.stderr)
            c.equal(r.returncode, 0, "the browser steps")
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    c.finish()


if __name__ == "__main__":
    main(test)
