#!/usr/bin/env python3
"""Storage faults: a data directory on a small filesystem the test makes
itself (tmpfs; skipped where the test may not mount). A full disk stops the
run with a clear error (exit 4), what was committed stays and verifies; a
read-only data directory is refused clearly and left unchanged; after space
is freed the same command finishes the job, and search gives exactly what
an archive that never failed gives."""
import os
import shutil
import subprocess

from gktest import Checker, Gongkai, TempDir, main, need_shared_corpus, skip

QUERIES = ["条例", "人民政府", "第一条", "防汛", "管理办法", "公开"]


def mount_tmpfs(path, size):
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", path],
                          capture_output=True).returncode == 0


def remount(path, opts):
    return subprocess.run(["mount", "-o", f"remount,{opts}", path], capture_output=True).returncode == 0


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def results(gk):
    return {q: [(h["filename"], h["title"]) for h in gk.search(q, "--scope", "all", "--size", "50")["hits"]]
            for q in QUERIES}


def test(binary):
    corpus = need_shared_corpus()
    c = Checker("storage")
    with TempDir() as tmp:
        src = os.path.join(tmp, "src")
        os.makedirs(src)
        texts = sorted(os.listdir(os.path.join(corpus, "texts")))[:300]
        for f in texts:
            shutil.copy(os.path.join(corpus, "texts", f), src)
        # The reference: the same files archived without trouble.
        ref = Gongkai(binary, os.path.join(tmp, "ref"))
        ref.archive(src)
        want = results(ref)
        size = du(os.path.join(tmp, "ref"))

        small = os.path.join(tmp, "small")
        os.makedirs(small)
        if os.geteuid() != 0 or not mount_tmpfs(small, f"{size // 2 // 1024}k"):
            skip("cannot mount a small tmpfs here (needs root)")
        try:
            gk = Gongkai(binary, os.path.join(small, "data"))
            r = gk.run("archive", src, "--jobs", "2")
            c.equal(r.rc, 4, "a full disk stops the run with exit 4")
            c.check("No space left on device" in r.err or "disk is full" in r.err, "the error names the full disk")
            added = int(r.out.split()[0]) if r.out.split() else -1
            stats = gk.json("stats", "--json")
            c.equal(stats["items"], added, "every file reported added is in the catalogue")
            c.check(0 < added < len(texts), f"the run stopped part way ({added} of {len(texts)})")
            v = gk.json("verify", "--json", ok=(0, 1))
            c.check(v["objects_ok"] == added and v["objects_missing"] == 0 and v["objects_corrupt"] == 0,
                    "the committed originals verify")

            remount(small, "ro")
            before = os.listdir(os.path.join(small, "data"))
            r = gk.run("archive", src)
            c.equal(r.rc, 4, "a read-only data directory is refused with exit 4")
            c.check(r.err.strip() != "", "with a message")
            c.equal(os.listdir(os.path.join(small, "data")), before, "and nothing in it changes")

            remount(small, f"rw,size={size * 3 // 1024}k")
            v = gk.json("verify", "--repair", "--json", ok=(0, 1))
            c.check(v["ok"] is True and v["repaired"] > 0, "verify --repair indexes what the full disk left out")
            r = gk.run("archive", src, "--jobs", "2")
            c.equal(r.rc, 0, "after space is freed the same command finishes")
            c.equal(gk.json("stats", "--json")["items"], ref.json("stats", "--json")["items"],
                    "exactly one item per file")
            c.equal(gk.run("verify").rc, 0, "verify is clean")
            c.equal(results(gk), want, "search gives what an archive that never failed gives")
        finally:
            subprocess.run(["umount", small], capture_output=True)
    c.finish()


if __name__ == "__main__":
    main(test)
