#!/usr/bin/env python3
"""Bad inputs mixed with good ones in one archive run: the good files are
archived and searchable, each bad one is reported as failed with a reason,
the exit status is 1, and nothing crashes. Bad queries get a clear error."""
import os
import shutil
import subprocess

from gktest import Checker, Gongkai, TempDir, main, shared_corpus

GOOD = {
    "good1.txt": "关于做好防汛抗旱工作的通知 goodone\n",
    "good2.md": "# 政府信息公开年度报告\n\ngoodtwo 信息公开\n",
    "good3.html": "<html><head><meta charset='utf-8'><title>招聘公告</title></head><body><h1>公开招聘公告</h1>"
                  "<p>goodthree 教师</p></body></html>",
}


def crashed(r):
    err = r.err if isinstance(r.err, str) else ""
    return r.rc < 0 or r.rc >= 128 or "Sanitizer" in err or "runtime error" in err


def test(binary):
    c = Checker("bad_input")
    good = dict(GOOD)
    with TempDir() as tmp:
        gk = Gongkai(binary, os.path.join(tmp, "data"), timeout=120)
        inp = os.path.join(tmp, "in")
        os.mkdir(inp)
        for name, text in GOOD.items():
            with open(os.path.join(inp, name), "w", encoding="utf-8") as f:
                f.write(text)
        bad = {}
        p = os.path.join(inp, "empty.txt")
        open(p, "wb").close()
        bad["empty.txt"] = p
        p = os.path.join(inp, "invalid_utf8.txt")
        with open(p, "wb") as g:
            g.write(b"\xff\xfe\xfd" * 100)
        bad["invalid_utf8.txt"] = p
        # UTF-8 damaged in a few places is kept, with U+FFFD where it is bad.
        sc = shared_corpus()
        damaged = os.path.join(sc, "hostile", "invalid_utf8.txt") if sc else None
        if damaged and os.path.exists(damaged):
            shutil.copy(damaged, os.path.join(inp, "damaged_utf8.txt"))
            good["damaged_utf8.txt"] = None
        with open(os.path.join(inp, "binary.txt"), "wb") as g:
            g.write(bytes(range(256)) * 40)
        bad["binary.txt"] = os.path.join(inp, "binary.txt")

        unreadable = None
        if os.geteuid() == 0:
            print("note: running as root, which can read a chmod 000 directory: the unreadable-directory case "
                  "is skipped")
        else:
            unreadable = os.path.join(inp, "locked")
            os.mkdir(unreadable)
            with open(os.path.join(unreadable, "hidden.txt"), "w") as f:
                f.write("hidden text\n")
            os.chmod(unreadable, 0)
        missing = os.path.join(tmp, "no-such-file.txt")

        r = gk.run("archive", inp, missing, "--json")
        c.check(not crashed(r), f"archive did not crash (exit {r.rc})")
        c.equal(r.rc, 1, "archive with bad inputs: exit status")
        rep = r.json()
        by_name = {}
        for it in rep["items"]:
            by_name.setdefault(os.path.basename(it["path"]), []).append(it)
        for name in good:
            its = by_name.get(name, [])
            c.check(len(its) == 1 and its[0]["status"] == "added", f"{name} added: {its}")
        for name in bad:
            its = by_name.get(name, [])
            c.check(len(its) == 1 and its[0]["status"] == "failed", f"{name} failed: {its}")
            if its:
                c.check(isinstance(its[0].get("error"), str) and its[0]["error"].strip() != "",
                        f"{name}: a reason is given: {its[0].get('error')!r}")
                c.check(its[0].get("id") is None, f"{name}: a failed entry has no id")
        its = by_name.get(os.path.basename(missing), [])
        c.check(len(its) == 1 and its[0]["status"] == "failed" and (its[0].get("error") or "").strip(),
                f"the missing path is reported as failed with a reason: {its}")
        if unreadable:
            its = [it for it in rep["items"] if it["path"].rstrip("/").startswith(unreadable)]
            c.check(len(its) >= 1 and all(it["status"] == "failed" and it.get("error") for it in its),
                    f"the unreadable directory is reported as failed: {its}")
        c.equal(rep["added"], len(good), "added count")
        c.equal(rep["failed"], len(bad) + 1 + (1 if unreadable else 0), "failed count")
        c.equal(rep["added"] + rep["duplicate"] + rep["failed"], len(rep["items"]), "counts add up to the entries")

        # Human output: the failures on stderr, the summary on stdout.
        r = gk.run("archive", inp, missing)
        c.equal(r.rc, 1, "second run, human output: exit status")
        c.check("no-such-file.txt" in r.err and "empty.txt" in r.err, "failures named on stderr")

        # The good files are searchable.
        for word, name in [("goodone", "good1.txt"), ("goodtwo", "good2.md"), ("goodthree", "good3.html")]:
            res = gk.search(word)
            c.equal([h["filename"] for h in res["hits"]], [name], f"search {word}")
        st = gk.json("stats", "--json")
        c.equal(st["items"], len(good), "stats items: only the good files")
        r = gk.run("verify")
        c.equal(r.rc, 0, "verify after a partly failed run")
        if "damaged_utf8.txt" in good:
            its = by_name.get("damaged_utf8.txt", [{}])
            text = gk.run("text", str(its[0].get("id"))).out
            c.check("\ufffd" in text and len(text) > 1000, "damaged UTF-8 kept, with U+FFFD where it was bad")

        # A query of 10,000 characters: a clear error or an empty result, no crash.
        for q, what in [("a" * 10000, "10,000 ASCII characters"), ("政" * 10000, "10,000 Chinese characters"),
                        (" ".join(["x"] * 5000), "10,000 characters, 5,000 words"),
                        ('"' * 10000, "10,000 quotes"), ("-" * 10000, "10,000 minus signs"),
                        ("(" * 10000, "10,000 parentheses")]:
            r = gk.run("search", "--json", "--", q)
            c.check(not crashed(r), f"{what}: no crash (exit {r.rc})")
            c.check("Traceback" not in r.err, f"{what}: no traceback")
            if r.rc == 0:
                c.equal(r.json()["total"], 0, f"{what}: an empty result")
            else:
                c.check(r.rc == 2, f"{what}: exit 2 for a bad query (got {r.rc})")
                c.check(r.err.strip() != "" and len(r.err) < 2000, f"{what}: a short message on stderr")

        # Only punctuation: zero hits, exit 0.
        for q in ["，。！？", "...", "《》【】", "，\u3000。"]:
            r = gk.run("search", "--json", q)
            c.equal(r.rc, 0, f"punctuation query {q!r}: exit")
            if r.rc == 0:
                c.equal(r.json()["total"], 0, f"punctuation query {q!r}: total")

        # Invalid UTF-8 in the query, passed as bytes.
        for q in [b"\xff\xfe\xfd", b"abc\xc3\x28", b"\xed\xa0\x80", "政府".encode("gb18030")]:
            p = subprocess.run([binary.encode(), b"--data", gk.data.encode(), b"search", b"--json", q],
                               capture_output=True, timeout=60)
            c.check(p.returncode > 0 and p.returncode < 128, f"invalid UTF-8 query {q!r}: non-zero exit ({p.returncode})")
            c.check(p.stderr.strip() != b"" and b"Sanitizer" not in p.stderr, f"invalid UTF-8 query {q!r}: a message")
            c.check(p.stdout.strip() == b"", f"invalid UTF-8 query {q!r}: nothing on stdout")

        # Bad identifiers.
        for ident in ["0", "-1", "99999999999999999999", "清政发〔1999〕1号", ""]:
            r = gk.run("show", "--", ident) if ident.startswith("-") else gk.run("show", ident)
            c.check(r.rc != 0 and not crashed(r) and r.err.strip(), f"show {ident!r}: a clear error (exit {r.rc})")
        r = gk.run("get", "999999", "-o", os.path.join(tmp, "x"))
        c.check(r.rc != 0 and not os.path.exists(os.path.join(tmp, "x")), "get of an unknown id writes nothing")

        # A data directory that is not one.
        notdata = os.path.join(tmp, "notdata")
        os.mkdir(notdata)
        with open(os.path.join(notdata, "catalogue.db"), "wb") as f:
            f.write(b"this is not a SQLite database" * 100)
        r = subprocess.run([binary, "--data", notdata, "stats"], capture_output=True, timeout=60)
        c.check(r.returncode != 0 and r.returncode < 128 and r.stderr.strip(),
                f"a damaged catalogue gives a clear error (exit {r.returncode})")
        # A data directory whose only run failed holds no items: verify is clean.
        empty = Gongkai(binary, os.path.join(tmp, "empty-data"))
        r = empty.run("archive", bad["empty.txt"])
        c.equal(r.rc, 1, "archive of only a bad file: exit status")
        r = empty.run("verify")
        c.check(r.rc == 0 and "runtime error" not in r.err, f"verify of an empty archive: exit {r.rc} {r.err[-300:]}")
        st = empty.json("stats", "--json")
        c.equal(st["items"], 0, "stats of an empty archive")
        r = subprocess.run([binary, "--data", os.path.join(tmp, "absent"), "search", "x"], capture_output=True,
                           timeout=60)
        c.check(r.returncode != 0 and r.stderr.strip() and not os.path.exists(os.path.join(tmp, "absent")),
                f"search on an absent data dir: error, nothing created (exit {r.returncode})")
    c.finish()


if __name__ == "__main__":
    main(test)
