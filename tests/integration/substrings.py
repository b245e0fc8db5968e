#!/usr/bin/env python3
"""Any exact Chinese substring of a document, typed as a query, finds that
document, and finds only documents holding it: substrings of 1 to 12
characters cut at random (seeded) from the extracted text of the project's
sample documents, including one-character queries and substrings at the end
of a run of characters."""
import os
import random
import re

from gktest import Checker, Gongkai, TempDir, main, source_dir

SEED = 7
PER_LENGTH = 12
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def test(binary):
    c = Checker("substrings")
    corpus = os.path.join(source_dir(), "corpus")
    with TempDir() as tmp:
        gk = Gongkai(binary, os.path.join(tmp, "data"))
        report = gk.archive(*(os.path.join(corpus, y) for y in ("2022", "2023", "2024")))
        ids = [it["id"] for it in report["items"] if it["status"] == "added"]
        texts = {i: gk.run("text", str(i)).out for i in ids}
        runs = [(i, m.group()) for i, t in texts.items() for m in CJK_RUN.finditer(t)]
        rng = random.Random(SEED)
        queries = []
        for n in range(1, 13):
            fitting = [(i, r) for i, r in runs if len(r) >= n]
            for _ in range(PER_LENGTH):
                i, r = rng.choice(fitting)
                at = rng.choice([0, len(r) - n, rng.randrange(len(r) - n + 1)])
                queries.append((i, r[at:at + n]))
        for doc, q in queries:
            hits, total = gk.search_all(q)
            got = {h["id"] for h in hits}
            want = {i for i, t in texts.items() if q in t}
            c.check(doc in got, f"{q!r} does not find document {doc}")
            c.equal(got, want, f"documents found by {q!r}")
            c.equal(total, len(want), f"total of {q!r}")
        print(f"{len(queries)} substring queries checked")
    c.finish()


if __name__ == "__main__":
    main(test)
