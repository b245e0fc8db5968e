#!/usr/bin/env python3
"""Fixture for the corpus-wide tests: archive the shared texts/ once into
OUTDIR (removed first) and write the archive --json report to OUTDIR.json."""
import json
import os
import shutil
import sys
import time

from gktest import Checker, Gongkai, main, need_shared_corpus


def test(binary):
    corpus = need_shared_corpus()
    out = os.path.abspath(sys.argv[2])
    shutil.rmtree(out, ignore_errors=True)
    if os.path.exists(out + ".json"):
        os.remove(out + ".json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    texts = os.path.join(corpus, "texts")
    nfiles = len([f for f in os.listdir(texts) if os.path.isfile(os.path.join(texts, f))])
    c = Checker("texts_archive")
    t0 = time.monotonic()
    rep = Gongkai(binary, out, timeout=900).archive(texts)
    secs = time.monotonic() - t0
    with open(out + ".json", "w", encoding="utf-8") as f:
        json.dump(rep, f, ensure_ascii=False)
    print(f"archived {nfiles} files in {secs:.1f} s: added {rep['added']}, duplicate {rep['duplicate']}, "
          f"failed {rep['failed']}")
    c.equal(rep["failed"], 0, "failed")
    c.equal(rep["added"] + rep["duplicate"], nfiles, "every file added or duplicate")
    c.equal(rep["duplicate"], 3, "the three byte-identical pairs")
    c.finish()


if __name__ == "__main__":
    main(test)
