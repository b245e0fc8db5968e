#!/usr/bin/env python3
"""Filing a year's documents: 档号 with gap-free 件号 (also with two archive
runs at once), 索引号 from the organisation code, a 归档文件目录 imported with
--manifest (refused whole when malformed; its values win; rows without a
file and files without a row reported), export → re-import giving the same
metadata, and the year's statistics."""
import csv
import io
import json
import os
import re
import shutil
import subprocess

from gktest import Checker, Gongkai, TempDir, main, need_shared_corpus

ORG = "11330100002490357X"


def test(binary):
    corpus = need_shared_corpus()
    govdocs = os.path.join(corpus, "govdocs")
    files = sorted(f for f in os.listdir(govdocs) if f.endswith(".txt"))
    c = Checker("filing")
    with TempDir() as tmp:
        # Two archive runs at once on one data directory, each half of the files.
        halves = [os.path.join(tmp, "a"), os.path.join(tmp, "b")]
        for k, d in enumerate(halves):
            os.makedirs(d)
            for f in files[k::2]:
                shutil.copy(os.path.join(govdocs, f), d)
        gk = Gongkai(binary, os.path.join(tmp, "data"))
        gk.run("categories", "--install", os.path.join(corpus, "govdocs-categories.tsv"))
        runs = [subprocess.Popen(gk.argv("archive", d, "--fonds", "Z109", "--year", "2024", "--retention", "D30",
                                         "--org", "BGS", "--org-code", ORG, "--json"),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE) for d in halves]
        outs = [r.communicate(timeout=300) for r in runs]
        c.check(all(r.returncode == 0 for r in runs), "two archive runs at once both succeed: "
                + " | ".join(o[1].decode()[-200:] for o in outs))
        ids, codes, index_nos = [], [], []
        for out, _ in outs:
            for it in json.loads(out)["items"]:
                m = gk.json("show", "--json", str(it["id"]))
                codes.append(m["archive_code"])
                index_nos.append(m["index_no"])
                ids.append(it["id"])
        numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes if code)
        c.equal(numbers, list(range(1, len(files) + 1)), "件号 1..n, no gaps, no repeats, across two runs")
        c.check(all(re.fullmatch(r"Z109-WS·2024-D30-BGS-\d{4}", code or "") for code in codes), "档号 per DA/T 22")
        c.check(all(re.fullmatch(ORG + r"/\d{4}-\d{5}", n or "") for n in index_nos), "索引号 CODE/YEAR-NNNNN")
        c.equal(len(set(index_nos)), len(index_nos), "索引号 unique")
        first = gk.json("show", "--json", codes[0])
        c.equal(first["archive_code"], codes[0], "show finds an item by its 档号")
        c.equal(gk.json("show", "--json", index_nos[0])["index_no"], index_nos[0], "show finds an item by its 索引号")

        # The year's statistics.
        stats = gk.json("stats", "--year", "2024", "--json")
        c.equal(stats["items"], len(files), "stats --year 2024 counts the year's items")
        c.check(sum(stats["by_category"].values()) == len(files) and sum(stats["by_month"].values()) == len(files),
                "stats by category and month add up")
        c.check(set(stats["by_visibility"]) <= {"public", "application", "internal"}, "stats by visibility")

        # Export the 归档文件目录 and re-import it into a fresh archive.
        out = gk.run("export", "--year", "2024", "--list", "filing")
        c.equal(out.rc, 0, "export runs")
        text = out.out
        c.check(text.startswith("\ufeff件号,档号,责任者,文号,题名,日期,页数,公开属性,备注,文件名"), "filing list header")
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        c.equal(len(rows), len(files), "one row per item")
        disc = gk.json("export", "--year", "2024", "--format", "json")["disclosure"]
        c.check(disc and all(r["索引号"] and r["名称"] for r in disc), "公开目录 rows carry 索引号 and 名称")
        c.check(all(r.get("内容概述") for r in disc), "公开目录 rows carry a 内容概述")

        # Change every title in the list, so the manifest's values must win.
        manifest = os.path.join(tmp, "manifest.csv")
        with open(manifest, "w", encoding="gb18030", newline="") as f:
            w = csv.writer(f)
            w.writerow(["件号", "责任者", "文号", "题名", "日期", "页数", "公开属性", "备注", "文件名"])
            for r in rows:
                w.writerow([r["件号"], r["责任者"], r["文号"], "〔目录〕" + r["题名"], r["日期"], r["页数"],
                            r["公开属性"], r["备注"], r["文件名"]])
            w.writerow(["99", "青山县人民政府", "", "没有文件的一行", "20240101", "", "主动公开", "", "missing.txt"])
        gk2 = Gongkai(binary, os.path.join(tmp, "data2"))
        extra = os.path.join(tmp, "extra")
        os.makedirs(extra)
        with open(os.path.join(extra, "stray.txt"), "w", encoding="utf-8") as f:
            f.write("没有目录行的文件\n")
        rep = gk2.archive(halves[0], halves[1], extra, "--manifest", manifest)
        m = rep.get("manifest", {})
        c.equal([r["file"] for r in m.get("rows_without_file", [])], ["missing.txt"], "a row without a file is reported")
        c.check(len(m.get("files_without_row", [])) == 1 and m["files_without_row"][0].endswith("stray.txt"),
                "a file without a row is reported")
        by_file = {r["文件名"]: r for r in rows}
        same = 0
        for it in rep["items"]:
            name = os.path.basename(it["path"])
            if name not in by_file:
                continue
            got = gk2.json("show", "--json", str(it["id"]))
            want = by_file[name]
            date = want["日期"]
            ok = (got["title"] == "〔目录〕" + want["题名"] and (got["docno"] or "") == want["文号"]
                  and (got["organ"] or "") == want["责任者"] and (got["date"] or "") == (
                      f"{date[:4]}-{date[4:6]}-{date[6:]}" if date else ""))
            same += ok
            if not ok:
                print("  round trip differs:", name, got["title"], got["docno"], got["organ"], got["date"])
        c.equal(same, len(rows), "export → re-import: the manifest's title, 文号, 责任者 and 日期 on every item")

        # A malformed manifest is refused whole: nothing archived.
        bad = os.path.join(tmp, "bad.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("题名,文件名,日期\n甲,G0001.txt,2023-02-30\n乙,G0001.txt,\n")
        gk3 = Gongkai(binary, os.path.join(tmp, "data3"))
        r = gk3.run("archive", halves[0], "--manifest", bad)
        c.check(r.rc == 2 and "bad.csv:2" in r.err and "bad.csv:3" in r.err, "a malformed manifest is refused with its lines")
        c.check(not os.path.exists(os.path.join(tmp, "data3", "catalogue.db")), "nothing archived from it")

        # The 索引号 pattern is a setting; a pattern that does not number is refused.
        gk4 = Gongkai(binary, os.path.join(tmp, "data4"))
        c.equal(gk4.run("config", "index_no.pattern", "QS-{year}").rc, 2, "a pattern without {seq} is refused")
        c.equal(gk4.run("config", "index_no.pattern", "QS-{year}-{seq:3}").rc, 0, "config sets the pattern")
        rep = gk4.archive(os.path.join(govdocs, "G0001.txt"), os.path.join(govdocs, "G0003.txt"))
        got = sorted(gk4.json("show", "--json", str(it["id"]))["index_no"] for it in rep["items"])
        c.equal(got, ["QS-2023-001", "QS-2023-002"], "索引号 written in the configured pattern, per year")
    c.finish()


if __name__ == "__main__":
    main(test)
