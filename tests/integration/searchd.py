#!/usr/bin/env python3
"""gongkai-searchd against a real archive: the JSON contract on the public
TCP listener and the staff Unix socket; a canary (a word only non-public
items hold) never shown, counted, suggested or served on the public side;
bad requests answered 4xx with a JSON error; archiving while serving with
concurrent queries and no failed request; SIGTERM ends it cleanly."""
import http.client
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

from gktest import Checker, Gongkai, TempDir, main, sha256_file, source_dir

CANARY = "zanzibarquokka"
PUBLIC_WORD = "pelicanharbor"


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=10):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.path)
        self.sock = s


class Side:
    """One listener: GET a path, get (status, headers, body bytes)."""

    def __init__(self, port=None, sock=None):
        self.port, self.sock = port, sock

    def get(self, path, method="GET"):
        conn = UnixConnection(self.sock) if self.sock else http.client.HTTPConnection("127.0.0.1", self.port,
                                                                                     timeout=10)
        try:
            conn.request(method, path)
            r = conn.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            conn.close()

    def json(self, path):
        status, headers, body = self.get(path)
        return status, json.loads(body.decode("utf-8")) if body else None


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def test(binary):
    searchd = os.path.abspath(sys.argv[2])
    c = Checker("searchd")
    with TempDir() as tmp:
        gk = Gongkai(binary, os.path.join(tmp, "data"))
        docs = os.path.join(tmp, "docs")
        os.makedirs(docs)
        write(os.path.join(docs, "internal.txt"), f"县政府内部值班安排\n{CANARY} 值班表\n")
        write(os.path.join(docs, "application.txt"), f"依申请公开的征地补偿明细\n{CANARY} 补偿\n")
        write(os.path.join(docs, "public.txt"), f"关于{PUBLIC_WORD}码头整治的通告\n{PUBLIC_WORD} 低保 防汛\n")
        write(os.path.join(docs, "harbour.txt"), "Pelican Harbour Cleanup Regulations\nThe harbour is cleaned yearly.\n")
        write(os.path.join(docs, "roster.txt"), f"{CANARY.capitalize()} Duty Roster\nWho is on duty.\n")
        ids = {}
        for name, vis in [("internal.txt", "internal"), ("application.txt", "application"), ("public.txt", "public"),
                          ("harbour.txt", "public"), ("roster.txt", "internal")]:
            rep = gk.archive(os.path.join(docs, name), "--visibility", vis)
            ids[name] = rep["items"][0]["id"]
        gk.archive(os.path.join(source_dir(), "corpus"))

        port, sock = free_port(), os.path.join(tmp, "staff.sock")
        log = open(os.path.join(tmp, "searchd.log"), "w+")
        proc = subprocess.Popen([searchd, "--data", gk.data, "--listen", f"127.0.0.1:{port}", "--staff-socket", sock,
                                 "--threads", "2"], stdout=log, stderr=subprocess.STDOUT)
        try:
            pub, staff = Side(port=port), Side(sock=sock)
            for _ in range(100):
                try:
                    if pub.get("/healthz")[0] == 200 and os.path.exists(sock):
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            c.equal(pub.get("/healthz")[0], 200, "healthz")
            c.equal(oct(os.stat(sock).st_mode & 0o777), "0o660", "staff socket mode")
            check_contract(c, pub, staff, ids, gk)
            check_canary(c, pub, staff, ids, gk)
            check_bad_requests(c, pub)
            check_live(c, pub, gk, tmp)
            st, _, body = pub.get("/metrics")
            text = body.decode()
            c.check(st == 200 and "gongkai_http_requests_total{" in text and
                    "gongkai_http_request_duration_seconds_bucket" in text and "gongkai_items " in text,
                    "/metrics in Prometheus text")
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                rc = proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = proc.wait()
        c.equal(rc, 0, "exit status after SIGTERM")
        c.check(not os.path.exists(sock), "the staff socket is removed at exit")
        log.seek(0)
        text = log.read()
        c.check("Sanitizer" not in text, "no sanitizer report")
        c.check(" public GET /api/search 200 " in text and "ms" in text, "access log lines with latency")
        check_listen(c, searchd, gk.data)
    c.finish()


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def check_listen(c, searchd, data):
    """--listen: a malformed address is refused; [::1]:0 serves on the port
    it reports."""
    bad = subprocess.run([searchd, "--data", data, "--listen", "127.0.0.1:http"], capture_output=True, text=True,
                         timeout=20)
    c.check(bad.returncode == 2 and "--listen wants" in bad.stderr, "malformed --listen: exit 2 with a message")
    if not ipv6_loopback():
        print("note: no IPv6 loopback here; [::1] listening is not checked")
        return
    proc = subprocess.Popen([searchd, "--data", data, "--listen", "[::1]:0", "--threads", "1"],
                            stderr=subprocess.PIPE)
    try:
        # Raw reads: a buffered readline could swallow the line select() waits for.
        port, seen = None, b""
        deadline = time.monotonic() + 20
        while port is None and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stderr], [], [], 1)
            if not ready:
                continue
            chunk = os.read(proc.stderr.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
            m = re.search(rb"public search on http://\[::1\]:(\d+)/", seen)
            if m:
                port = int(m.group(1))
        c.check(port is not None and port > 0, "[::1]:0 reports the port it bound")
        if port:
            conn = http.client.HTTPConnection("::1", port, timeout=10)
            try:
                conn.request("GET", "/healthz")
                c.equal(conn.getresponse().status, 200, "healthz over IPv6")
            finally:
                conn.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def check_contract(c, pub, staff, ids, gk):
    st, r = pub.json(q("/api/search", q="低保", size=3))
    c.equal(st, 200, "search status")
    c.check(all(k in r for k in ("total", "hits", "facets", "page", "size")), "search keys")
    c.equal((r["page"], r["size"], len(r["hits"])), (1, 3, 3), "page, size, hits on the page")
    c.check(all(k in r["facets"] for k in ("category", "type", "year", "organ")), "facet fields")
    h = r["hits"][0]
    c.check(all(k in h for k in ("id", "title", "filename", "snippet", "date", "docno", "category", "type")),
            "hit keys")
    c.check("<mark>" in "".join(x["snippet"] for x in r["hits"]), "snippets marked")
    # The same answer as the CLI's public search.
    cli = gk.search("低保", "--size", "3", "--scope", "public")
    c.equal([x["id"] for x in r["hits"]], [x["id"] for x in cli["hits"]], "same hits as gongkai search")
    c.equal(r["total"], cli["total"], "same total as gongkai search")
    st, r2 = pub.json(q("/api/search", q="低保", size=3, page=2))
    c.check(st == 200 and not set(x["id"] for x in r2["hits"]) & set(x["id"] for x in r["hits"]), "page 2 differs")
    st, item = pub.json(f"/api/items/{ids['public.txt']}")
    c.check(st == 200 and item.get("id") == ids["public.txt"] and item.get("visibility") == "public", "item JSON")
    st, headers, body = pub.get(f"/api/items/{ids['public.txt']}/file")
    c.equal(st, 200, "original served")
    import hashlib
    c.equal(hashlib.sha256(body).hexdigest(), item.get("sha256"), "original bytes match the catalogue's SHA-256")
    c.check("filename*=UTF-8''public.txt" in headers.get("Content-Disposition", ""), "file name in the header")
    st, sug = pub.json(q("/api/suggest", q=PUBLIC_WORD))
    c.check(st == 200 and any(s["id"] == ids["public.txt"] for s in sug["suggestions"]), "suggest finds a title")
    for typed, found in [("harbo", True), ("pelican harb", True), ("Harbour ", True), ("harbour cle", True),
                         ("harbx", False), ("harbo pelic", False)]:
        st, sug = pub.json(q("/api/suggest", q=typed))
        got = st == 200 and any(s["id"] == ids["harbour.txt"] for s in sug["suggestions"])
        c.equal(got, found, f"suggest {typed!r} offers the harbour title: {found}")
    st, page = pub.get(q("/", q="低保"))[0], pub.get(q("/", q="低保"))[2].decode()
    c.check(st == 200 and 'class="hit"' in page and "<mark>" in page and 'id="results"' in page,
            "the page renders results without JavaScript")
    part = pub.get(q("/", q="低保", partial="1"))[2].decode()
    c.check(part.startswith("<p class=\"summary\">") and "<html" not in part, "partial=1 gives the results only")
    st, headers, _ = pub.get("/static/app.js")
    c.check(st == 200 and "javascript" in headers.get("Content-Type", ""), "app.js served")


def check_canary(c, pub, staff, ids, gk):
    hidden = [ids["internal.txt"], ids["application.txt"], ids["roster.txt"]]
    for params in [dict(q=CANARY), dict(q=CANARY, size=100), dict(q=f'"{CANARY}"'), dict(q=f"{CANARY} OR 低保", size=100),
                   dict(q=CANARY, scope="all"), dict(q=CANARY, visibility="internal")]:
        st, r = pub.json(q("/api/search", **params))
        ids_seen = {h["id"] for h in r.get("hits", [])} if st == 200 else set()
        c.check(not ids_seen & set(hidden), f"public search {params} shows no hidden item")
        if "OR" not in params["q"]:
            c.equal(r.get("total") if st == 200 else 0, 0, f"public total for {params}")
    st, r = pub.json(q("/api/search", q="", size=100))
    c.check(st in (200, 400), "an empty query is answered")
    st, sug = pub.json(q("/api/suggest", q="内部值班"))
    c.check(st == 200 and not {s["id"] for s in sug["suggestions"]} & set(hidden), "no hidden title suggested")
    for side, want in [(pub, False), (staff, True)]:
        st, sug = side.json(q("/api/suggest", q=CANARY[:7]))
        got = st == 200 and any(s["id"] == ids["roster.txt"] for s in sug["suggestions"])
        c.equal(got, want, f"a hidden title completed from a prefix on the {'staff' if want else 'public'} side: {want}")
    for i in hidden:
        for path in (f"/api/items/{i}", f"/api/items/{i}/file"):
            st, _, body = pub.get(path)
            c.equal(st, 404, f"public {path}")
            c.check(CANARY.encode() not in body, f"public {path} leaks nothing")
    metrics = {l.split()[0]: l.split()[1] for l in pub.get("/metrics")[2].decode().splitlines()
               if l.startswith("gongkai_items")}
    staff_metrics = {l.split()[0]: l.split()[1] for l in staff.get("/metrics")[2].decode().splitlines()
                     if l.startswith("gongkai_items")}
    stats = gk.json("stats", "--json")
    non_public = stats["items"] - stats["by_visibility"].get("public", 0)
    c.check(non_public >= len(hidden), "the canary items are among the non-public ones")
    c.equal(int(staff_metrics.get("gongkai_items", -1)) - int(metrics.get("gongkai_items", -1)), non_public,
            "public /metrics counts public items only; staff counts all")
    c.check("index_lag" not in pub.json("/healthz")[1] and "index_lag" in staff.json("/healthz")[1],
            "index lag on the staff side only")
    page = pub.get(q("/", q=CANARY))[2].decode()
    c.check(CANARY not in page.split('id="results"')[1].replace(f"“{CANARY}”", ""), "the page shows no hidden item")
    st, r = staff.json(q("/api/search", q=CANARY, size=10))
    c.check(st == 200 and {h["id"] for h in r["hits"]} == set(hidden), "the staff socket finds both hidden items")
    st, _, body = staff.get(f"/api/items/{ids['internal.txt']}/file")
    c.check(st == 200 and CANARY.encode() in body, "the staff socket serves a hidden original")


def check_bad_requests(c, pub):
    bad = ["/api/search?q=%FF%FE", "/api/search?page=-1", "/api/search?page=abc", "/api/search?size=100000",
           "/api/search?size=0", "/api/search?year=20x4", "/api/search?from=yesterday", "/api/search?sort=sideways",
           "/api/search?q=" + "%E4%BD%8E" * 800, "/api/items/../../etc/passwd",
           "/api/items/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/api/items/abc", "/api/items/1/file/x", "/api/items/",
           "/api/items/99999999", "/nope", "/static/../../etc/passwd", "/static/nope.js", "/api/suggest?q=%C0%AF"]
    for path in bad:
        st, headers, body = pub.get(path)
        ok = 400 <= st < 500
        if ok and "json" in headers.get("Content-Type", ""):
            ok = "error" in json.loads(body)
        c.check(ok, f"{path[:60]}: 4xx with a JSON error (got {st})")
    st, _, _ = pub.get("/api/search?q=x", method="POST")
    c.equal(st, 405, "POST is refused")


def check_live(c, pub, gk, tmp):
    """Archive while queries run on 4 threads: no request fails, and the
    new item is found within 5 seconds of the archive finishing."""
    word = "marmotlantern"
    errors, count = [], [0]
    stop = threading.Event()

    def hammer():
        deadline = time.monotonic() + 60
        while not stop.is_set() and time.monotonic() < deadline and count[0] < 20000:
            try:
                st, _, _ = pub.get(q("/api/search", q="低保 防汛", size=5))
                if st != 200:
                    errors.append(st)
            except OSError as e:
                errors.append(str(e))
            count[0] += 1

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    new = os.path.join(tmp, "new")
    os.makedirs(new)
    for i in range(20):
        write(os.path.join(new, f"n{i}.txt"), f"新的通知第{i}号\n{word} 第{i}号 防汛 低保\n")
    gk.archive(new)
    t0 = time.monotonic()
    seen = 0
    while time.monotonic() - t0 < 5:
        st, r = pub.json(q("/api/search", q=word, size=50))
        seen = r.get("total", 0) if st == 200 else 0
        if seen == 20:
            break
        time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join()
    print(f"live: {count[0]} queries during archiving, {len(errors)} errors; new items seen after "
          f"{time.monotonic() - t0:.2f} s")
    c.equal(errors[:5], [], "no failed request while archiving")
    c.equal(seen, 20, "the 20 new items are found within 5 s")


if __name__ == "__main__":
    main(test)
