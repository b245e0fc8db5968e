#!/usr/bin/env python3
"""Crash safety: archive runs on two workers killed with SIGKILL at random
moments (seeded), over shared texts and a sample of every document format,
on one data directory, then one run to completion, give the same archive as
an uninterrupted run: one item per distinct content, a clean verify, and the
same result sets for 30 queries. Then a reindex killed midway, a reindex to
completion, and the same checks again."""
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time

from gktest import Checker, Gongkai, TempDir, main, need_shared_corpus

SEED = 20240611
SUBSET = 400
ROUNDS = 10
FORMATS = 60  # files of ../shared/corpus/formats, every format among them
DUP_PAIRS = [("L001138", "L001362"), ("L001199", "L001337"), ("L001220", "L001293")]
COMMON = ["人民政府", "法律责任", "国务院", "第一条"]
NQUERIES = 30


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def run_killed(argv, delay, timeout=300):
    """Start ARGV, SIGKILL it after DELAY seconds unless it ended first.
    Returns (killed, returncode)."""
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        p.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        os.kill(p.pid, signal.SIGKILL)
        killed = True
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=30)
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
    return killed, p.returncode, err


def test(binary):
    corpus = need_shared_corpus()
    texts = os.path.join(corpus, "texts")
    dup_ids = {x for pair in DUP_PAIRS for x in pair}
    all_ids = sorted(f[:-3] for f in os.listdir(texts) if f.endswith(".md"))
    rng = random.Random(SEED)
    subset = sorted(rng.sample([i for i in all_ids if i not in dup_ids], SUBSET)) + sorted(dup_ids)
    subset_set = set(subset)
    c = Checker("crash_safety")

    queries = []
    with open(os.path.join(corpus, "queries.tsv"), encoding="utf-8") as f:
        for line in f.read().splitlines()[1:]:
            qid, kind, q, exp = line.split("\t")
            exp = [e for e in exp.split(",") if e]
            if kind in ("phrase", "words") and exp and set(exp) <= subset_set:
                queries.append(q)
    queries = queries[:NQUERIES - len(COMMON)] + COMMON
    print(f"{len(subset)} files, {len(queries)} queries")

    with TempDir() as tmp:
        inp = os.path.join(tmp, "in")
        os.mkdir(inp)
        for i in subset:
            shutil.copyfile(os.path.join(texts, i + ".md"), os.path.join(inp, i + ".md"))
        formats = os.path.join(corpus, "formats")
        fmt_files = sorted(rng.sample(sorted(os.listdir(formats)), FORMATS))
        os.mkdir(os.path.join(inp, "formats"))
        for f in fmt_files:
            shutil.copyfile(os.path.join(formats, f), os.path.join(inp, "formats", f))
        inputs = [os.path.join(inp, i + ".md") for i in subset] + [os.path.join(inp, "formats", f) for f in fmt_files]
        distinct = len({sha(p) for p in inputs})
        c.equal(distinct, len(inputs) - len(DUP_PAIRS), "distinct contents of the input")

        ref = Gongkai(binary, os.path.join(tmp, "ref"), timeout=600)
        t0 = time.monotonic()
        rep = ref.archive(inp)
        t_archive = time.monotonic() - t0
        c.equal((rep["added"], rep["duplicate"], rep["failed"]), (distinct, len(DUP_PAIRS), 0), "reference archive")
        print(f"reference archive: {t_archive:.1f} s")
        want = {q: ref.filenames(q) for q in queries}
        c.check(sum(1 for q in queries if want[q]) >= len(queries) - 1, "the reference finds the queries")

        crash = Gongkai(binary, os.path.join(tmp, "crash"), timeout=600)

        def check_same(stage):
            st = crash.json("stats", "--json")
            c.equal(st["items"], distinct, f"{stage}: one item per distinct content")
            r = crash.run("verify")
            c.equal(r.rc, 0, f"{stage}: verify exit ({(r.out + r.err).strip()[-300:]})")
            _, total = crash.search_all("")
            c.equal(total, distinct, f"{stage}: every item is in the index")
            bad = [q for q in queries if crash.filenames(q) != want[q]]
            c.equal(bad, [], f"{stage}: queries whose result set differs from the reference")

        killed_rounds = 0
        for rnd in range(ROUNDS):
            # Short lives, so that ten runs together do less than one whole
            # archive and most of them are cut off while working.
            delay = rng.uniform(0.05, max(0.1, t_archive / 8))
            killed, rc, err = run_killed(crash.argv("archive", inp, "--jobs", "2", "--json"), delay)
            killed_rounds += killed
            print(f"round {rnd + 1}: kill after {delay:.2f} s: {'killed' if killed else f'finished first (exit {rc})'}")
            if not killed:
                c.check(rc == 0, f"round {rnd + 1}: an archive run that was not killed exits 0 ({rc}: {err[-300:]})")
            c.check("Sanitizer" not in err, f"round {rnd + 1}: no sanitizer report: {err[-500:]}")
        c.check(killed_rounds >= ROUNDS // 2, f"most rounds were really interrupted ({killed_rounds}/{ROUNDS})")
        fin = crash.run("archive", inp, "--json")
        c.equal(fin.rc, 0, f"the final archive run exits 0 ({fin.err[-300:]})")
        rep = fin.json()
        c.equal(rep["failed"], 0, "final run: failed")
        c.equal(rep["added"] + rep["duplicate"], len(inputs), "final run: every file added or duplicate")
        # Each input file names an item, and identical contents name the same one.
        by_sha = {}
        for it in rep["items"]:
            by_sha.setdefault(sha(it["path"]), set()).add(it["id"])
        c.check(all(len(v) == 1 for v in by_sha.values()), "identical contents map to one id")
        c.equal(len({i for v in by_sha.values() for i in v}), distinct, "distinct ids")
        check_same("after killed archive runs")

        # Reindex, killed midway (a reindex takes about as long as the archive run).
        delay = rng.uniform(0.2, 0.8) * t_archive
        killed, rc, err = run_killed(crash.argv("reindex"), delay)
        print(f"reindex: kill after {delay:.2f} s: {'killed' if killed else f'finished first (exit {rc})'}")
        # Searching between the kill and the next reindex still works.
        r = crash.run("search", "--json", "--scope", "all", "人民政府")
        c.equal(r.rc, 0, f"search after a killed reindex ({r.err[-300:]})")
        r = crash.run("reindex")
        c.equal(r.rc, 0, f"reindex after a killed one ({r.err[-300:]})")
        check_same("after a killed reindex")
    c.finish()


if __name__ == "__main__":
    main(test)
