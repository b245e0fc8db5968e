#!/usr/bin/env python3
"""Known-item search quality on the shared queries.tsv, with the definitions
of ../shared/tools/knownitem.py: title = reciprocal rank of the first
expected id within the top 10; phrase = share of the expected ids within the
top 10; words = share within the top max(10, 2n); latin = share anywhere in
the (up to 1000) hits. Thresholds on the mean per kind. Reads the data
directory made by texts_archive.py (argv[2])."""
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from gktest import main, need_shared_corpus, skip

TH = {"phrase": 0.98, "title": 0.95, "words": 0.90, "latin": 0.98}


def search(binary, data, q, size=1000):
    p = subprocess.run([binary, "--data", data, "search", "--scope", "all", "--size", str(size), "--json", q],
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        return None
    try:
        r = json.loads(p.stdout)
    except json.JSONDecodeError:
        return None
    return [os.path.basename(h.get("filename") or "").split(".")[0] for h in r.get("hits", [])]


def score_of(kind, ids, exp):
    if kind == "title":
        for i, d in enumerate(ids[:10]):
            if d in exp:
                return 1.0 / (i + 1)
        return 0.0
    if kind == "phrase":
        return len(set(ids[:10]) & set(exp)) / len(exp)
    if kind == "words":
        k = max(10, 2 * len(exp))
        return len(set(ids[:k]) & set(exp)) / len(exp)
    return len(set(ids) & set(exp)) / len(exp)


def test(binary):
    corpus = need_shared_corpus()
    data = os.path.abspath(sys.argv[2])
    if not os.path.exists(os.path.join(data, "catalogue.db")):
        skip(f"{data} holds no archive (the texts_archive fixture did not run)")
    queries = []
    with open(os.path.join(corpus, "queries.tsv"), encoding="utf-8") as f:
        for line in f.read().splitlines()[1:]:
            qid, kind, q, exp = line.split("\t")
            queries.append((qid, kind, q, [e for e in exp.split(",") if e]))
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda x: search(binary, data, x[2]), queries))
    secs = time.monotonic() - t0
    score = defaultdict(list)
    misses = defaultdict(list)
    errors = []
    for (qid, kind, q, exp), ids in zip(queries, results):
        if ids is None:
            errors.append((qid, q))
            score[kind].append(0.0)
            continue
        s = score_of(kind, ids, exp)
        score[kind].append(s)
        if s < 1.0:
            misses[kind].append((qid, q, exp, ids[:5], s))
    ok = not errors
    print(f"{len(queries)} queries in {secs:.1f} s; query errors: {len(errors)}")
    for qid, q in errors[:10]:
        print("  error:", qid, q)
    for kind in sorted(score):
        v = sum(score[kind]) / len(score[kind])
        passed = v >= TH[kind]
        ok &= passed
        print(f"{kind}: {v:.3f} (n={len(score[kind])}, min {TH[kind]}) {'ok' if passed else 'BELOW THRESHOLD'}; "
              f"{len(misses[kind])} imperfect")
        for qid, q, exp, top, s in misses[kind][:5]:
            print(f"  {qid} {q!r} expected {exp[:5]} got {top} score {s:.2f}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main(test)
