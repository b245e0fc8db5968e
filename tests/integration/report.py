#!/usr/bin/env python3
"""Failures never stop a batch, and are reported and retried: the shared
hostile files mixed with good ones on two workers, the --report in CSV and
JSON, --retry-failed taking only the failed files (a fixed one is archived,
the rest fail again), and no file archived twice."""
import csv
import json
import os
import shutil

from gktest import Checker, Gongkai, TempDir, main, need_shared_corpus


def test(binary):
    corpus = need_shared_corpus()
    c = Checker("report")
    with TempDir() as tmp:
        src = os.path.join(tmp, "src")
        shutil.copytree(os.path.join(corpus, "hostile"), src)
        good = sorted(f for f in os.listdir(os.path.join(corpus, "govdocs")) if f.endswith(".txt"))[:5]
        for f in good:
            shutil.copy(os.path.join(corpus, "govdocs", f), src)
        gk = Gongkai(binary, os.path.join(tmp, "data"))
        csv_path, json_path = os.path.join(tmp, "r.csv"), os.path.join(tmp, "r.json")
        r = gk.run("archive", src, "--jobs", "2", "--report", csv_path)
        c.equal(r.rc, 1, "a batch with failures exits 1")
        rows = list(csv.DictReader(open(csv_path, encoding="utf-8")))
        failed = {os.path.basename(row["path"]) for row in rows}
        c.check(len(rows) >= 8 and all(row["error"] for row in rows), f"the CSV report lists {len(rows)} failures with reasons")
        c.check(not failed & set(good), "no good file failed")
        stats = gk.json("stats", "--json")
        c.check(stats["items"] >= len(good), "the good files are archived")

        # Fix one failed file; --retry-failed takes only the failures on record.
        fixed = sorted(failed)[0]
        with open(os.path.join(src, fixed), "wb") as f:
            f.write("修复后的文件\n".encode("utf-8"))
        r = gk.json("archive", "--retry-failed", "--report", json_path, "--json", ok=(0, 1))
        c.equal(len(r["items"]), len(failed), "--retry-failed takes exactly the failed files")
        c.equal([os.path.basename(i["path"]) for i in r["items"] if i["status"] == "added"], [fixed],
                "the fixed file is archived")
        rep = json.load(open(json_path, encoding="utf-8"))
        c.equal(rep["failed"], len(failed) - 1, "the JSON report counts the files still failing")
        c.equal(gk.json("stats", "--json")["items"], stats["items"] + 1, "nothing archived twice")
        r = gk.json("archive", src, "--json", ok=(0, 1))
        c.check(all(i["status"] != "added" for i in r["items"]), "a rerun over the tree adds nothing")
    c.finish()


if __name__ == "__main__":
    main(test)
